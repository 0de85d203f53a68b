rule country_indicators:
    input:
        bundle="results/validated/{country}.json",
    output:
        json="results/indicators/{country}.json",
    log:
        "logs/country_indicators/{country}.log",
    params:
        effect=config.get("effect", {}),
    script:
        "../scripts/country_indicators.py"
