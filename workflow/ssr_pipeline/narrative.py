"""Researchers' Markdown: live figures in a sandbox, citations, safe HTML."""

from __future__ import annotations

import difflib
import re

from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markdown_it import MarkdownIt

from . import citations, fmt
from .errors import ProblemList

EXPR_RE = re.compile(r"\{\{(.*?)\}\}")
NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*")
BLOCK_RE = re.compile(r"\{%|\{#")
PLACEHOLDER = "ZZCITE{}ZZ"


def _key(s: str) -> str:
    return s.replace("-", "_")


def namespace(ind: dict) -> dict:
    """The names a narrative may use, built from a country's computed indicators."""
    series = {}
    for code, s in ind["series"].items():
        t = s["trajectory"]
        series[code] = {**t, "unit": s["unit"], "name": s["name"]}
    dims = {d["id"]: d for d in ind["rq1"]["dimensions"]}
    rq1 = {k: v for k, v in ind["rq1"].items() if k != "dimensions"}
    rq1["dims"] = dims
    rq2 = {k: ind["rq2"][k] for k in ("n_initiatives", "n_used", "n_partial", "n_not_used")}
    initiative = {}
    for ini in ind["rq2"]["initiatives"]:
        initiative[_key(ini["id"])] = {
            "name": ini["name"], "budget_usd": ini["budget_usd"], "effect": ini["effect"],
            "start_year": int(ini["start"][:4]) if ini["start"] else None,
            "active_years": ini["active_years"],
        }
    event = {_key(e["id"]): {"year": int(e["date"][:4]), "label": e["label"], "date": e["date"]}
             for e in ind["events"]}
    return {"country": ind["country"], "series": series, "rq1": rq1, "rq2": rq2,
            "initiative": initiative, "event": event}


def flat_names(ns: dict, prefix: str = "") -> list[str]:
    out = []
    for k, v in ns.items():
        name = f"{prefix}{k}"
        out.append(name)
        if isinstance(v, dict):
            out.extend(flat_names(v, name + "."))
    return out


class _Funcs:
    def __init__(self, ind):
        self.ind = ind

    def value(self, code, year):
        s = self.ind["series"].get(code)
        if s is None:
            raise LookupError(f"no series '{code}' for this country")
        if str(year) not in s["values"]:
            raise LookupError(f"series '{code}' has no value for {year}")
        return s["values"][str(year)]

    def mean(self, code, first, last):
        s = self.ind["series"].get(code)
        if s is None:
            raise LookupError(f"no series '{code}' for this country")
        vals = [s["values"][str(y)] for y in range(first, last + 1) if str(y) in s["values"]]
        if len(vals) != last - first + 1:
            raise LookupError(f"series '{code}' does not cover every year {first}-{last}")
        return sum(vals) / len(vals)


def make_env() -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
    env.filters.update(fmt.FILTERS)
    return env


def _none_guard(value):
    if value is None:
        raise LookupError("the value is not available (no data for it)")
    return value


def synthesis_namespace(study: dict, inds: list[dict]) -> dict:
    return {"study": study, "countries": {_key(i["country"]["slug"]): namespace(i) for i in inds}}


def fill_figures(text: str, ind: dict | None, display: str, problems: ProblemList,
                 ns: dict | None = None) -> str:
    """Evaluate every {{ ... }} line by line so errors can name the line.

    ``ind`` gives a country's names and the value()/mean() functions; ``ns`` gives a ready
    namespace instead (the synthesis).
    """
    env = make_env()
    if ns is None:
        ns = namespace(ind)
        funcs = _Funcs(ind)
        ctx = {**ns, "value": funcs.value, "mean": funcs.mean}
        names = flat_names(ns) + ["value", "mean"]
    else:
        ctx = dict(ns)
        names = flat_names(ns)
    out_lines = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if BLOCK_RE.search(line):
            problems.add(display, lineno, None,
                         "only {{ ... }} expressions are allowed in narratives, not {% %} or {# #}")
            out_lines.append(line)
            continue

        def repl(m, lineno=lineno):
            expr = m.group(1).strip()
            try:
                first = env.compile_expression(expr.split("|")[0].strip(), undefined_to_none=False)(**ctx)
                _none_guard(first)
                result = env.from_string("{{ " + expr + " }}").render(**ctx)
            except SecurityError as exc:
                problems.add(display, lineno, None, f"refused by the sandbox in '{{{{ {expr} }}}}': {exc}")
                return m.group(0)
            except UndefinedError:
                name = NAME_RE.match(expr)
                wanted = name.group(0) if name else expr
                close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.5)
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                problems.add(display, lineno, None, f"unknown name '{wanted}' in '{{{{ {expr} }}}}'{hint}")
                return m.group(0)
            except (LookupError, TypeError, ValueError) as exc:
                problems.add(display, lineno, None, f"cannot evaluate '{{{{ {expr} }}}}': {exc}")
                return m.group(0)
            except TemplateError as exc:
                problems.add(display, lineno, None, f"malformed expression '{{{{ {expr} }}}}': {exc.message}")
                return m.group(0)
            return result

        out_lines.append(EXPR_RE.sub(repl, line))
    return "\n".join(out_lines)


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s or "section"


def markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "html_block", "html_inline"])
    return md


def render(text: str, ind: dict | None, refs: dict, labels: dict, display: str, problems: ProblemList,
           id_prefix: str = "n-", ns: dict | None = None):
    """Return (html, toc, cited keys). Problems are recorded, not raised."""
    text = fill_figures(text, ind, display, problems, ns=ns)
    cites: list[str] = []
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
            for key, _ in items:
                if key not in cited:
                    cited.append(key)
            return PLACEHOLDER.format(len(cites) - 1)

        new = line
        for m, items, error in reversed(list(citations.parse(line))):
            new = new[: m.start()] + repl(m, items, error) + new[m.end():]
        lines[lineno - 1] = new
    md = markdown()
    tokens = md.parse("\n".join(lines))
    toc = []
    used_ids = set()
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            level = int(tok.tag[1])
            if level == 1:
                tok.tag = "h2"
                tokens[i + 2].tag = "h2"
                level = 2
            title = re.sub(r"ZZCITE\d+ZZ", "", tokens[i + 1].content).strip()
            hid = id_prefix + _slug(title)
            while hid in used_ids:
                hid += "-x"
            used_ids.add(hid)
            tok.attrSet("id", hid)
            if level == 2:
                toc.append({"id": hid, "title": title, "level": level})
        if tok.type == "link_open":
            tok.attrSet("rel", "noopener noreferrer")
    html = md.renderer.render(tokens, md.options, {})
    from markupsafe import escape

    def cite_html(m):
        items = cites[int(m.group(1))]
        parts = []
        for key, loc in items:
            lab = escape(labels.get(key, key)) + (escape(", " + loc) if loc else "")
            parts.append(f'<a class="cite" href="#ref-{escape(key)}">{lab}</a>')
        return "(" + "; ".join(parts) + ")"

    html = re.sub(r"ZZCITE(\d+)ZZ", cite_html, html)
    return html, toc, cited
