"""Live figures in narratives: the names a narrative may use, evaluated in a Jinja sandbox,
and checked claims that bind a sentence's number to an indicator.

Over 300 lines: the sandbox's bounds (sizes, time limit, allowed filters) and the names it
exposes are one security boundary, kept in one file so it can be reviewed as a whole.
"""

from __future__ import annotations

import copy
import difflib
import re
import secrets
import signal
import threading
import time
from contextlib import contextmanager

from jinja2 import StrictUndefined, TemplateError, Undefined, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from . import countries, dates, i18n
from .errors import ProblemList, quoted

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
    dims = {
        d["id"]: {**d, "coders": {_key(c): v for c, v in d.get("coders", {}).items()}}
        for d in ind["rq1"]["dimensions"]
    }
    rq1 = {k: v for k, v in ind["rq1"].items() if k != "dimensions"}
    rq1["dims"] = dims
    rq2 = {k: ind["rq2"][k] for k in ("n_initiatives", "n_used", "n_partial", "n_not_used")}
    initiative = {}
    for ini in ind["rq2"]["initiatives"]:
        initiative[_key(ini["id"])] = {
            "name": ini["name"],
            "budget_usd": ini["budget_usd"],
            "effect": _effect_names(ini["effect"]),
            "start_year": dates.parse(ini["start"]).year if ini["start"] else None,
            "active_years": ini["active_years"],
        }
    event = {
        _key(e["id"]): {"year": dates.parse(e["date"]).year, "label": e["label"], "date": e["date"]}
        for e in ind["events"]
    }
    return {
        "country": ind["country"],
        "series": series,
        "rq1": rq1,
        "rq2": rq2,
        "initiative": initiative,
        "event": event,
        "method": ind["rq2"]["method"],
    }


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
            f"{countries.name(d['iso3'])} {i18n.num(d['weight'], 2)}" for d in out["synthetic"]["donors"]
        )
    return out


def flat_names(ns: dict, prefix: str = "") -> list[str]:
    out = []
    for k, v in ns.items():
        name = f"{prefix}{k}"
        out.append(name)
        if isinstance(v, dict):
            out.extend(flat_names(v, name + "."))
    return out


def _functions(ind: dict) -> dict:
    """value(), mean() and change() of a country's narrative: plain closures over a private
    copy of the indicators, with nothing a narrative can reach through them."""
    series = copy.deepcopy(ind["series"])

    def value(code, year):
        s = series.get(code)
        if s is None:
            raise LookupError(f"no series '{code}' for this country")
        if str(year) not in s["values"]:
            raise LookupError(f"series '{code}' has no value for {year}")
        return s["values"][str(year)]

    def change(code, first_year, last_year):
        """Percent change of a series between two years."""
        a, b = value(code, first_year), value(code, last_year)
        if not a:
            raise LookupError(f"series '{code}' is zero in {first_year}; no percent change")
        return (b - a) / abs(a) * 100

    def mean(code, first, last):
        s = series.get(code)
        if s is None:
            raise LookupError(f"no series '{code}' for this country")
        if not (isinstance(first, int) and isinstance(last, int)) or not 0 <= last - first <= MAX_MEAN_YEARS:
            raise ValueError(f"mean() takes a first and a last year at most {MAX_MEAN_YEARS} years apart")
        vals = [s["values"][str(y)] for y in range(first, last + 1) if str(y) in s["values"]]
        if len(vals) != last - first + 1:
            raise LookupError(f"series '{code}' does not cover every year {first}-{last}")
        return sum(vals) / len(vals)

    return {"value": value, "mean": mean, "change": change}


# Bounds on what one expression may compute, so that `{{ 7**1000000000 }}` or a string
# repeated a billion times is refused at once instead of hanging the build.
MAX_INT_BITS = 1000  # about 300 digits
MAX_SEQUENCE = 10_000  # characters of a string, items of a list
MAX_EXPRESSION = 1000  # characters between {{ and }}
MAX_MEAN_YEARS = 500
# Wall-clock limit for evaluating one narrative's expressions.
TIME_LIMIT_S = 10.0
# Jinja's own filters that cannot build values larger than their input; ours (the language's, i18n.Language.filters) come on top.
SAFE_FILTERS = (
    "abs",
    "capitalize",
    "default",
    "first",
    "float",
    "int",
    "last",
    "length",
    "list",
    "lower",
    "max",
    "min",
    "reject",
    "rejectattr",
    "round",
    "select",
    "selectattr",
    "sort",
    "sum",
    "title",
    "trim",
    "unique",
    "upper",
)
_SEQUENCES = (str, list, tuple)


class NarrativeTimeout(BaseException):
    """Raised by the timer when a narrative's expressions run too long (not an Exception, so
    that no handler inside Jinja swallows it)."""


