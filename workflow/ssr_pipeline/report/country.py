"""The two case reports of a country (RQ1 orthodox, RQ2 second-generation) as report models."""

from __future__ import annotations

from .. import countries, fmt
from ..inputs import split_keys as _keys
from ..rq1 import LEAD
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
    tables, data = build_tables(bundle, ind, sources, effect)
    report.add(Section("tables", "Tables", "tables", data={**data, **settings["effect"],
                                                           "agreement_threshold": settings["rq1"]["min_alpha"]}),
               *tables)
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
    drawn = figs.get("effects") or {}
    return [
        figure("outcome_initiatives", figs.get("outcome_initiatives"),
               f"{effect['short_name']} in {country['name']}, with initiative windows shaded",
               _series_figure_sources(ind, outcome), sources),
        figure("rq2_timeline", figs.get("rq2_timeline"), "Second-generation initiatives by entry-point type",
               sources_registry=sources),
    ] + [
        figure(f"effect_{i['id']}", drawn.get(i["id"]),
               f"{i['name']}: the {fmt.in_sentence(effect['short_name'])} against its synthetic control and "
               "its own projected pre-trend, and the gap to the synthetic control beside the placebo countries' "
               "gaps", effect["sources"], sources)
        for i in ind["rq2"]["initiatives"]
    ]


def coder_label(coder: str) -> str:
    return "A" if coder == LEAD else coder


def _orthodox_tables(bundle, ind, sources, effect):
    dims = {d["id"]: d for d in bundle["codebook"]["dimensions"]}
    r = ind["rq1"]
    coding = [{**row, "name": d["name"], "design": d["design"], "practice": d["practice"], "gap": d["gap"],
               "scores": {coder_label(c): v for c, v in d["coders"].items()},
               "sources": sources.use(_keys(row["sources"])), "principle": dims[row["dimension"]]["principle"]}
              for row, d in zip(bundle["orthodox"], r["dimensions"])]
    indices = [fmt.num(r[k], 0) for k in ("design_index", "practice_index", "gap_index")]
    agree = r["agreement"]
    disagreements = [{**x, "name": dims[x["dimension"]]["name"],
                      "coders": [{"label": coder_label(c), "score": x["scores"][c], "evidence": x["evidence"][c],
                                  "sources": sources.use(_keys(x["sources"][c]))} for c in x["scores"]]}
                     for x in (agree or {}).get("disagreements", [])]
    certainty = [{**c, "by_coder": {coder_label(k): v for k, v in c["by_coder"].items()}} for c in r["certainty"]]
    return [
        table("coding", "RQ1 coding: design and practice scores with evidence", coding),
        table("rubric", "Scoring rubric (codebook)", bundle["codebook"]["score_scale"]),
        table("disagreements", "Items the coders scored differently, with the evidence each cites", disagreements),
        table("certainty", "How the evidence behind the scores was read (codebook certainty levels)",
              certainty if coding else []),
        table("robustness", "The indices under other reasonable choices", robustness_rows(r)),
    ], {"indices": indices, "agreement": agree, "coders": [coder_label(c) for c in r["coders"]],
        "consensus": r["consensus"], "robustness": r["robustness"]}


def robustness_rows(r: dict) -> list[dict]:
    """One row per kind of variant: how far each index moves (the full list is in the JSON)."""
    rob = r["robustness"]
    if not rob:
        return []
    labels = {"leave_out": "Each dimension left out in turn", "score": "Each score moved by one point in turn",
              "weights": "Other dimension weights"}
    rows = []
    for kind, label in labels.items():
        vs = [v for v in rob["variants"] if v["kind"] == kind]
        if vs:
            rows.append({"label": label, "n": len(vs), **{k: {"min": min(v[f"{k}_index"] for v in vs),
                                                                "max": max(v[f"{k}_index"] for v in vs)}
                                                            for k in ("design", "practice", "gap")}})
    return rows


