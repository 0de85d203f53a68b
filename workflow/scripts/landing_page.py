"""Write results/index.html, linking every report and the data package."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821

from ssr_pipeline import snake
from ssr_pipeline.io import read_json
from ssr_pipeline.render import landing_html


def main(sm, log):
    root = snake.project_root(sm)
    comp = read_json(sm.input.comparative)
    cases = []
    for p in sm.input.bundles:
        c = read_json(p)["country"]
        row = next(r for r in comp["rows"] if r["slug"] == c["slug"])
        latest = max((row[k] for k in row if k.endswith("_latest_year") and row[k]), default=None)
        cases.append({"slug": c["slug"], "name": c["name"], "region": c["region"],
                      "reform_start": c["reform_start"], "summary": c.get("summary", ""),
                      "latest_year": latest})
    study = {"series_title": "Comparative study of security sector reform",
             "organisation": "SSR comparative study", "language": "en", **dict(sm.params.study)}
    n = comp["study"]["n_countries"]
    ctx = {
        "report": "index", "study": study, "authors": ["Comparative SSR study team"],
        "title": "Security sector reform in conflict-affected countries: the study's reports",
        "question": "RQ1: how far did SSR follow the orthodox OECD-DAC model, and why did it succeed or fail? "
                    "RQ2: which second-generation entry points exist, are they used, how, and if not, why?",
        "cases": cases, "data_vintage": comp["data_vintage"], "changes": read_json(sm.input.changes),
        "synthesis_title": f"From first- to second-generation security sector reform: a synthesis of {n} cases",
    }
    Path(sm.output.html).write_text(landing_html(root / "templates", ctx), encoding="utf-8")
    log.info("wrote %s", sm.output.html)


snake.run(snakemake, main)  # noqa: F821
