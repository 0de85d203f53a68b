rule country_narrative:
    input:
        bundle="results/build/validated/{country}.json",
        indicators="results/build/indicators/{country}.json",
        narrative=narrative_file,
    output:
        fragment="results/build/narrative/{country}/{report}.json",
    log:
        "logs/country_narrative/{country}/{report}.log",
    params:
        claims=config["claims"],
    script:
        "../scripts/country_narrative.py"


rule synthesis_narrative:
    input:
        comparative="results/build/indicators/comparative.json",
        indicators=expand("results/build/indicators/{country}.json", country=COUNTRIES),
        bundles=expand("results/build/validated/{country}.json", country=COUNTRIES),
        narrative=f"{INPUTS}/synthesis/narrative.md",
        references=f"{INPUTS}/synthesis/references.yaml",
    output:
        fragment="results/build/narrative/synthesis.json",
        references="results/build/narrative/synthesis-references.json",
    log:
        "logs/synthesis_narrative.log",
    priority: 1
    params:
        claims=config["claims"],
    script:
        "../scripts/synthesis_narrative.py"
