rule country_figures:
    input:
        indicators="results/indicators/{country}.json",
    output:
        manifest="results/figures/{country}/figures.json",
        svgs=expand("results/figures/{{country}}/{name}.svg", name=FIGURES),
    log:
        "logs/country_figures/{country}.log",
    params:
        effect=config.get("effect", {}),
        figures=config.get("figures", {}),
    script:
        "../scripts/country_figures.py"
