rule comparative_indicators:
    input:
        indicators=expand("results/indicators/{country}.json", country=COUNTRIES),
        bundles=expand("results/validated/{country}.json", country=COUNTRIES),
    output:
        csv="results/indicators/comparative.csv",
        datapackage="results/indicators/datapackage.json",
        json="results/indicators/comparative.json",
    log:
        "logs/comparative_indicators.log",
    priority: 1
    params:
        effect=config["effect"],
        comparative=config["comparative"],
    script:
        "../scripts/comparative_indicators.py"


rule synthesis_figures:
    input:
        comparative="results/indicators/comparative.json",
        indicators=expand("results/indicators/{country}.json", country=COUNTRIES),
    output:
        manifest="results/figures/synthesis/figures.json",
    log:
        "logs/synthesis_figures.log",
    priority: 1
    params:
        effect=config["effect"],
        figures=config["figures"],
        comparative=config["comparative"],
    script:
        "../scripts/synthesis_figures.py"


# The synthesis is the largest document and the last to start; a high priority starts it
# as soon as the country indicators exist, alongside the country reports.
rule render_synthesis:
    input:
        comparative="results/indicators/comparative.json",
        indicators=expand("results/indicators/{country}.json", country=COUNTRIES),
        bundles=expand("results/validated/{country}.json", country=COUNTRIES),
        figures="results/figures/synthesis/figures.json",
        fragment="results/narrative/synthesis.json",
        claims="results/narrative/claims.json",
        references="results/narrative/synthesis-references.json",
        templates=SYNTHESIS_TEMPLATES,
    output:
        html="results/reports/synthesis.html",
        pdf="results/reports/synthesis.pdf",
    log:
        "logs/render_synthesis.log",
    priority: 1
    params:
        study=config["study"],
        effect=config["effect"],
        comparative=config["comparative"],
    script:
        "../scripts/render_synthesis.py"


rule landing_page:
    input:
        comparative="results/indicators/comparative.json",
        bundles=expand("results/validated/{country}.json", country=COUNTRIES),
        reports=report_outputs(),
        csv="results/indicators/comparative.csv",
        datapackage="results/indicators/datapackage.json",
        changes="results/changes.json",
        snapshot="results/snapshot.json",
        templates=INDEX_TEMPLATES,
    output:
        html="results/index.html",
    log:
        "logs/landing_page.log",
    params:
        study=config["study"],
    script:
        "../scripts/landing_page.py"


rule change_summary:
    input:
        indicators=expand("results/indicators/{country}.json", country=COUNTRIES),
        comparative="results/indicators/comparative.json",
        fragments=narrative_fragments(),
        sources=build_inputs(),
    output:
        json="results/changes.json",
        md="results/changes.md",
        snapshot="results/snapshot.json",
    log:
        "logs/change_summary.log",
    params:
        changes=config["changes"],
        code_version=project_version(),
    script:
        "../scripts/change_summary.py"
