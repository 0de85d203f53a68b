"""Publish a complete build: copy every staged contract file to results/ (rule publish)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821

from ssr_pipeline import snake
from ssr_pipeline.publishing import STAGED_ROOT, publish


def main(sm, log):
    n = publish(
        Path(sm.input.manifest),
        STAGED_ROOT,
        list(sm.output.published),
        Path(sm.output.manifest),
    )
    log.info("published %d files", n)


snake.run(snakemake, main)  # noqa: F821
