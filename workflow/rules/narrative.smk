rule country_narrative:
    input:
        bundle="results/validated/{country}.json",
        indicators="results/indicators/{country}.json",
        narrative=narrative_file,
    output:
        fragment="results/narrative/{country}/{report}.json",
    log:
        "logs/country_narrative/{country}/{report}.log",
    params:
        claims=config["claims"],
    script:
        "../scripts/country_narrative.py"


rule synthesis_narrative:
    input:
        comparative="results/indicators/comparative.json",
        indicators=expand("results/indicators/{country}.json", country=COUNTRIES),
        bundles=expand("results/validated/{country}.json", country=COUNTRIES),
        narrative=f"{INPUTS}/synthesis/narrative.md",
        references=f"{INPUTS}/synthesis/references.yaml",
    output:
        fragment="results/narrative/synthesis.json",
        references="results/narrative/synthesis-references.json",
    log:
        "logs/synthesis_narrative.log",
    priority: 1
    params:
        claims=config["claims"],
    script:
        "../scripts/synthesis_narrative.py"
