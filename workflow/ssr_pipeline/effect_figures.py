"""Figures of the effect estimates: one per estimated initiative, and the synthesis forest plot."""

from __future__ import annotations

import math
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator

from .figure_data import Recorder, value_text
from .figures import BASE_RC, PALETTE, _svg, in_pages, localize_ticks, page_salt
from .fmt import in_sentence
from .i18n import _, num, signed, signed_pct

GREY = "#BBBBBB"
# The forest plot's scale ends here (a gap cannot fall below -100%); longer intervals end in an arrow.
X_MAX = 150
VERDICT_COLOURS = {"distinguishable": PALETTE[0]}


def _years() -> MaxNLocator:
    """Whole years, few enough for a half-width panel: ten four-digit labels ran into each other."""
    return MaxNLocator(nbins=5, integer=True)


def _line(values: dict, years: list[int]) -> list[float]:
    """Values for ``years`` with NaN where a year has no value, so the line breaks there."""
    return [float(values[y]) if y in values else math.nan for y in years]


def _int_keys(d: dict) -> dict:
    return {int(k): v for k, v in d.items()}


def _span(e: dict, values: dict) -> list[int]:
    its, syn = e["its"], e["synthetic"]
    first = min(
        [*(its["pre_years"] if its else []), *(syn["fit_years"] if syn else []), e["window"]["start"]]
    )
    last = min(max(values), e["window"]["end"] + 3)
    return list(range(first, last + 1))


def _record(rec: Recorder, ax, line: str, values: dict, years: list[int], unit: str, sources) -> None:
    for y in years:
        if y in values:
            row = rec.row({"line": line, "year": y, "value": values[y]}, unit, sources)
            rec.point(ax, y, values[y], f"{line}, {y}: {value_text(values[y])} {unit}", row)


def _series_panel(ax, rec: Recorder, e: dict, values: dict, series: dict) -> None:
    years = _span(e, values)
    unit, sources = series["unit"], series.get("sources", [])
    ax.axvspan(
        e["window"]["start"] - 0.5,
        e["window"]["end"] + 0.5,
        color="#E69F00",
        alpha=0.15,
        lw=0,
        label=_("Effect window"),
    )
    ax.plot(years, _line(values, years), color=PALETTE[0], lw=2, marker="o", ms=3, label=series["short_name"])
    _record(rec, ax, series["short_name"], values, years, unit, sources)
    if e["synthetic"]:
        synth = _int_keys(e["synthetic"]["series"])
        ax.plot(years, _line(synth, years), color=PALETTE[1], lw=1.5, ls="--", label=_("Synthetic control"))
        _record(rec, ax, _("Synthetic control"), synth, years, unit, sources)
    if e["its"]:
        trend = {**_int_keys(e["its"]["pre_trend"]), **_int_keys(e["its"]["counterfactual"])}
        ax.plot(
            years,
            _line(trend, years),
            color=PALETTE[2],
            lw=1.5,
            ls=":",
            label=_("Pre-trend, projected (interrupted time series)"),
        )
        _record(rec, ax, _("Pre-trend, projected"), trend, years, unit, sources)
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    ax.xaxis.set_major_locator(_years())
    ax.set_ylim(bottom=0)
    localize_ticks(ax)
    ax.grid(axis="y", color="#DDDDDD", lw=0.6)


def _placebo_panel(ax, rec: Recorder, e: dict, series: dict) -> None:
    syn = e["synthetic"]
    years = sorted(int(y) for y in syn["gaps"])
    unit, sources = series["unit"], series.get("sources", [])
    for iso3, gaps in syn["placebo_gaps"].items():
        ax.plot(years, _line(_int_keys(gaps), years), color=GREY, lw=0.6, alpha=0.7)
        # The placebos' values go to the CSV only: dozens of grey lines would be too many stops.
        for y, v in sorted(_int_keys(gaps).items()):
            rec.row(
                {"line": _("placebo gap, {iso3}").format(iso3=iso3), "year": y, "value": v}, unit, sources
            )
    ax.plot(years, _line(_int_keys(syn["gaps"]), years), color=PALETTE[0], lw=2, label=_("This country"))
    _record(rec, ax, _("Gap to the synthetic control"), _int_keys(syn["gaps"]), years, unit, sources)
    ax.plot([], [], color=GREY, lw=0.8, label=_("{n} placebo countries").format(n=syn["n_placebos"]))
    ax.axhline(0, color="#555555", lw=0.6)
    ax.axvline(e["window"]["start"] - 0.5, color="#555555", lw=0.8, ls=":")
    ax.set_title(_("Gap to its own synthetic control"), fontsize=8, loc="left")
    ax.xaxis.set_major_locator(_years())
    localize_ticks(ax)
    ax.grid(axis="y", color="#DDDDDD", lw=0.6)


