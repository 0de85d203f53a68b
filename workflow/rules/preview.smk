# The live preview (python -m ssr_pipeline preview): the HTML of a report from the same inputs
# as render_report / render_synthesis, without the PDF. Not part of `rule all`; the preview
# server asks for these files by name, so a preview run never starts WeasyPrint. One job
# checks the narrative and renders the page (the normal build keeps those apart so that a
# failed check deletes only an intermediate file); its `run:` block executes inside the
# Snakemake process that the preview server keeps loaded (--force-use-threads), so a
# narrative edit costs no Python start-up and no imports.
PREVIEW = "results/preview"


rule preview_report:
    input:
        bundle="results/build/validated/{country}.json",
        indicators="results/build/indicators/{lang}{country}.json",
        figures="results/build/figures/{lang}{country}/figures.json",
        narrative=narrative_file,
        templates=report_templates,
        catalog=catalog,
    output:
        html=f"{PREVIEW}/{{country}}/{{lang}}{{report}}.html",
    log:
        "logs/preview_report/{country}/{lang}{report}.log",
    params:
        study=config["study"],
        effect=config["effect"],
        figures=config["figures"],
        claims=config["claims"],
    run:
        from ssr_pipeline import preview_render

        preview_render.country_report(
            input, output, wildcards.report, wildcards.lang, config, PROJECT, log[0]
        )


rule preview_synthesis:
    input:
        comparative="results/build/indicators/{lang}comparative.json",
        indicators=expand(
            "results/build/indicators/{{lang}}{country}.json", country=COUNTRIES
        ),
        bundles=expand("results/build/validated/{country}.json", country=COUNTRIES),
        figures="results/build/figures/{lang}synthesis/figures.json",
        narrative=synthesis_narrative_file,
        references=f"{INPUTS}/synthesis/references.yaml",
        templates=SYNTHESIS_TEMPLATES,
        catalog=catalog,
    output:
        html=f"{PREVIEW}/{{lang}}synthesis.html",
    log:
        "logs/preview_synthesis/{lang}synthesis.log",
    params:
        study=config["study"],
        effect=config["effect"],
        comparative=config["comparative"],
        claims=config["claims"],
    run:
        from ssr_pipeline import preview_render

        preview_render.synthesis_report(
            input, output, wildcards.lang, config, PROJECT, log[0]
        )
