"""Check the effect indicator's panel of all countries and write it as {iso3: {year: value}}."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821

from ssr_pipeline import panels, snake
from ssr_pipeline.errors import ProblemList
from ssr_pipeline.inputs import load_codebook
from ssr_pipeline.io import write_json


def main(sm, log):
    root = snake.project_root(sm)
    if not sm.input.panel:
        # No panel: the synthetic control is refused with that reason, the other estimates stand.
        write_json(sm.output.panel, None)
        log.info("no panel for %s: synthetic controls are not estimated", sm.params.indicator)
        return
    problems = ProblemList()
    codebook = load_codebook(root / snake.settings(sm)["inputs_dir"], root, problems)
    rows = panels.load_panel(root / sm.input.panel, codebook, root, problems)
    problems.raise_if_any()
    write_json(sm.output.panel, panels.series(rows))
    log.info("panel %s: %d countries", sm.input.panel, len({r["iso3"] for r in rows}))


snake.run(snakemake, main)  # noqa: F821
