"""The ninth report, the cross-case synthesis, and the landing page, as report models."""

from __future__ import annotations

from .. import fmt
from ..effects.texts import VERDICT_LABELS
from .model import Report, Section, Sources, figure, table
from .parts import claims_section, effect_labels, narrative_section, references_section

AUTHORS = ["Comparative SSR study team"]
TITLE = "From first- to second-generation security sector reform: a synthesis of {n} cases"
QUESTION = ("Across the cases, how far did security sector reform follow the orthodox model, and which "
            "second-generation entry points exist, are used, and with what effect?")


def _series_sources(inds: list[dict], codes) -> list[str]:
    keys: list[str] = []
    for ind in inds:
        for code in codes:
            for k in ind["series"].get(code, {}).get("sources", []):
                if k not in keys:
                    keys.append(k)
    return keys


def _parts(drawn: list[dict], key: str) -> list[tuple[str, dict, str]]:
    """(key, drawing, ' (part i of n)') for a figure drawn in several parts."""
    many = len(drawn) > 1
    return [(f"{key}_{p + 1}", f, f" (part {p + 1} of {len(drawn)})" if many else "")
            for p, f in enumerate(drawn)]


def _figures(figs: dict, inds: list[dict], effect: dict, settings: dict, sources: Sources) -> list:
    out = []
    outcome_sources = _series_sources(inds, [effect["code"]])
    for key, f, part in _parts(figs["small_multiples"], "small_multiples"):
        note = f"; no {fmt.in_sentence(effect['short_name'])} series for {', '.join(f['missing'])}" \
            if f.get("missing") else ""
        out.append(figure(key, f, f"{effect['short_name']} per country on a shared time axis, key events dotted"
                          f"{part}{note}", outcome_sources, sources))
    for key, f, part in _parts(figs["heatmap"], "heatmap"):
        out.append(figure(key, f, f"Orthodox SSR dimension scores by country, design and practice{part}",
                          sources_registry=sources))
    out.append(figure("gaps", figs["gaps"], "Design and practice indices per country: the conceptual-contextual gap",
                      sources_registry=sources))
    out.append(figure("gap_ranges", figs.get("gap_ranges"), "The design-practice gap of each case across the "
                      "robustness variants (range) and as coded (dot)", sources_registry=sources))
    for key, f, part in _parts(figs["entry_points"], "entry_points"):
        out.append(figure(key, f, f"Second-generation entry points by country: used and not used{part}",
                          sources_registry=sources))
    out.append(figure("forest", figs.get("forest"), f"Estimated effects of the initiatives on the "
                      f"{fmt.in_sentence(effect['short_name'])}: interrupted time series with its 95% interval and "
                      "synthetic control", outcome_sources, sources))
    gov = settings["comparative"]["outcome_indicators"]
    out.append(figure("governance", figs["governance"], "Governance trajectories side by side",
                      _series_sources(inds, gov), sources))
    return out


def _data_sources(inds: list[dict], sources: Sources) -> list[dict]:
    rows: dict[str, list[str]] = {}
    for ind in inds:
        for code, s in ind["series"].items():
            for k in sources.use(s["sources"]):
                codes = rows.setdefault(k, [])
                if code not in codes:
                    codes.append(code)
    return [{"key": k, "codes": codes} for k, codes in rows.items()]


def _tables(comparative: dict, inds: list[dict], effect: dict, sources: Sources) -> list:
    rows = comparative["rows"]
    estimated = [{"country": ind["country"]["name"], "slug": ind["country"]["slug"], **i,
                  "verdict_label": VERDICT_LABELS[i["effect"]["verdict"]["code"]]}
                 for ind in inds for i in ind["rq2"]["initiatives"] if i["effect"]]
    study = comparative["study"]
    agreement = [{"id": d["id"], "name": d["name"], **(study["agreement"]["dimensions"].get(d["id"]) or {})}
                 for d in comparative["codebook"]["dimensions"]] if study.get("agreement") else []
    robust = [{**r, **(study["robustness"]["countries"].get(r["slug"], {}))} for r in rows] \
        if study.get("robustness") else []
    return [
        table("rq1", "RQ1 indices and the widest gap per country", rows),
        table("dims", "Dimension scores per country (design / practice)", rows),
        table("agreement", "Agreement of the independent coders by dimension (Krippendorff's alpha, ordinal)",
              agreement),
        table("robustness", "Each case's gap across the robustness variants, and how often it is the widest or "
                            "the narrowest", robust),
        table("outcomes", "Outcome trajectories from reform start to the latest year", rows),
        table("rq2", "Second-generation initiatives per country: used, partly used, not used", rows),
        table("types", "Entry-point types per country (initiatives recorded / fully used)", rows),
        table("effects", f"The {fmt.in_sentence(effect['short_name'])} during each dated initiative: three "
                         "estimates side by side", estimated),
        table("sources", "Data sources", _data_sources(inds, sources)),
    ]


