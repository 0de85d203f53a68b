"""Render the cross-case synthesis report to HTML."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821

from ssr_pipeline import snake
from ssr_pipeline.errors import ProblemList
from ssr_pipeline.inputs import load_references
from ssr_pipeline.io import read_json, read_text
from ssr_pipeline.render import synthesis_context, synthesis_html


def main(sm, log):
    root = snake.project_root(sm)
    problems = ProblemList()
    refs = {}
    codebook = None
    for p in sm.input.bundles:
        b = read_json(p)
        codebook = codebook or b["codebook"]
        for k, v in b["references"].items():
            refs.setdefault(k, v)
    for k, v in load_references(root / sm.input.references, root, problems).items():
        if k in refs:
            problems.add(v["_file"], v["_line"], "id", f"reference id '{k}' is already defined elsewhere")
        refs[k] = v
    display = str(sm.input.narrative)
    text = read_text(root / sm.input.narrative, problems, display)
    problems.raise_if_any()
    inds = [read_json(p) for p in sm.input.indicators]
    config = {"study": dict(sm.params.study), "effect": dict(sm.params.effect)}
    ctx = synthesis_context(read_json(sm.input.comparative), inds, read_json(sm.input.figures), codebook,
                            refs, text, display, config, problems)
    problems.raise_if_any()
    out = Path(sm.output.html)
    tmp = out.with_suffix(".html.tmp")
    tmp.write_text(synthesis_html(root / "templates", ctx), encoding="utf-8")
    tmp.replace(out)
    log.info("wrote %s", out)


snake.run(snakemake, main)  # noqa: F821
