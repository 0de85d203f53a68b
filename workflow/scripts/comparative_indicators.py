"""Build the comparative table (CSV + data package) from every country's indicators."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821

from ssr_pipeline import snake
from ssr_pipeline.compare import build, to_csv
from ssr_pipeline.io import read_json, write_json, write_text_atomic


def main(sm, log):
    inds = [read_json(p) for p in sm.input.indicators]
    first = snake.bundle(sm.input.bundles[0])
    refs = {}
    for p in sm.input.bundles:
        refs.update(read_json(p)["references"])
    comp = build(inds, first["codebook"], refs, snake.settings(sm))
    write_text_atomic(sm.output.csv, to_csv(comp["rows"], comp["columns"]))
    write_json(sm.output.datapackage, comp.pop("datapackage"))
    write_json(sm.output.json, comp)
    log.info("%d countries", len(comp["rows"]))


snake.run(snakemake, main)  # noqa: F821
