# Every job writes its outputs under results/build/, a staging tree laid out like results/.
# Only when all of them have succeeded does this one job copy the contract files to
# results/: a job that fails (Snakemake deletes a failed job's outputs, and deletes a job's
# old outputs before it starts) touches only the staging tree, so results/ keeps the last
# complete build. update(): Snakemake neither deletes the published files before this job
# nor keeps a half-published set if it fails (it restores its backup).
localrules:
    publish,


rule publish:
    input:
        staged=expand("results/build/{path}", path=contract_files()),
        # Nothing is published unless every checked claim holds (or only warns): the reports
        # render meanwhile, but a run whose claims fail leaves results/ as it was.
        claims="results/build/narrative/claims.json",
    output:
        published=[update(f"results/{path}") for path in contract_files()],
    log:
        "logs/publish.log",
    run:
        warm.run(workflow, rule, input, output, params, wildcards, log)
