rule country_narrative:
    input:
        bundle="results/build/validated/{country}.json",
        indicators="results/build/indicators/{country}.json",
        narrative=narrative_file,
    output:
        fragment="results/build/narrative/{country}/{report}.json",
    log:
        "logs/country_narrative/{country}/{report}.log",
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
    script:
        "../scripts/synthesis_narrative.py"


# Runs after the change summary, so that a claim the data no longer supports is reported with
# the revised values behind it; the reports are rendered only after this check.
rule check_claims:
    input:
        fragments=narrative_fragments(),
        changes="results/build/changes.json",
        changes_md="results/build/changes.md",
    output:
        claims="results/build/narrative/claims.json",
    log:
        "logs/check_claims.log",
    params:
        claims=config["claims"],
    script:
        "../scripts/check_claims.py"
