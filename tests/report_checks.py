"""Checks every report must pass: numbering without gaps and cross-references that resolve."""

import re


def numbered(html: str) -> dict[str, list[int]]:
    """Numbers of the figures and tables as their captions show them, in document order."""
    figs = [
        (int(a), int(b))
        for a, b in re.findall(
            r'<figcaption id="fig-(\d+)-caption"><span class="label">Figure (\d+)\.</span>', html
        )
    ]
    tabs = [
        (int(a), int(b))
        for a, b in re.findall(
            r'<caption id="tab-(\d+)-caption"><span class="label">Table (\d+)\.</span>', html
        )
    ]
    for ident, n in figs + tabs:
        assert ident == n, (ident, n)
    return {"figures": [n for _, n in figs], "tables": [n for _, n in tabs]}


def assert_numbered_without_gaps(html: str) -> dict[str, list[int]]:
    got = numbered(html)
    for kind, ns in got.items():
        assert ns == list(range(1, len(ns) + 1)), (kind, ns)
    # Every mention of "Table N" / "Figure N" in the text names one that exists.
    for word, kind in (("Table", "tables"), ("Figure", "figures")):
        mentioned = {int(n) for n in re.findall(rf"\b{word} (\d+)\b", re.sub(r"<[^>]+>", "", html))}
        assert mentioned <= set(got[kind]), (word, sorted(mentioned), got[kind])
    return got


def assert_links_resolve(html: str) -> None:
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    targets = set(re.findall(r'href="#([^"]+)"', html))
    assert targets <= ids, sorted(targets - ids)


def assert_pdf_numbered(text: str, got: dict[str, list[int]]) -> None:
    """The PDF text shows the same labels, and its cross-references carry page numbers."""
    for word, kind in (("Table", "tables"), ("Figure", "figures")):
        labels = {int(n) for n in re.findall(rf"\b{word} (\d+)\.", text)}
        assert labels == set(got[kind]), (word, sorted(labels), got[kind])
    if got["tables"] or got["figures"]:
        assert re.search(r"(Table|Figure) \d+ \(p\. \d+\)", text), "no cross-reference with a page number"
