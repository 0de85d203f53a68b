"""Render the cross-case synthesis report to HTML."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821

from ssr_pipeline import snake
from ssr_pipeline.io import read_json
from ssr_pipeline.render import synthesis_context, synthesis_html


def main(sm, log):
    root = snake.project_root(sm)
    comp = read_json(sm.input.comparative)
    inds = [read_json(p) for p in sm.input.indicators]
    codebook = read_json(sm.input.bundles[0])["codebook"]
    config = {"study": dict(sm.params.study), "effect": dict(sm.params.effect)}
    ctx = synthesis_context(comp, inds, read_json(sm.input.figures), codebook,
                            read_json(sm.input.references), read_json(sm.input.fragment), config)
    out = Path(sm.output.html)
    tmp = out.with_suffix(".html.tmp")
    tmp.write_text(synthesis_html(root / "templates", ctx), encoding="utf-8")
    tmp.replace(out)
    log.info("wrote %s", out)


snake.run(snakemake, main)  # noqa: F821
