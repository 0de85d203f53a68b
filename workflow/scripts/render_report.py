"""Render one country report to HTML, then to PDF with WeasyPrint (project files only)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821

from ssr_pipeline import snake
from ssr_pipeline.io import read_json
from ssr_pipeline.report import country, html, pdf


def main(sm, log):
    root = snake.project_root(sm)
    context = country.build(
        sm.wildcards.report,
        snake.bundle(sm.input.bundle),
        read_json(sm.input.indicators),
        read_json(sm.input.figures),
        read_json(sm.input.fragment),
        snake.settings(sm),
    )
    pdf.write_report(
        html.render(root / "templates", context), Path(sm.output.html), Path(sm.output.pdf), root, log
    )


snake.run(snakemake, main)  # noqa: F821
