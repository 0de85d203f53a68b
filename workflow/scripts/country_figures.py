"""Draw one country's figures as SVG and record their alt text."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821

from ssr_pipeline import snake
from ssr_pipeline.figures import build_all, no_data_svg
from ssr_pipeline.io import read_json, write_json


def main(sm, log):
    ind = read_json(sm.input.indicators)
    cfg = {"effect": dict(sm.params.effect), "figures": dict(sm.params.figures)}
    figs = build_all(ind, cfg)
    for path in sm.output.svgs:
        name = Path(path).stem
        fig = figs.get(name)
        Path(path).write_text(fig["svg"] if fig else no_data_svg(name), encoding="utf-8")
        log.info("%s: %s", name, "drawn" if fig else "no data")
    write_json(sm.output.manifest, figs)


snake.run(snakemake, main)  # noqa: F821
