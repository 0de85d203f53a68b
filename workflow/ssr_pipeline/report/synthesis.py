"""The ninth report, the cross-case synthesis, and the landing page, as report models.

Over 300 lines: the synthesis's sections, figures and tables declared in document order, and
the landing page.
"""

from __future__ import annotations

from .. import fmt, i18n
from ..effects.texts import VERDICT_LABELS
from ..i18n import N_, _, num
from ..layout import SOURCE_LANGUAGE, lang_dir
from ..settings import study as localized_study
from .model import Report, Section, Sources, figure, table
from .parts import claims_section, effect_labels, language_versions, narrative_section, references_section

AUTHORS = [N_("Comparative SSR study team")]
TITLE = N_("From first- to second-generation security sector reform: a synthesis of {n} cases")
QUESTION = N_(
    "Across the cases, how far did security sector reform follow the orthodox model, and which "
    "second-generation entry points exist, are used, and with what effect?"
)


def verdict_label(verdict: dict) -> str:
    code = verdict["code"]
    return _(VERDICT_LABELS[code])


def _series_sources(inds: list[dict], codes) -> list[str]:
    keys: list[str] = []
    for ind in inds:
        for code in codes:
            for k in ind["series"].get(code, {}).get("sources", []):
                if k not in keys:
                    keys.append(k)
    return keys


def _parts(drawn: list[dict], key: str, numbered: bool = True) -> list[tuple[str, dict, str]]:
    """(key, drawing, ' (part i of n)') for a figure drawn in several parts. A figure that is
    not `numbered` keeps its plain key when it is drawn in one part."""
    many = len(drawn) > 1
    return [
        (
            f"{key}_{p + 1}" if numbered or many else key,
            f,
            " " + _("(part {i} of {n})").format(i=p + 1, n=len(drawn)) if many else "",
        )
        for p, f in enumerate(drawn)
    ]


def _in_parts(
    drawn: list[dict], key: str, caption: str, sources=(), sources_registry=None, numbered: bool = True
) -> list:
    """The Figures of a figure drawn in parts, each captioned with its part (see _parts)."""
    return [
        figure(k, f, caption + part, sources, sources_registry) for k, f, part in _parts(drawn, key, numbered)
    ]


# Long on purpose: the synthesis's figures declared in document order, each with its caption and sources.
def _figures(figs: dict, inds: list[dict], effect: dict, settings: dict, sources: Sources) -> list:
    out = []
    outcome_sources = _series_sources(inds, [effect["code"]])
    for key, f, part in _parts(figs["small_multiples"], "small_multiples"):
        note = (
            "; "
            + _("no {series} series for {countries}").format(
                series=fmt.in_sentence(effect["short_name"]), countries=", ".join(f["missing"])
            )
            if f.get("missing")
            else ""
        )
        out.append(
            figure(
                key,
                f,
                _("{series} per country on a shared time axis, key events dotted").format(
                    series=effect["short_name"]
                )
                + part
                + note,
                outcome_sources,
                sources,
            )
        )
    out += _in_parts(
        figs["heatmap"],
        "heatmap",
        _("Orthodox SSR dimension scores by country, design and practice"),
        sources_registry=sources,
    )
    out += _in_parts(
        figs["gaps"],
        "gaps",
        _("Design and practice indices per country: the conceptual-contextual gap"),
        sources_registry=sources,
        numbered=False,
    )
    out += _in_parts(
        figs["gap_ranges"],
        "gap_ranges",
        _("The design-practice gap of each case across the robustness variants (range) and as coded (dot)"),
        sources_registry=sources,
        numbered=False,
    )
    out += _in_parts(
        figs["entry_points"],
        "entry_points",
        _("Second-generation entry points by country: used and not used"),
        sources_registry=sources,
    )
    out += _in_parts(
        figs["forest"],
        "forest",
        _(
            "Estimated effects of the initiatives on the {series}: "
            "interrupted time series with its 95% interval and synthetic "
            "control"
        ).format(series=fmt.in_sentence(effect["short_name"])),
        outcome_sources,
        sources,
        numbered=False,
    )
    gov = settings["comparative"]["outcome_indicators"]
    out.append(
        figure(
            "governance",
            figs["governance"],
            _("Governance trajectories side by side"),
            _series_sources(inds, gov),
            sources,
        )
    )
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
    estimated = [
        {
            "country": ind["country"]["name"],
            "slug": ind["country"]["slug"],
            **i,
            "verdict_label": verdict_label(i["effect"]["verdict"]),
        }
        for ind in inds
        for i in ind["rq2"]["initiatives"]
        if i["effect"]
    ]
    study = comparative["study"]
    agreement = (
        [
            {"id": d["id"], "name": d["name"], **(study["agreement"]["dimensions"].get(d["id"]) or {})}
            for d in comparative["codebook"]["dimensions"]
        ]
        if study.get("agreement")
        else []
    )
    robust = (
        # Only the coded cases take part in the variants; a case with no coding yet has no row.
        [
            {**r, **study["robustness"]["countries"][r["slug"]]}
            for r in rows
            if r["slug"] in study["robustness"]["countries"]
        ]
        if study.get("robustness")
        else []
    )
    return [
        table("rq1", _("RQ1 indices and the widest gap per country"), rows),
        table("dims", _("Dimension scores per country (design / practice)"), rows),
        table(
            "agreement",
            _("Agreement of the independent coders by dimension (Krippendorff's alpha, ordinal)"),
            agreement,
        ),
        table(
            "robustness",
            _(
                "Each case's gap across the robustness variants, and how often it is the widest or "
                "the narrowest"
            ),
            robust,
        ),
        table("outcomes", _("Outcome trajectories from reform start to the latest year"), rows),
        table("rq2", _("Second-generation initiatives per country: used, partly used, not used"), rows),
        table("types", _("Entry-point types per country (initiatives recorded / fully used)"), rows),
        table(
            "effects",
            _("The {series} during each dated initiative: three estimates side by side").format(
                series=fmt.in_sentence(effect["short_name"])
            ),
            estimated,
        ),
        table("sources", _("Data sources"), _data_sources(inds, sources)),
    ]


