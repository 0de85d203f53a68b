"""Researchers' Markdown: live figures (live.py), citations, safe HTML, checked fragments."""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import escape

from . import citations, i18n
from .errors import ProblemList
from .i18n import _
from .io import read_text
from .live import Markers, claim_problem, fill_figures, synthesis_namespace

# Links that stay live: web addresses, e-mail and anchors within the report. Anything else
# (file paths, //host/share or \\host\share network paths, smb:, javascript:) is shown as the
# text the researcher typed: a report opened from disk must not resolve a path on the network.
SAFE_LINK = re.compile(r"(?i)(https?://[^\s/\\]|mailto:[^\s]|#[A-Za-z0-9_.:-]*$)")


def safe_link(url: str) -> bool:
    return bool(SAFE_LINK.match(url))


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s or "section"


def markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "html_block", "html_inline"])
    md.validateLink = safe_link
    return md


def _mark_citations(text: str, refs: dict, display: str, problems: ProblemList, markers: Markers):
    """Replace each [@key] group by a placeholder; return (text, groups, cited keys in order)."""
    cites: list[list] = []
    cited: list[str] = []
    lines = text.split("\n")
    for lineno, line in enumerate(lines, start=1):

        def repl(m, items, error, lineno=lineno):
            if error:
                problems.add(display, lineno, None, error)
                return m.group(0)
            for key, _loc in items:
                if key not in refs:
                    problems.add(display, lineno, None, f"citation key '{key}' is not in the references")
                    return m.group(0)
            cites.append(items)
            cited.extend(key for key, _ in items if key not in cited)
            return markers.cite(len(cites) - 1)

        for m, items, error in reversed(list(citations.parse(line))):
            line = line[: m.start()] + repl(m, items, error) + line[m.end() :]
        lines[lineno - 1] = line
    return "\n".join(lines), cites, cited


def _headings(tokens, id_prefix: str, markers: Markers, plain) -> list[dict]:
    """Give every heading an id (level 1 becomes 2); return the level-2 headings for the contents."""
    toc, used_ids = [], set()
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            if tok.tag == "h1":
                tok.tag = tokens[i + 2].tag = "h2"
            title = re.sub(
                r"\s+",
                " ",
                markers.pattern.sub(lambda m: plain(m) if m.group(1) == "K" else "", tokens[i + 1].content),
            ).strip()
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
    status = _("checked") if c["ok"] else _("outside its tolerance")
    title = _(
        "Checked claim {n}: {expr} is {current} in the current data ({status}); see Checked claims"
    ).format(n=c["n"], expr=c["expr"], current=i18n.num(c["current"], 2), status=status)
    label = _("c{n}: checked claim {n}").format(n=c["n"])
    cls = "claim" if c["ok"] else "claim claim-failed"
    return (
        f'<span class="{cls}" id="{id_prefix}claim-{c["n"]}" title="{escape(title)}">{escape(c["text"])}'
        f'<a class="claim-ref" href="#claims" aria-label="{escape(label)}">'
        f"<sup>c{c['n']}</sup></a></span>"
    )


def _cite_text(items: list, labels: dict) -> str:
    return "(" + "; ".join(labels.get(key, key) + (", " + loc if loc else "") for key, loc in items) + ")"


def _resolve_markers(tokens, markers: Markers, html_of, plain) -> None:
    """Put claims and citations where their placeholders are: as markup in running text,
    as plain text anywhere else (code, a link's address)."""
    for tok in tokens:
        if tok.children:
            children = []
            for child in tok.children:
                if child.type == "text" and markers.pattern.search(child.content):
                    parts = markers.pattern.split(child.content)
                    for i in range(0, len(parts), 3):
                        if parts[i]:
                            children.append(Token("text", "", 0, content=parts[i]))
                        if i + 2 < len(parts):
                            children.append(
                                Token("html_inline", "", 0, content=html_of(parts[i + 1], int(parts[i + 2])))
                            )
                else:
                    _plain_markers(child, markers, plain)
                    children.append(child)
            tok.children = children
        else:
            _plain_markers(tok, markers, plain)


def _plain_markers(tok, markers: Markers, plain) -> None:
    if tok.content:
        tok.content = markers.pattern.sub(plain, tok.content)
    for key, value in (tok.attrs or {}).items():
        if isinstance(value, str):
            tok.attrs[key] = markers.pattern.sub(plain, value)


def render(
    text: str,
    ind: dict | None,
    refs: dict,
    labels: dict,
    display: str,
    problems: ProblemList,
    id_prefix: str = "n-",
    ns: dict | None = None,
    claims: list | None = None,
):
    """Return (html, toc, cited keys). Problems are recorded, not raised; checked claims are
    appended to ``claims``."""
    found: list[dict] = []
    markers = Markers()
    text = fill_figures(text, ind, display, problems, ns=ns, claims=found, markers=markers)
    if claims is not None:
        claims.extend(found)
    text, cites, cited = _mark_citations(text, refs, display, problems, markers)

    def html_of(kind: str, n: int) -> str:
        return _cite_html(cites[n], labels) if kind == "C" else _claim_html(found[n], id_prefix)

    def plain(m) -> str:
        n = int(m.group(2))
        return _cite_text(cites[n], labels) if m.group(1) == "C" else found[n]["text"]

    md = markdown()
    tokens = md.parse(text)
    toc = _headings(tokens, id_prefix, markers, plain)
    _resolve_markers(tokens, markers, html_of, plain)
    html = md.renderer.render(tokens, md.options, {})
    if markers.key in html:
        raise RuntimeError("a claim or citation placeholder was left in the narrative's HTML")
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
    html, toc, cited = render(
        text, ind, refs, citations.labels(refs, refs.keys()), display, problems, ns=ns, claims=claims
    )
    if problems:  # the run stops here, before check_claims: report the claims it would refuse too
        for c in claims:
            if not c["ok"]:
                problems.add(c["file"], c["line"], None, claim_problem(c))
    problems.raise_if_any()
    return {"html": html, "toc": toc, "cited": cited, "claims": claims}


def country_fragment(text: str, display: str, bundle: dict, ind: dict) -> dict:
    return fragment(text, display, bundle["references"], ind=ind)


def read_country_fragment(path: Path, display: str, bundle: dict, ind: dict) -> dict:
    """A country narrative file read (within the input limits) and checked, as its fragment;
    the build's render job and the preview both start a report with this."""
    problems = ProblemList()
    text = read_text(path, problems, display)
    problems.raise_if_any()
    return country_fragment(text, display, bundle, ind)


def synthesis_fragment(text: str, display: str, comparative: dict, inds: list[dict], refs: dict) -> dict:
    ns = synthesis_namespace(comparative["study"], inds)
    return fragment(text, display, refs, ns=ns)
