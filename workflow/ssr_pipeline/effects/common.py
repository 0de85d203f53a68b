"""Settings, rounding and the pre-period rule shared by both estimators."""

from __future__ import annotations

from .texts import say

ROUND = 6


def defaults() -> dict:
    """The `effect:` settings with config.yaml's schema defaults (the one place they are stated)."""
    from ..settings import defaults as settings_defaults

    return settings_defaults()["effect"]


def rules(settings: dict | None) -> dict:
    """The schema's defaults overridden by ``settings`` (the `effect:` block of the settings)."""
    base = defaults()
    out = {**base, **{k: v for k, v in (settings or {}).items() if k in base}}
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
