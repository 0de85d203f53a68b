"""Cross-case figures for the synthesis report; every one grows with the number of cases.

Over 300 lines because it holds one function per cross-case figure, each independent of the
others and built on the shared helpers in figures.py.
"""

from __future__ import annotations

import math

import matplotlib
import matplotlib.patches

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from .effect_figures import forest
from .figure_data import Recorder
from .figures import (
    BASE_RC,
    KIND_TITLES,
    KIND_WORDS,
    NOT_CODED_TEXT,
    PALETTE,
    SCORE_TEXT,
    STYLES,
    USED_NAMES,
    _series_line,
    _svg,
    _year,
    chunks,
    in_pages,
    localize_ticks,
    page_salt,
)
from .fmt import in_sentence
from .i18n import N_, _, num, score

PANELS_PER_PAGE = 8
INDEX_TEXT = {
    "design": N_("{country}, design index: {value} of 100"),
    "practice": N_("{country}, practice index: {value} of 100"),
}


# Inches per country row, and inches of axes, labels and legend, of the figures with a row per
# country; from these each is cut into parts that fit a page (figures.in_pages).
HEATMAP_ROW, HEATMAP_FIXED = 0.32, 1.6
MATRIX_ROW, MATRIX_FIXED = 0.36, 1.6
GAP_ROW, GAP_FIXED = 0.4, 1.0
RANGE_ROW, RANGE_FIXED = 0.42, 1.1


# Long on purpose: one figure drawn step by step on shared axes and layout state; split, the steps would pass
# that state around.
def small_multiples(inds: list[dict], code: str, first_year: int, salt: str) -> list[dict]:
    """The effect indicator per country on a shared time axis, wrapped into pages of panels."""
    have = [i for i in inds if len(i["series"].get(code, {}).get("values", {})) >= 1]
    if not have:
        return []
    last_year = max(int(y) for i in have for y in i["series"][code]["values"])
    out = []
    for page, group in enumerate(chunks(have, PANELS_PER_PAGE)):
        ncols = 2
        nrows = math.ceil(len(group) / ncols)
        rec = Recorder(["country", "series", "code", "year", "value"])
        with matplotlib.rc_context(BASE_RC):
            fig, axes = plt.subplots(
                nrows, ncols, figsize=(7.2, 1.9 * nrows + 0.4), squeeze=False, sharex=True
            )
            for ax in axes.flat[len(group) :]:
                ax.set_visible(False)
            for ax, ind in zip(axes.flat, group):
                s = ind["series"][code]
                ys = list(s["values"].values())
                # Broken where a year is missing: a straight line across a gap would read as data.
                _series_line(
                    ax,
                    rec,
                    s,
                    code,
                    ind["country"]["name"],
                    ind["country"]["slug"],
                    color=PALETTE[0],
                    lw=1.6,
                    marker="o",
                    ms=2.5,
                )
                for ev in ind["events"]:
                    if ev["chart"]:
                        ax.axvline(_year(ev["date"]), color="#777777", lw=0.6, ls=":")
                ax.set_title(ind["country"]["name"], loc="left", fontsize=9)
                ax.set_ylim(min(0, min(ys) * 1.15), max(ys) * 1.15 if max(ys) > 0 else 1)
                ax.set_xlim(first_year - 0.5, last_year + 0.5)
                localize_ticks(ax)
                ax.grid(axis="y", color="#DDDDDD", lw=0.5)
            fig.supylabel(inds[0]["series"].get(code, have[0]["series"][code])["unit"], fontsize=8)
            fig.tight_layout()
            svg = _svg(fig, f"{salt}-{page + 1}")
        label = in_sentence(have[0]["series"][code]["short_name"])
        alt = _(
            "Small multiples of the {series}, one panel per country on a shared time axis, each with its own "
            "vertical scale; dotted lines mark key events. {countries}."
        ).format(
            series=label,
            countries="; ".join(
                _("{country}: {first} in {first_year} to {latest} in {latest_year}").format(
                    country=i["country"]["name"],
                    first=num(i["series"][code]["trajectory"]["first"]["value"], 1),
                    first_year=i["series"][code]["trajectory"]["first"]["year"],
                    latest=num(i["series"][code]["trajectory"]["latest"]["value"], 1),
                    latest_year=i["series"][code]["trajectory"]["latest"]["year"],
                )
                for i in group
            ),
        )
        out.append(
            {"svg": svg, "alt": alt, "countries": [i["country"]["name"] for i in group], **rec.finish(svg)}
        )
    missing = [i["country"]["name"] for i in inds if i not in have]
    if missing:
        out[-1]["missing"] = missing
    return out


