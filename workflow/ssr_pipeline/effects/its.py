"""Interrupted time series: segmented OLS on the country's own annual series.

    y_t = b0 + b1*t + b2*D_t + b3*t*D_t + e_t,   t = year - T0,   D_t = [year >= T0]

with T0 the first window year, fitted on the pre-period years plus the window years. b2 is
the level change at T0, b3 the change in slope; b0 + b1*t is the pre-trend projected into
the window (the counterfactual). With a one-year window b3 is not identified and is left out.

Covariance: ordinary (non-robust) OLS with t quantiles. With 7-15 annual points a HAC
(Newey-West) estimate is itself too noisy to be trusted (Turner et al. 2021 found OLS preferable
below ~12 points). The Durbin-Watson statistic is reported as a diagnostic only: in series this
short it rarely detects the serial correlation that would make the intervals too narrow.
"""

from __future__ import annotations

import math

import numpy as np

from .common import by_year, pre_period, r
from .texts import say, year_list


def interrupted_time_series(values: dict[int, float], window_years: list[int], rules: dict):
    """Returns ``(result, None)`` or ``(None, reason)``; ``rules`` as from :func:`common.rules`."""
    window = sorted(window_years)
    missing = [y for y in window if values.get(y) is None]
    if missing:
        return None, say("no_data", years=year_list(missing))
    start = window[0]
    pre, reason = pre_period(
        lambda y: values.get(y) is not None,
        start,
        int(rules["its_max_pre_years"]),
        int(rules["min_pre_years"]),
    )
    if reason:
        return None, reason
    years = np.array(pre + window, dtype=float)
    y = np.array([values[int(t)] for t in years], dtype=float)
    t = years - start
    d = (years >= start).astype(float)
    cols = [np.ones_like(t), t, d] + ([t * d] if len(window) > 1 else [])
    X = np.column_stack(cols)
    df_resid = len(y) - X.shape[1]
    if df_resid < 2:
        return None, say("too_few_points", n=len(y))
    # Imported here: the report jobs import this package for its wording, not its estimators.
    from statsmodels.regression.linear_model import OLS
    from statsmodels.stats.stattools import durbin_watson

    fit = OLS(y, X).fit()
    ci = fit.conf_int(0.05)
    tw = np.array(window, dtype=float) - start
    counterfactual = fit.params[0] + fit.params[1] * tw
    out = {
        "level": r(fit.params[2]),
        "level_ci": [r(ci[2, 0]), r(ci[2, 1])],
        "slope": r(fit.params[3]) if len(window) > 1 else None,
        "slope_ci": [r(ci[3, 0]), r(ci[3, 1])] if len(window) > 1 else None,
        "pre_years": pre,
        "counterfactual": by_year(window, counterfactual),
        # The fitted pre-period trend, drawn with its projection over the window.
        "pre_trend": by_year(pre, fit.params[0] + fit.params[1] * (np.array(pre, dtype=float) - start)),
        "n_obs": len(y),
        "df_resid": df_resid,
        "durbin_watson": r(durbin_watson(fit.resid)),
    }
    out.update(_gap(fit, y[len(pre) :], tw))
    return out, None


def _gap(fit, observed: np.ndarray, tw: np.ndarray) -> dict:
    """Mean gap over the window in % of the counterfactual mean, with a 95% interval.

    The gap compares the observed window mean ybar with the projected pre-trend mean c. Its
    interval is a delta-method interval on log(ybar / c): Var(log c) = a'Va / c^2 with
    a = (1, mean t, 0, 0) and V the OLS covariance, and Var(log ybar) = s^2 / (m ybar^2), the
    year-to-year noise that the m counterfactual years would have had too (s^2 the residual
    variance). The two are independent because b0 and b1 are fixed by the pre-period alone
    (the window has its own intercept and slope). Quantile: t with the residual df.
    """
    m = len(observed)
    ybar = float(observed.mean())
    a = np.zeros(len(fit.params))
    a[0], a[1] = 1.0, float(tw.mean())
    c = float(a @ fit.params)
    if c <= 0 or ybar <= 0:
        return {
            "gap_pct": None,
            "gap_pct_ci": None,
            "counterfactual_mean": r(c),
            "observed_mean": r(ybar),
            "gap_note": say("gap_undefined"),
        }
    var_log = float(a @ fit.cov_params() @ a) / c**2 + fit.scale / (m * ybar**2)
    from scipy import stats

    q = stats.t.ppf(0.975, fit.df_resid)
    log_ratio = math.log(ybar / c)
    half = q * math.sqrt(var_log)
    return {
        "gap_pct": r(100 * (ybar / c - 1)),
        "gap_pct_ci": [r(100 * (math.exp(log_ratio - half) - 1)), r(100 * (math.exp(log_ratio + half) - 1))],
        "counterfactual_mean": r(c),
        "observed_mean": r(ybar),
        "gap_note": None,
    }
