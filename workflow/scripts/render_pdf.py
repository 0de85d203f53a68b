"""Render a report's HTML to PDF with WeasyPrint, fetching only project files."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821

from ssr_pipeline import snake
from ssr_pipeline.render import write_pdf


def main(sm, log):
    fetcher = write_pdf(Path(sm.input.html), Path(sm.output.pdf), snake.project_root(sm), log)
    for path in fetcher.fetched:
        log.info("fetched: %s", path)
    for url in fetcher.blocked:
        log.warning("blocked fetch: %s", url)
    log.info("wrote %s", sm.output.pdf)


snake.run(snakemake, main)  # noqa: F821
