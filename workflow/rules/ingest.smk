# Validation has a job of its own, so that a data error stops the run before any later job.
rule validate_inputs:
    input:
        unpack(country_files),
        codebook=CODEBOOK,
    output:
        bundle="results/build/validated/{country}.json",
    log:
        "logs/validate_inputs/{country}.log",
    priority: 2
    params:
        years=config["years"],
    script:
        "../scripts/validate_inputs.py"
