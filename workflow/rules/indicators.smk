# One job per country computes its indicators and draws its figures: drawing alone is
# shorter than the ~1 s of Python start-up a job costs (benchmarks/results.md), and both
# change together whenever the country's validated inputs change.
rule country_indicators:
    input:
        bundle="results/build/validated/{country}.json",
        panel="results/build/validated/panel.json",
    output:
        json="results/build/indicators/{country}.json",
        figures="results/build/figures/{country}/figures.json",
        svgs=expand("results/build/figures/{{country}}/{name}.svg", name=FIGURES),
    log:
        "logs/country_indicators/{country}.log",
    priority: 2
    params:
        effect=config["effect"],
        figures=config["figures"],
    script:
        "../scripts/country_indicators.py"
