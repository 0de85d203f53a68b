"""Matplotlib figures as deterministic SVG, with alt text built from the data.

Over 300 lines because each of the country report's figures is one function drawn step by step,
and the helpers here (style, ticks, hover marks, SVG output) are shared with synthesis_figures and
effect_figures; the figure functions are independent of each other.
"""

from __future__ import annotations

import html
import io
import re
import textwrap

import matplotlib
import matplotlib.patches
import matplotlib.ticker

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from . import dates, i18n
from .figure_data import Recorder, broken_at_gaps, isolated_years, value_text
from .fmt import in_sentence
from .i18n import N_, _, date, num, score
from .inputs import split_keys

# Okabe-Ito: distinguishable with the common colour-vision deficiencies and in greyscale
# when combined with the line styles below.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
STYLES = ["-", "--", "-.", ":"]
USED_COLOURS = {"yes": "#0072B2", "partial": "#E69F00", "no": "#BBBBBB"}

# Reader-facing words, translated where they are drawn (the language is set per job).
USED_NAMES = {"yes": N_("used"), "partial": N_("partly used"), "no": N_("not used")}
USED_ANSWERS = {"yes": N_("yes"), "partial": N_("partial"), "no": N_("no")}
INITIATIVE_ACTIVE = {
    "yes": N_("Initiative active, used"),
    "partial": N_("Initiative active, partly used"),
    "no": N_("Initiative active, not used"),
}
KIND_TITLES = {"design": N_("Design"), "practice": N_("Practice")}
KIND_WORDS = {"design": N_("design"), "practice": N_("practice"), "gap": N_("gap")}
SCORE_TEXT = {
    "design": N_("{dimension} {name}, design: {score} of 4"),
    "practice": N_("{dimension} {name}, practice: {score} of 4"),
}
NOT_CODED_TEXT = {
    "design": N_("{dimension} {name}, design: not coded"),
    "practice": N_("{dimension} {name}, practice: not coded"),
}

BASE_RC = {
    # Text stays text: readers can select and search it, and a large synthesis keeps its
    # tens of thousands of labels out of glyph references, which the PDF renderer pays for.
    "svg.fonttype": "none",
    # Written into the SVG as "'DejaVu Sans', sans-serif": a browser without DejaVu falls back to
    # a sans-serif, not to its default serif.
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "figure.dpi": 100,
    # Names, labels and units come from researchers' files: draw them as typed. With mathtext
    # on, "$\\nosuchmacro$" in an initiative's name crashed the job and "$5m" turned italic.
    "text.parse_math": False,
}


# The tallest drawing, in inches, that one A4 page of a report holds with its caption: print.css
# leaves 251 mm between the margins, and a figure drawn 7.2 in wide is scaled to the 170 mm text
# width. A taller figure would run off its page, and a PDF cuts it there.
PAGE_HEIGHT_IN = 9.0


def chunks(items: list, n: int) -> list[list]:
    """`items` in runs of `n`, the last one shorter; no items give no runs."""
    return [items[i : i + n] for i in range(0, len(items), n)]


