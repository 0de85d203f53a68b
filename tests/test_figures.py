"""Figure quality, read from the SVGs: no label cut with an ellipsis, no line across a missing
year, legends and event numbers off the data; and every drawn value placed for hover and focus.

The figures are drawn here from the shipped inputs (no build needed) and read back as SVG with
the geometry each drawing records (figure_data.Recorder).
"""

from __future__ import annotations

import copy
import itertools
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import shipped_panel, svg_texts
from ssr_pipeline import compare, figures, settings, synthesis_figures
from ssr_pipeline.errors import ProblemList
from ssr_pipeline.figure_data import broken_at_gaps, path_vertices
from ssr_pipeline.indicators import compute
from ssr_pipeline.inputs import load_codebook, load_country

ROOT = Path(__file__).resolve().parent.parent
CONFIG = settings.defaults()
SLUGS = ["el-salvador", "bosnia-herzegovina", "sierra-leone", "timor-leste"]
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def cases():
    problems = ProblemList()
    codebook = load_codebook(ROOT / "inputs", ROOT, problems)
    out = {"_codebook": codebook}
    for slug in SLUGS:
        bundle = load_country(ROOT / "inputs", slug, codebook, ROOT, problems, narratives=False)
        out[slug] = (copy.deepcopy(bundle), compute(bundle, CONFIG, shipped_panel()))
    assert not problems
    return out


@pytest.fixture(scope="module")
def drawings(cases):
    """(name, drawing) for every figure of every case and of the synthesis."""
    out = []
    for slug in SLUGS:
        bundle, ind = cases[slug]
        for name, fig in figures.build_all(ind, CONFIG, bundle).items():
            if name == "effects":  # one drawing per estimated initiative
                out += [(f"{slug}/effect-{i}", f) for i, f in fig.items() if f]
            elif fig:
                out.append((f"{slug}/{name}", fig))
    inds = [cases[slug][1] for slug in SLUGS]
    comp = compare.build(inds, cases["_codebook"], {}, CONFIG)
    for name, fig in synthesis_figures.build_all(inds, comp, comp["codebook"], CONFIG).items():
        for k, part in enumerate(fig if isinstance(fig, list) else [fig]):
            if part:
                out.append((f"synthesis/{name}-{k + 1}", part))
    return out


@pytest.mark.slow  # draws every figure of every shipped case
def test_no_label_is_cut_with_an_ellipsis(drawings):
    assert drawings
    for name, fig in drawings:
        for text in svg_texts(fig["svg"]):
            assert not text.endswith(("…", "...")), f"{name}: label cut: {text!r}"


def test_initiative_names_are_drawn_in_full(cases):
    for slug in SLUGS:
        bundle, ind = cases[slug]
        fig = figures.rq2_timeline(ind, "t", bundle)
        if fig is None:
            continue
        drawn = " ".join(svg_texts(fig["svg"]))
        drawn = re.sub(r"\s+", " ", drawn)
        for ini in ind["rq2"]["initiatives"]:
            if ini["start"]:
                assert re.sub(r"\s+", " ", ini["name"]) in drawn, f"{slug}: {ini['name']!r} not drawn in full"


def _clip_rects(root) -> dict[str, tuple[float, float, float, float]]:
    out = {}
    for cp in root.iter(f"{SVG}clipPath"):
        rect = cp.find(f"{SVG}rect")
        if rect is not None:
            x, y, w, h = (float(rect.get(k)) for k in ("x", "y", "width", "height"))
            out[cp.get("id")] = (x, y, x + w, y + h)
    return out


def _axes_for(box, axes):
    for a in axes:
        if all(abs(u - v) < 0.05 for u, v in zip(a["box"], box)):
            return a
    raise AssertionError(f"no recorded axes at {box}")


def line_years(fig: dict) -> dict[str, list[list[float]]]:
    """The drawn series lines (gid line-<code>[-<slug>]) as lists of years, one list per subpath."""
    root = ET.fromstring(fig["svg"])
    clips = _clip_rects(root)
    out = {}
    for g in root.iter(f"{SVG}g"):
        m = re.search(r"line-(.+)$", g.get("id", ""))
        path = g.find(f"{SVG}path")
        if not m or path is None:
            continue
        clip = re.search(r"url\(#([^)]+)\)", path.get("clip-path", "")).group(1)
        a = _axes_for(clips[clip], fig["axes"])
        (x0, _, x1, _), (lo, hi) = a["box"], a["xlim"]
        out[m.group(1)] = [
            [lo + (x - x0) / (x1 - x0) * (hi - lo) for x, _ in part] for part in path_vertices(path.get("d"))
        ]
    return out


def test_lines_break_at_missing_years(drawings):
    seen_gap = False
    for name, fig in drawings:
        for line, parts in line_years(fig).items():
            for part in parts:
                for a, b in itertools.pairwise(part):
                    assert abs((b - a) - 1) < 0.02, (
                        f"{name}: line {line} joins {a:.2f} and {b:.2f} across a gap"
                    )
            seen_gap |= len(parts) > 1
    assert seen_gap, "no series with a missing year was drawn: the check above saw no gap"


def test_a_missing_year_breaks_the_line_in_a_small_multiple(cases):
    _bundle, ind = cases["bosnia-herzegovina"]
    ind = copy.deepcopy(ind)
    values = ind["series"]["homicide_rate"]["values"]
    years = sorted(values, key=int)
    # Two values with a four-year hole between them must not be joined.
    del values[years[-3]], values[years[-4]], values[years[-5]]
    fig = synthesis_figures.small_multiples([ind], "homicide_rate", 1990, "sm")[0]
    parts = line_years(fig)["homicide_rate-bosnia-herzegovina"]
    xs, _ = broken_at_gaps(values)
    assert len(parts) == sum(1 for x in xs if math.isnan(x)) + 1
    assert not any(b - a > 1.02 for part in parts for a, b in itertools.pairwise(part))


