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
    run:
        warm.run(workflow, rule, input, output, params, wildcards, log)


# The donor pool of the synthetic control: the effect indicator for every country
# (inputs/panels/<code>.csv), checked once for all the cases.
rule validate_panel:
    input:
        panel=panel_file,
        codebook=CODEBOOK,
    output:
        panel="results/build/validated/panel.json",
    log:
        "logs/validate_panel.log",
    priority: 2
    params:
        indicator=config["effect"]["indicator"],
    run:
        warm.run(workflow, rule, input, output, params, wildcards, log)
