"""Live figures in narratives: the names a narrative may use, evaluated in a Jinja sandbox,
and checked claims that bind a sentence's number to an indicator."""

from __future__ import annotations

import difflib
import re

from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from . import countries, dates, fmt
from .errors import ProblemList

EXPR_RE = re.compile(r"\{\{(.*?)\}\}")
NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*")
BLOCK_RE = re.compile(r"\{%|\{#")


def _key(s: str) -> str:
    return s.replace("-", "_")


def namespace(ind: dict) -> dict:
    """The names a narrative may use, built from a country's computed indicators."""
    series = {}
    for code, s in ind["series"].items():
        t = s["trajectory"]
        series[code] = {**t, "unit": s["unit"], "name": s["name"]}
    dims = {d["id"]: {**d, "coders": {_key(c): v for c, v in d.get("coders", {}).items()}}
            for d in ind["rq1"]["dimensions"]}
    rq1 = {k: v for k, v in ind["rq1"].items() if k != "dimensions"}
    rq1["dims"] = dims
    rq2 = {k: ind["rq2"][k] for k in ("n_initiatives", "n_used", "n_partial", "n_not_used")}
    initiative = {}
    for ini in ind["rq2"]["initiatives"]:
        initiative[_key(ini["id"])] = {
            "name": ini["name"], "budget_usd": ini["budget_usd"], "effect": _effect_names(ini["effect"]),
            "start_year": dates.parse(ini["start"]).year if ini["start"] else None,
            "active_years": ini["active_years"],
        }
    event = {_key(e["id"]): {"year": dates.parse(e["date"]).year, "label": e["label"], "date": e["date"]}
             for e in ind["events"]}
    return {"country": ind["country"], "series": series, "rq1": rq1, "rq2": rq2,
            "initiative": initiative, "event": event, "method": ind["rq2"]["method"]}


# Per-year and per-donor detail of an estimate stays in the indicator JSON; a narrative quotes
# the estimate itself (gap, interval, p-value), not thousands of placebo values.
_DETAIL = {"placebo_gaps", "placebo_ratios", "series", "gaps", "counterfactual", "pre_trend", "rules"}


def _effect_names(effect: dict | None) -> dict | None:
    if effect is None:
        return None
    out = dict(effect)
    for member in ("its", "synthetic"):
        if out.get(member):
            out[member] = {k: v for k, v in out[member].items() if k not in _DETAIL}
    if out.get("synthetic"):
        out["synthetic"]["donor_list"] = ", ".join(
            f"{countries.name(d['iso3'])} {fmt.num(d['weight'], 2)}" for d in out["synthetic"]["donors"])
    return out


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

    def change(self, code, first_year, last_year):
        """Percent change of a series between two years."""
        a, b = self.value(code, first_year), self.value(code, last_year)
        if not a:
            raise LookupError(f"series '{code}' is zero in {first_year}; no percent change")
        return (b - a) / abs(a) * 100

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


CLAIM_OPS = {
    "~": lambda v, c, t: abs(v - c) <= t,
    ">": lambda v, c, t: v > c,
    ">=": lambda v, c, t: v >= c,
    "<": lambda v, c, t: v < c,
    "<=": lambda v, c, t: v <= c,
}
CLAIM_TOKEN = "ZZCLAIM{}ZZ"


class _Claims:
    """The claim() function of narratives: a sentence's number checked against the data."""

    def __init__(self, env, ctx, names, display, problems):
        self.env, self.ctx, self.names = env, ctx, names
        self.display, self.problems = display, problems
        self.items: list[dict] = []
        self.line = 0

    def __call__(self, text, expr, claimed, tol=None, op="~", absolute=False):
        if op not in CLAIM_OPS:
            raise ValueError(f"claim operator must be one of {', '.join(CLAIM_OPS)}, not '{op}'")
        if op == "~" and tol is None:
            raise ValueError("a claim with op '~' needs a tolerance, e.g. tol=5")
        try:
            current = self.env.compile_expression(str(expr), undefined_to_none=False)(**self.ctx)
            if hasattr(current, "_undefined_name") or current is None:
                raise UndefinedError(str(expr))
            current = float(current)
        except UndefinedError:
            name = NAME_RE.match(str(expr))
            wanted = name.group(0) if name else str(expr)
            close = difflib.get_close_matches(wanted, self.names, n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise LookupError(f"claim refers to unknown or empty '{expr}'{hint}") from None
        value = abs(current) if absolute else current
        ok = CLAIM_OPS[op](value, float(claimed), float(tol or 0))
        self.items.append({"n": len(self.items) + 1, "file": self.display, "line": self.line, "text": str(text),
                           "expr": str(expr), "claimed": float(claimed), "op": op,
                           "tol": None if tol is None else float(tol), "absolute": bool(absolute),
                           "current": round(value, 6), "ok": ok})
        return CLAIM_TOKEN.format(len(self.items) - 1)


def claim_problem(c: dict) -> str:
    rule = f"within ±{c['tol']:g} of {c['claimed']:g}" if c["op"] == "~" else f"{c['op']} {c['claimed']:g}"
    return (f"claim '{c['text']}' ({c['expr']}{', absolute value' if c['absolute'] else ''}) should be {rule}, "
            f"but the current value is {c['current']:.2f}")


def fill_figures(text: str, ind: dict | None, display: str, problems: ProblemList,
                 ns: dict | None = None, claims: list | None = None) -> str:
    """Evaluate every {{ ... }} line by line so errors can name the line.

    ``ind`` gives a country's names and the value()/mean() functions; ``ns`` gives a ready
    namespace instead (the synthesis).
    """
    env = make_env()
    if ns is None:
        ns = namespace(ind)
        funcs = _Funcs(ind)
        ctx = {**ns, "value": funcs.value, "mean": funcs.mean, "change": funcs.change}
        names = flat_names(ns) + ["value", "mean", "change"]
    else:
        ctx = dict(ns)
        names = flat_names(ns)
    checker = _Claims(env, dict(ctx), names, display, problems)
    ctx["claim"] = checker
    out_lines = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        checker.line = lineno
        if BLOCK_RE.search(line):
            problems.add(display, lineno, None,
                         "only {{ ... }} expressions are allowed in narratives, not {% %} or {# #}")
            out_lines.append(line)
            continue

        def repl(m, lineno=lineno):
            expr = m.group(1).strip()
            try:
                if not expr.startswith("claim("):
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
    if claims is not None:
        claims.extend(checker.items)
    return "\n".join(out_lines)
