"""Counterfactual effect estimates for RQ2 initiatives (interrupted time series, synthetic control).

Pure functions: no file is read or written here. The panel of comparison countries comes in as
a DataFrame (index year, columns iso3) or a dict {iso3: {year: value}}. See docs/effects.md.

    window = initiative_window("2012-03", "2014-05", last_year=2022)
    result = estimate(values, panel, "SLV", window, settings, overlaps=["carsi-prevention"])
"""

from __future__ import annotations

import math

from .common import defaults, rules
from .its import interrupted_time_series
from .synth import as_panel, fit_weights, permutation_p_value, synthetic_control
from .texts import TEXTS, say
from .verdict import caveats, verdict
from .windows import effect_window, initiative_window, overlapping, overlaps_of

__all__ = [
    "TEXTS",
    "as_panel",
    "caveats",
    "defaults",
    "effect_window",
    "estimate",
    "fit_weights",
    "initiative_window",
    "interrupted_time_series",
    "overlapping",
    "overlaps_of",
    "permutation_p_value",
    "rules",
    "synthetic_control",
    "verdict",
]


def estimate(
    values: dict[int, float],
    panel,
    treated_iso3: str,
    window,
    settings: dict | None = None,
    *,
    exclude=(),
    overlaps=(),
) -> dict:
    """Run both estimators and the verdict for one initiative.

    values        the treated country's own series {year: value} (its inputs, not the panel's copy)
    panel         comparison countries: DataFrame (index year, columns iso3), dict, or None
    treated_iso3  the treated country's column in ``panel`` (never used as a donor)
    window        an :func:`effect_window` dict, a list of active years (capped at max_years),
                  or None when the initiative has no active year
    settings      the ``effect:`` block of config.yaml; unknown keys are ignored
    exclude       iso3 codes never to use as donors (non-countries, countries with the same policy)
    overlaps      ids of other initiatives whose windows overlap this one (see :func:`overlapping`)
    """
    cfg = rules(settings)
    if window is not None and not isinstance(window, dict):
        window = effect_window(list(window), int(cfg["max_years"]))
    clean = {int(y): float(v) for y, v in values.items() if v is not None and not math.isnan(float(v))}
    its = synth = its_reason = synth_reason = None
    if window is not None:
        its, its_reason = interrupted_time_series(clean, window["years"], cfg)
        synth, synth_reason = synthetic_control(clean, panel, treated_iso3, window["years"], cfg, exclude)
    else:
        its_reason = synth_reason = say("no_window")
    v, notes = verdict(window, its, its_reason, synth, synth_reason, cfg, overlaps)
    return {
        "window": window,
        "its": its,
        "its_reason": its_reason,
        "synthetic": synth,
        "synthetic_reason": synth_reason,
        "verdict": v,
        "caveats": notes,
        "rules": cfg,
    }
