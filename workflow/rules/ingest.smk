rule validate_inputs:
    input:
        unpack(country_files),
        codebook=CODEBOOK,
    output:
        bundle="results/validated/{country}.json",
    log:
        "logs/validate_inputs/{country}.log",
    script:
        "../scripts/validate_inputs.py"
