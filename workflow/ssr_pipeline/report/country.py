"""The two case reports of a country (RQ1 orthodox, RQ2 second-generation) as report models.

Over 300 lines: the two reports' sections, figures and tables declared in document order;
each builder is a short function.
"""

from __future__ import annotations

from .. import countries, fmt, i18n
from ..i18n import N_, _, num, signed_pct
from ..inputs import split_keys as _keys
from ..labels import label
from ..layout import SOURCE_LANGUAGE
from ..rq1 import LEAD
from ..settings import study as localized_study
from .model import Report, Section, Sources, figure, table
from .parts import claims_section, effect_labels, language_versions, narrative_section, references_section

REPORTS = {
    "orthodox": {
        "title": N_("Orthodox security sector reform in {name}"),
        "question": N_(
            "How far did security sector reform in {name} follow the orthodox OECD-DAC model, "
            "and why did it succeed or fail?"
        ),
        "rq": "RQ1",
        "case_paper": "orthodox",
        "other": "second-generation",
    },
    "second-generation": {
        "title": N_("Second-generation entry points for security and justice in {name}"),
        "question": N_(
            "Which alternative entry points for security and justice programming exist in {name}, "
            "are they used, how, and if not, why?"
        ),
        "rq": "RQ2",
        "case_paper": "second_generation",
        "other": "orthodox",
    },
}


def build(kind: str, bundle: dict, ind: dict, figs: dict, fragment: dict, settings: dict) -> dict:
    """The template context of one case report."""
    spec = REPORTS[kind]
    title, question = spec["title"], spec["question"]
    country = bundle["country"]
    sources = Sources(bundle["references"])
    sources.use(fragment["cited"])
    paper = (country.get("case_papers") or {}).get(spec["case_paper"])
    if paper:
        sources.use([paper])
    effect = effect_labels(ind, settings, bundle["codebook"]["indicators"])
    report = Report(
        kind,
        sources,
        title=_(title).format(name=country["name"]),
        question=_(question).format(name=country["name"]),
        rq=spec["rq"],
        study=localized_study(settings, i18n.current().code),
        country=country,
        authors=country["authors"],
        vintage=ind["data_vintage"],
        other_report=spec["other"],
        effect=effect,
        **language_versions(f"{kind}.html", country.get("languages", [SOURCE_LANGUAGE]), settings, depth=2),
    )
    report.add(
        Section(
            "key-figures",
            _("Key figures"),
            "key_figures",
            data={"kpis": KPIS[kind](bundle, ind, effect), **settings["effect"]},
        )
    )
    report.add(narrative_section(fragment))
    build_figures, build_tables = PARTS[kind]
    report.add(
        Section("figures", _("Figures"), "figures"), *build_figures(ind, figs, effect, country, sources)
    )
    tables, data = build_tables(bundle, ind, sources, effect)
    report.add(
        Section(
            "tables",
            _("Tables"),
            "tables",
            data={**data, **settings["effect"], "agreement_threshold": settings["rq1"]["min_alpha"]},
        ),
        *tables,
    )
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
        figure(
            "outcome",
            figs.get("outcome"),
            _("{series} in {country}, with key events").format(
                series=effect["short_name"], country=country["name"]
            ),
            _series_figure_sources(ind, outcome),
            sources,
        ),
        figure(
            "rq1_scores",
            figs.get("rq1_scores"),
            _("Orthodox SSR dimensions: design against practice (0-4)"),
            sources_registry=sources,
        ),
        figure(
            "governance",
            figs.get("governance"),
            _("Governance indicators for {country}").format(country=country["name"]),
            _series_figure_sources(ind, (figs.get("governance") or {}).get("codes", [])),
            sources,
        ),
    ]


