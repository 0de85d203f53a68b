"""Write results/index.html, linking every report and the data package."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821

from ssr_pipeline import snake
from ssr_pipeline.io import read_json, write_text_atomic
from ssr_pipeline.report import html, synthesis


def main(sm, log):
    root = snake.project_root(sm)
    countries = [read_json(p)["country"] for p in sm.input.bundles]
    context = synthesis.landing(
        read_json(sm.input.comparative), countries, read_json(sm.input.changes), snake.settings(sm)
    )
    write_text_atomic(sm.output.html, html.render(root / "templates", context))
    log.info("wrote %s", sm.output.html)


snake.run(snakemake, main)  # noqa: F821
