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
    params:
        effect=config.get("effect", {}),
        figures=config.get("figures", {}),
    script:
        "../scripts/synthesis_figures.py"


rule render_synthesis_html:
    input:
        comparative="results/indicators/comparative.json",
        indicators=expand("results/indicators/{country}.json", country=COUNTRIES),
        bundles=expand("results/validated/{country}.json", country=COUNTRIES),
        figures="results/figures/synthesis/figures.json",
        fragment="results/narrative/synthesis.json",
        references="results/narrative/synthesis-references.json",
        templates=SYNTHESIS_TEMPLATES,
    output:
        html="results/reports/synthesis.html",
    log:
        "logs/render_synthesis_html.log",
    params:
        study=config.get("study", {}),
        effect=config.get("effect", {}),
    script:
        "../scripts/render_synthesis_html.py"


rule render_synthesis_pdf:
    input:
        html="results/reports/synthesis.html",
    output:
        pdf="results/reports/synthesis.pdf",
    log:
        "logs/render_synthesis_pdf.log",
    script:
        "../scripts/render_pdf.py"


rule landing_page:
    input:
        comparative="results/indicators/comparative.json",
        bundles=expand("results/validated/{country}.json", country=COUNTRIES),
        reports=report_outputs(),
        csv="results/indicators/comparative.csv",
        datapackage="results/indicators/datapackage.json",
        changes="results/changes.json",
        templates=INDEX_TEMPLATES,
    output:
        html="results/index.html",
    log:
        "logs/landing_page.log",
    params:
        study=config.get("study", {}),
    script:
        "../scripts/landing_page.py"


rule change_summary:
    input:
        indicators=expand("results/indicators/{country}.json", country=COUNTRIES),
        comparative="results/indicators/comparative.json",
        fragments=narrative_fragments(),
    output:
        json="results/changes.json",
        md="results/changes.md",
        snapshot="results/snapshot.json",
    log:
        "logs/change_summary.log",
    params:
        changes=config.get("changes", {}),
    script:
        "../scripts/change_summary.py"
