"""Indicator maths against values worked out by hand."""

import csv
from pathlib import Path

import pytest
from ssr_pipeline import settings
from ssr_pipeline.dates import active_years
from ssr_pipeline.indicators import trajectory
from ssr_pipeline.rq1 import rq1
from ssr_pipeline.rq2 import descriptive_change

ROOT = Path(__file__).resolve().parent.parent


def test_active_years_six_month_rule():
    # The gang truce, March 2012 to May 2014: 10 months in 2012, 12 in 2013, 5 in 2014.
    assert active_years("2012-03", "2014-05", 2022, 6) == [2012, 2013]
    # Starting in July leaves exactly six months: the year counts.
    assert active_years("2015-07", "2016-12", 2022, 6) == [2015, 2016]
    # Starting in August leaves five: it does not.
    assert active_years("2015-08", "2016-12", 2022, 6) == [2016]
    # Years without months are whole years; a missing end runs to the latest data year.
    assert active_years("2008", None, 2010, 6) == [2008, 2009, 2010]
    assert active_years("2014-02", "2014-05", 2022, 6) == []
    assert active_years(None, None, 2022, 6) == []


def test_descriptive_change_means_and_percent_change():
    values = {2010: 60.0, 2011: 70.0, 2012: 40.0, 2013: 38.0}
    res = descriptive_change(values, [2012, 2013], 2, "homicide_rate")
    assert res["baseline"] == 65.0
    assert res["during"] == 39.0
    assert res["change_abs"] == -26.0
    assert res["change_pct"] == pytest.approx(-40.0)
    assert res["baseline_years"] == [2010, 2011]


def test_descriptive_change_is_null_when_a_window_is_not_covered():
    values = {2011: 70.0, 2012: 40.0, 2013: 38.0}
    out = descriptive_change(values, [2012, 2013], 2, "homicide_rate")
    assert out["change_pct"] is None and out["baseline"] is None
    assert "2010" in out["descriptive_reason"]


def test_trajectory_figures():
    t = trajectory({1994: 10.0, 1995: 12.0, 1998: 4.0, 2000: 5.0}, reform_start=1996)
    assert t["first"] == {"year": 1994, "value": 10.0}
    assert t["peak"] == {"year": 1995, "value": 12.0}
    assert t["trough"] == {"year": 1998, "value": 4.0}
    assert t["latest"] == {"year": 2000, "value": 5.0}
    # The first observation in or after the reform start year.
    assert t["at_reform_start"] == {"year": 1998, "value": 4.0}
    assert t["change_since_reform_start"]["abs"] == 1.0
    assert t["change_since_reform_start"]["pct"] == 25.0


def test_trajectory_of_a_single_point_and_of_nothing():
    t = trajectory({2018: 64.0}, reform_start=2002)
    assert t["n_years"] == 1
    assert t["latest"] == t["first"] == t["peak"] == {"year": 2018, "value": 64.0}
    assert t["change_since_reform_start"] is None
    assert trajectory({}, reform_start=2000) == {}


def test_rq1_indices():
    bundle = {
        "codebook": {
            "dimensions": [
                {"id": "D1", "name": "One"},
                {"id": "D2", "name": "Two"},
                {"id": "D3", "name": "Three"},
            ]
        },
        "orthodox": [
            {"dimension": "D1", "design": 4, "practice": 2, "certainty": "verified"},
            {"dimension": "D2", "design": 3, "practice": 3, "certainty": "verified"},
            {"dimension": "D3", "design": 2, "practice": 0, "certainty": "verified"},
        ],
    }
    r = rq1(bundle, settings.defaults()["rq1"])
    # design mean 3 -> 75; practice mean 5/3 -> 41.666667; gap 33.333333
    assert r["design_index"] == 75.0
    assert r["practice_index"] == pytest.approx(41.666667)
    assert r["gap_index"] == pytest.approx(33.333333)
    assert [d["gap"] for d in r["dimensions"]] == [2, 0, 2]
    assert r["largest_gap"]["id"] == "D1"  # ties go to the first dimension


def test_truce_effect_from_the_shipped_unodc_series():
    """2012-2013 against 2010-2011, recomputed by hand from inputs/el-salvador/indicators.csv."""
    with open(ROOT / "inputs/el-salvador/indicators.csv", encoding="utf-8") as fh:
        rows = {
            int(r["year"]): float(r["value"]) for r in csv.DictReader(fh) if r["indicator"] == "homicide_rate"
        }
    base = (rows[2010] + rows[2011]) / 2
    during = (rows[2012] + rows[2013]) / 2
    expected = (during - base) / base * 100
    res = descriptive_change(rows, active_years("2012-03", "2014-05", max(rows), 6), 2, "homicide_rate")
    assert res["change_pct"] == pytest.approx(expected, abs=1e-6)
    # The paper reports a drop of about 40 percent.
    assert -45 < res["change_pct"] < -35
