"""Compute the RQ1 and RQ2 indicators of one country."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821

from ssr_pipeline import snake
from ssr_pipeline.indicators import compute
from ssr_pipeline.io import read_json, write_json


def main(sm, log):
    bundle = read_json(sm.input.bundle)
    result = compute(bundle, {"effect": dict(sm.params.effect)})
    write_json(sm.output.json, result)
    log.info("wrote %s", sm.output.json)


snake.run(snakemake, main)  # noqa: F821
