"""Matplotlib figures as deterministic SVG, with alt text built from the data."""

from __future__ import annotations

import io
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from . import dates
from .fmt import in_sentence, num

# Okabe-Ito: distinguishable with the common colour-vision deficiencies and in greyscale
# when combined with the line styles below.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
STYLES = ["-", "--", "-.", ":"]
USED_COLOURS = {"yes": "#0072B2", "partial": "#E69F00", "no": "#BBBBBB"}

BASE_RC = {
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "figure.dpi": 100,
}


def _svg(fig, salt: str) -> str:
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": salt}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    # Keep only the <svg> element so the figure can be inlined in HTML, and make its ids
    # unique within a report that inlines several figures.
    text = text[text.index("<svg"):]
    # Matplotlib's RDF metadata (rdf:RDF, cc:Work, dc:*) is not allowed in HTML's inline SVG.
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.DOTALL)
    text = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{salt}-{m.group(1)}"', text)
    text = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{salt}-{m.group(1)}"', text)
    text = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{salt}-{m.group(1)})", text)
    return text


def _year(date: str) -> float:
    return dates.parse(date).decimal_year()


def outcome(ind: dict, settings: dict, with_initiatives: bool, salt: str):
    """The effect indicator over time, its comparators (codebook) dashed, key events numbered."""
    code = settings["effect"]["indicator"]
    series = ind["series"].get(code)
    if not series or len(series["values"]) < 2:
        return None
    first_year = settings["figures"]["first_year"]
    comparators = [s for s in ind["series"].values() if s.get("comparator_of") == code]
    with matplotlib.rc_context(BASE_RC):
        fig, ax = plt.subplots(figsize=(7.2, 3.6))
        xs = [int(y) for y in series["values"]]
        ys = list(series["values"].values())
        ax.plot(xs, ys, color=PALETTE[0], lw=2, marker="o", ms=3, label=series["short_name"])
        for k, comp in enumerate(comparators):
            ax.plot([int(y) for y in comp["values"]], list(comp["values"].values()), color=PALETTE[1 + k],
                    lw=1.2, ls="--", label=f"{comp['short_name']}, comparator")
        top = max(ys + [v for comp in comparators for v in comp["values"].values()])
        if with_initiatives:
            for i, ini in enumerate(x for x in ind["rq2"]["initiatives"] if x["active_years"]):
                y0, y1 = ini["active_years"][0], ini["active_years"][-1] + 1
                ax.axvspan(y0, y1, color=USED_COLOURS[ini["used"]], alpha=0.12, lw=0)
        marked = [e for e in ind["events"] if e["chart"]]
        for k, ev in enumerate(marked):
            x = _year(ev["date"])
            ax.axvline(x, color="#555555", lw=0.8, ls=":")
            ax.text(x, top * (0.98 - 0.09 * (k % 4)), f" {k + 1}", fontsize=7, color="#333333", va="top")
        ax.set_xlim(left=min(first_year, xs[0]) - 0.5, right=max(xs[-1], 2023) + 0.5)
        ax.set_ylim(bottom=0, top=top * 1.08)
        ax.set_ylabel(series["unit"])
        ax.legend(frameon=False, fontsize=8, loc="upper right")
        ax.grid(axis="y", color="#DDDDDD", lw=0.6)
        svg = _svg(fig, salt)
    traj = series["trajectory"]
    alt = (f"Line chart of the {in_sentence(series['short_name'])} in {ind['country']['name']}, {xs[0]} to {xs[-1]} "
           f"({series['unit']}). It peaks at {num(traj['peak']['value'], 1)} in {traj['peak']['year']} "
           f"and stands at {num(traj['latest']['value'], 1)} in {traj['latest']['year']}.")
    if marked:
        alt += " Numbered dotted lines mark: " + "; ".join(
            f"{k + 1} {e['label']} ({e['date'][:4]})" for k, e in enumerate(marked)) + "."
    for comp in comparators:
        alt += f" A dashed line shows the {in_sentence(comp['short_name'])} as a comparator."
    if with_initiatives:
        alt += " Shaded bands show the active years of the initiatives in the inventory."
    return {"svg": svg, "alt": alt, "events": [{"n": k + 1, "label": e["label"], "date": e["date"]}
                                              for k, e in enumerate(marked)]}


def governance(ind: dict, settings: dict, salt: str):
    """The configured governance series, one panel per unit (WGI estimates, V-Dem indices...)."""
    codes = [c for c in settings["figures"]["governance_indicators"]
             if c in ind["series"] and len(ind["series"][c]["values"]) >= 2]
    if not codes:
        return None
    panels: dict[str, list[str]] = {}
    for c in codes:
        panels.setdefault(ind["series"][c]["unit"], []).append(c)
    with matplotlib.rc_context(BASE_RC):
        fig, axes = plt.subplots(1, len(panels), figsize=(7.2, 3.2), squeeze=False)
        for ax, (unit, group) in zip(axes[0], panels.items()):
            for i, code in enumerate(group):
                s = ind["series"][code]
                ax.plot([int(y) for y in s["values"]], list(s["values"].values()),
                        color=PALETTE[i % len(PALETTE)], ls=STYLES[i % len(STYLES)], lw=1.6,
                        label=s["short_name"])
            ax.set_title(unit, fontsize=8)
            lo, hi = ind["series"][group[0]]["valid_range"]
            if lo < 0 < hi:
                ax.axhline(0, color="#999999", lw=0.6)
            ax.set_ylim(lo, hi)
            ax.legend(frameon=False, fontsize=7, loc="lower left")
            ax.grid(axis="y", color="#DDDDDD", lw=0.6)
        svg = _svg(fig, salt)
    parts = []
    for code in codes:
        t = ind["series"][code]["trajectory"]
        parts.append(f"{ind['series'][code]['short_name']} from {num(t['first']['value'], 2)} in "
                     f"{t['first']['year']} to {num(t['latest']['value'], 2)} in {t['latest']['year']}")
    alt = f"Line charts of governance indicators for {ind['country']['name']}: " + "; ".join(parts) + "."
    return {"svg": svg, "alt": alt, "codes": codes}