def _kpis(summary: dict) -> list[dict]:
    kpis = [
        {"label": _("Cases"), "value": str(summary["n_countries"])},
        {"label": _("Mean design index"), "value": num(summary["mean_design_index"], 0), "unit": "/100"},
        {"label": _("Mean practice index"), "value": num(summary["mean_practice_index"], 0), "unit": "/100"},
        {"label": _("Mean gap"), "value": num(summary["mean_gap_index"], 0), "unit": " " + _("points")},
    ]
    if summary["widest_gap"]:
        w = summary["widest_gap"]
        kpis.append(
            {"label": _("Widest gap"), "value": f"{w['name']} ({num(w['gap_index'], 0)})", "small": True}
        )
    if summary["largest_dim_gap"]:
        d = summary["largest_dim_gap"]
        kpis.append(
            {
                "label": _("Dimension with the widest mean gap"),
                "value": f"{d['id']} {d['name']} ({num(d['mean_gap'], 1)})",
                "small": True,
            }
        )
    kpis += [
        {"label": _("Initiatives recorded"), "value": str(summary["n_initiatives"])},
        {
            "label": _("Used / partly / not used"),
            "value": f"{summary['n_used']} / {summary['n_partial']} / {summary['n_not_used']}",
        },
        {
            "label": _("Estimated (time series / synthetic control)"),
            "value": f"{summary['n_its_estimates']} / {summary['n_synthetic_estimates']}",
        },
        {
            "label": _("Distinguishable from placebo"),
            "value": str(summary["n_distinguishable"]),
            "unit": " "
            + _("of {n} dated").format(
                n=summary["n_distinguishable"] + summary["n_not_distinguishable"] + summary["n_not_estimable"]
            ),
        },
    ]
    return kpis


def build(
    comparative: dict,
    inds: list[dict],
    figs: dict,
    codebook: dict,
    refs: dict,
    fragment: dict,
    settings: dict,
) -> dict:
    """The template context of the synthesis report."""
    sources = Sources(refs)
    sources.use(fragment["cited"])
    effect = effect_labels(_all_series(inds), settings, codebook.get("indicators"))
    summary = comparative["study"]
    report = Report(
        "synthesis",
        sources,
        title=_(TITLE).format(n=summary["n_countries"]),
        question=_(QUESTION),
        rq=_("RQ1 and RQ2"),
        study=localized_study(settings, i18n.current().code),
        authors=[_(a) for a in AUTHORS],
        summary=summary,
        vintage=comparative["data_vintage"],
        effect=effect,
        dimensions=codebook["dimensions"],
        entry_points=codebook["entry_points"],
        outcomes=comparative["outcomes"],
        **language_versions("synthesis.html", settings["study"]["languages"], settings, depth=1),
    )
    report.add(Section("key-figures", _("Key figures"), "key_figures", data={"kpis": _kpis(summary)}))
    report.add(narrative_section(fragment))
    report.add(Section("figures", _("Figures"), "figures"), *_figures(figs, inds, effect, settings, sources))
    report.add(
        Section("tables", _("Comparative tables"), "tables"), *_tables(comparative, inds, effect, sources)
    )
    report.add(claims_section(fragment))
    report.add(references_section())
    return report.finish()


def _all_series(inds: list[dict]) -> dict:
    out: dict = {}
    for ind in inds:
        for code, s in ind["series"].items():
            out.setdefault(code, s)
    return out


def _languages(codes: list[str], settings: dict) -> list[dict]:
    """A page's language versions for the landing page: code, name and folder."""
    return [{"code": c, "name": settings["languages"][c]["name"], "dir": lang_dir(c)} for c in codes]


def landing(comparative: dict, countries: list[dict], changes: dict, settings: dict) -> dict:
    """The template context of results/index.html."""
    cases = []
    for c in countries:
        row = next(r for r in comparative["rows"] if r["slug"] == c["slug"])
        latest = max((row[k] for k in row if k.endswith("_latest_year") and row[k]), default=None)
        cases.append(
            {
                "slug": c["slug"],
                "name": c["name"],
                "region": c["region"],
                "reform_start": c["reform_start"],
                "summary": c.get("summary", ""),
                "latest_year": latest,
                "languages": _languages(c.get("languages", [SOURCE_LANGUAGE]), settings),
            }
        )
    return {
        "report": "index",
        "study": localized_study(settings, i18n.current().code),
        "authors": [_(a) for a in AUTHORS],
        "lang": i18n.current().code,
        "up": "",
        "versions": [],
        "synthesis_languages": _languages(settings["study"]["languages"], settings),
        "title": _("Security sector reform in conflict-affected countries: the study's reports"),
        "question": _(
            "RQ1: how far did SSR follow the orthodox OECD-DAC model, and why did it succeed or fail? "
            "RQ2: which second-generation entry points exist, are they used, how, and if not, why?"
        ),
        "cases": cases,
        "data_vintage": comparative["data_vintage"],
        "changes": changes,
        "synthesis_title": _(TITLE).format(n=comparative["study"]["n_countries"]),
    }
