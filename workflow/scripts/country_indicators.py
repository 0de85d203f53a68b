"""Compute one country's RQ1 and RQ2 indicators and draw its figures."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821

from ssr_pipeline import snake
from ssr_pipeline.figures import build_all, no_data_svg
from ssr_pipeline.indicators import compute
from ssr_pipeline.io import read_json, write_json, write_text_atomic


def main(sm, log):
    settings = snake.settings(sm)
    bundle = snake.bundle(sm.input.bundle)
    panel = read_json(sm.input.panel) if sm.input.get("panel") else None
    result = compute(bundle, settings, panel)
    figs = build_all(result, settings, bundle)
    for path in sm.output.svgs:
        name = Path(path).stem
        fig = figs.get(name)
        write_text_atomic(path, fig["svg"] if fig else no_data_svg(name))
        log.info("%s: %s", name, "drawn" if fig else "no data")
    write_json(sm.output.json, result)
    write_json(sm.output.figures, figs)
    log.info("wrote %s", sm.output.json)


snake.run(snakemake, main)  # noqa: F821
