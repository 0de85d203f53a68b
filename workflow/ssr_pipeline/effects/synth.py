"""Synthetic control (Abadie, Diamond & Hainmueller 2010) with in-space and in-time placebos.

The synthetic unit is a convex combination of donor countries (weights >= 0, summing to 1)
fitted to the treated unit's pre-period outcomes, each pre-period year weighted equally
(V = identity; there are no covariates). Inference is the permutation test on the ratio of
post- to pre-period RMSPE. Nothing here is random, so results are reproducible to the byte.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from .common import by_year, pre_period, r
from .texts import say, span, year_list

if TYPE_CHECKING:
    import pandas as pd

# Weight of the sum-to-one row in the NNLS problem, relative to data scaled to unit RMS.
# 1e4 keeps |sum(w) - 1| below ~1e-7 before the final renormalisation (checked in the tests
# against SLSQP) without making the least-squares problem ill-conditioned.
SUM_ROW_WEIGHT = 1e4


def as_panel(panel) -> pd.DataFrame:
    """Panel as a float DataFrame, index = int years ascending, columns = iso3 sorted.

    Accepts a DataFrame (index year, columns iso3) or a dict {iso3: {year: value}}.
    Sorting makes the result independent of the caller's column order.
    """
    import pandas as pd  # here, not at the top: the report jobs import this package for its texts

    df = panel if isinstance(panel, pd.DataFrame) else pd.DataFrame(panel)
    df = df.astype(float)
    df.index = df.index.astype(int)
    df.columns = [str(c) for c in df.columns]
    return df.sort_index().reindex(sorted(df.columns), axis=1)


def fit_weights(x1: np.ndarray, X0: np.ndarray) -> np.ndarray:
    """argmin ||x1 - X0 w||^2 subject to w >= 0 and sum(w) = 1.

    Solved as non-negative least squares with an extra, heavily weighted row asking
    sum(w) = 1 (exact NNLS active-set algorithm, deterministic), then renormalised.
    """
    scale = float(np.sqrt(np.mean(np.concatenate([x1, X0.ravel()]) ** 2))) or 1.0
    A = np.vstack([X0 / scale, np.full((1, X0.shape[1]), SUM_ROW_WEIGHT)])
    b = np.concatenate([x1 / scale, [SUM_ROW_WEIGHT]])
    from scipy.optimize import nnls

    w, _ = nnls(A, b, maxiter=50 * A.shape[1])
    total = w.sum()
    return w / total if total > 0 else np.full(X0.shape[1], 1.0 / X0.shape[1])


def permutation_p_value(treated_ratio: float, placebo_ratios) -> tuple[float, int]:
    """Abadie et al. (2010) permutation p-value of the post/pre RMSPE ratio.

    rank = number of units, the treated one included, whose ratio is at least the treated
    unit's (ties count against the treated unit); p = rank / (n_placebos + 1).
    """
    ratios = list(placebo_ratios)
    rank = 1 + sum(1 for x in ratios if x >= treated_ratio)
    return rank / (len(ratios) + 1), rank


def _one(y: np.ndarray, Y: np.ndarray, n_fit: int) -> dict:
    """Fit one synthetic unit: weights on the first n_fit rows, gaps on all rows."""
    w = fit_weights(y[:n_fit], Y[:n_fit])
    synth = Y @ w
    gap = y - synth
    pre = math.sqrt(float(np.mean(gap[:n_fit] ** 2)))
    post = math.sqrt(float(np.mean(gap[n_fit:] ** 2)))
    # A perfect pre-fit would divide by zero; a floor far below any real RMSPE keeps the ranking.
    floor = 1e-9 * max(float(np.mean(np.abs(y[:n_fit]))), 1e-12)
    post_mean = float(synth[n_fit:].mean())
    return {
        "w": w,
        "synth": synth,
        "gap": gap,
        "rmspe_pre": pre,
        "rmspe_post": post,
        "ratio": post / max(pre, floor),
        "gap_pct": 100 * (float(y[n_fit:].mean()) - post_mean) / post_mean if post_mean > 0 else None,
        "rmspe_pre_pct": 100 * pre / float(np.mean(y[:n_fit])) if np.mean(y[:n_fit]) > 0 else None,
    }


def _design(treated: pd.Series, donors: pd.DataFrame, window: list[int], rules: dict):
    """Years, treated vector and donor matrix for one window, or a refusal reason."""
    missing = [y for y in window if y not in treated.index]
    if missing:
        return None, say("no_data", years=year_list(missing))
    fit_years, reason = pre_period(
        lambda y: y in treated.index, window[0], int(rules["synth_pre_years"]), int(rules["min_pre_years"])
    )
    if reason:
        return None, reason
    years = fit_years + window
    block = donors.reindex(years)
    block = block.loc[:, block.notna().all().to_numpy()]
    # The placebo p-value can only reach alpha with at least 1/alpha - 1 placebos.
    need = max(int(rules["min_donors"]), math.ceil(1 / float(rules["alpha"]) - 1e-9) - 1)
    if block.shape[1] < need:
        return None, say("too_few_donors", n=block.shape[1], span=span(years), need=need)
    y1 = treated.reindex(years).to_numpy(dtype=float)
    return {
        "years": years,
        "n_fit": len(fit_years),
        "y1": y1,
        "Y0": block.to_numpy(dtype=float),
        "names": list(block.columns),
    }, None


def _with_placebos(d: dict) -> dict:
    """The treated fit plus one placebo fit per donor (treated unit left out of their pools)."""
    main = _one(d["y1"], d["Y0"], d["n_fit"])
    placebos = {}
    for j, name in enumerate(d["names"]):
        placebos[name] = _one(d["Y0"][:, j], np.delete(d["Y0"], j, axis=1), d["n_fit"])
    p, rank = permutation_p_value(main["ratio"], [pl["ratio"] for pl in placebos.values()])
    return {"main": main, "placebos": placebos, "p": p, "rank": rank}


def synthetic_control(
    values: dict[int, float], panel, treated_iso3: str, window_years: list[int], rules: dict, exclude=()
):
    """Synthetic control for one window, with in-space and in-time placebos.

    ``values`` is the treated unit's own series {year: value}; donors are the columns of
    ``panel`` other than ``treated_iso3`` and ``exclude`` with complete data over the fit
    years and the window. Returns ``(result, None)`` or ``(None, reason)``.
    """
    if panel is None:
        return None, say("no_panel")
    import pandas as pd

    treated = pd.Series({int(y): float(v) for y, v in values.items() if v is not None}).sort_index()
    treated = treated[treated.notna()]
    df = as_panel(panel)
    drop = {treated_iso3, *exclude}
    donors = df[[c for c in df.columns if c not in drop]]
    window = sorted(window_years)
    d, reason = _design(treated, donors, window, rules)
    if reason:
        return None, reason
    res = _with_placebos(d)
    main, n_fit, years = res["main"], d["n_fit"], d["years"]
    order = sorted(range(len(d["names"])), key=lambda j: (-round(main["w"][j], 6), d["names"][j]))
    out = {
        "gap_pct": r(main["gap_pct"]),
        "gaps": by_year(years, main["gap"]),
        "rmspe_pre": r(main["rmspe_pre"]),
        "rmspe_pre_pct": r(main["rmspe_pre_pct"]),
        "rmspe_post": r(main["rmspe_post"]),
        "ratio": r(main["ratio"]),
        "p_value": r(res["p"]),
        "placebo_rank": res["rank"],
        "n_placebos": len(res["placebos"]),
        "fit_years": years[:n_fit],
        "donors": [
            {"iso3": d["names"][j], "weight": r(main["w"][j])}
            for j in order
            if main["w"][j] >= float(rules["donor_min_weight"])
        ],
        "series": by_year(years, main["synth"]),
        "placebo_gaps": {k: by_year(years, pl["gap"]) for k, pl in res["placebos"].items()},
        "placebo_ratios": {k: r(pl["ratio"]) for k, pl in res["placebos"].items()},
    }
    out["in_time"], reason = _in_time(treated, donors, window, rules)
    out["in_time_reason"] = reason
    return out, None


def _in_time(treated: pd.Series, donors: pd.DataFrame, window: list[int], rules: dict):
    """Same procedure with the start moved ``placebo_shift_years`` back, inside the pre-period.

    The fake window has the real window's length but ends before the real start at the latest;
    it is fitted on the years before the fake start, with its own complete-data donor pool.
    """
    shift = int(rules["placebo_shift_years"])
    if shift < 1:
        return None, None
    start = window[0] - shift
    fake = list(range(start, min(start + window[-1] - window[0], window[0] - 1) + 1))
    d, reason = _design(treated, donors, fake, rules)
    if reason:
        return None, say("in_time_not_run", shift=shift, why=reason["text"])
    res = _with_placebos(d)
    main = res["main"]
    return {
        "start": start,
        "end": fake[-1],
        "fit_years": d["years"][: d["n_fit"]],
        "gap_pct": r(main["gap_pct"]),
        "ratio": r(main["ratio"]),
        "rmspe_pre": r(main["rmspe_pre"]),
        "rmspe_pre_pct": r(main["rmspe_pre_pct"]),
        "p_value": r(res["p"]),
        "placebo_rank": res["rank"],
        "n_placebos": len(res["placebos"]),
    }, None