def initiative_figure(ind: dict, ini: dict, settings: dict, salt: str) -> dict | None:
    """Observed series, synthetic control and projected pre-trend; beside it the placebo gaps."""
    e = ini["effect"]
    if not e or (e["its"] is None and e["synthetic"] is None):
        return None
    series = ind["series"][settings["effect"]["indicator"]]
    values = _int_keys(series["values"])
    rec = Recorder(["line", "year", "value"])
    with matplotlib.rc_context(BASE_RC):
        fig, axes = plt.subplots(1, 2 if e["synthetic"] else 1, figsize=(7.2, 3.4), squeeze=False)
        _series_panel(axes[0][0], rec, e, values, series)
        axes[0][0].set_ylabel(series["unit"])
        axes[0][0].set_title(textwrap.fill(ini["name"], 48), fontsize=8, loc="left")
        if e["synthetic"]:
            _placebo_panel(axes[0][1], rec, e, series)
        handles, labels = [], []
        for ax in axes[0]:
            h, lab = ax.get_legend_handles_labels()
            handles += h
            labels += lab
        # Below the panels, so the legend never covers data.
        fig.legend(
            handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.02), ncol=2, frameon=False, fontsize=7
        )
        fig.tight_layout()
        svg = _svg(fig, salt)
    return {"svg": svg, "alt": _alt(ini, series, ind["country"]["name"]), **rec.finish(svg)}


def _alt(ini: dict, series: dict, country: str) -> str:
    e = ini["effect"]
    w = e["window"]
    label = in_sentence(series["short_name"])
    parts = [
        _(
            "Line chart of the {series} in {country} around {initiative} (effect window {start} to {end}, "
            "shaded)."
        ).format(series=label, country=country, initiative=ini["name"], start=w["start"], end=w["end"])
    ]
    if e["synthetic"]:
        syn = e["synthetic"]
        parts.append(
            _(
                "A synthetic control built from other countries runs {gap} from the observed series over the "
                "window; beside it, the gap of {country} to its synthetic control is drawn over the gaps of "
                "{n} placebo countries (p = {p})."
            ).format(
                gap=signed_pct(syn["gap_pct"], 0),
                country=country,
                n=syn["n_placebos"],
                p=num(syn["p_value"], 2),
            )
        )
    if e["its"] and e["its"]["gap_pct"] is not None:
        lo, hi = e["its"]["gap_pct_ci"]
        parts.append(
            _("The projected pre-trend puts the window {gap} from it (95% CI {low} to {high}).").format(
                gap=signed_pct(e["its"]["gap_pct"], 0), low=signed(lo, 0), high=signed(hi, 0)
            )
        )
    parts.append(_("Verdict: {verdict}.").format(verdict=e["verdict"]["text"]))
    return " ".join(parts)


# Inches per initiative row, and inches of axes, labels and legend, of the forest plot.
FOREST_ROW, FOREST_FIXED = 0.42, 1.3


def forest(inds: list[dict], salt: str) -> list[dict]:
    """Every estimated initiative of every case: the interrupted-time-series gap with its 95%
    interval, and the synthetic-control gap, coloured when distinguishable from placebo; in
    parts that each fit a page."""
    rows = [
        (ind["country"]["name"], i)
        for ind in inds
        for i in ind["rq2"]["initiatives"]
        if i["effect"] and (i["effect"]["its"] or i["effect"]["synthetic"])
    ]
    sources = {
        ind["country"]["name"]: ind["series"].get(ind["rq2"]["effect_indicator"], {}).get("sources", [])
        for ind in inds
    }
    pages = in_pages(rows, FOREST_ROW, FOREST_FIXED)
    return [_forest_part(group, sources, page_salt(salt, k, len(pages))) for k, group in enumerate(pages)]