def test_event_numbers_keep_apart_in_rows():
    # Five events within two years, as El Salvador's 2012-2015: no two share a row unless apart.
    xs = [1992.0, 1992.04, 2003.0, 2008.0, 2012.2, 2014.0, 2015.0]
    levels = figures.event_levels(xs, min_gap=1.0)
    for i, (x, lv) in enumerate(zip(xs, levels)):
        for x2, lv2 in zip(xs[:i], levels[:i]):
            assert lv != lv2 or abs(x - x2) >= 1.0
    assert levels[:2] == [0, 1] and max(levels) == 1


def _translate(el) -> tuple[float, float] | None:
    """Where a group's text is drawn: its <text> element's x and y (or a translate())."""
    for sub in el.iter():
        if sub.tag == f"{SVG}text":
            return float(sub.get("x")), float(sub.get("y"))
        m = re.search(r"translate\(([-\d.]+)[ ,]([-\d.]+)\)", sub.get("transform", ""))
        if m:
            return float(m.group(1)), float(m.group(2))
    return None


def test_event_numbers_sit_in_a_band_above_the_data(cases):
    bundle, ind = cases["el-salvador"]
    fig = figures.outcome(ind, CONFIG, True, "o", bundle)
    root = ET.fromstring(fig["svg"])
    band, plot = fig["axes"][1]["box"], fig["axes"][0]["box"]
    spots = []
    for g in root.iter(f"{SVG}g"):
        if re.search(r"-event-\d+$", g.get("id", "")):
            x, y = _translate(g)
            assert band[1] - 1 <= y <= band[3] + 1, f"event number at y={y} is outside the band {band}"
            assert y < plot[1], "event number inside the plot"
            spots.append((x, y))
    assert len(spots) == len(fig["events"]) >= 5
    for i, (x, y) in enumerate(spots):
        for x2, y2 in spots[:i]:
            assert abs(y - y2) > 4 or abs(x - x2) > 8, f"event numbers overlap at {x:.0f},{y:.0f}"


def _legend_points(root):
    for g in root.iter(f"{SVG}g"):
        if re.search(r"legend_\d+$", g.get("id", "")):
            for el in g.iter():
                t = _translate(el) if el.get("transform") else None
                if t:
                    yield t
                if el.tag == f"{SVG}path" and el.get("d"):
                    for part in path_vertices(el.get("d")):
                        yield from part


def test_legends_sit_outside_the_data(drawings):
    checked = 0
    for name, fig in drawings:
        root = ET.fromstring(fig["svg"])
        boxes = [a["box"] for a in fig["axes"]]
        for x, y in _legend_points(root):
            checked += 1
            for x0, y0, x1, y1 in boxes:
                assert not (x0 + 1 < x < x1 - 1 and y0 + 1 < y < y1 - 1), (
                    f"{name}: legend at {x:.0f},{y:.0f} on the data"
                )
    assert checked > 50


def test_every_drawn_value_is_placed_with_its_data(drawings):
    for name, fig in drawings:
        assert fig["marks"], f"{name}: no values recorded"
        assert len(fig["marks"]) <= len(fig["data"]["rows"]), name
        assert fig["data"]["columns"][-2:] == ["unit", "source"], name
        for m in fig["marks"]:
            assert -2 <= m["x"] <= 102 and -2 <= m["y"] <= 102, f"{name}: {m['text']} placed off the picture"
            assert m["sources"] or m["source"], f"{name}: {m['text']} has no source"


def _tick_labels(root, axis: str) -> list[list[tuple[float, float]]]:
    """For each axes of a figure, (x, width) of its x tick labels. Width from DejaVu Sans's
    advances: digits and most letters about 0.64 em, so a label of n characters spans ~0.64·n em."""
    out = []
    for axes in root.iter(f"{SVG}g"):
        if not re.search(r"(^|-)axes_\d+$", axes.get("id", "")):
            continue
        labels = []
        for tick in axes.iter(f"{SVG}g"):
            if not re.search(rf"(^|-){axis}tick_\d+$", tick.get("id", "")):
                continue
            for text in tick.iter(f"{SVG}text"):
                transform = text.get("transform", "")
                if re.search(r"rotate\((?!-?0[ )])", transform):
                    continue  # a slanted label takes less room along the axis
                size = float(re.search(r"font-size: ([\d.]+)px", text.get("style")).group(1))
                moved = re.search(r"translate\(([-\d.]+)", transform)
                x = float(text.get("x") or moved.group(1))
                lines = [t.text or "" for t in text.iter(f"{SVG}tspan")] or [text.text or ""]
                labels.append((x, 0.64 * size * max(map(len, lines))))
        out.append(sorted(labels))
    return out


@pytest.mark.slow  # draws every figure of every shipped case
def test_year_labels_on_an_axis_do_not_run_into_each_other(drawings):
    checked = 0
    for name, fig in drawings:
        for labels in _tick_labels(ET.fromstring(fig["svg"]), "x"):
            for (x1, w1), (x2, w2) in itertools.pairwise(labels):
                assert x2 - x1 >= (w1 + w2) / 2 + 2, f"{name}: x tick labels at {x1:.0f} and {x2:.0f} overlap"
                checked += 1
    assert checked > 100