def in_pages(items: list, per_row: float, fixed: float) -> list[list]:
    """`items` in runs that each fit a page as rows of `per_row` inches, below and above which
    the axes, labels and legend take `fixed` inches."""
    return chunks(items, max(1, int((PAGE_HEIGHT_IN - fixed) // per_row)))


def page_salt(salt: str, page: int, pages: int) -> str:
    """The ids' prefix of one page of a figure; a figure on one page keeps the figure's own."""
    return salt if pages == 1 else f"{salt}-{page + 1}"


def _svg(fig, salt: str) -> str:
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": salt}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    # Keep only the <svg> element so the figure can be inlined in HTML, and make its ids
    # unique within a report that inlines several figures.
    text = text[text.index("<svg") :]
    # Matplotlib's RDF metadata (rdf:RDF, cc:Work, dc:*) is not allowed in HTML's inline SVG.
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.DOTALL)
    text = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{salt}-{m.group(1)}"', text)
    text = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{salt}-{m.group(1)}"', text)
    text = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{salt}-{m.group(1)})", text)
    return text


def _year(value: str) -> float:
    return dates.parse(value).decimal_year()


def _tick_decimals(locs) -> int:
    """The fewest decimals (up to 4) that write every tick value exactly: 0, 0.5, 1 -> 1."""
    for decimals in range(5):
        if all(abs(v - round(v, decimals)) <= 1e-9 * max(1.0, abs(v)) for v in locs):
            return decimals
    return 4


def localize_ticks(*axes, axis: str = "y") -> None:
    """Numeric tick labels in the report's language ('0,5', '−1,5'), on the value axis of each axes.

    English keeps matplotlib's own formatter, so its figures do not change by a byte.
    """
    if i18n.current().code == i18n.SOURCE:
        return
    for ax in axes:
        (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(_tick_formatter())


def _tick_formatter() -> matplotlib.ticker.FuncFormatter:
    def write(x, pos):
        # Matplotlib hands the formatter every tick value (set_locs) before it writes any one of them,
        # so all ticks of an axis get the same number of decimals.
        return num(x, _tick_decimals(formatter.locs if len(formatter.locs) else [x]))

    formatter = matplotlib.ticker.FuncFormatter(write)
    return formatter


def _series_line(ax, rec: Recorder | None, series: dict, code: str, who: str = "", slug: str = "", **style):
    """A yearly series as a line broken at missing years, every value recorded for the reader.

    Years with no neighbour get a marker of their own when the style has none, so that a
    value between two gaps still shows.
    """
    xs, ys = broken_at_gaps(series["values"])
    ax.plot(xs, ys, gid=f"line-{code}" + (f"-{slug}" if slug else ""), **style)
    lone = isolated_years(series["values"])
    if lone and not style.get("marker"):
        ax.plot(
            lone,
            [series["values"][str(y)] for y in lone],
            ls="",
            marker="o",
            ms=2.5,
            color=style.get("color"),
            alpha=style.get("alpha", 1),
        )
    if rec is None:
        return
    for year in sorted(int(y) for y in series["values"]):
        v = series["values"][str(year)]
        row = rec.row(
            {"country": who, "series": series["short_name"], "code": code, "year": year, "value": v},
            series["unit"],
            series.get("sources", []),
        )
        prefix = f"{who}: " if who else ""
        rec.point(
            ax, year, v, f"{prefix}{series['short_name']}, {year}: {value_text(v)} {series['unit']}", row
        )


def event_levels(xs: list[float], min_gap: float) -> list[int]:
    """Row of each event number in the band above a chart: the lowest row where it keeps
    ``min_gap`` (in x units) from the last number already there, so no two numbers touch."""
    last: list[float] = []
    levels = []
    for x in xs:
        for level, prev in enumerate(last):
            if x - prev >= min_gap:
                last[level] = x
                levels.append(level)
                break
        else:
            last.append(x)
            levels.append(len(last) - 1)
    return levels


def _event_sources(bundle: dict | None, event_id: str) -> list[str]:
    for e in (bundle or {}).get("events", []):
        if e["id"] == event_id:
            return split_keys(e.get("sources") or "")
    return []


# Long on purpose: one figure drawn step by step on shared axes and layout state; split, the steps would pass
# that state around.
def outcome(ind: dict, settings: dict, with_initiatives: bool, salt: str, bundle: dict | None = None):
    """The effect indicator over time, its comparators (codebook) dashed, key events numbered
    in a band above the plot (so the numbers never sit on a line), the legend below it."""
    code = settings["effect"]["indicator"]
    series = ind["series"].get(code)
    if not series or len(series["values"]) < 2:
        return None
    first_year = settings["figures"]["first_year"]
    comparators = [(c, s) for c, s in ind["series"].items() if s.get("comparator_of") == code]
    marked = [e for e in ind["events"] if e["chart"]]
    rec = Recorder(["series", "code", "year", "value"])
    xs = [int(y) for y in series["values"]]
    x_lo, x_hi = min(first_year, min(xs)) - 0.5, max(max(xs), 2023) + 0.5
    # Numbers closer than about 1.2 of their widths share no row; the band grows a row at a time.
    order = sorted(range(len(marked)), key=lambda k: _year(marked[k]["date"]))
    by_x = event_levels([_year(marked[k]["date"]) for k in order], min_gap=(x_hi - x_lo) * 0.03)
    levels = [by_x[order.index(k)] for k in range(len(marked))]
    rows = max(levels, default=-1) + 1
    with matplotlib.rc_context(BASE_RC):
        band_h = 0.16 * rows + 0.08 if rows else 0
        fig = plt.figure(figsize=(7.2, 3.6 + band_h))
        if rows:
            grid = fig.add_gridspec(2, 1, height_ratios=[band_h, 3.0], hspace=0.0)
            band = fig.add_subplot(grid[0])
            ax = fig.add_subplot(grid[1], sharex=band)
        else:
            band, ax = None, fig.add_subplot(1, 1, 1)
        rec.watch(ax)
        _series_line(
            ax, rec, series, code, color=PALETTE[0], lw=2, marker="o", ms=3, label=series["short_name"]
        )
        for k, (ccode, comp) in enumerate(comparators):
            _series_line(
                ax,
                rec,
                comp,
                ccode,
                color=PALETTE[1 + k],
                lw=1.2,
                ls="--",
                label=_("{series}, comparator").format(series=comp["short_name"]),
            )
        top = max(
            list(series["values"].values()) + [v for _c, comp in comparators for v in comp["values"].values()]
        )
        handles_extra = []
        if with_initiatives:
            shown = []
            for ini in (x for x in ind["rq2"]["initiatives"] if x["active_years"]):
                y0, y1 = ini["active_years"][0], ini["active_years"][-1] + 1
                ax.axvspan(y0, y1, color=USED_COLOURS[ini["used"]], alpha=0.12, lw=0)
                if ini["used"] not in shown:
                    shown.append(ini["used"])
            handles_extra = [
                matplotlib.patches.Patch(color=USED_COLOURS[u], alpha=0.25, label=_(INITIATIVE_ACTIVE[u]))
                for u in ("yes", "partial", "no")
                if u in shown
            ]
        for k, (ev, level) in enumerate(zip(marked, levels)):
            x = _year(ev["date"])
            ax.axvline(x, color="#555555", lw=0.8, ls=":")
            band.plot([x, x], [0, level + 0.2], color="#555555", lw=0.6, ls=":")
            band.text(
                x,
                level + 0.25,
                str(k + 1),
                fontsize=7,
                color="#333333",
                ha="center",
                va="bottom",
                gid=f"event-{k + 1}",
            )
            row = rec.row(
                {
                    "series": _("event {n}: {label}").format(n=k + 1, label=ev["label"]),
                    "code": ev["id"],
                    "year": ev["date"],
                    "value": None,
                },
                _("date"),
                _event_sources(bundle, ev["id"]),
            )
            rec.rect(
                band,
                x - 0.45,
                x + 0.45,
                level + 0.2,
                level + 1.0,
                _("Event {n}, {date}: {label}").format(n=k + 1, date=date(ev["date"]), label=ev["label"]),
                row,
            )
        if band is not None:
            band.set_ylim(0, rows + 0.1)
            # No axis lines or ticks; the background stays, it locates the event numbers in the SVG.
            band.tick_params(left=False, bottom=False, labelleft=False, labelbottom=False)
            for side in band.spines.values():
                side.set_visible(False)
        ax.set_xlim(x_lo, x_hi)
        ax.set_ylim(bottom=0, top=top * 1.08)
        ax.set_ylabel(series["unit"])
        localize_ticks(ax)
        handles, labels = ax.get_legend_handles_labels()
        # Below the plot, outside the data.
        ax.legend(
            handles + handles_extra,
            labels + [h.get_label() for h in handles_extra],
            frameon=False,
            fontsize=8,
            loc="upper left",
            bbox_to_anchor=(0, -0.1),
            ncol=2,
        )
        ax.grid(axis="y", color="#DDDDDD", lw=0.6)
        svg = _svg(fig, salt)
    traj = series["trajectory"]
    alt = _(
        "Line chart of the {series} in {country}, {first_year} to {last_year} ({unit}). It peaks at {peak} in "
        "{peak_year} and stands at {latest} in {latest_year}."
    ).format(
        series=in_sentence(series["short_name"]),
        country=ind["country"]["name"],
        first_year=xs[0],
        last_year=xs[-1],
        unit=series["unit"],
        peak=num(traj["peak"]["value"], 1),
        peak_year=traj["peak"]["year"],
        latest=num(traj["latest"]["value"], 1),
        latest_year=traj["latest"]["year"],
    )
    if marked:
        alt += " " + _("Numbered dotted lines mark: {events}.").format(
            events="; ".join(f"{k + 1} {e['label']} ({e['date'][:4]})" for k, e in enumerate(marked))
        )
    for _c, comp in comparators:
        alt += " " + _("A dashed line shows the {series} as a comparator.").format(
            series=in_sentence(comp["short_name"])
        )
    if with_initiatives:
        alt += " " + _("Shaded bands show the active years of the initiatives in the inventory.")
    return {
        "svg": svg,
        "alt": alt,
        "events": [{"n": k + 1, "label": e["label"], "date": e["date"]} for k, e in enumerate(marked)],
        **rec.finish(svg),
    }


# Long on purpose: one figure drawn step by step on shared axes and layout state; split, the steps would pass
# that state around.
def governance(ind: dict, settings: dict, salt: str):
    """The configured governance series, one panel per unit (WGI estimates, V-Dem indices...)."""
    codes = [
        c
        for c in settings["figures"]["governance_indicators"]
        if c in ind["series"] and len(ind["series"][c]["values"]) >= 2
    ]
    if not codes:
        return None
    panels: dict[str, list[str]] = {}
    for c in codes:
        panels.setdefault(ind["series"][c]["unit"], []).append(c)
    rec = Recorder(["series", "code", "year", "value"])
    with matplotlib.rc_context(BASE_RC):
        fig, axes = plt.subplots(1, len(panels), figsize=(7.2, 3.2), squeeze=False)
        for ax, (unit, group) in zip(axes[0], panels.items()):
            for i, code in enumerate(group):
                s = ind["series"][code]
                _series_line(
                    ax,
                    rec,
                    s,
                    code,
                    color=PALETTE[i % len(PALETTE)],
                    ls=STYLES[i % len(STYLES)],
                    lw=1.6,
                    label=s["short_name"],
                )
            ax.set_title(unit, fontsize=8)
            lo, hi = ind["series"][group[0]]["valid_range"]
            if lo < 0 < hi:
                ax.axhline(0, color="#999999", lw=0.6)
            ax.set_ylim(lo, hi)
            localize_ticks(ax)
            # Below the panel, outside the data.
            ax.legend(frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(0, -0.12))
            ax.grid(axis="y", color="#DDDDDD", lw=0.6)
        svg = _svg(fig, salt)
    parts = []
    for code in codes:
        t = ind["series"][code]["trajectory"]
        parts.append(
            _("{series} from {first} in {first_year} to {latest} in {latest_year}").format(
                series=ind["series"][code]["short_name"],
                first=num(t["first"]["value"], 2),
                first_year=t["first"]["year"],
                latest=num(t["latest"]["value"], 2),
                latest_year=t["latest"]["year"],
            )
        )
    alt = _("Line charts of governance indicators for {country}: {series}.").format(
        country=ind["country"]["name"], series="; ".join(parts)
    )
    gaps = [
        ind["series"][c]["short_name"]
        for c in codes
        if len(broken_at_gaps(ind["series"][c]["values"])[0]) > len(ind["series"][c]["values"])
    ]
    if gaps:
        alt += " " + _("Lines break where a year is missing ({series}).").format(series=", ".join(gaps))
    return {"svg": svg, "alt": alt, "codes": codes, **rec.finish(svg)}


def _coding_sources(bundle: dict | None, table: str, key: str, value) -> list[str]:
    for row in (bundle or {}).get(table, []):
        if row.get(key) == value:
            return split_keys(row.get("sources") or "")
    return []


# Long on purpose: one figure drawn step by step on shared axes and layout state; split, the steps would pass
# that state around.
def rq1_scores(ind: dict, salt: str, bundle: dict | None = None):
    dims = ind["rq1"]["dimensions"]
    if not dims:
        return None
    slug = ind["country"]["slug"]
    rec = Recorder(["dimension", "name", "kind", "score"])
    with matplotlib.rc_context(BASE_RC):
        fig, ax = plt.subplots(figsize=(7.2, 0.38 * len(dims) + 1.0))
        ys = list(range(len(dims)))[::-1]
        h = 0.38
        ax.barh(
            [y + h / 2 for y in ys],
            [d["design"] for d in dims],
            height=h,
            color=PALETTE[0],
            label=_("Design"),
        )
        ax.barh(
            [y - h / 2 for y in ys],
            [d["practice"] for d in dims],
            height=h,
            color=PALETTE[4],
            hatch="///",
            edgecolor="white",
            label=_("Practice"),
        )
        for y, d in zip(ys, dims):
            keys = _coding_sources(bundle, "orthodox", "dimension", d["id"])
            for kind, y0 in (("design", y), ("practice", y - h)):
                row = rec.row(
                    {"dimension": d["id"], "name": d["name"], "kind": _(KIND_WORDS[kind]), "score": d[kind]},
                    _("score 0-4"),
                    keys,
                    _("RQ1 coding, {file}, {dimension}").format(
                        file=f"inputs/{slug}/orthodox.csv", dimension=d["id"]
                    ),
                )
                rec.rect(
                    ax,
                    0,
                    max(d[kind], 0.08),
                    y0,
                    y0 + h,
                    _(SCORE_TEXT[kind]).format(dimension=d["id"], name=d["name"], score=score(d[kind])),
                    row,
                )
        ax.set_yticks(ys, [f"{d['id']} {d['name']}" for d in dims])
        ax.set_xlim(0, 4)
        ax.set_xticks(range(5))
        localize_ticks(ax, axis="x")
        ax.set_xlabel(_("Score (0 = absent, 4 = systematic and sustained)"))
        ax.legend(frameon=False, fontsize=8, loc="lower right", bbox_to_anchor=(1, 1), ncol=2)
        ax.grid(axis="x", color="#DDDDDD", lw=0.6)
        svg = _svg(fig, salt)
    alt = _(
        "Paired bar chart of design and practice scores (0-4) for the {n} orthodox SSR dimensions in "
        "{country}: {scores}."
    ).format(
        n=len(dims),
        country=ind["country"]["name"],
        scores="; ".join(
            _("{dimension} design {design}, practice {practice}").format(
                dimension=d["id"], design=score(d["design"]), practice=score(d["practice"])
            )
            for d in dims
        ),
    )
    return {"svg": svg, "alt": alt, **rec.finish(svg)}


LABEL_WIDTH = 34  # characters per line of an initiative's label in the timeline; longer names wrap


def wrap_label(text: str, width: int = LABEL_WIDTH) -> str:
    """A label on as many lines as it needs: never shortened, never cut with an ellipsis."""
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)) or text


