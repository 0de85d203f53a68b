# HTML and PDF of a report are made in one job: the PDF is laid out from that HTML, and the
# two always change together.
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
    run:
        warm.run(workflow, rule, input, output, params, wildcards, log)
