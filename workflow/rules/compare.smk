rule comparative_indicators:
    input:
        indicators=expand(
            "results/build/indicators/{{lang}}{country}.json", country=COUNTRIES
        ),
        bundles=expand("results/build/validated/{country}.json", country=COUNTRIES),
        catalog=catalog,
    output:
        csv="results/build/indicators/{lang}comparative.csv",
        datapackage="results/build/indicators/{lang}datapackage.json",
        json="results/build/indicators/{lang}comparative.json",
    log:
        "logs/comparative_indicators/{lang}comparative.log",
    priority: 1
    params:
        effect=config["effect"],
        comparative=config["comparative"],
    run:
        warm.run(workflow, rule, input, output, params, wildcards, log)


rule synthesis_figures:
    input:
        comparative="results/build/indicators/{lang}comparative.json",
        indicators=expand(
            "results/build/indicators/{{lang}}{country}.json", country=COUNTRIES
        ),
        catalog=catalog,
    output:
        manifest="results/build/figures/{lang}synthesis/figures.json",
    log:
        "logs/synthesis_figures/{lang}synthesis.log",
    priority: 1
    params:
        effect=config["effect"],
        figures=config["figures"],
        comparative=config["comparative"],
    run:
        warm.run(workflow, rule, input, output, params, wildcards, log)


# The synthesis is the largest document and the last to start; a high priority starts it
# as soon as the country indicators exist, alongside the country reports.
rule render_synthesis:
    input:
        comparative="results/build/indicators/{lang}comparative.json",
        indicators=expand(
            "results/build/indicators/{{lang}}{country}.json", country=COUNTRIES
        ),
        bundles=expand("results/build/validated/{country}.json", country=COUNTRIES),
        figures="results/build/figures/{lang}synthesis/figures.json",
        fragment="results/build/narrative/{lang}synthesis.json",
        references="results/build/narrative/{lang}synthesis-references.json",
        templates=SYNTHESIS_TEMPLATES,
        catalog=catalog,
    output:
        html="results/build/reports/{lang}synthesis.html",
        pdf="results/build/reports/{lang}synthesis.pdf",
    log:
        "logs/render_synthesis/{lang}synthesis.log",
    priority: 1
    params:
        study=config["study"],
        effect=config["effect"],
        comparative=config["comparative"],
    run:
        warm.run(workflow, rule, input, output, params, wildcards, log)


rule landing_page:
    input:
        comparative="results/build/indicators/comparative.json",
        bundles=expand("results/build/validated/{country}.json", country=COUNTRIES),
        reports=expand("results/build/{path}", path=report_outputs()),
        csv="results/build/indicators/comparative.csv",
        datapackage="results/build/indicators/datapackage.json",
        changes="results/build/changes.json",
        templates=INDEX_TEMPLATES,
    output:
        html="results/build/index.html",
    log:
        "logs/landing_page.log",
    params:
        study=config["study"],
    run:
        warm.run(workflow, rule, input, output, params, wildcards, log)


rule change_summary:
    input:
        indicators=expand("results/build/indicators/{country}.json", country=COUNTRIES),
        comparative="results/build/indicators/comparative.json",
        fragments=narrative_fragments(),
        sources=build_inputs(),
    output:
        json="results/build/changes.json",
        md="results/build/changes.md",
        snapshot="results/build/snapshot.json",
    log:
        "logs/change_summary.log",
    params:
        changes=config["changes"],
        published="results/snapshot.json",
        code_version=project_version(),
    run:
        warm.run(workflow, rule, input, output, params, wildcards, log)