# Long on purpose: one figure drawn step by step on shared axes and layout state; split, the steps would pass
# that state around.
def rq2_timeline(ind: dict, salt: str, bundle: dict | None = None):
    items = [i for i in ind["rq2"]["initiatives"] if i["start"]]
    if not items:
        return None
    latest = ind["data_vintage"]["latest_year"] or 2023
    labels = [wrap_label(f"{i['entry_point']}  {i['name']}") for i in reversed(items)]
    lines = [lab.count("\n") + 1 for lab in labels]
    # Each row is as tall as its label: rows are stacked at cumulative heights.
    heights = [max(1.0, 0.62 * n) for n in lines]
    centres = [sum(heights[:k]) + heights[k] / 2 for k in range(len(items))]
    rec = Recorder(["initiative", "entry_point", "start", "end", "used"])
    with matplotlib.rc_context(BASE_RC):
        fig, ax = plt.subplots(figsize=(7.2, 0.34 * sum(heights) + 1.1))
        for y, ini in zip(centres, reversed(items)):
            x0 = _year(ini["start"])
            x1 = _year(ini["end"]) + 1 / 12 if ini["end"] else latest + 1
            ax.barh(
                y,
                x1 - x0,
                left=x0,
                height=0.6,
                color=USED_COLOURS[ini["used"]],
                hatch="" if ini["used"] == "yes" else ("//" if ini["used"] == "partial" else ".."),
                edgecolor="#333333",
                lw=0.4,
            )
            row = rec.row(
                {
                    "initiative": ini["name"],
                    "entry_point": ini["entry_point"],
                    "start": ini["start"],
                    "end": ini["end"],
                    "used": ini["used"],
                },
                _("date"),
                _coding_sources(bundle, "initiatives", "id", ini["id"]),
            )
            rec.rect(
                ax,
                x0,
                x1,
                y - 0.3,
                y + 0.3,
                _("{name} ({entry_point}): {start} to {end}; {used}").format(
                    name=ini["name"],
                    entry_point=ini["entry_point"],
                    start=date(ini["start"]),
                    end=date(ini["end"]) if ini["end"] else _("ongoing"),
                    used=_(USED_NAMES[ini["used"]]),
                ),
                row,
            )
        ax.set_yticks(centres, labels)
        ax.set_ylim(0, sum(heights))
        handles = [
            matplotlib.patches.Patch(facecolor=USED_COLOURS[k], edgecolor="#333333", hatch=h, label=lab)
            for k, h, lab in (
                ("yes", "", _("Used")),
                ("partial", "//", _("Partly used")),
                ("no", "..", _("Not used")),
            )
        ]
        ax.legend(
            handles=handles, frameon=False, fontsize=8, loc="lower right", bbox_to_anchor=(1, 1), ncol=3
        )
        ax.grid(axis="x", color="#DDDDDD", lw=0.6)
        svg = _svg(fig, salt)
    alt = _(
        "Timeline of {n} second-generation initiatives in {country}, by entry-point type: {initiatives}."
    ).format(
        n=len(items),
        country=ind["country"]["name"],
        initiatives="; ".join(
            _("{name} ({entry_point}, {start} to {end}, used: {used})").format(
                name=i["name"],
                entry_point=i["entry_point"],
                start=i["start"][:4],
                end=i["end"][:4] if i["end"] else _("ongoing"),
                used=_(USED_ANSWERS[i["used"]]),
            )
            for i in items
        ),
    )
    return {"svg": svg, "alt": alt, **rec.finish(svg)}