def rq1_scores(ind: dict, salt: str):
    dims = ind["rq1"]["dimensions"]
    if not dims:
        return None
    with matplotlib.rc_context(BASE_RC):
        fig, ax = plt.subplots(figsize=(7.2, 0.38 * len(dims) + 1.0))
        ys = list(range(len(dims)))[::-1]
        h = 0.38
        ax.barh([y + h / 2 for y in ys], [d["design"] for d in dims], height=h, color=PALETTE[0],
                label="Design")
        ax.barh([y - h / 2 for y in ys], [d["practice"] for d in dims], height=h, color=PALETTE[4],
                hatch="///", edgecolor="white", label="Practice")
        ax.set_yticks(ys, [f"{d['id']} {d['name']}" for d in dims])
        ax.set_xlim(0, 4)
        ax.set_xticks(range(5))
        ax.set_xlabel("Score (0 = absent, 4 = systematic and sustained)")
        ax.legend(frameon=False, fontsize=8, loc="lower right", bbox_to_anchor=(1, 1), ncol=2)
        ax.grid(axis="x", color="#DDDDDD", lw=0.6)
        svg = _svg(fig, salt)
    alt = (f"Paired bar chart of design and practice scores (0-4) for the {len(dims)} orthodox SSR "
           f"dimensions in {ind['country']['name']}: " + "; ".join(
               f"{d['id']} design {d['design']}, practice {d['practice']}" for d in dims) + ".")
    return {"svg": svg, "alt": alt}


def rq2_timeline(ind: dict, salt: str):
    items = [i for i in ind["rq2"]["initiatives"] if i["start"]]
    if not items:
        return None
    latest = ind["data_vintage"]["latest_year"] or 2023
    with matplotlib.rc_context(BASE_RC):
        fig, ax = plt.subplots(figsize=(7.2, 0.34 * len(items) + 1.1))
        for row, ini in enumerate(reversed(items)):
            x0 = _year(ini["start"])
            x1 = _year(ini["end"]) + 1 / 12 if ini["end"] else latest + 1
            ax.barh(row, x1 - x0, left=x0, height=0.6, color=USED_COLOURS[ini["used"]],
                    hatch="" if ini["used"] == "yes" else ("//" if ini["used"] == "partial" else ".."),
                    edgecolor="#333333", lw=0.4)
        ax.set_yticks(range(len(items)), [f"{i['entry_point']}  {_short(i['name'])}" for i in reversed(items)])
        handles = [matplotlib.patches.Patch(facecolor=USED_COLOURS[k], edgecolor="#333333", hatch=h, label=lab)
                   for k, h, lab in (("yes", "", "Used"), ("partial", "//", "Partly used"),
                                     ("no", "..", "Not used"))]
        ax.legend(handles=handles, frameon=False, fontsize=8, loc="lower right", bbox_to_anchor=(1, 1), ncol=3)
        ax.grid(axis="x", color="#DDDDDD", lw=0.6)
        svg = _svg(fig, salt)
    alt = (f"Timeline of {len(items)} second-generation initiatives in {ind['country']['name']}, by "
           "entry-point type: " + "; ".join(
               f"{i['name']} ({i['entry_point']}, {i['start'][:4]} to {i['end'][:4] if i['end'] else 'ongoing'}, "
               f"used: {i['used']})" for i in items) + ".")
    return {"svg": svg, "alt": alt}


def _short(name: str, n: int = 42) -> str:
    name = re.sub(r"\s*\(.*?\)", "", name)
    return name if len(name) <= n else name[: n - 1] + "…"


def build_all(ind: dict, settings: dict) -> dict:
    """Every figure of a country's reports, keyed as layout.COUNTRY_FIGURES names them."""
    slug = ind["country"]["slug"]
    figs = {
        "outcome": outcome(ind, settings, False, f"{slug}-outcome"),
        "outcome_initiatives": outcome(ind, settings, True, f"{slug}-outcome-initiatives"),
        "governance": governance(ind, settings, f"{slug}-governance"),
        "rq1_scores": rq1_scores(ind, f"{slug}-rq1"),
        "rq2_timeline": rq2_timeline(ind, f"{slug}-rq2"),
    }
    return figs


def no_data_svg(name: str) -> str:
    """Placeholder written when a figure has nothing to draw (the reports omit it)."""
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40" viewBox="0 0 400 40">'
            f'<title>No data for figure {name}</title>'
            '<text x="10" y="25" font-family="sans-serif" font-size="14">No data to draw</text></svg>\n')
