# One job per country computes its indicators and draws its figures: both change together
# whenever the country's validated inputs change. Each report language has its own job: the
# estimates' verdicts and the figures' words are written in it. Every rule's `run:` hands
# its script (workflow/scripts/<rule>.py) to a warm worker process (ssr_pipeline/warm.py).
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
    run:
        warm.run(workflow, rule, input, output, params, wildcards, log)