def _second_generation_figures(ind, figs, effect, country, sources):
    outcome = [effect["code"], *effect["comparators"]]
    drawn = figs.get("effects") or {}
    return [
        figure(
            "outcome_initiatives",
            figs.get("outcome_initiatives"),
            _("{series} in {country}, with initiative windows shaded").format(
                series=effect["short_name"], country=country["name"]
            ),
            _series_figure_sources(ind, outcome),
            sources,
        ),
        figure(
            "rq2_timeline",
            figs.get("rq2_timeline"),
            _("Second-generation initiatives by entry-point type"),
            sources_registry=sources,
        ),
    ] + [
        figure(
            f"effect_{i['id']}",
            drawn.get(i["id"]),
            _(
                "{initiative}: the {series} against its synthetic control and its own projected pre-trend, "
                "and the gap to the synthetic control beside the placebo countries' gaps"
            ).format(initiative=i["name"], series=fmt.in_sentence(effect["short_name"])),
            effect["sources"],
            sources,
        )
        for i in ind["rq2"]["initiatives"]
    ]


def coder_label(coder: str) -> str:
    return "A" if coder == LEAD else coder


# Long on purpose: the RQ1 report's tables declared in document order, each with its rows, caption and
# sources.
def _orthodox_tables(bundle, ind, sources, effect):
    dims = {d["id"]: d for d in bundle["codebook"]["dimensions"]}
    levels = {c["level"]: c["label"] for c in bundle["codebook"].get("certainty", [])}
    r = ind["rq1"]
    coding = [
        {
            **row,
            "name": d["name"],
            "design": d["design"],
            "practice": d["practice"],
            "gap": d["gap"],
            "scores": {coder_label(c): v for c, v in d["coders"].items()},
            "sources": sources.use(_keys(row["sources"])),
            "principle": dims[row["dimension"]]["principle"],
            "certainty_label": levels.get(row["certainty"], row["certainty"]),
        }
        for row, d in zip(bundle["orthodox"], r["dimensions"])
    ]
    indices = [num(r[k], 0) for k in ("design_index", "practice_index", "gap_index")]
    agree = r["agreement"]
    disagreements = [
        {
            **x,
            "name": dims[x["dimension"]]["name"],
            "kind": label("orthodox", "kind", x["kind"]),
            "coders": [
                {
                    "label": coder_label(c),
                    "score": x["scores"][c],
                    "evidence": x["evidence"][c],
                    "sources": sources.use(_keys(x["sources"][c])),
                }
                for c in x["scores"]
            ],
        }
        for x in (agree or {}).get("disagreements", [])
    ]
    certainty = [
        {**c, "by_coder": {coder_label(k): v for k, v in c["by_coder"].items()}} for c in r["certainty"]
    ]
    return [
        table("coding", _("RQ1 coding: design and practice scores with evidence"), coding),
        table("rubric", _("Scoring rubric (codebook)"), bundle["codebook"]["score_scale"]),
        table(
            "disagreements",
            _("Items the coders scored differently, with the evidence each cites"),
            disagreements,
        ),
        table(
            "certainty",
            _("How the evidence behind the scores was read (codebook certainty levels)"),
            certainty if coding else [],
        ),
        table("robustness", _("The indices under other reasonable choices"), robustness_rows(r)),
    ], {
        "indices": indices,
        "agreement": agree,
        "coders": [coder_label(c) for c in r["coders"]],
        "consensus": r["consensus"],
        "robustness": r["robustness"],
    }


def robustness_rows(r: dict) -> list[dict]:
    """One row per kind of variant: how far each index moves (the full list is in the JSON)."""
    rob = r["robustness"]
    if not rob:
        return []
    labels = {
        "leave_out": _("Each dimension left out in turn"),
        "score": _("Each score moved by one point in turn"),
        "weights": _("Other dimension weights"),
    }
    rows = []
    for kind, text in labels.items():
        vs = [v for v in rob["variants"] if v["kind"] == kind]
        if vs:
            rows.append(
                {
                    "label": text,
                    "n": len(vs),
                    **{
                        k: {"min": min(v[f"{k}_index"] for v in vs), "max": max(v[f"{k}_index"] for v in vs)}
                        for k in ("design", "practice", "gap")
                    },
                }
            )
    return rows


