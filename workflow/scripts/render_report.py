"""Render one country report to HTML, then to PDF with WeasyPrint (project files only)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821

from ssr_pipeline import snake
from ssr_pipeline.io import read_json
from ssr_pipeline.render import report_html, write_report


def main(sm, log):
    root = snake.project_root(sm)
    bundle = read_json(sm.input.bundle)
    bundle["fragments"] = {sm.wildcards.report: read_json(sm.input.fragment)}
    config = {"study": dict(sm.params.study), "effect": dict(sm.params.effect),
              "figures": dict(sm.params.figures)}
    html = report_html(bundle, read_json(sm.input.indicators), read_json(sm.input.figures),
                       sm.wildcards.report, config, root / "templates")
    write_report(html, Path(sm.output.html), Path(sm.output.pdf), root, log)


snake.run(snakemake, main)  # noqa: F821