# Long on purpose: one figure drawn step by step on shared axes and layout state; split, the steps would pass
# that state around.
def heatmap(rows: list[dict], dims: list[dict], salt: str) -> list[dict]:
    out = []
    for page, group in enumerate(in_pages(rows, HEATMAP_ROW, HEATMAP_FIXED)):
        rec = Recorder(["country", "dimension", "name", "kind", "score"])
        with matplotlib.rc_context(BASE_RC):
            fig, axes = plt.subplots(
                1, 2, figsize=(7.2, HEATMAP_ROW * len(group) + HEATMAP_FIXED), sharey=True
            )
            for ax, kind in zip(axes, ("design", "practice")):
                data = [
                    [
                        r[f"{d['id']}_{kind}"] if r[f"{d['id']}_{kind}"] is not None else float("nan")
                        for d in dims
                    ]
                    for r in group
                ]
                # pcolormesh stays vector in SVG (imshow would embed a bitmap).
                im = ax.pcolormesh(
                    [[v for v in row] for row in data],
                    cmap="cividis",
                    vmin=0,
                    vmax=4,
                    edgecolors="white",
                    linewidth=0.5,
                )
                ax.set_xlim(0, len(dims))
                ax.set_ylim(len(group), 0)
                for y, row in enumerate(data):
                    for x, v in enumerate(row):
                        if not math.isnan(v):
                            ax.text(
                                x + 0.5,
                                y + 0.5,
                                f"{int(v)}",
                                ha="center",
                                va="center",
                                fontsize=7,
                                color="white" if v < 2.5 else "black",
                            )
                        r, d = group[y], dims[x]
                        coded = None if math.isnan(v) else int(v)
                        cell = rec.row(
                            {
                                "country": r["country"],
                                "dimension": d["id"],
                                "name": d["name"],
                                "kind": _(KIND_WORDS[kind]),
                                "score": coded,
                            },
                            _("score 0-4"),
                            source=_("RQ1 coding, {file}, {dimension}").format(
                                file=f"inputs/{r['slug']}/orthodox.csv", dimension=d["id"]
                            ),
                        )
                        text = _(SCORE_TEXT[kind] if coded is not None else NOT_CODED_TEXT[kind]).format(
                            dimension=d["id"], name=d["name"], score=score(coded)
                        )
                        rec.rect(ax, x, x + 1, y, y + 1, f"{r['country']}, {text}", cell)
                ax.set_xticks([x + 0.5 for x in range(len(dims))], [d["id"] for d in dims], fontsize=7)
                ax.set_yticks([y + 0.5 for y in range(len(group))], [r["country"] for r in group])
                ax.set_title(_(KIND_TITLES[kind]))
                ax.tick_params(length=0)
                for side in ax.spines.values():
                    side.set_visible(False)
            # A legend of the five scores instead of a colour bar: the bar would be a bitmap.
            cmap = im.get_cmap()
            handles = [matplotlib.patches.Patch(facecolor=cmap(v / 4), label=str(v)) for v in range(5)]
            fig.legend(
                handles=handles,
                title=_("Score"),
                loc="center right",
                frameon=False,
                fontsize=7,
                title_fontsize=8,
            )
            fig.subplots_adjust(right=0.88)
            svg = _svg(fig, f"{salt}-{page + 1}")
        alt = _(
            "Heatmap of orthodox SSR dimension scores (0-4), countries by dimensions D1-D10, design on the left "
            "and practice on the right. {countries}."
        ).format(
            countries="; ".join(
                _("{country}: design {design}; practice {practice}").format(
                    country=r["country"],
                    design=", ".join(score(r[f"{d['id']}_design"]) for d in dims),
                    practice=", ".join(score(r[f"{d['id']}_practice"]) for d in dims),
                )
                for r in group
            )
        )
        out.append({"svg": svg, "alt": alt, **rec.finish(svg)})
    return out


def gap_chart(rows: list[dict], salt: str) -> list[dict]:
    """The design and practice indices per country, in parts that each fit a page."""
    scored = [r for r in rows if r["design_index"] is not None]
    pages = in_pages(scored, GAP_ROW, GAP_FIXED)
    return [_gap_part(group, page_salt(salt, k, len(pages))) for k, group in enumerate(pages)]


