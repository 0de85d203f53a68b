"""Draw the cross-case figures of the synthesis report."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821

from ssr_pipeline import snake
from ssr_pipeline.io import read_json, write_json
from ssr_pipeline.synthesis_figures import build_all


def main(sm, log):
    comp = read_json(sm.input.comparative)
    inds = [read_json(p) for p in sm.input.indicators]
    write_json(sm.output.manifest, build_all(inds, comp, comp["codebook"], snake.settings(sm)))
    log.info("synthesis figures drawn for %d countries", len(inds))


snake.run(snakemake, main)  # noqa: F821
