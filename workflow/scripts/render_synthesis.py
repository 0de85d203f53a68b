"""Render the cross-case synthesis to HTML, then to PDF with WeasyPrint (project files only)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821

from ssr_pipeline import snake
from ssr_pipeline.io import read_json
from ssr_pipeline.render import synthesis_context, synthesis_html, write_report


def main(sm, log):
    root = snake.project_root(sm)
    comp = read_json(sm.input.comparative)
    inds = [read_json(p) for p in sm.input.indicators]
    codebook = read_json(sm.input.bundles[0])["codebook"]
    config = {"study": dict(sm.params.study), "effect": dict(sm.params.effect)}
    ctx = synthesis_context(comp, inds, read_json(sm.input.figures), codebook,
                            read_json(sm.input.references), read_json(sm.input.fragment), config)
    write_report(synthesis_html(root / "templates", ctx), Path(sm.output.html), Path(sm.output.pdf), root, log)


snake.run(snakemake, main)  # noqa: F821