def _weight(value, budget: int = MAX_SEQUENCE + 1) -> int:
    """Characters and items in a value, nested lists included, counted until ``budget``
    is passed (so that counting stays cheap)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        value = list(value.values())
    if not isinstance(value, (list, tuple)):
        return 1
    total = len(value)
    for item in value:
        if total > budget:
            break
        total += _weight(item, budget - total)
    return total


def _refuse_large(operator: str, left, right) -> None:
    big = f"the result of {operator} would be too large for a narrative"
    if operator == "%" and isinstance(left, str):
        raise SecurityError(
            "string formatting with % is not available in narratives; use the filters "
            "num, int, pct, usd or signed"
        )
    if (
        operator == "**"
        and isinstance(left, int)
        and isinstance(right, int)
        and right > 0
        and abs(left) > 1
        and right * abs(left).bit_length() > MAX_INT_BITS
    ):
        raise SecurityError(big)
    if operator == "*":
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, _SEQUENCES) and isinstance(n, int) and _weight(seq) * max(n, 0) > MAX_SEQUENCE:
                raise SecurityError(big)
        if (
            isinstance(left, int)
            and isinstance(right, int)
            and left.bit_length() + right.bit_length() > MAX_INT_BITS
        ):
            raise SecurityError(big)
    if (
        operator == "+"
        and isinstance(left, _SEQUENCES)
        and isinstance(right, _SEQUENCES)
        and _weight(left) + _weight(right) > MAX_SEQUENCE
    ):
        raise SecurityError(big)


class NarrativeSandbox(ImmutableSandboxedEnvironment):
    """The sandbox of narrative expressions: Jinja's immutable sandbox (no attribute starting
    with an underscore, no list or dict changed) with bounded arithmetic, a few filters, no
    globals, and calls only to the functions given to ``allow``."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self):
        super().__init__(undefined=StrictUndefined, autoescape=False)
        self.globals.clear()
        self.filters = {k: v for k, v in self.filters.items() if k in SAFE_FILTERS}
        # The language of the running job formats numbers and dates (i18n.speaking).
        self.filters.update(i18n.current().filters())
        self._callable: list = []

    def allow(self, *functions) -> None:
        self._callable.extend(functions)

    def call_binop(self, context, operator, left, right):
        _refuse_large(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def call(self, context, obj, /, *args, **kwargs):
        if isinstance(obj, Undefined):
            return obj()  # raises UndefinedError: the name is reported with suggestions
        if not any(obj is f for f in self._callable):
            names = ", ".join(f"{getattr(f, '__name__', '?')}()" for f in self._callable) or "none"
            raise SecurityError(f"only these functions can be called in a narrative: {names}")
        return obj(*args, **kwargs)


def make_env() -> NarrativeSandbox:
    return NarrativeSandbox()


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


class Markers:
    """Placeholders that stand for a claim or a citation until the Markdown is rendered.

    Each carries a key drawn at random for one narrative, so no input text can forge one
    (a narrative cannot read the key: it is not in the sandbox's names); letters and digits
    only, so Markdown passes them through intact. Text that looks like a placeholder stays
    text.
    """

    def __init__(self):
        self.key = secrets.token_hex(8)
        self.pattern = re.compile(f"Q{self.key}([CK])([0-9]+)Q")

    def claim(self, n: int) -> str:
        return f"Q{self.key}K{n}Q"

    def cite(self, n: int) -> str:
        return f"Q{self.key}C{n}Q"


def _claim_function(
    env, ctx: dict, names: list[str], display: str, line: list[int], items: list[dict], markers: Markers
):
    """The claim() function of narratives: a sentence's number checked against the data.

    A closure: what it records (``items``) is out of the sandbox's reach."""

    def claim(text, expr, claimed, tol=None, op="~", absolute=False):
        if op not in CLAIM_OPS:
            raise ValueError(f"claim operator must be one of {', '.join(CLAIM_OPS)}, not '{op}'")
        if op == "~" and tol is None:
            raise ValueError("a claim with op '~' needs a tolerance, e.g. tol=5")
        if len(str(expr)) > MAX_EXPRESSION:
            raise ValueError(f"a claim's expression is limited to {MAX_EXPRESSION} characters")
        try:
            current = env.compile_expression(str(expr), undefined_to_none=False)(**ctx)
            if hasattr(current, "_undefined_name") or current is None:
                raise UndefinedError(str(expr))
            current = float(current)
        except UndefinedError:
            name = NAME_RE.match(str(expr))
            wanted = name.group(0) if name else str(expr)
            close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise LookupError(f"claim refers to unknown or empty '{expr}'{hint}") from None
        value = abs(current) if absolute else current
        ok = CLAIM_OPS[op](value, float(claimed), float(tol or 0))
        items.append(
            {
                "n": len(items) + 1,
                "file": display,
                "line": line[0],
                "text": str(text),
                "expr": str(expr),
                "claimed": float(claimed),
                "op": op,
                "tol": None if tol is None else float(tol),
                "absolute": bool(absolute),
                "current": round(value, 6),
                "ok": bool(ok),
            }
        )
        return markers.claim(len(items) - 1)

    return claim


def claim_problem(c: dict) -> str:
    rule = f"within ±{c['tol']:g} of {c['claimed']:g}" if c["op"] == "~" else f"{c['op']} {c['claimed']:g}"
    return (
        f"claim '{c['text']}' ({c['expr']}{', absolute value' if c['absolute'] else ''}) should be {rule}, "
        f"but the current value is {c['current']:.2f}"
    )


@contextmanager
def time_limit(seconds: float):
    """Raise NarrativeTimeout in the block after ``seconds`` of wall-clock time (a timer
    signal, in the main thread; elsewhere the caller's deadline checks are the limit)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def on_alarm(signum, frame):
        raise NarrativeTimeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def fill_figures(
    text: str,
    ind: dict | None,
    display: str,
    problems: ProblemList,
    ns: dict | None = None,
    claims: list | None = None,
    markers: Markers | None = None,
) -> str:
    """Evaluate every {{ ... }} line by line so errors can name the line.

    ``ind`` gives a country's names and the value()/mean() functions; ``ns`` gives a ready
    namespace instead (the synthesis). A checked claim is replaced by a placeholder of
    ``markers``. The whole narrative gets TIME_LIMIT_S seconds.
    """
    markers = markers or Markers()
    env = make_env()
    if ns is None:
        ns = copy.deepcopy(namespace(ind))
        funcs = _functions(ind)
        names = flat_names(ns) + list(funcs)
    else:
        ns = copy.deepcopy(ns)
        funcs = {}
        names = flat_names(ns)
    ctx = {**ns, **funcs}
    line = [0]
    items: list[dict] = []
    claim = _claim_function(env, dict(ctx), names, display, line, items, markers)
    env.allow(*funcs.values(), claim)
    ctx["claim"] = claim
    deadline = time.monotonic() + TIME_LIMIT_S
    out_lines = []
    try:
        with time_limit(TIME_LIMIT_S):
            for lineno, source in enumerate(text.split("\n"), start=1):
                line[0] = lineno
                out_lines.append(_fill_line(source, lineno, env, ctx, names, display, problems, deadline))
    except NarrativeTimeout:
        problems.add(
            display,
            line[0],
            None,
            f"evaluating the narrative's expressions took longer than {TIME_LIMIT_S:g} s; "
            "stopped at this line (simplify its expressions)",
        )
        return text
    if claims is not None:
        claims.extend(items)
    return "\n".join(out_lines)


def _fill_line(
    line: str,
    lineno: int,
    env,
    ctx: dict,
    names: list[str],
    display: str,
    problems: ProblemList,
    deadline: float,
) -> str:
    if BLOCK_RE.search(line):
        problems.add(
            display, lineno, None, "only {{ ... }} expressions are allowed in narratives, not {% %} or {# #}"
        )
        return line

    def repl(m):
        if time.monotonic() > deadline:
            raise NarrativeTimeout()
        expr = m.group(1).strip()
        shown = quoted(expr, 60)
        if len(expr) > MAX_EXPRESSION:
            problems.add(
                display,
                lineno,
                None,
                f"expression '{{{{ {shown} }}}}' is longer than {MAX_EXPRESSION} characters",
            )
            return m.group(0)
        try:
            if not expr.startswith("claim("):
                first = env.compile_expression(expr.split("|")[0].strip(), undefined_to_none=False)(**ctx)
                _none_guard(first)
            result = env.from_string("{{ " + expr + " }}").render(**ctx)
        except SecurityError as exc:
            problems.add(display, lineno, None, f"refused by the sandbox in '{{{{ {shown} }}}}': {exc}")
            return m.group(0)
        except UndefinedError:
            name = NAME_RE.match(expr)
            wanted = name.group(0) if name else expr
            close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            problems.add(
                display, lineno, None, f"unknown name '{quoted(wanted)}' in '{{{{ {shown} }}}}'{hint}"
            )
            return m.group(0)
        except TemplateError as exc:
            problems.add(display, lineno, None, f"malformed expression '{{{{ {shown} }}}}': {exc.message}")
            return m.group(0)
        except (LookupError, TypeError, ValueError, ArithmeticError) as exc:
            problems.add(display, lineno, None, f"cannot evaluate '{{{{ {shown} }}}}': {exc}")
            return m.group(0)
        except Exception as exc:  # noqa: BLE001 (whatever an expression raises is the narrative's problem)
            problems.add(
                display, lineno, None, f"cannot evaluate '{{{{ {shown} }}}}': {type(exc).__name__}: {exc}"
            )
            return m.group(0)
        return result

    return EXPR_RE.sub(repl, line)