def _kpis(summary: dict) -> list[dict]:
    kpis = [
        {"label": "Cases", "value": str(summary["n_countries"])},
        {"label": "Mean design index", "value": fmt.num(summary["mean_design_index"], 0), "unit": "/100"},
        {"label": "Mean practice index", "value": fmt.num(summary["mean_practice_index"], 0), "unit": "/100"},
        {"label": "Mean gap", "value": fmt.num(summary["mean_gap_index"], 0), "unit": " points"},
    ]
    if summary["widest_gap"]:
        w = summary["widest_gap"]
        kpis.append({"label": "Widest gap", "value": f"{w['name']} ({fmt.num(w['gap_index'], 0)})", "small": True})
    if summary["largest_dim_gap"]:
        d = summary["largest_dim_gap"]
        kpis.append({"label": "Dimension with the widest mean gap",
                     "value": f"{d['id']} {d['name']} ({fmt.num(d['mean_gap'], 1)})", "small": True})
    kpis += [
        {"label": "Initiatives recorded", "value": str(summary["n_initiatives"])},
        {"label": "Used / partly / not used",
         "value": f"{summary['n_used']} / {summary['n_partial']} / {summary['n_not_used']}"},
        {"label": "Estimated (time series / synthetic control)",
         "value": f"{summary['n_its_estimates']} / {summary['n_synthetic_estimates']}"},
        {"label": "Distinguishable from placebo", "value": str(summary["n_distinguishable"]),
         "unit": f" of {summary['n_distinguishable'] + summary['n_not_distinguishable'] + summary['n_not_estimable']}"
                 " dated"},
    ]
    return kpis


def build(comparative: dict, inds: list[dict], figs: dict, codebook: dict, refs: dict, fragment: dict,
          settings: dict) -> dict:
    """The template context of the synthesis report."""
    sources = Sources(refs)
    sources.use(fragment["cited"])
    effect = effect_labels(_all_series(inds), settings, codebook.get("indicators"))
    summary = comparative["study"]
    report = Report(
        "synthesis", sources, title=TITLE.format(n=summary["n_countries"]), question=QUESTION,
        rq="RQ1 and RQ2", study=settings["study"], authors=AUTHORS, summary=summary,
        vintage=comparative["data_vintage"], effect=effect, dimensions=codebook["dimensions"],
        entry_points=codebook["entry_points"], outcomes=comparative["outcomes"],
    )
    report.add(Section("key-figures", "Key figures", "key_figures", data={"kpis": _kpis(summary)}))
    report.add(narrative_section(fragment))
    report.add(Section("figures", "Figures", "figures"), *_figures(figs, inds, effect, settings, sources))
    report.add(Section("tables", "Comparative tables", "tables"), *_tables(comparative, inds, effect, sources))
    report.add(claims_section(fragment))
    report.add(references_section())
    return report.finish()


def _all_series(inds: list[dict]) -> dict:
    out: dict = {}
    for ind in inds:
        for code, s in ind["series"].items():
            out.setdefault(code, s)
    return out


def landing(comparative: dict, countries: list[dict], changes: dict, settings: dict) -> dict:
    """The template context of results/index.html."""
    cases = []
    for c in countries:
        row = next(r for r in comparative["rows"] if r["slug"] == c["slug"])
        latest = max((row[k] for k in row if k.endswith("_latest_year") and row[k]), default=None)
        cases.append({"slug": c["slug"], "name": c["name"], "region": c["region"],
                      "reform_start": c["reform_start"], "summary": c.get("summary", ""),
                      "latest_year": latest})
    return {
        "report": "index", "study": settings["study"], "authors": AUTHORS,
        "title": "Security sector reform in conflict-affected countries: the study's reports",
        "question": "RQ1: how far did SSR follow the orthodox OECD-DAC model, and why did it succeed or fail? "
                    "RQ2: which second-generation entry points exist, are they used, how, and if not, why?",
        "cases": cases, "data_vintage": comparative["data_vintage"], "changes": changes,
        "synthesis_title": TITLE.format(n=comparative["study"]["n_countries"]),
    }