# Long on purpose: one figure drawn step by step on shared axes and layout state; split, the steps would pass
# that state around.
def _gap_part(scored: list[dict], salt: str) -> dict:
    rec = Recorder(["country", "index", "value"])
    with matplotlib.rc_context(BASE_RC):
        fig, ax = plt.subplots(figsize=(7.2, GAP_ROW * len(scored) + GAP_FIXED))
        for y, r in enumerate(reversed(scored)):
            for kind in ("design", "practice", "gap"):
                v = r[f"{kind}_index"]
                row = rec.row(
                    {"country": r["country"], "index": _(KIND_WORDS[kind]), "value": v},
                    _("index 0-100"),
                    source=_("RQ1 coding, {file} (mean score / 4 x 100)").format(
                        file=f"inputs/{r['slug']}/orthodox.csv"
                    ),
                )
                if kind != "gap":
                    rec.point(
                        ax, v, y, _(INDEX_TEXT[kind]).format(country=r["country"], value=num(v, 1)), row
                    )
            ax.plot([r["practice_index"], r["design_index"]], [y, y], color="#999999", lw=2, zorder=1)
            ax.scatter(
                [r["design_index"]],
                [y],
                color=PALETTE[0],
                s=40,
                zorder=2,
                label=_("Design") if y == 0 else None,
            )
            ax.scatter(
                [r["practice_index"]],
                [y],
                color=PALETTE[4],
                marker="D",
                s=36,
                zorder=2,
                label=_("Practice") if y == 0 else None,
            )
            ax.text(
                max(r["design_index"], r["practice_index"]) + 1.5,
                y,
                _("gap {value}").format(value=num(r["gap_index"], 0)),
                va="center",
                fontsize=7,
            )
        ax.set_yticks(range(len(scored)), [r["country"] for r in reversed(scored)])
        ax.set_xlim(0, 108)
        localize_ticks(ax, axis="x")
        ax.set_xlabel(_("Index (0-100)"))
        ax.legend(frameon=False, fontsize=8, loc="lower right", bbox_to_anchor=(1, 1), ncol=2)
        ax.grid(axis="x", color="#DDDDDD", lw=0.6)
        svg = _svg(fig, salt)
    alt = _("Dumbbell chart of the design and practice indices (0-100) per country: {countries}.").format(
        countries="; ".join(
            _("{country} design {design}, practice {practice}, gap {gap}").format(
                country=r["country"],
                design=num(r["design_index"], 0),
                practice=num(r["practice_index"], 0),
                gap=num(r["gap_index"], 0),
            )
            for r in scored
        )
    )
    return {"svg": svg, "alt": alt, **rec.finish(svg)}


def robustness(rows: list[dict], salt: str) -> list[dict]:
    """Each case's gap as coded and its range over the robustness variants, in parts that each
    fit a page."""
    scored = [r for r in rows if r.get("gap_index_min") is not None]
    pages = in_pages(scored, RANGE_ROW, RANGE_FIXED)
    return [_range_part(group, page_salt(salt, k, len(pages))) for k, group in enumerate(pages)]


def _range_part(scored: list[dict], salt: str) -> dict:
    rec = Recorder(["country", "gap_index", "gap_index_min", "gap_index_max"])
    with matplotlib.rc_context(BASE_RC):
        fig, ax = plt.subplots(figsize=(7.2, RANGE_ROW * len(scored) + RANGE_FIXED))
        for y, r in enumerate(reversed(scored)):
            ax.plot(
                [r["gap_index_min"], r["gap_index_max"]], [y, y], color="#999999", lw=5, solid_capstyle="butt"
            )
            ax.plot([r["gap_index"]], [y], "o", color=PALETTE[0], ms=6)
            row = rec.row(
                {k: r[k] for k in ("country", "gap_index", "gap_index_min", "gap_index_max")},
                _("index points"),
                source=_("RQ1 coding, {files}, recomputed under the robustness variants").format(
                    files=f"inputs/{r['slug']}/orthodox*.csv"
                ),
            )
            rec.rect(
                ax,
                r["gap_index_min"],
                r["gap_index_max"],
                y - 0.15,
                y + 0.15,
                _("{country}: gap {gap} as coded, {low} to {high} over the variants").format(
                    country=r["country"],
                    gap=num(r["gap_index"], 1),
                    low=num(r["gap_index_min"], 1),
                    high=num(r["gap_index_max"], 1),
                ),
                row,
            )
        ax.axvline(0, color="#555555", lw=0.6)
        ax.set_yticks(range(len(scored)), [r["country"] for r in reversed(scored)])
        localize_ticks(ax, axis="x")
        ax.set_xlabel(_("Design index minus practice index (points)"))
        ax.grid(axis="x", color="#DDDDDD", lw=0.6)
        svg = _svg(fig, salt)
    alt = _(
        "Range chart of the design-practice gap per country across the robustness variants: {countries}."
    ).format(
        countries="; ".join(
            _("{country} {gap} (from {low} to {high})").format(
                country=r["country"],
                gap=num(r["gap_index"], 1),
                low=num(r["gap_index_min"], 1),
                high=num(r["gap_index_max"], 1),
            )
            for r in scored
        )
    )
    return {"svg": svg, "alt": alt, **rec.finish(svg)}