def _second_generation_tables(bundle, ind, sources, effect):
    by_id = {i["id"]: i for i in ind["rq2"]["initiatives"]}
    inventory = [
        {
            **row,
            **{k: by_id[row["id"]][k] for k in ("active_years", "effect", "effect_note", "entry_point_name")},
            "donors": donor_names(by_id[row["id"]]["effect"]),
            "budget_scope_label": budget_scope_label(row.get("budget_scope")),
            "sources": sources.use(_keys(row["sources"])),
            **{
                f"{k}_label": label("initiatives", k, row.get(k))
                for k in ("level", "actor_type", "status", "used")
            },
        }
        for row in bundle["initiatives"]
    ]
    name = fmt.in_sentence(effect["short_name"])
    return [
        table("inventory", _("Inventory of second-generation initiatives"), inventory),
        table(
            "effects",
            _(
                "The {series} during each initiative: descriptive change, interrupted time series and "
                "synthetic control, with the verdict"
            ).format(series=name),
            inventory,
        ),
        table(
            "not_used",
            _("Entry points not used or only partly used, and why"),
            [i for i in inventory if i["used"] != "yes"],
        ),
    ], {}


# Budgets that are not this initiative's own programme budget in this country say so wherever shown.
BUDGET_SCOPES = {
    "regional": N_("regional total, several countries or components; not this programme's budget here"),
    "plan": N_("planned amount, not spending"),
}


def budget_scope_label(scope: str | None) -> str:
    words = BUDGET_SCOPES.get(scope)
    return _(words) if words else ""


def donor_names(effect: dict | None) -> list[dict]:
    """The synthetic control's donors with their country names and weights."""
    if not effect or not effect["synthetic"]:
        return []
    return [{**d, "name": countries.name(d["iso3"])} for d in effect["synthetic"]["donors"]]


def _common_tail(report: Report, bundle: dict, ind: dict, sources: Sources) -> None:
    events = [{**e, "sources": sources.use(_keys(e["sources"]))} for e in bundle["events"]]
    report.add(
        Section("timeline", _("Timeline"), "timeline"),
        table("events", _("Timeline of {country}").format(country=bundle["country"]["name"]), events),
    )
    if bundle["acronyms"]:
        report.add(Section("acronyms", _("Acronyms"), "acronyms", data={"acronyms": bundle["acronyms"]}))
    rows = []
    for code, s in ind["series"].items():
        years = [int(y) for y in s["values"]]
        rows.append(
            {
                "code": code,
                "name": s["name"],
                "unit": s["unit"],
                "sources": sources.use(s["sources"]),
                "first": years[0],
                "last": years[-1],
                "n": len(years),
                "gaps": len(range(years[0], years[-1] + 1)) - len(years),
            }
        )
    report.add(
        Section("data", _("Data appendix"), "data"),
        table("series", _("Data series used in this report"), rows),
    )


