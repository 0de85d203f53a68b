"""Author-date citations and bibliography entries from references.yaml data."""

from __future__ import annotations

import re
from string import ascii_lowercase

from .i18n import _

CITE_RE = re.compile(r"\[(@[^\[\]]+)\]")
ITEM_RE = re.compile(r"^@([a-z0-9]+(?:[-_][a-z0-9]+)*)(?:\s*,\s*(.+))?$")


def family(author: str) -> str:
    return author.split(",", 1)[0].strip() if "," in author else author.strip()


def named(authors: list[str]) -> list[str]:
    """The authors references.yaml names; "others" marks a list cut short on purpose."""
    return [a for a in authors if a.strip().lower() != "others"]


def author_label(authors: list[str]) -> str:
    names = [family(a) for a in named(authors)]
    if len(authors) > len(names) or len(names) >= 3:
        return f"{names[0]} et al."
    if len(names) == 2:
        return _("{first} and {second}").format(first=names[0], second=names[1])
    return names[0]


def year_text(year) -> str:
    """The year as cited; an undated work ('n.d.' in references.yaml) in the report's language."""
    return _("n.d.") if str(year).strip().lower() == "n.d." else str(year)


def labels(refs: dict, keys) -> dict:
    """In-text labels 'Author Year' for the given keys, with a/b suffixes where they clash."""
    base = {k: (author_label(refs[k]["author"]), year_text(refs[k]["year"])) for k in keys if k in refs}
    groups: dict[tuple, list[str]] = {}
    for k, lab in base.items():
        groups.setdefault(lab, []).append(k)
    out = {}
    for (auth, year), ks in groups.items():
        if len(ks) == 1:
            out[ks[0]] = f"{auth} {year}"
        else:
            for i, k in enumerate(sorted(ks, key=lambda k: (refs[k]["title"].casefold(), k))):
                out[k] = f"{auth} {year}{ascii_lowercase[i % 26]}"
    return out


def parse(text: str):
    """Yield (match, [(key, locator)], error) for each [@...] group in the text."""
    for m in CITE_RE.finditer(text):
        items, error = [], None
        for part in m.group(1).split(";"):
            im = ITEM_RE.match(part.strip())
            if not im:
                error = f"malformed citation '{part.strip()}' (write [@key] or [@key, p. 12])"
                break
            items.append((im.group(1), (im.group(2) or "").strip()))
        yield m, items, error


def bib_entry(ref: dict, label: str) -> dict:
    """Plain parts of a bibliography entry; the template escapes and styles them."""
    authors = ref["author"]
    listed = named(authors)
    if len(listed) < len(authors):
        who = _("{names} and others").format(names=", ".join(listed))
    elif len(authors) == 1:
        who = authors[0]
    else:
        who = _("{first} and {second}").format(first=", ".join(authors[:-1]), second=authors[-1])
    year = (
        label.rsplit(" ", 1)[-1]
        if label[-1:].isalpha() and label[-2:-1].isdigit()
        else year_text(ref["year"])
    )
    tail = []
    if ref.get("volume"):
        vol = str(ref["volume"]) + (f"({ref['issue']})" if ref.get("issue") else "")
        tail.append(vol + (f": {ref['pages']}" if ref.get("pages") else ""))
    for field in ("publisher", "place"):
        if ref.get(field):
            tail.append(str(ref[field]))
    return {
        "id": ref["id"],
        "label": label,
        "authors": who,
        "year": year,
        "title": ref["title"],
        "italic_title": ref["type"] in ("book", "report", "dataset", "thesis"),
        "container": ref.get("container", ""),
        "tail": ". ".join(tail),
        "doi": ref.get("doi", ""),
        "url": ref.get("url", ""),
        "accessed": str(ref.get("accessed", "") or ""),
        "note": ref.get("note", ""),
        "type": ref["type"],
    }