# Long on purpose: one figure drawn step by step on shared axes and layout state; split, the steps would pass
# that state around.
def _forest_part(rows: list[tuple[str, dict]], sources: dict, salt: str) -> dict:
    rec = Recorder(["country", "initiative", "method", "gap_pct", "low", "high", "p_value", "verdict"])
    with matplotlib.rc_context(BASE_RC):
        fig, ax = plt.subplots(figsize=(7.2, FOREST_ROW * len(rows) + FOREST_FIXED))
        for y, (country, i) in enumerate(reversed(rows)):
            its, syn = i["effect"]["its"], i["effect"]["synthetic"]
            base = {"country": country, "initiative": i["name"], "verdict": i["effect"]["verdict"]["code"]}
            if its and its["gap_pct"] is not None:
                lo, hi = its["gap_pct_ci"]
                ax.plot([lo, min(hi, X_MAX)], [y, y], color="#333333", lw=1.2)
                if hi > X_MAX:  # an interval running off the scale ends in an arrow
                    ax.plot([X_MAX], [y], ">", color="#333333", ms=5)
                ax.plot([its["gap_pct"]], [y], "o", color="#333333", ms=4)
                row = rec.row(
                    {
                        **base,
                        "method": _("interrupted time series"),
                        "gap_pct": its["gap_pct"],
                        "low": lo,
                        "high": hi,
                    },
                    _("percent"),
                    sources[country],
                )
                rec.point(
                    ax,
                    its["gap_pct"],
                    y,
                    _(
                        "{country}, {initiative}: interrupted time series {gap} (95% CI {low} to {high})"
                    ).format(
                        country=country,
                        initiative=i["name"],
                        gap=signed_pct(its["gap_pct"], 0),
                        low=signed(lo, 0),
                        high=signed(hi, 0),
                    ),
                    row,
                )
            if syn and syn["gap_pct"] is not None:
                colour = VERDICT_COLOURS.get(i["effect"]["verdict"]["code"], GREY)
                ax.plot([syn["gap_pct"]], [y + 0.18], "D", color=colour, ms=5, mec="#333333", mew=0.5)
                row = rec.row(
                    {
                        **base,
                        "method": _("synthetic control"),
                        "gap_pct": syn["gap_pct"],
                        "p_value": syn["p_value"],
                    },
                    _("percent"),
                    sources[country],
                )
                rec.point(
                    ax,
                    syn["gap_pct"],
                    y + 0.18,
                    _("{country}, {initiative}: synthetic control {gap} (p = {p})").format(
                        country=country,
                        initiative=i["name"],
                        gap=signed_pct(syn["gap_pct"], 0),
                        p=num(syn["p_value"], 2),
                    ),
                    row,
                )
        ax.axvline(0, color="#555555", lw=0.8)
        ax.set_xlim(-100, X_MAX + 5)
        ax.set_yticks(
            range(len(rows)), [textwrap.fill(f"{c}: {i['name']}", 46) for c, i in reversed(rows)], fontsize=7
        )
        localize_ticks(ax, axis="x")
        ax.set_xlabel(_("Gap in the window, % of the counterfactual"))
        ax.grid(axis="x", color="#DDDDDD", lw=0.6)
        handles = [
            plt.Line2D([], [], color="#333333", marker="o", ms=4, label=_("Interrupted time series, 95% CI")),
            plt.Line2D(
                [],
                [],
                color=PALETTE[0],
                marker="D",
                ls="",
                mec="#333333",
                label=_("Synthetic control, distinguishable from placebo"),
            ),
            plt.Line2D(
                [],
                [],
                color=GREY,
                marker="D",
                ls="",
                mec="#333333",
                label=_("Synthetic control, not distinguishable or fit too poor"),
            ),
        ]
        ax.legend(
            handles=handles, frameon=False, fontsize=7, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=1
        )
        svg = _svg(fig, salt)
    alt = _(
        "Forest plot of the estimated effects of the initiatives, one row per initiative: {rows}."
    ).format(rows="; ".join(_forest_alt(c, i) for c, i in rows))
    return {"svg": svg, "alt": alt, **rec.finish(svg)}


def _forest_alt(country: str, i: dict) -> str:
    its, syn = i["effect"]["its"], i["effect"]["synthetic"]
    bits = []
    if its and its["gap_pct"] is not None:
        lo, hi = its["gap_pct_ci"]
        bits.append(
            _("time series {gap} ({low} to {high})").format(
                gap=signed_pct(its["gap_pct"], 0), low=signed(lo, 0), high=signed(hi, 0)
            )
        )
    if syn and syn["gap_pct"] is not None:
        bits.append(
            _("synthetic control {gap} (p = {p})").format(
                gap=signed_pct(syn["gap_pct"], 0), p=num(syn["p_value"], 2)
            )
        )
    return f"{country}, {i['name']}: " + ", ".join(bits)