def _orthodox_kpis(bundle: dict, ind: dict, effect: dict) -> list[dict]:
    r = ind["rq1"]
    kpis = [
        {"label": _("Design index"), "value": num(r["design_index"], 0), "unit": "/100"},
        {"label": _("Practice index"), "value": num(r["practice_index"], 0), "unit": "/100"},
        {"label": _("Design–practice gap"), "value": num(r["gap_index"], 0), "unit": " " + _("points")},
    ]
    if r["largest_gap"]:
        g = r["largest_gap"]
        kpis.append(
            {
                "label": _("Widest gap"),
                "value": f"{g['id']} {g['name']} ({num(g['gap'], 0 if float(g['gap']).is_integer() else 1)})",
                "small": True,
            }
        )
    series = ind["series"].get(effect["code"])
    if series and series["trajectory"].get("at_reform_start"):
        tr = series["trajectory"]
        kpis += [
            {
                "label": f"{series['short_name']}, {tr['at_reform_start']['year']}",
                "value": num(tr["at_reform_start"]["value"], 1),
            },
            {
                "label": _("Peak ({year})").format(year=tr["peak"]["year"]),
                "value": num(tr["peak"]["value"], 1),
            },
            {
                "label": _("Latest ({year})").format(year=tr["latest"]["year"]),
                "value": num(tr["latest"]["value"], 1),
            },
        ]
    if "wgi_rl" in ind["series"]:
        w = ind["series"]["wgi_rl"]["trajectory"]
        kpis.append(
            {
                "label": f"{ind['series']['wgi_rl']['short_name']} {w['first']['year']} → "
                f"{w['latest']['year']}",
                "value": f"{num(w['first']['value'], 2)} → {num(w['latest']['value'], 2)}",
            }
        )
    return kpis


def _second_generation_kpis(bundle: dict, ind: dict, effect: dict) -> list[dict]:
    r = ind["rq2"]
    dated = [i for i in r["initiatives"] if i["effect"]]
    verdicts = [i["effect"]["verdict"]["code"] for i in dated]
    kpis = [
        {"label": _("Initiatives and entry points"), "value": str(r["n_initiatives"])},
        {"label": _("Used"), "value": str(r["n_used"])},
        {"label": _("Partly used"), "value": str(r["n_partial"])},
        {"label": _("Not used"), "value": str(r["n_not_used"])},
        {
            "label": _("Entry-point types present"),
            "value": str(len(r["by_entry_point"])),
            "unit": " " + _("of {n}").format(n=len(bundle["codebook"]["entry_points"])),
        },
        {
            "label": _("Distinguishable from placebo"),
            "value": str(verdicts.count("distinguishable")),
            "unit": " " + _("of {n} dated").format(n=len(dated)),
        },
    ]
    lead = headline_estimate(dated)
    if lead:
        e, label = lead["effect"], fmt.in_sentence(effect["short_name"])
        if e["its"] and e["its"]["gap_pct"] is not None:
            lo, hi = e["its"]["gap_pct_ci"]
            kpis.append(
                {
                    "label": _("{initiative}: {series} against its pre-trend").format(
                        initiative=lead["name"], series=label
                    ),
                    "value": signed_pct(e["its"]["gap_pct"], 0),
                    "unit": " "
                    + _("(95% CI {low} to {high})").format(low=signed_pct(lo, 0), high=signed_pct(hi, 0)),
                }
            )
        if e["synthetic"] and e["synthetic"]["gap_pct"] is not None:
            kpis.append(
                {
                    "label": _("{initiative}: {series} against its synthetic control").format(
                        initiative=lead["name"], series=label
                    ),
                    "value": signed_pct(e["synthetic"]["gap_pct"], 0),
                    "unit": " " + _("(placebo p = {p})").format(p=num(e["synthetic"]["p_value"], 2)),
                }
            )
    return kpis


def headline_estimate(dated: list[dict]) -> dict | None:
    """The initiative shown in the key figures: the smallest placebo p-value among acceptable
    synthetic-control fits, else the first with an interrupted-time-series estimate."""
    fair = [
        i
        for i in dated
        if i["effect"]["verdict"]["code"]
        in ("distinguishable", "not_distinguishable", "fails_in_time_placebo")
    ]
    if fair:
        return min(fair, key=lambda i: i["effect"]["synthetic"]["p_value"])
    return next((i for i in dated if i["effect"]["its"] and i["effect"]["its"]["gap_pct"] is not None), None)


KPIS = {"orthodox": _orthodox_kpis, "second-generation": _second_generation_kpis}
PARTS = {
    "orthodox": (_orthodox_figures, _orthodox_tables),
    "second-generation": (_second_generation_figures, _second_generation_tables),
}
