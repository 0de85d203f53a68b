rule render_html:
    input:
        bundle="results/validated/{country}.json",
        indicators="results/indicators/{country}.json",
        figures="results/figures/{country}/figures.json",
        fragment="results/narrative/{country}/{report}.json",
        templates=report_templates,
    output:
        html="results/reports/{country}/{report}.html",
    log:
        "logs/render_html/{country}/{report}.log",
    params:
        study=config.get("study", {}),
        effect=config.get("effect", {}),
        figures=config.get("figures", {}),
    script:
        "../scripts/render_html.py"


rule render_pdf:
    input:
        html="results/reports/{country}/{report}.html",
    output:
        pdf="results/reports/{country}/{report}.pdf",
    log:
        "logs/render_pdf/{country}/{report}.log",
    script:
        "../scripts/render_pdf.py"