# Long on purpose: one figure drawn step by step on shared axes and layout state; split, the steps would pass
# that state around.
def entry_point_matrix(inds: list[dict], entry_points: list[dict], salt: str) -> list[dict]:
    out = []
    for page, group in enumerate(in_pages(inds, MATRIX_ROW, MATRIX_FIXED)):
        rec = Recorder(["country", "entry_point", "name", "initiatives", "used", "partly_used", "not_used"])
        with matplotlib.rc_context(BASE_RC):
            fig, ax = plt.subplots(figsize=(7.2, MATRIX_ROW * len(group) + MATRIX_FIXED))
            for y, ind in enumerate(reversed(group)):
                for x, ep in enumerate(entry_points):
                    items = [i for i in ind["rq2"]["initiatives"] if i["entry_point"] == ep["code"]]
                    if not items:
                        continue
                    used = sum(i["used"] == "yes" for i in items)
                    partial = sum(i["used"] == "partial" for i in items)
                    if used:
                        style = {"color": PALETTE[0], "marker": "o"}
                    elif partial:
                        style = {
                            "facecolors": "white",
                            "edgecolors": PALETTE[4],
                            "marker": "o",
                            "linewidths": 2,
                        }
                    else:
                        style = {"color": "#999999", "marker": "x"}
                    ax.scatter([x], [y], s=60 + 25 * len(items), **style)
                    ax.text(x + 0.28, y + 0.18, str(len(items)), fontsize=6)
                    unused = len(items) - used - partial
                    row = rec.row(
                        {
                            "country": ind["country"]["name"],
                            "entry_point": ep["code"],
                            "name": ep["name"],
                            "initiatives": len(items),
                            "used": used,
                            "partly_used": partial,
                            "not_used": unused,
                        },
                        _("initiatives"),
                        source=_("RQ2 inventory, {file}").format(
                            file=f"inputs/{ind['country']['slug']}/initiatives.csv"
                        ),
                    )
                    # One msgid per number, both extracted (the catalogs' keywords are _ and N_ only).
                    counted = (
                        _(
                            "{country}, {entry_point} {name}: {n} initiative ({used} used, {partial} partly "
                            "used, {unused} not used)"
                        )
                        if len(items) == 1
                        else _(
                            "{country}, {entry_point} {name}: {n} initiatives ({used} used, {partial} partly used, "
                            "{unused} not used)"
                        )
                    )
                    rec.point(
                        ax,
                        x,
                        y,
                        counted.format(
                            country=ind["country"]["name"],
                            entry_point=ep["code"],
                            name=ep["name"],
                            n=len(items),
                            used=used,
                            partial=partial,
                            unused=unused,
                        ),
                        row,
                    )
            ax.set_xticks(
                range(len(entry_points)), [e["code"] for e in entry_points], fontsize=7, rotation=45
            )
            ax.set_yticks(range(len(group)), [i["country"]["name"] for i in reversed(group)])
            ax.set_xlim(-0.6, len(entry_points) - 0.4)
            ax.set_ylim(-0.6, len(group) - 0.4)
            ax.grid(color="#EEEEEE", lw=0.5)
            ax.set_axisbelow(True)
            handles = [
                plt.Line2D([], [], color=PALETTE[0], marker="o", ls="", label=_("Used")),
                plt.Line2D(
                    [],
                    [],
                    markerfacecolor="white",
                    markeredgecolor=PALETTE[4],
                    marker="o",
                    ls="",
                    mew=2,
                    label=_("Only partly used"),
                ),
                plt.Line2D([], [], color="#999999", marker="x", ls="", label=_("Not used")),
            ]
            ax.legend(
                handles=handles, frameon=False, fontsize=8, loc="lower right", bbox_to_anchor=(1, 1), ncol=3
            )
            svg = _svg(fig, f"{salt}-{page + 1}")
        parts = []
        for ind in group:
            present = []
            for ep in entry_points:
                items = [i for i in ind["rq2"]["initiatives"] if i["entry_point"] == ep["code"]]
                if items:
                    best = (
                        "yes"
                        if any(i["used"] == "yes" for i in items)
                        else ("partial" if any(i["used"] == "partial" for i in items) else "no")
                    )
                    present.append(f"{ep['code']} {_(USED_NAMES[best])}")
            parts.append(f"{ind['country']['name']}: " + (", ".join(present) or _("none recorded")))
        alt = _(
            "Matrix of second-generation entry-point types (columns 2G-1 to 2G-11) by country; a filled circle "
            "means used, an open circle only partly used, a cross not used; numbers count initiatives. "
            "{countries}."
        ).format(countries="; ".join(parts))
        out.append({"svg": svg, "alt": alt, **rec.finish(svg)})
    return out


