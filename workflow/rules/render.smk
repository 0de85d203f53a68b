# HTML and PDF of a report are made in one job: the HTML takes well under a second, and a
# job of its own would pay the ~1 s of Python start-up again (benchmarks/results.md).
rule render_report:
    input:
        bundle="results/build/validated/{country}.json",
        indicators="results/build/indicators/{lang}{country}.json",
        figures="results/build/figures/{lang}{country}/figures.json",
        fragment="results/build/narrative/{lang}{country}/{report}.json",
        templates=report_templates,
        catalog=catalog,
    output:
        html="results/build/reports/{country}/{lang}{report}.html",
        pdf="results/build/reports/{country}/{lang}{report}.pdf",
    log:
        "logs/render_report/{country}/{lang}{report}.log",
    params:
        study=config["study"],
        effect=config["effect"],
        figures=config["figures"],
        languages=config["languages"],
    script:
        "../scripts/render_report.py"
