# Every job writes its outputs under results/build/, a staging tree laid out like results/.
# Only when all of them have succeeded does one job copy the contract files to results/: a
# job that fails (Snakemake deletes a failed job's outputs, and deletes a job's old outputs
# before it starts) touches only the staging tree, so results/ keeps the last complete
# build.
localrules:
    build_manifest,
    publish,


# The staged files with their checksums. publish reads this one file instead of every
# staged file: Snakemake checksums each input once per output, and publish has thousands
# of both (workflow/ssr_pipeline/publishing.py).
rule build_manifest:
    input:
        staged=expand("results/build/{path}", path=contract_files()),
        # Nothing is published unless every checked claim holds (or only warns): the reports
        # render meanwhile, but a run whose claims fail leaves results/ as it was.
        claims="results/build/narrative/claims.json",
    output:
        manifest="results/build/manifest.json",
    log:
        "logs/build_manifest.log",
    run:
        warm.run(workflow, rule, input, output, params, wildcards, log)


# update(): Snakemake neither deletes the published files before this job nor keeps a
# half-published set if it fails (it restores its backup). The manifest is copied last;
# rule all asks for it and for any published file that is missing (all_outputs).
rule publish:
    input:
        manifest="results/build/manifest.json",
    output:
        manifest=update("results/manifest.json"),
        published=[update(f"results/{path}") for path in contract_files()],
    log:
        "logs/publish.log",
    run:
        warm.run(workflow, rule, input, output, params, wildcards, log)
