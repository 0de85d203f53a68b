"""The report model: what a report holds, in order, numbered once everything is known.

A builder (country.py, synthesis.py) declares sections, and in them the figures and tables
that appear; a table without rows or a figure without a drawing is simply not added.
``Report.finish`` then numbers figures and tables in document order, so numbers run 1..n
with no gap, and gives the templates plain data: sections, the lists of figures and
tables, and ``refs`` (key -> id, number, label) for cross-references. Templates only lay
this out; they decide nothing about what appears.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass, field
from urllib.parse import quote

from markupsafe import Markup

from .. import citations, i18n


@dataclass
class Figure:
    key: str
    caption: str
    alt: str
    svg: str
    sources: list[str] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    marks: list[dict] = field(default_factory=list)
    data_uri: str = ""
    data_file: str = ""
    kind: str = "figure"
    n: int = 0
    id: str = ""


@dataclass
class Table:
    key: str
    caption: str
    rows: list
    kind: str = "table"
    n: int = 0
    id: str = ""


@dataclass
class Section:
    """A part of the report laid out by ``templates/sections/<template>.html.j2``.

    ``items`` are its figures and tables in the order they appear; ``data`` is whatever
    else the template lays out; ``toc`` lists its entries in the contents (the narrative
    contributes one per heading).
    """

    id: str
    title: str
    template: str
    items: list = field(default_factory=list)
    data: dict = field(default_factory=dict)
    toc: list | None = None


class Sources:
    """Works cited by a report, in first-use order, and its bibliography."""

    def __init__(self, refs: dict):
        self.refs = refs
        self.used: list[str] = []
        self.labels = citations.labels(refs, refs.keys())

    def use(self, keys) -> list[str]:
        keys = list(keys)
        for k in keys:
            if k in self.refs and k not in self.used:
                self.used.append(k)
        return keys

    def bibliography(self) -> list[dict]:
        bib = [citations.bib_entry(self.refs[k], self.labels[k]) for k in self.used]
        return sorted(bib, key=lambda b: (b["label"].casefold(), b["id"]))


def strip_svg(svg: str) -> Markup:
    """The SVG of a figure ready to inline: no comments, no blank lines."""
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.DOTALL)
    svg = re.sub(r"\n\s*\n", "\n", svg)
    return Markup(svg.strip())


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _tip(mark: dict, labels: dict) -> str:
    source = _source_text(mark, labels)
    return (
        i18n._("%(text)s. Source: %(source)s") % {"text": mark["text"], "source": source}
        if source
        else mark["text"]
    )


def _source_text(item: dict, labels: dict) -> str:
    """'RQ1 coding, inputs/x/orthodox.csv, D1 (Call 2003; Pam 2009)', or the cited works alone."""
    cited = "; ".join(labels.get(k, k) for k in item.get("sources", []))
    note = item.get("source") or ""
    return f"{note} ({cited})" if note and cited else note or cited


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    value = str(value)
    # Spreadsheets execute cells that start like a formula; quote them (as comparative.csv does).
    return "'" + value if value.startswith(FORMULA_START) and not _is_number(value) else value


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def figure_csv(data: dict, labels: dict) -> str:
    """The exact values a figure draws, one row each, with their unit and source."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(data["columns"])
    for row in data["rows"]:
        w.writerow(
            [_csv_cell(_source_text(row, labels) if c == "source" else row.get(c)) for c in data["columns"]]
        )
    return buf.getvalue()


def figure(key: str, drawn: dict | None, caption: str, sources=(), sources_registry: Sources | None = None):
    """A Figure from a drawing of the figures manifest, or None when nothing was drawn.

    The drawing's marks (every value drawn, placed in percent of the picture) get their text
    and source for hover and focus, and its data rows become the figure's CSV download.
    """
    if not drawn:
        return None
    labels = sources_registry.labels if sources_registry is not None else {}
    if sources_registry is not None:
        sources_registry.use(sources)
        for m in drawn.get("marks", []):
            sources_registry.use(m.get("sources", []))
    marks = [
        {**{k: v for k, v in m.items() if k in ("x", "y", "w", "h")}, "tip": _tip(m, labels)}
        for m in drawn.get("marks", [])
    ]
    data = drawn.get("data")
    uri = "data:text/csv;charset=utf-8," + quote(figure_csv(data, labels), safe="") if data else ""
    return Figure(
        key=key,
        caption=caption,
        alt=drawn["alt"],
        svg=strip_svg(drawn["svg"]),
        sources=list(sources),
        events=list(drawn.get("events", [])),
        marks=marks,
        data_uri=uri,
    )


def table(key: str, caption: str, rows: list):
    """A Table, or None when it has no rows (an empty table is not shown or numbered)."""
    return Table(key=key, caption=caption, rows=list(rows)) if rows else None


class Report:
    def __init__(self, kind: str, sources: Sources, **meta):
        self.kind = kind
        self.sources = sources
        self.meta = meta
        self.sections: list[Section] = []

    def add(self, section: Section | None, *items) -> Section | None:
        if section is None:
            return None
        section.items.extend(i for i in items if i is not None)
        self.sections.append(section)
        return section

    def items(self, kind: str) -> list:
        return [i for s in self.sections for i in s.items if i.kind == kind]

    def finish(self) -> dict:
        """Number figures and tables in document order; return the templates' context."""
        refs = {}
        stem = f"{self.meta['country']['slug']}-{self.kind}" if self.meta.get("country") else self.kind
        for kind, prefix in (("figure", "fig"), ("table", "tab")):
            for n, item in enumerate(self.items(kind), start=1):
                item.n, item.id = n, f"{prefix}-{n}"
                if kind == "figure":
                    item.data_file = f"{stem}-figure-{n}.csv"
                if item.key in refs:
                    raise ValueError(f"two items of report '{self.kind}' share the key '{item.key}'")
                refs[item.key] = {"kind": kind, "n": n, "id": item.id}
        contents = []
        for s in self.sections:
            contents.extend(s.toc if s.toc is not None else [{"id": s.id, "title": s.title, "level": 2}])
        return {
            "report": self.kind,
            **self.meta,
            "sections": [_plain(s) for s in self.sections],
            "contents": contents,
            "figures": [asdict(f) for f in self.items("figure")],
            "tables": [_plain_table(t) for t in self.items("table")],
            "refs": refs,
            "cite": self.sources.labels,
            "bibliography": self.sources.bibliography(),
        }


def _plain(section: Section) -> dict:
    out = {"id": section.id, "title": section.title, "template": section.template, **section.data}
    out["content"] = [asdict(i) if i.kind == "figure" else _plain_table(i) for i in section.items]
    out["item"] = {i["key"]: i for i in out["content"]}
    return out


def _plain_table(t: Table) -> dict:
    return {"key": t.key, "caption": t.caption, "rows": t.rows, "kind": t.kind, "n": t.n, "id": t.id}
