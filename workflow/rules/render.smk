# HTML and PDF of a report are made in one job: the HTML takes well under a second, and a
# job of its own would pay the ~1 s of Python start-up again (benchmarks/results.md).
rule render_report:
    input:
        bundle="results/validated/{country}.json",
        indicators="results/indicators/{country}.json",
        figures="results/figures/{country}/figures.json",
        fragment="results/narrative/{country}/{report}.json",
        claims="results/narrative/claims.json",
        templates=report_templates,
    output:
        html="results/reports/{country}/{report}.html",
        pdf="results/reports/{country}/{report}.pdf",
    log:
        "logs/render_report/{country}/{report}.log",
    params:
        study=config["study"],
        effect=config["effect"],
        figures=config["figures"],
    script:
        "../scripts/render_report.py"
