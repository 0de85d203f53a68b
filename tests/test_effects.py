"""Counterfactual effect estimators (ssr_pipeline.effects) on generated data with fixed seeds.

Panels are built in memory from common factors plus noise; nothing here reads the real data.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize
from ssr_pipeline.effects import (
    TEXTS,
    defaults,
    effect_window,
    estimate,
    fit_weights,
    initiative_window,
    interrupted_time_series,
    overlapping,
    overlaps_of,
    permutation_p_value,
    rules,
    synthetic_control,
    verdict,
)

WINDOW = [2012, 2013]

ROOT = Path(__file__).resolve().parent.parent


def make_panel(
    seed: int, n_units: int = 40, first: int = 1996, last: int = 2020, noise: float = 0.03, walk: float = 0.05
) -> pd.DataFrame:
    """Log-linear factor panel: a unit level, a unit-specific trend, two common random-walk shocks
    with unit loadings, and independent noise (sd ``noise`` on the log scale, ~3% of the level)."""
    rng = np.random.default_rng(seed)
    years = np.arange(first, last + 1)
    t = (years - first) / 10
    shocks = np.cumsum(rng.normal(0, walk, (len(years), 2)), axis=0)
    level = np.log(rng.uniform(5, 60, n_units))
    trend = rng.normal(0, 0.3, n_units)
    loads = rng.uniform(0.5, 1.5, (2, n_units))
    logy = level + np.outer(t, trend) + shocks @ loads + rng.normal(0, noise, (len(years), n_units))
    return pd.DataFrame(np.exp(logy), index=years, columns=[f"U{i:02d}" for i in range(n_units)])


def central_unit(panel: pd.DataFrame) -> str:
    """The unit whose pre-period level is closest to the median (inside the donors' hull)."""
    lv = np.log(panel.loc[: WINDOW[0] - 1]).mean()
    return str((lv - lv.median()).abs().idxmin())


def with_effect(panel: pd.DataFrame, unit: str, factor: float = 0.7) -> dict:
    values = panel[unit].copy()
    values.loc[WINDOW] *= factor
    return values.to_dict()


# --- windows ---------------------------------------------------------------------------------------


def test_window_of_a_closed_initiative_is_its_active_years():
    w = initiative_window("2012-03", "2014-05", last_year=2022)
    assert w == {"start": 2012, "end": 2013, "years": [2012, 2013], "capped": False, "open_ended": False}


def test_open_ended_and_long_windows_are_capped_at_max_years():
    w = initiative_window("2008", None, last_year=2022, max_years=5)
    assert w["years"] == [2008, 2009, 2010, 2011, 2012]
    assert w["capped"] and w["open_ended"]
    long = effect_window(list(range(2013, 2019)), max_years=5)
    assert long["years"] == list(range(2013, 2018)) and long["capped"] and not long["open_ended"]
    # Open-ended but shorter than max_years: not capped, still flagged open-ended.
    short = initiative_window("2021", None, last_year=2022)
    assert short["years"] == [2021, 2022] and not short["capped"] and short["open_ended"]
    assert effect_window([]) is None
    assert initiative_window(None, None, 2022) is None


def test_overlapping_windows_are_flagged_in_pairs():
    windows = {
        "carsi": effect_window(list(range(2008, 2023)), max_years=5),  # 2008-2012
        "truce": effect_window([2012, 2013]),
        "cvpp": effect_window(list(range(2013, 2019))),  # 2013-2017
        "pess": effect_window(list(range(2015, 2020))),
        "nodates": None,
        "later": effect_window([2020]),
    }
    pairs = overlapping(windows)
    assert pairs == [("carsi", "truce"), ("truce", "cvpp"), ("cvpp", "pess")]
    assert overlaps_of("truce", pairs) == ["carsi", "cvpp"]
    assert overlaps_of("later", pairs) == []


# --- interrupted time series ---------------------------------------------------------------------


def segmented(years, start, b0=50.0, b1=1.5, level=-8.0, slope=-2.0):
    t = np.asarray(years, dtype=float) - start
    d = (t >= 0).astype(float)
    return b0 + b1 * t + level * d + slope * t * d


def test_its_recovers_a_noiseless_segmented_line():
    years = list(range(2002, 2016))
    values = dict(zip(years, segmented(years, 2012), strict=True))
    res, reason = interrupted_time_series(values, [2012, 2013, 2014, 2015], rules({}))
    assert reason is None
    assert res["level"] == pytest.approx(-8.0, abs=1e-6)
    assert res["slope"] == pytest.approx(-2.0, abs=1e-6)
    assert res["pre_years"] == list(range(2002, 2012))
    assert res["counterfactual"] == {
        y: pytest.approx(50 + 1.5 * (y - 2012), abs=1e-6) for y in range(2012, 2016)
    }
    observed = np.mean([values[y] for y in range(2012, 2016)])
    cf = np.mean([50 + 1.5 * (y - 2012) for y in range(2012, 2016)])
    assert res["gap_pct"] == pytest.approx(100 * (observed / cf - 1), abs=1e-5)


def test_its_low_noise_estimates_and_intervals_contain_the_truth():
    rng = np.random.default_rng(7)
    years = list(range(2002, 2016))
    values = dict(zip(years, segmented(years, 2012) + rng.normal(0, 0.5, len(years)), strict=True))
    res, _ = interrupted_time_series(values, [2012, 2013, 2014, 2015], rules({}))
    assert res["level"] == pytest.approx(-8.0, abs=1.5)
    assert res["slope"] == pytest.approx(-2.0, abs=0.6)
    assert res["level_ci"][0] < -8.0 < res["level_ci"][1]
    assert res["slope_ci"][0] < -2.0 < res["slope_ci"][1]
    assert res["gap_pct_ci"][0] < res["gap_pct"] < res["gap_pct_ci"][1]


def test_its_interval_coverage_is_near_95_percent():
    """Over 200 noisy series the level CI covers the true level, and the gap CI covers 0 when
    there is no effect, about 95% of the time; wrong standard errors would miss this."""
    rng = np.random.default_rng(11)
    years = list(range(2002, 2014))
    cover_level = cover_zero = 0
    for _ in range(200):
        noise = rng.normal(0, 2.0, len(years))
        res, _ = interrupted_time_series(
            dict(zip(years, segmented(years, 2012) + noise, strict=True)), WINDOW, rules({})
        )
        cover_level += res["level_ci"][0] <= -8.0 <= res["level_ci"][1]
        flat = dict(zip(years, segmented(years, 2012, level=0, slope=0) + noise, strict=True))
        res0, _ = interrupted_time_series(flat, WINDOW, rules({}))
        cover_zero += res0["gap_pct_ci"][0] <= 0 <= res0["gap_pct_ci"][1]
    # Binomial(200, 0.95) has sd 1.5 points: the bounds are about -3 and +2.5 sd.
    assert 0.905 <= cover_level / 200 <= 0.99
    assert 0.905 <= cover_zero / 200 <= 0.99


def test_its_one_year_window_has_no_slope_change():
    years = list(range(2002, 2013))
    values = dict(zip(years, segmented(years, 2012, slope=0.0), strict=True))
    res, _ = interrupted_time_series(values, [2012], rules({}))
    assert res["level"] == pytest.approx(-8.0, abs=1e-6)
    assert res["slope"] is None and res["slope_ci"] is None


def test_its_gap_is_undefined_when_the_pre_trend_projects_below_zero():
    years = list(range(2002, 2017))
    values = {y: max(60.0 - 6.0 * (y - 2002), 1.0) + (y % 2) * 0.3 for y in years}
    res, _ = interrupted_time_series(values, list(range(2012, 2017)), rules({}))
    assert res["counterfactual_mean"] < 0
    assert res["gap_pct"] is None and res["gap_pct_ci"] is None
    assert res["gap_note"]["code"] == "gap_undefined"
    assert res["level"] is not None


def test_two_pre_period_years_are_refused_with_a_reason():
    values = {2010: 60.0, 2011: 70.0, 2012: 40.0, 2013: 38.0}
    panel = make_panel(1)
    out = estimate(values, panel, "XXX", WINDOW)
    assert out["its"] is None and out["synthetic"] is None
    assert out["its_reason"]["code"] == out["synthetic_reason"]["code"] == "too_few_pre_years"
    assert (
        out["its_reason"]["text"]
        == "not estimable: only 2 consecutive year(s) of data before 2012 (at least 5 needed)"
    )
    assert out["verdict"]["code"] == "too_few_pre_years"


def test_a_gap_in_the_window_is_refused():
    panel = make_panel(1)
    values = panel["U01"].to_dict()
    del values[2013]
    out = estimate(values, panel, "U01", WINDOW)
    assert out["its_reason"]["code"] == "no_data" and "2013" in out["its_reason"]["text"]
    assert out["verdict"]["code"] == "no_data"


# --- synthetic control -----------------------------------------------------------------------------


def test_permutation_p_value_matches_a_hand_count():
    # Treated ratio 3.0; placebos 1.0, 4.0, 3.0, 0.5: units with ratio >= 3.0 are the treated,
    # 4.0 and the tied 3.0 -> rank 3 of 5 units, p = 3 / (4 + 1).
    assert permutation_p_value(3.0, [1.0, 4.0, 3.0, 0.5]) == (0.6, 3)
    assert permutation_p_value(9.0, [1.0, 4.0, 3.0, 0.5]) == (0.2, 1)
    assert permutation_p_value(0.1, [1.0, 4.0, 3.0, 0.5]) == (1.0, 5)


def test_placebo_p_value_in_the_result_is_the_hand_count_of_its_ratios():
    panel = make_panel(3, n_units=12)
    unit = central_unit(panel)
    res, _ = synthetic_control(with_effect(panel, unit), panel, unit, WINDOW, rules({"min_donors": 5}))
    rank = 1 + sum(r >= res["ratio"] for r in res["placebo_ratios"].values())
    assert res["n_placebos"] == 11 == len(res["placebo_gaps"])
    assert res["placebo_rank"] == rank
    assert res["p_value"] == pytest.approx(rank / 12, abs=1e-6)


def test_weights_are_the_constrained_least_squares_optimum():
    rng = np.random.default_rng(5)
    X0 = rng.uniform(10, 50, (10, 25))
    x1 = X0[:, :6] @ rng.dirichlet(np.ones(6)) + rng.normal(0, 3, 10)
    w = fit_weights(x1, X0)
    assert w.min() >= 0 and w.sum() == pytest.approx(1, abs=1e-12)
    ref = minimize(
        lambda v: np.sum((x1 - X0 @ v) ** 2),
        np.full(25, 1 / 25),
        method="SLSQP",
        bounds=[(0, 1)] * 25,
        constraints={"type": "eq", "fun": lambda v: v.sum() - 1},
        options={"ftol": 1e-14, "maxiter": 1000},
    )
    assert np.sum((x1 - X0 @ w) ** 2) <= ref.fun * (1 + 1e-6) + 1e-9
    # An exact convex combination of three donors (more years than donors: unique) is found.
    X0 = rng.uniform(10, 50, (12, 8))
    w = fit_weights(X0 @ np.array([0.5, 0.3, 0.2, 0, 0, 0, 0, 0]), X0)
    assert w == pytest.approx([0.5, 0.3, 0.2, 0, 0, 0, 0, 0], abs=1e-7)


def test_injected_effect_is_recovered_and_distinguishable():
    """-30% in 2012-2013 for one unit of a 40-unit panel. Tolerances, about two standard
    deviations of each estimate over 40 such panels: the synthetic control within 8 points of
    -30% (sd 3.8), the interrupted time series within 15 (sd 10: its counterfactual is the unit's
    own trend, which cannot see the common shocks that the donors absorb)."""
    panel = make_panel(2)
    unit = central_unit(panel)
    out = estimate(with_effect(panel, unit), panel, unit, WINDOW)
    syn, its = out["synthetic"], out["its"]
    assert syn["gap_pct"] == pytest.approx(-30, abs=8)
    assert its["gap_pct"] == pytest.approx(-30, abs=15)
    assert its["gap_pct_ci"][1] < 0
    assert syn["rmspe_pre_pct"] < 5
    assert syn["n_placebos"] == 39 and syn["placebo_rank"] == 1 and syn["p_value"] == 0.025
    assert out["verdict"]["code"] == "distinguishable"
    assert out["verdict"]["text"].startswith("distinguishable from placebo (p = 0.03): ")
    assert "% below the synthetic control over 2012–2013" in out["verdict"]["text"]
    # The in-time placebo (fake start 2009, fit on 1999-2008) sees nothing comparable.
    fake = syn["in_time"]
    assert (fake["start"], fake["end"], fake["fit_years"][-1]) == (2009, 2010, 2008)
    assert abs(fake["gap_pct"]) < 10
    weights = [d["weight"] for d in syn["donors"]]
    assert weights == sorted(weights, reverse=True) and min(weights) >= 0.01
    assert sum(syn["series"][y] + syn["gaps"][y] - panel[unit][y] for y in syn["fit_years"]) == pytest.approx(
        0, abs=1e-4
    )


def test_injected_effect_power_over_ten_panels():
    """The same -30% effect in ten fresh panels: called distinguishable in at least 8 (36 of 40
    in a longer run), the mean synthetic gap within 3 points of -30% and the mean interrupted
    time series gap within 10."""
    codes, gaps, its_gaps = [], [], []
    for seed in range(10, 20):
        panel = make_panel(seed)
        unit = central_unit(panel)
        out = estimate(with_effect(panel, unit), panel, unit, WINDOW)
        codes.append(out["verdict"]["code"])
        gaps.append(out["synthetic"]["gap_pct"])
        its_gaps.append(out["its"]["gap_pct"])
    assert codes.count("distinguishable") >= 8
    assert np.mean(gaps) == pytest.approx(-30, abs=3)
    assert np.mean(its_gaps) == pytest.approx(-30, abs=10)


def test_no_effect_is_not_distinguishable_in_most_panels():
    """Under no effect the units are exchangeable, so the rank of the treated ratio among the
    40 units is uniform and P(p <= 0.10) = 4/40 = 0.10 exactly (the fit and in-time rules can
    only lower it). Over 50 panels the count called distinguishable is then ~Binomial(50, 0.1):
    mean 5, and P(count > 10) < 1%. We require >= 80% not distinguishable, and a mean p-value
    near 0.5 (a test that always returned p = 1 would pass the first check but not this)."""
    pvals, codes = [], []
    for seed in range(100, 150):
        panel = make_panel(seed)
        out = estimate(panel["U00"].to_dict(), panel, "U00", WINDOW)
        codes.append(out["verdict"]["code"])
        pvals.append(out["synthetic"]["p_value"])
    assert sum(c != "distinguishable" for c in codes) >= 40
    assert 0.35 <= np.mean(pvals) <= 0.65


def test_donor_pool_rules():
    panel = make_panel(4, n_units=15)
    panel.loc[2005, "U03"] = np.nan  # incomplete in the fit years: not a donor
    panel.loc[2016, "U04"] = np.nan  # incomplete after the window only: still a donor
    res, _ = synthetic_control(panel["U00"].to_dict(), panel, "U00", WINDOW, rules({}), exclude=["U05"])
    assert res["n_placebos"] == 12
    assert set(res["placebo_gaps"]) == {f"U{i:02d}" for i in range(1, 15)} - {"U03", "U05"}
    # Fewer donors than min_donors: refused.
    res, reason = synthetic_control(panel["U00"].to_dict(), panel.iloc[:, :8], "U00", WINDOW, rules({}))
    assert res is None and reason["code"] == "too_few_donors"
    assert "only 6 comparison countries" in reason["text"]


def test_poor_fit_and_no_panel_verdicts():
    panel = make_panel(6)
    treated = (panel.max(axis=1) * 3).to_dict()  # far above every donor: no convex fit
    out = estimate(treated, panel, "OUT", WINDOW)
    assert out["synthetic"]["rmspe_pre_pct"] > 20
    assert out["verdict"]["code"] == "poor_fit"
    assert "above 20%" in out["verdict"]["text"]
    out = estimate(panel["U01"].to_dict(), None, "U01", WINDOW)
    assert out["synthetic"] is None and out["its"] is not None
    assert out["verdict"]["code"] == "no_panel"
    assert "pre-trend alone, projected forward, puts the window" in out["verdict"]["text"]


def test_in_time_window_stays_inside_the_pre_period():
    panel = make_panel(8)
    res, _ = synthetic_control(panel["U01"].to_dict(), panel, "U01", list(range(2015, 2020)), rules({}))
    fake = res["in_time"]
    assert (fake["start"], fake["end"]) == (2012, 2014)
    assert fake["fit_years"] == list(range(2002, 2012))


# --- verdict rules ----------------------------------------------------------------------------------


def fake_synth(p, gap=-30.0, fit=5.0, in_time_gap=2.0, rank=2, n=39):
    return {
        "gap_pct": gap,
        "p_value": p,
        "rmspe_pre_pct": fit,
        "placebo_rank": rank,
        "n_placebos": n,
        "in_time": {"start": 2009, "gap_pct": in_time_gap},
    }


@pytest.mark.parametrize(
    "synth,code",
    [
        (fake_synth(0.10), "distinguishable"),  # p == alpha counts
        (fake_synth(0.125), "not_distinguishable"),
        (fake_synth(0.05, fit=25.0), "poor_fit"),
        (fake_synth(0.05, in_time_gap=-31.0), "fails_in_time_placebo"),
        (fake_synth(0.05, in_time_gap=+30.0), "fails_in_time_placebo"),
    ],
)
def test_verdict_rules(synth, code):
    window = effect_window(WINDOW)
    v, _ = verdict(window, None, None, synth, None, rules({}))
    assert v["code"] == code


def test_verdict_caveats_and_texts():
    window = effect_window(list(range(2008, 2023)), max_years=5, open_ended=True)
    its = {"gap_pct": 15.0, "gap_pct_ci": [4.0, 27.0]}
    v, notes = verdict(window, its, None, fake_synth(0.41, rank=17), None, rules({}), overlaps=["truce"])
    assert [n["code"] for n in notes] == ["overlaps", "open_ended", "methods_disagree"]
    assert v["text"].startswith(
        "not distinguishable from ordinary variation (p = 0.41): 30% below the "
        "synthetic control over 2008–2012, a departure that 16 of 39"
    )
    assert "overlaps other initiatives (truce)" in v["text"]
    assert "no end date: assessed over 2008–2012 only" in v["text"]
    v, notes = verdict(None, None, None, None, None, rules({}))
    assert v == {"code": "no_window", "text": TEXTS["no_window"]} and notes == []
    with pytest.raises(ValueError):
        rules({"alpha": 1.5})
    assert rules({"alpha": 0.05, "unrelated": 1})["alpha"] == 0.05 and "unrelated" not in rules({})
    assert set(defaults()) <= set(rules({}))


# --- determinism --------------------------------------------------------------------------------------


def test_two_runs_give_identical_json_whatever_the_column_order():
    panel = make_panel(9)
    values = with_effect(panel, "U07")
    first = json.dumps(estimate(values, panel, "U07", WINDOW), sort_keys=True)
    again = json.dumps(estimate(values, panel, "U07", WINDOW), sort_keys=True)
    shuffled = panel[list(np.random.default_rng(0).permutation(panel.columns))]
    as_dict = {c: shuffled[c].to_dict() for c in shuffled.columns}
    third = json.dumps(estimate(values, as_dict, "U07", WINDOW), sort_keys=True)
    assert first == again == third
    assert "NaN" not in first and "Infinity" not in first


def test_the_report_jobs_do_not_load_the_estimators():
    # Every render job imports the effects package for its wording; statsmodels, scipy and
    # pandas cost about a second per job and are needed only where the estimates are made.
    code = (
        "import sys; sys.path.insert(0, 'workflow');"
        "from ssr_pipeline.report import country, html, pdf, synthesis;"
        "print(sorted(m for m in ('statsmodels', 'scipy', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
