"""What a figure draws, as data: the values a reader can hover or focus, and the CSV behind it.

A figure function records every point, bar or cell it draws (``Recorder.point`` / ``.rect``)
with the row of data behind it. After the SVG is written, ``Recorder.finish`` places each mark
in percent of the SVG's width and height, read from the axes boxes in the SVG itself (each axes
background carries a known id), so the marks sit exactly over what was drawn. The report lays
the marks out as a list of focusable items over the picture (HTML only, no script) and offers
the rows as a CSV download; the PDF keeps the static picture.

Nothing here imports matplotlib: the recorder only calls the transforms of the axes it is given.
"""

from __future__ import annotations

import math
import re

from .i18n import _, integer, num

AXES_GID = "data-axes-{k}"


def broken_at_gaps(values: dict) -> tuple[list[float], list[float]]:
    """x and y of a yearly series with a NaN between years that are not consecutive.

    Matplotlib breaks a line at NaN, so a missing year leaves a gap instead of a straight
    segment that would read as data.
    """
    xs: list[float] = []
    ys: list[float] = []
    prev = None
    for year, value in sorted(((int(y), v) for y, v in values.items()), key=lambda p: p[0]):
        if prev is not None and year != prev + 1:
            xs.append(math.nan)
            ys.append(math.nan)
        xs.append(year)
        ys.append(value)
        prev = year
    return xs, ys


def isolated_years(values: dict) -> list[int]:
    """Years with no neighbour on either side: a line cannot show them, a marker must."""
    years = {int(y) for y in values}
    return sorted(y for y in years if y - 1 not in years and y + 1 not in years)


def value_text(v: float) -> str:
    """A drawn value for a reader: about three significant digits, exact in the CSV."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return _("no value")
    if isinstance(v, int) or float(v).is_integer() and abs(v) >= 10:
        return integer(v)
    a = abs(v)
    digits = 1 if a >= 10 else 2 if a >= 1 else 3
    # round() first: Python's rounding of the binary value, as these texts have always been written.
    return num(round(v, digits), digits)


class Recorder:
    """Collects the marks of one figure while it is drawn."""

    def __init__(self, columns: list[str]):
        self.columns = list(columns)  # the CSV's columns before "unit" and "source"
        self.axes: list = []
        self.marks: list[dict] = []
        self.rows: list[dict] = []

    def _axes_index(self, ax) -> int:
        for k, known in enumerate(self.axes):
            if known is ax:
                return k
        self.axes.append(ax)
        ax.patch.set_gid(AXES_GID.format(k=len(self.axes) - 1))
        return len(self.axes) - 1

    def watch(self, ax) -> None:
        """Give an axes its id in the SVG even before anything on it is recorded."""
        self._axes_index(ax)

    def row(self, values: dict, unit: str, sources=(), source: str = "") -> dict:
        row = {
            **{c: values.get(c) for c in self.columns},
            "unit": unit,
            "sources": list(sources),
            "source": source,
        }
        self.rows.append(row)
        return row

    def point(self, ax, x, y, text: str, row: dict) -> None:
        """A drawn point (a marker or a line vertex) at data coordinates x, y."""
        if x is None or y is None or (isinstance(y, float) and math.isnan(y)):
            return
        self.marks.append(
            {
                "ax": self._axes_index(ax),
                "x": float(x),
                "y": float(y),
                "text": text,
                "sources": row["sources"],
                "source": row["source"],
            }
        )

    def rect(self, ax, x0, x1, y0, y1, text: str, row: dict) -> None:
        """A drawn bar or cell spanning data coordinates x0..x1, y0..y1."""
        self.marks.append(
            {
                "ax": self._axes_index(ax),
                "x": float(x0),
                "x1": float(x1),
                "y": float(y0),
                "y1": float(y1),
                "text": text,
                "sources": row["sources"],
                "source": row["source"],
            }
        )

    def finish(self, svg: str) -> dict:
        """Marks in percent of the SVG, the CSV rows, and each axes' geometry (for the tests)."""
        width, height = svg_size(svg)
        boxes = axes_boxes(svg)
        axes = []
        frames = []
        for k, ax in enumerate(self.axes):
            box = boxes[AXES_GID.format(k=k)]
            to_axes = ax.transData + ax.transAxes.inverted()
            frames.append((box, to_axes))
            axes.append(
                {
                    "box": [round(v, 3) for v in box],
                    "xlim": list(map(float, ax.get_xlim())),
                    "ylim": list(map(float, ax.get_ylim())),
                }
            )
        marks = []
        for m in self.marks:
            (bx0, by0, bx1, by1), to_axes = frames[m["ax"]]

            def place(x, y, to_axes=to_axes, bx0=bx0, by0=by0, bx1=bx1, by1=by1):
                fx, fy = to_axes.transform((x, y))
                return (bx0 + fx * (bx1 - bx0)) / width * 100, (by1 - fy * (by1 - by0)) / height * 100

            out = {"text": m["text"], "sources": m["sources"], "source": m["source"]}
            if "x1" in m:
                (ax0, ay0), (ax1, ay1) = place(m["x"], m["y"]), place(m["x1"], m["y1"])
                left, top = min(ax0, ax1), min(ay0, ay1)
                out.update(x=_pct(left), y=_pct(top), w=_pct(abs(ax1 - ax0)), h=_pct(abs(ay1 - ay0)))
            else:
                px, py = place(m["x"], m["y"])
                out.update(x=_pct(px), y=_pct(py))
            marks.append(out)
        return {
            "marks": marks,
            "data": {"columns": [*self.columns, "unit", "source"], "rows": self.rows},
            "axes": axes,
        }


def _pct(v) -> float:
    return round(float(v), 2)


_NUM = r"(-?[\d.]+(?:e-?\d+)?)"


def svg_size(svg: str) -> tuple[float, float]:
    m = re.search(r'viewBox="0 0 ' + _NUM + " " + _NUM + '"', svg)
    return float(m.group(1)), float(m.group(2))


def axes_boxes(svg: str) -> dict[str, tuple[float, float, float, float]]:
    """(x0, y0, x1, y1) in SVG units of every recorded axes background, by its gid (salt removed)."""
    out = {}
    for m in re.finditer(r'<g id="(?:[^"]*-)?(data-axes-\d+)">\s*<path d="([^"]+)"', svg):
        nums = [float(v) for v in re.findall(_NUM, m.group(2))]
        xs, ys = nums[0::2], nums[1::2]
        out[m.group(1)] = (min(xs), min(ys), max(xs), max(ys))
    return out


def path_vertices(d: str) -> list[list[tuple[float, float]]]:
    """The subpaths of an SVG path (M/L commands only, as matplotlib writes lines)."""
    parts: list[list[tuple[float, float]]] = []
    for cmd, x, y in re.findall(r"([ML])\s*" + _NUM + r"\s+" + _NUM, d):
        if cmd == "M" or not parts:
            parts.append([])
        parts[-1].append((float(x), float(y)))
    return parts
