"""Check one country narrative, then render its report to HTML, and to PDF with WeasyPrint."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821

from ssr_pipeline import snake
from ssr_pipeline.io import read_json, write_json
from ssr_pipeline.narrative import read_country_fragment
from ssr_pipeline.report import country, html, pdf


def fragment(sm, bundle: dict, indicators: dict, log) -> dict:
    """The narrative checked and rendered; the report is built from the fragment as written,
    exactly as the claims check and the change summary read it."""
    display = str(sm.input.narrative)
    write_json(sm.output.fragment, read_country_fragment(Path(display), display, bundle, indicators))
    log.info("narrative %s is valid", display)
    return read_json(sm.output.fragment)


def main(sm, log):
    root = snake.project_root(sm)
    bundle = snake.bundle(sm.input.bundle)
    indicators = read_json(sm.input.indicators)
    context = country.build(
        sm.wildcards.report,
        bundle,
        indicators,
        read_json(sm.input.figures),
        fragment(sm, bundle, indicators, log),
        snake.settings(sm),
    )
    pdf.write_report(
        html.render(root / "templates", context), Path(sm.output.html), Path(sm.output.pdf), root, log
    )


snake.run(snakemake, main)  # noqa: F821
