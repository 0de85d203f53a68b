"""Settings, rounding and the pre-period rule shared by both estimators."""

from __future__ import annotations

from .texts import say

ROUND = 6

# Proposed `effect:` keys in config.yaml, with their defaults (see docs/effects.md).
DEFAULTS: dict = {
    "alpha": 0.10,               # placebo p-value at or below which a gap is "distinguishable"
    "max_pre_rmspe_pct": 20.0,   # synthetic pre-period RMSPE above this % of the pre mean: poor fit
    "min_pre_years": 5,          # consecutive data years needed right before the window start
    "max_years": 5,              # effect window capped at this many years from the start
    "placebo_shift_years": 3,    # in-time placebo: fake start this many years earlier
    "its_max_pre_years": 10,     # interrupted time series: at most this many pre-period years
    "synth_pre_years": 10,       # synthetic control: fit on at most this many pre-period years
    "min_donors": 10,            # fewer comparison countries than this: no placebo test
    "in_time_max_share": 1.0,    # fake-start gap >= this share of the real gap: not distinguishable
    "donor_min_weight": 0.01,    # donors listed in the output when their weight is at least this
}


def rules(settings: dict | None) -> dict:
    """DEFAULTS overridden by the known keys of ``settings`` (other keys are ignored)."""
    out = dict(DEFAULTS)
    for key, value in (settings or {}).items():
        if key in DEFAULTS:
            out[key] = value
    if not 0 < float(out["alpha"]) < 1:
        raise ValueError(f"effect alpha must lie between 0 and 1, got {out['alpha']!r}")
    for key in ("min_pre_years", "max_years", "its_max_pre_years", "synth_pre_years", "min_donors"):
        if int(out[key]) < 1:
            raise ValueError(f"effect {key} must be at least 1, got {out[key]!r}")
    return out


def r(x):
    """Round for stable JSON; None stays None."""
    return None if x is None else round(float(x), ROUND)


def by_year(years, values) -> dict[int, float]:
    return {int(y): r(v) for y, v in zip(years, values, strict=True)}


def pre_period(has_data, start: int, max_pre: int, min_pre: int):
    """Pre-period years for a window starting in ``start``.

    ``has_data(year)`` says whether the year is usable. The years are those with data among the
    ``max_pre`` years before ``start``; the ``min_pre`` years right before ``start`` must all have
    data (a pre-trend that stops short of the start says little about the start). Returns
    ``(years, None)`` or ``(None, reason)``.
    """
    max_pre = max(max_pre, min_pre)
    run = 0
    while run < max_pre and has_data(start - 1 - run):
        run += 1
    if run < min_pre:
        return None, say("too_few_pre_years", n=run, start=start, need=min_pre)
    years = [y for y in range(start - max_pre, start) if has_data(y)]
    return years, None
