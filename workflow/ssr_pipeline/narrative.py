"""Researchers' Markdown: live figures (live.py), citations, safe HTML, checked fragments."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markupsafe import escape

from . import citations
from .errors import ProblemList
from .live import fill_figures, synthesis_namespace

PLACEHOLDER = "ZZCITE{}ZZ"


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s or "section"


def markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "html_block", "html_inline"])
    return md


def _mark_citations(text: str, refs: dict, display: str, problems: ProblemList):
    """Replace each [@key] group by a placeholder; return (text, groups, cited keys in order)."""
    cites: list[list] = []
    cited: list[str] = []
    lines = text.split("\n")
    for lineno, line in enumerate(lines, start=1):
        def repl(m, items, error, lineno=lineno):
            if error:
                problems.add(display, lineno, None, error)
                return m.group(0)
            for key, _ in items:
                if key not in refs:
                    problems.add(display, lineno, None, f"citation key '{key}' is not in the references")
                    return m.group(0)
            cites.append(items)
            cited.extend(key for key, _ in items if key not in cited)
            return PLACEHOLDER.format(len(cites) - 1)

        for m, items, error in reversed(list(citations.parse(line))):
            line = line[: m.start()] + repl(m, items, error) + line[m.end():]
        lines[lineno - 1] = line
    return "\n".join(lines), cites, cited


def _headings(tokens, id_prefix: str) -> list[dict]:
    """Give every heading an id (level 1 becomes 2); return the level-2 headings for the contents."""
    toc, used_ids = [], set()
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            if tok.tag == "h1":
                tok.tag = tokens[i + 2].tag = "h2"
            title = re.sub(r"ZZCITE\d+ZZ", "", tokens[i + 1].content).strip()
            hid = id_prefix + _slug(title)
            while hid in used_ids:
                hid += "-x"
            used_ids.add(hid)
            tok.attrSet("id", hid)
            if tok.tag == "h2":
                toc.append({"id": hid, "title": title, "level": 2})
        if tok.type == "link_open":
            tok.attrSet("rel", "noopener noreferrer")
    return toc


def _cite_html(items: list, labels: dict) -> str:
    parts = []
    for key, loc in items:
        lab = escape(labels.get(key, key)) + (escape(", " + loc) if loc else "")
        parts.append(f'<a class="cite" href="#ref-{escape(key)}">{lab}</a>')
    return "(" + "; ".join(parts) + ")"


def _claim_html(c: dict, id_prefix: str) -> str:
    status = "checked" if c["ok"] else "outside its tolerance"
    title = (f"Checked claim {c['n']}: {c['expr']} is {c['current']:.2f} in the current data "
             f"({status}); see Checked claims")
    cls = "claim" if c["ok"] else "claim claim-failed"
    return (f'<span class="{cls}" id="{id_prefix}claim-{c["n"]}" title="{escape(title)}">{escape(c["text"])}'
            f'<a class="claim-ref" href="#claims" aria-label="c{c["n"]}: checked claim {c["n"]}">'
            f'<sup>c{c["n"]}</sup></a></span>')


def render(text: str, ind: dict | None, refs: dict, labels: dict, display: str, problems: ProblemList,
           id_prefix: str = "n-", ns: dict | None = None, claims: list | None = None):
    """Return (html, toc, cited keys). Problems are recorded, not raised; checked claims are
    appended to ``claims``."""
    found: list[dict] = []
    text = fill_figures(text, ind, display, problems, ns=ns, claims=found)
    if claims is not None:
        claims.extend(found)
    text, cites, cited = _mark_citations(text, refs, display, problems)
    md = markdown()
    tokens = md.parse(text)
    toc = _headings(tokens, id_prefix)
    html = md.renderer.render(tokens, md.options, {})
    html = re.sub(r"ZZCITE(\d+)ZZ", lambda m: _cite_html(cites[int(m.group(1))], labels), html)
    html = re.sub(r"ZZCLAIM(\d+)ZZ", lambda m: _claim_html(found[int(m.group(1))], id_prefix), html)
    return html, toc, cited


def fragment(text: str, display: str, refs: dict, ind: dict | None = None, ns: dict | None = None) -> dict:
    """Check and render a narrative; raise InputError listing every problem.

    ``ind`` gives a country's names; ``ns`` a ready namespace (the synthesis). Checked claims
    are evaluated and recorded, held or not: whether a claim outside its tolerance stops the
    build is decided after the change summary is written (rule check_claims), so that the
    summary can say which revised values moved it.
    """
    problems = ProblemList()
    claims: list[dict] = []
    html, toc, cited = render(text, ind, refs, citations.labels(refs, refs.keys()), display, problems,
                              ns=ns, claims=claims)
    problems.raise_if_any()
    return {"html": html, "toc": toc, "cited": cited, "claims": claims}


def country_fragment(text: str, display: str, bundle: dict, ind: dict) -> dict:
    return fragment(text, display, bundle["references"], ind=ind)


def synthesis_fragment(text: str, display: str, comparative: dict, inds: list[dict], refs: dict) -> dict:
    ns = synthesis_namespace(comparative["study"], inds)
    return fragment(text, display, refs, ns=ns)

