# One job per country computes its indicators and draws its figures: drawing alone is
# shorter than the ~1 s of Python start-up a job costs (benchmarks/results.md), and both
# change together whenever the country's validated inputs change. Each report language has
# its own job: the estimates' verdicts and the figures' words are written in it.
rule country_indicators:
    input:
        bundle="results/build/validated/{country}.json",
        panel="results/build/validated/panel.json",
        catalog=catalog,
    output:
        json="results/build/indicators/{lang}{country}.json",
        figures="results/build/figures/{lang}{country}/figures.json",
        svgs=expand(
            "results/build/figures/{{lang}}{{country}}/{name}.svg", name=FIGURES
        ),
    log:
        "logs/country_indicators/{lang}{country}.log",
    priority: 2
    params:
        effect=config["effect"],
        figures=config["figures"],
        languages=config["languages"],
    script:
        "../scripts/country_indicators.py"