def build_all(ind: dict, settings: dict, bundle: dict | None = None) -> dict:
    """Every figure of a country's reports, keyed as layout.COUNTRY_FIGURES names them.

    ``bundle`` (the validated inputs) gives each drawn value its sources; without it the
    figures are the same and only the sources of coded values and events are left empty.
    """
    slug = ind["country"]["slug"]
    from .effect_figures import initiative_figure

    figs = {
        "outcome": outcome(ind, settings, False, f"{slug}-outcome", bundle),
        "outcome_initiatives": outcome(ind, settings, True, f"{slug}-outcome-initiatives", bundle),
        "governance": governance(ind, settings, f"{slug}-governance"),
        "rq1_scores": rq1_scores(ind, f"{slug}-rq1", bundle),
        "rq2_timeline": rq2_timeline(ind, f"{slug}-rq2", bundle),
        # One per initiative with an estimate; kept in the figures manifest, inlined in the RQ2 report.
        "effects": {
            i["id"]: initiative_figure(ind, i, settings, f"{slug}-effect-{i['id']}")
            for i in ind["rq2"]["initiatives"]
        },
    }
    return figs


def no_data_svg(name: str) -> str:
    """Placeholder written when a figure has nothing to draw (the reports omit it)."""
    title = html.escape(_("No data for figure {name}").format(name=name), quote=False)
    text = html.escape(_("No data to draw"), quote=False)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40" viewBox="0 0 400 40">'
        f"<title>{title}</title>"
        f'<text x="10" y="25" font-family="sans-serif" font-size="14">{text}</text></svg>\n'
    )
