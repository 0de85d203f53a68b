"""Render one report of one country to a self-contained HTML file."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821

from ssr_pipeline import snake
from ssr_pipeline.io import read_json
from ssr_pipeline.render import report_html


def main(sm, log):
    root = snake.project_root(sm)
    bundle = read_json(sm.input.bundle)
    bundle["fragments"] = {sm.wildcards.report: read_json(sm.input.fragment)}
    config = {"study": dict(sm.params.study), "effect": dict(sm.params.effect),
              "figures": dict(sm.params.figures)}
    html = report_html(bundle, read_json(sm.input.indicators), read_json(sm.input.figures),
                       sm.wildcards.report, config, root / "templates")
    out = Path(sm.output.html)
    tmp = out.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(out)
    log.info("wrote %s", out)


snake.run(snakemake, main)  # noqa: F821
