# Validation has a job of its own: when a check fails Snakemake deletes the failing job's
# outputs, and this way that is only the validated bundle, never the last good indicators.
rule validate_inputs:
    input:
        unpack(country_files),
        codebook=CODEBOOK,
    output:
        bundle="results/validated/{country}.json",
    log:
        "logs/validate_inputs/{country}.log",
    priority: 2
    script:
        "../scripts/validate_inputs.py"
