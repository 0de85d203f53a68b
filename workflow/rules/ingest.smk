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


# The donor pool of the synthetic control: the effect indicator for every country
# (inputs/panels/<code>.csv), checked once for all the cases.
rule validate_panel:
    input:
        panel=panel_file,
        codebook=CODEBOOK,
    output:
        panel="results/validated/panel.json",
    log:
        "logs/validate_panel.log",
    priority: 2
    params:
        indicator=config["effect"]["indicator"],
    script:
        "../scripts/validate_panel.py"
