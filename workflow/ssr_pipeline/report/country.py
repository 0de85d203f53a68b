"""The two case reports of a country (RQ1 orthodox, RQ2 second-generation) as report models."""

from __future__ import annotations

from .. import fmt
from ..inputs import split_keys as _keys
from .model import Report, Section, Sources, figure, table
from .parts import claims_section, effect_labels, narrative_section, references_section

REPORTS = {
    "orthodox": {
        "title": "Orthodox security sector reform in {name}",
        "question": "How far did security sector reform in {name} follow the orthodox OECD-DAC model, "
                    "and why did it succeed or fail?",
        "rq": "RQ1",
        "case_paper": "orthodox",
        "other": "second-generation",
    },
    "second-generation": {
        "title": "Second-generation entry points for security and justice in {name}",
        "question": "Which alternative entry points for security and justice programming exist in {name}, "
                    "are they used, how, and if not, why?",
        "rq": "RQ2",
        "case_paper": "second_generation",
        "other": "orthodox",
    },
}


def build(kind: str, bundle: dict, ind: dict, figs: dict, fragment: dict, settings: dict) -> dict:
    """The template context of one case report."""
    spec = REPORTS[kind]
    country = bundle["country"]
    sources = Sources(bundle["references"])
    sources.use(fragment["cited"])
    paper = (country.get("case_papers") or {}).get(spec["case_paper"])
    if paper:
        sources.use([paper])
    effect = effect_labels(ind, settings, bundle["codebook"]["indicators"])
    report = Report(
        kind, sources,
        title=spec["title"].format(name=country["name"]),
        question=spec["question"].format(name=country["name"]),
        rq=spec["rq"], study=settings["study"], country=country, authors=country["authors"],
        vintage=ind["data_vintage"], other_report=spec["other"], effect=effect,
    )
    report.add(Section("key-figures", "Key figures", "key_figures",
                       data={"kpis": KPIS[kind](bundle, ind, effect), **settings["effect"]}))
    report.add(narrative_section(fragment))
    build_figures, build_tables = PARTS[kind]
    report.add(Section("figures", "Figures", "figures"), *build_figures(ind, figs, effect, country, sources))
    tables, data = build_tables(bundle, ind, sources)
    report.add(Section("tables", "Tables", "tables", data=data), *tables)
    _common_tail(report, bundle, ind, sources)
    report.add(claims_section(fragment))
    report.add(references_section())
    report.sections = [s for s in report.sections if s is not None and (s.items or s.id != "figures")]
    return report.finish()


def _series_figure_sources(ind: dict, codes) -> list[str]:
    keys: list[str] = []
    for code in codes:
        for k in ind["series"].get(code, {}).get("sources", []):
            if k not in keys:
                keys.append(k)
    return keys


def _orthodox_figures(ind, figs, effect, country, sources):
    outcome = [effect["code"], *effect["comparators"]]
    return [
        figure("outcome", figs.get("outcome"), f"{effect['short_name']} in {country['name']}, with key events",
               _series_figure_sources(ind, outcome), sources),
        figure("rq1_scores", figs.get("rq1_scores"), "Orthodox SSR dimensions: design against practice (0-4)",
               sources_registry=sources),
        figure("governance", figs.get("governance"), f"Governance indicators for {country['name']}",
               _series_figure_sources(ind, (figs.get("governance") or {}).get("codes", [])), sources),
    ]


def _second_generation_figures(ind, figs, effect, country, sources):
    outcome = [effect["code"], *effect["comparators"]]
    return [
        figure("outcome_initiatives", figs.get("outcome_initiatives"),
               f"{effect['short_name']} in {country['name']}, with initiative windows shaded",
               _series_figure_sources(ind, outcome), sources),
        figure("rq2_timeline", figs.get("rq2_timeline"), "Second-generation initiatives by entry-point type",
               sources_registry=sources),
    ]


def _orthodox_tables(bundle, ind, sources):
    dims = {d["id"]: d for d in bundle["codebook"]["dimensions"]}
    coding = [{**row, "name": d["name"], "gap": d["gap"], "sources": sources.use(_keys(row["sources"])),
               "principle": dims[row["dimension"]]["principle"]}
              for row, d in zip(bundle["orthodox"], ind["rq1"]["dimensions"])]
    r = ind["rq1"]
    indices = [fmt.num(r[k], 0) for k in ("design_index", "practice_index", "gap_index")]
    return [
        table("coding", "RQ1 coding: design and practice scores with evidence", coding),
        table("rubric", "Scoring rubric (codebook)", bundle["codebook"]["score_scale"]),
    ], {"indices": indices}


