"""Render the cross-case synthesis to HTML, then to PDF with WeasyPrint (project files only)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821

from ssr_pipeline import snake
from ssr_pipeline.io import read_json
from ssr_pipeline.report import html, pdf, synthesis


def page(sm, root: Path) -> str:
    context = synthesis.build(
        read_json(sm.input.comparative),
        [read_json(p) for p in sm.input.indicators],
        read_json(sm.input.figures),
        snake.bundle(sm.input.bundles[0])["codebook"],
        read_json(sm.input.references),
        read_json(sm.input.fragment),
        snake.settings(sm),
    )
    return html.render(root / "templates", context)


def main(sm, log):
    root = snake.project_root(sm)
    # The context (every country's indicators, every figure) is freed before WeasyPrint starts.
    pdf.write_report(page(sm, root), Path(sm.output.html), Path(sm.output.pdf), root, log)


snake.run(snakemake, main)  # noqa: F821
