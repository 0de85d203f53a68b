"""The work no pipeline can skip, done in one warm process (run by benchmarks/run.py).

    .venv/bin/python benchmarks/floor.py PROJECT     # prints JSON

After a cold build of PROJECT it imports WeasyPrint and the package once, then
- lays out every report's HTML under results/build/reports/ again with the same renderer the
  render jobs use (report.pdf.write_pdf, each in its language), and
- makes every country's effect estimates again (rq2.initiative_effects on the validated
  bundle and the donor panel),
timing each part after the imports. Nothing in results/ is touched: the PDFs go to a
temporary folder.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path


def main(project: Path) -> dict:
    sys.path.insert(0, str(project / "workflow"))
    import weasyprint  # noqa: F401  imported before the clock starts
    from ssr_pipeline import i18n, layout, settings
    from ssr_pipeline.indicators import series_table
    from ssr_pipeline.io import read_json
    from ssr_pipeline.report import pdf
    from ssr_pipeline.rq2 import initiative_effects

    config = settings.load(project)
    build = project / "results" / "build"
    # The reports the build made, each with its language, named as the rules name them.
    reports = [
        (lang, layout.report_path(slug, kind, lang, "html"))
        for slug, langs in settings.report_languages(config, project).items()
        for lang in langs
        for kind in layout.REPORT_KINDS
    ] + [(lang, layout.synthesis_report_path(lang, "html")) for lang in config["study"]["languages"]]
    pdf_s = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for k, (code, html) in enumerate(reports):
            lang = i18n.language(code, config)
            with i18n.speaking(lang):
                started = time.perf_counter()
                pdf.write_pdf(build / html, Path(tmp) / f"{k}.pdf", project)
                pdf_s += time.perf_counter() - started
    panel = read_json(build / "validated" / "panel.json")
    effects_s = 0.0
    for slug in config["countries"]:
        bundle = read_json(build / "validated" / f"{slug}.json")
        values = series_table(bundle).get(config["effect"]["indicator"], {})
        started = time.perf_counter()
        initiative_effects(bundle, values, config["effect"], panel)
        effects_s += time.perf_counter() - started
    return {"pdfs": len(reports), "pdf_s": pdf_s, "effects_s": effects_s}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]).resolve())))