def _second_generation_tables(bundle, ind, sources):
    by_id = {i["id"]: i for i in ind["rq2"]["initiatives"]}
    inventory = [{**row, **{k: by_id[row["id"]][k] for k in
                            ("active_years", "effect", "effect_note", "entry_point_name")},
                  "sources": sources.use(_keys(row["sources"]))}
                 for row in bundle["initiatives"]]
    code = ind["rq2"]["effect_indicator"]
    name = ind["series"].get(code, {}).get("short_name", code)
    return [
        table("inventory", "Inventory of second-generation initiatives", inventory),
        table("effects", f"Change in the {fmt.in_sentence(name)} during each initiative against the years before",
              inventory),
        table("not_used", "Entry points not used or only partly used, and why",
              [i for i in inventory if i["used"] != "yes"]),
    ], {}


def _common_tail(report: Report, bundle: dict, ind: dict, sources: Sources) -> None:
    events = [{**e, "sources": sources.use(_keys(e["sources"]))} for e in bundle["events"]]
    report.add(Section("timeline", "Timeline", "timeline"), table("events", f"Timeline of "
                                                                  f"{bundle['country']['name']}", events))
    if bundle["acronyms"]:
        report.add(Section("acronyms", "Acronyms", "acronyms", data={"acronyms": bundle["acronyms"]}))
    rows = []
    for code, s in ind["series"].items():
        years = [int(y) for y in s["values"]]
        rows.append({"code": code, "name": s["name"], "unit": s["unit"], "sources": sources.use(s["sources"]),
                     "first": years[0], "last": years[-1], "n": len(years),
                     "gaps": len(range(years[0], years[-1] + 1)) - len(years)})
    report.add(Section("data", "Data appendix", "data"), table("series", "Data series used in this report", rows))


def _orthodox_kpis(bundle: dict, ind: dict, effect: dict) -> list[dict]:
    r = ind["rq1"]
    kpis = [
        {"label": "Design index", "value": fmt.num(r["design_index"], 0), "unit": "/100"},
        {"label": "Practice index", "value": fmt.num(r["practice_index"], 0), "unit": "/100"},
        {"label": "Design–practice gap", "value": fmt.num(r["gap_index"], 0), "unit": " points"},
    ]
    if r["largest_gap"]:
        g = r["largest_gap"]
        kpis.append({"label": "Widest gap", "value": f"{g['id']} {g['name']} ({g['gap']})", "small": True})
    series = ind["series"].get(effect["code"])
    if series and series["trajectory"].get("at_reform_start"):
        tr = series["trajectory"]
        kpis += [
            {"label": f"{series['short_name']}, {tr['at_reform_start']['year']}",
             "value": fmt.num(tr["at_reform_start"]["value"], 1)},
            {"label": f"Peak ({tr['peak']['year']})", "value": fmt.num(tr["peak"]["value"], 1)},
            {"label": f"Latest ({tr['latest']['year']})", "value": fmt.num(tr["latest"]["value"], 1)},
        ]
    if "wgi_rl" in ind["series"]:
        w = ind["series"]["wgi_rl"]["trajectory"]
        kpis.append({"label": f"{ind['series']['wgi_rl']['short_name']} {w['first']['year']} → "
                              f"{w['latest']['year']}",
                     "value": f"{fmt.num(w['first']['value'], 2)} → {fmt.num(w['latest']['value'], 2)}"})
    return kpis


def _second_generation_kpis(bundle: dict, ind: dict, effect: dict) -> list[dict]:
    r = ind["rq2"]
    measured = [i for i in r["initiatives"] if i["effect"]]
    kpis = [
        {"label": "Initiatives and entry points", "value": str(r["n_initiatives"])},
        {"label": "Used", "value": str(r["n_used"])},
        {"label": "Partly used", "value": str(r["n_partial"])},
        {"label": "Not used", "value": str(r["n_not_used"])},
        {"label": "Entry-point types present", "value": str(len(r["by_entry_point"])),
         "unit": f" of {len(bundle['codebook']['entry_points'])}"},
        {"label": "With a measurable effect", "value": str(len(measured))},
    ]
    ranked = sorted(measured, key=lambda i: i["effect"]["change_pct"])
    for i in ranked[:1] + ranked[1:][-1:]:
        kpis.append({"label": f"{i['name']}: {fmt.in_sentence(effect['short_name'])}",
                     "value": fmt.signed(i["effect"]["change_pct"], 1), "unit": "%"})
    return kpis


KPIS = {"orthodox": _orthodox_kpis, "second-generation": _second_generation_kpis}
PARTS = {"orthodox": (_orthodox_figures, _orthodox_tables),
         "second-generation": (_second_generation_figures, _second_generation_tables)}
