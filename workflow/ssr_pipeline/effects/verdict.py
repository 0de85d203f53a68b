"""One verdict in words per initiative, from explicit rules.

Rules, in order (docs/effects.md explains why):
1. no effect window -> ``no_window``.
2. no synthetic control (no panel, no data, too few pre-period years or donors) -> that reason's
   code; the interrupted-time-series estimate is quoted but never decides.
3. synthetic pre-period RMSPE above ``max_pre_rmspe_pct`` % of the pre-period mean -> ``poor_fit``.
4. placebo p-value <= ``alpha`` -> ``distinguishable``, unless the in-time placebo (fake start)
   already shows a gap at least ``in_time_max_share`` times as large -> ``fails_in_time_placebo``.
5. otherwise -> ``not_distinguishable``.
Caveats (overlaps, open-ended or capped window, interrupted time series pointing the other way)
are listed separately and appended to the verdict text.
"""

from __future__ import annotations

from ..i18n import _, pct, signed_pct
from .texts import TEXTS, direction, p_text, say, span

EPS = 1e-12


def verdict(
    window: dict | None,
    its: dict | None,
    its_reason: dict | None,
    synthetic: dict | None,
    synthetic_reason: dict | None,
    rules: dict,
    overlaps=(),
) -> tuple[dict, list[dict]]:
    """Returns ``(verdict, caveats)``: ``{code, text}`` and a list of ``{code, text}``.

    The verdict text already ends with the caveats' texts, so a report can print it alone.
    """
    if window is None:
        return say("no_window"), []
    primary = _primary(window, its, synthetic, synthetic_reason, rules)
    notes = caveats(window, its, synthetic, primary["code"], rules, overlaps)
    text = "; ".join([primary["text"]] + [c["text"] for c in notes])
    return {"code": primary["code"], "text": text}, notes


def _primary(window, its, synthetic, synthetic_reason, rules) -> dict:
    if synthetic is None:
        return _with_its(dict(synthetic_reason), its)
    fit_pct = synthetic["rmspe_pre_pct"]
    if fit_pct is None or fit_pct > float(rules["max_pre_rmspe_pct"]):
        out = say("poor_fit", rmspe_pct=pct(fit_pct, 1), limit=pct(float(rules["max_pre_rmspe_pct"]), 0))
        return _with_its(out, its)
    gap, p = synthetic["gap_pct"], synthetic["p_value"]
    where = span(window["years"])
    if p <= float(rules["alpha"]) + EPS:
        fake = synthetic.get("in_time")
        if (
            fake
            and fake["gap_pct"] is not None
            and gap is not None
            and abs(fake["gap_pct"]) >= float(rules["in_time_max_share"]) * abs(gap)
        ):
            return say(
                "fails_in_time_placebo",
                p=p_text(p),
                fake_start=fake["start"],
                fake_gap=signed_pct(fake["gap_pct"], 0),
                gap_signed=signed_pct(gap, 0),
            )
        return say("distinguishable", p=p_text(p), gap=direction(gap), span=where)
    return say(
        "not_distinguishable",
        p=p_text(p),
        gap=direction(gap),
        span=where,
        rank_others=synthetic["placebo_rank"] - 1,
        n_placebos=synthetic["n_placebos"],
    )


def _with_its(out: dict, its: dict | None) -> dict:
    """Quote the interrupted time series after a refusal, when it could be estimated."""
    if its and its.get("gap_pct") is not None:
        lo, hi = its["gap_pct_ci"]
        suffix = TEXTS["its_only"]
        out["text"] += _(suffix).format(
            its_gap=direction(its["gap_pct"]), lo=signed_pct(lo, 0), hi=signed_pct(hi, 0)
        )
    return out


def caveats(
    window: dict, its: dict | None, synthetic: dict | None, code: str, rules: dict, overlaps=()
) -> list[dict]:
    out = []
    if overlaps:
        out.append(say("overlaps", others=", ".join(overlaps)))
    if window.get("open_ended"):
        out.append(say("open_ended", span=span(window["years"])))
    elif window.get("capped"):
        out.append(say("capped", max_years=rules["max_years"], span=span(window["years"])))
    if (
        code in ("distinguishable", "not_distinguishable")
        and its
        and its.get("gap_pct_ci")
        and synthetic
        and synthetic["gap_pct"] is not None
    ):
        lo, hi = its["gap_pct_ci"]
        if (synthetic["gap_pct"] < 0 < lo) or (synthetic["gap_pct"] > 0 > hi):
            out.append(say("methods_disagree", its_gap=direction(its["gap_pct"])))
    return out
