# A country narrative is checked by the job that renders its report (render.smk).
rule synthesis_narrative:
    input:
        comparative="results/build/indicators/{lang}comparative.json",
        indicators=expand(
            "results/build/indicators/{{lang}}{country}.json", country=COUNTRIES
        ),
        bundles=expand("results/build/validated/{country}.json", country=COUNTRIES),
        narrative=synthesis_narrative_file,
        references=f"{INPUTS}/synthesis/references.yaml",
        catalog=catalog,
    output:
        fragment="results/build/narrative/{lang}synthesis.json",
        references="results/build/narrative/{lang}synthesis-references.json",
    log:
        "logs/synthesis_narrative/{lang}synthesis.log",
    priority: 1
    run:
        warm.run(workflow, rule, input, output, params, wildcards, log)


# Runs after the change summary, so that a claim the data no longer supports is reported with
# the revised values behind it; nothing is published unless this check passes (publish.smk).
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
    run:
        warm.run(workflow, rule, input, output, params, wildcards, log)
