# One job a report: its narrative is checked (live figures, citations, Markdown) and written
# as a fragment, which the claims check and the change summary read too; then the report's
# HTML, and its PDF laid out from that HTML. They always change together, and a narrative that
# fails its check stops the job before anything is rendered.
rule render_report:
    input:
        bundle="results/build/validated/{country}.json",
        indicators="results/build/indicators/{lang}{country}.json",
        figures="results/build/figures/{lang}{country}/figures.json",
        narrative=narrative_file,
        templates=report_templates,
        catalog=catalog,
    output:
        fragment="results/build/narrative/{lang}{country}/{report}.json",
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