# Long on purpose: one figure drawn step by step on shared axes and layout state; split, the steps would pass
# that state around.
def governance(inds: list[dict], codes: list[str], first_year: int, salt: str):
    """Trajectories of the compared outcome series (config: comparative.outcome_indicators)."""
    meta = {}
    for ind in inds:
        for c in codes:
            if len(ind["series"].get(c, {}).get("values", {})) >= 2:
                meta.setdefault(c, ind["series"][c])
    codes = [(c, meta[c]["short_name"], tuple(meta[c]["valid_range"])) for c in codes if c in meta]
    if not codes:
        return None
    many = len(inds) > len(PALETTE)
    rec = Recorder(["country", "series", "code", "year", "value"])
    with matplotlib.rc_context(BASE_RC):
        fig, axes = plt.subplots(1, len(codes), figsize=(7.2, 3.0), squeeze=False, sharex=True)
        for ax, (code, title, ylim) in zip(axes[0], codes):
            for k, ind in enumerate(inds):
                s = ind["series"].get(code)
                if not s or len(s["values"]) < 2:
                    continue
                style = (
                    {"color": "#888888", "lw": 0.6, "alpha": 0.5}
                    if many
                    else {"color": PALETTE[k % len(PALETTE)], "ls": STYLES[k % len(STYLES)], "lw": 1.5}
                )
                _series_line(
                    ax,
                    rec,
                    s,
                    code,
                    ind["country"]["name"],
                    ind["country"]["slug"],
                    label=ind["country"]["name"],
                    **style,
                )
            ax.set_title(title, fontsize=8)
            ax.set_ylim(*ylim)
            localize_ticks(ax)
            ax.set_xlim(left=first_year)
            ax.grid(axis="y", color="#DDDDDD", lw=0.5)
            ax.tick_params(axis="x", labelsize=7, rotation=45)
        fig.tight_layout()
        if not many:
            # One legend for all panels, below them, outside the data.
            handles, labels = axes[0][0].get_legend_handles_labels()
            fig.legend(
                handles,
                labels,
                frameon=False,
                fontsize=7,
                loc="upper center",
                ncol=min(4, len(labels)),
                bbox_to_anchor=(0.5, 0.0),
            )
        svg = _svg(fig, salt)
    parts = []
    for code, title, _ylim in codes:
        vals = []
        for ind in inds:
            t = ind["series"].get(code, {}).get("trajectory")
            if t:
                vals.append(
                    _("{country} {first} ({first_year}) to {latest} ({latest_year})").format(
                        country=ind["country"]["name"],
                        first=num(t["first"]["value"], 2),
                        first_year=t["first"]["year"],
                        latest=num(t["latest"]["value"], 2),
                        latest_year=t["latest"]["year"],
                    )
                )
        parts.append(f"{title}: " + ", ".join(vals))
    alt = _(
        "Governance trajectories side by side, one line per country; lines break where a year is missing. "
        "{series}."
    ).format(series="; ".join(parts))
    return {"svg": svg, "alt": alt, **rec.finish(svg)}


def build_all(inds: list[dict], comparative: dict, codebook: dict, settings: dict) -> dict:
    first_year = settings["figures"]["first_year"]
    code = settings["effect"]["indicator"]
    return {
        "small_multiples": small_multiples(inds, code, first_year, "syn-sm"),
        "heatmap": heatmap(comparative["rows"], codebook["dimensions"], "syn-heat"),
        "gaps": gap_chart(comparative["rows"], "syn-gap"),
        "gap_ranges": robustness(comparative["rows"], "syn-robust"),
        "entry_points": entry_point_matrix(inds, codebook["entry_points"], "syn-ep"),
        "forest": forest(inds, "syn-forest"),
        "governance": governance(inds, settings["comparative"]["outcome_indicators"], first_year, "syn-gov"),
    }