def _second_generation_tables(bundle, ind, sources, effect):
    by_id = {i["id"]: i for i in ind["rq2"]["initiatives"]}
    inventory = [{**row, **{k: by_id[row["id"]][k] for k in
                            ("active_years", "effect", "effect_note", "entry_point_name")},
                  "donors": donor_names(by_id[row["id"]]["effect"]),
                  "budget_scope_label": BUDGET_SCOPES.get(row.get("budget_scope") or "", ""),
                  "sources": sources.use(_keys(row["sources"]))}
                 for row in bundle["initiatives"]]
    name = fmt.in_sentence(effect["short_name"])
    return [
        table("inventory", "Inventory of second-generation initiatives", inventory),
        table("effects", f"The {name} during each initiative: descriptive change, interrupted time series and "
                         "synthetic control, with the verdict", inventory),
        table("not_used", "Entry points not used or only partly used, and why",
              [i for i in inventory if i["used"] != "yes"]),
    ], {}


# Budgets that are not this initiative's own programme budget in this country say so wherever shown.
BUDGET_SCOPES = {"regional": "regional total, several countries or components; not this programme's budget here",
                 "plan": "planned amount, not spending"}


def donor_names(effect: dict | None) -> list[dict]:
    """The synthetic control's donors with their country names and weights."""
    if not effect or not effect["synthetic"]:
        return []
    return [{**d, "name": countries.name(d["iso3"])} for d in effect["synthetic"]["donors"]]


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
    dated = [i for i in r["initiatives"] if i["effect"]]
    verdicts = [i["effect"]["verdict"]["code"] for i in dated]
    kpis = [
        {"label": "Initiatives and entry points", "value": str(r["n_initiatives"])},
        {"label": "Used", "value": str(r["n_used"])},
        {"label": "Partly used", "value": str(r["n_partial"])},
        {"label": "Not used", "value": str(r["n_not_used"])},
        {"label": "Entry-point types present", "value": str(len(r["by_entry_point"])),
         "unit": f" of {len(bundle['codebook']['entry_points'])}"},
        {"label": "Distinguishable from placebo", "value": str(verdicts.count("distinguishable")),
         "unit": f" of {len(dated)} dated"},
    ]
    lead = headline_estimate(dated)
    if lead:
        e, label = lead["effect"], fmt.in_sentence(effect["short_name"])
        if e["its"] and e["its"]["gap_pct"] is not None:
            lo, hi = e["its"]["gap_pct_ci"]
            kpis.append({"label": f"{lead['name']}: {label} against its pre-trend",
                         "value": f"{fmt.signed(e['its']['gap_pct'], 0)}%",
                         "unit": f" (95% CI {fmt.signed(lo, 0)} to {fmt.signed(hi, 0)}%)"})
        if e["synthetic"] and e["synthetic"]["gap_pct"] is not None:
            kpis.append({"label": f"{lead['name']}: {label} against its synthetic control",
                         "value": f"{fmt.signed(e['synthetic']['gap_pct'], 0)}%",
                         "unit": f" (placebo p = {fmt.num(e['synthetic']['p_value'], 2)})"})
    return kpis


def headline_estimate(dated: list[dict]) -> dict | None:
    """The initiative shown in the key figures: the smallest placebo p-value among acceptable
    synthetic-control fits, else the first with an interrupted-time-series estimate."""
    fair = [i for i in dated if i["effect"]["verdict"]["code"] in
            ("distinguishable", "not_distinguishable", "fails_in_time_placebo")]
    if fair:
        return min(fair, key=lambda i: i["effect"]["synthetic"]["p_value"])
    return next((i for i in dated if i["effect"]["its"] and i["effect"]["its"]["gap_pct"] is not None), None)


KPIS = {"orthodox": _orthodox_kpis, "second-generation": _second_generation_kpis}
PARTS = {"orthodox": (_orthodox_figures, _orthodox_tables),
         "second-generation": (_second_generation_figures, _second_generation_tables)}
