"""Checked claims in narratives and the change summary between builds."""

import copy

import pytest
from ssr_pipeline.changes import diff, markdown, settle_claims, snapshot
from ssr_pipeline.errors import InputError
from ssr_pipeline.narrative import country_fragment
from test_narrative import IND, LABELS, REFS  # noqa: F401

BUNDLE = {"references": REFS}


def frag(text, mode="error"):
    """The fragment, and the warnings of the claim check (which raises in error mode)."""
    f = country_fragment(text, "narrative/x.md", BUNDLE, IND)
    problems, warnings = settle_claims([c for c in f["claims"] if not c["ok"]], mode)
    problems.raise_if_any()
    return f, warnings


def test_claim_within_tolerance_passes_and_is_marked():
    f, warnings = frag(
        'A fall of {{ claim("about 40 percent", "initiative.gang_truce.effect.change_pct", 42, '
        "tol=5, absolute=true) }}."
    )
    assert warnings == []
    c = f["claims"][0]
    assert c["ok"] and c["current"] == 40.0 and c["line"] == 1
    assert 'class="claim"' in f["html"] and "about 40 percent" in f["html"]
    assert "is 40.00 in the current data" in f["html"]


def test_claim_outside_tolerance_fails_with_file_line_claimed_and_current():
    with pytest.raises(InputError) as exc:
        frag(
            'Intro.\n\nA fall of {{ claim("about 25 percent", "initiative.gang_truce.effect.change_pct", 25, '
            "tol=5, absolute=true) }}."
        )
    msg = str(exc.value)
    assert "narrative/x.md, line 3" in msg
    assert "within ±5 of 25" in msg and "current value is 40.00" in msg


def test_claim_outside_tolerance_only_warns_in_warn_mode():
    f, warnings = frag('{{ claim("over 100", "value(\'homicide_rate\', 2011)", 100, op=">") }}', mode="warn")
    assert len(warnings) == 1 and "line 1" in warnings[0] and "current value is 70.00" in warnings[0]
    assert 'class="claim claim-failed"' in f["html"]


def test_claim_on_an_unknown_name_suggests_names():
    with pytest.raises(InputError) as exc:
        frag('{{ claim("x", "initiative.gang_truse.effect.change_pct", 40, tol=5) }}')
    assert "did you mean initiative.gang_truce.effect.change_pct" in str(exc.value)


def test_change_function_and_year_formats():
    f, _ = frag("{{ change('homicide_rate', 2010, 2011) | pct }} in {{ series.homicide_rate.latest.year }}")
    assert "16.7% in 2013" in f["html"]


def ind_for_snapshot():
    ind = copy.deepcopy(IND)
    ind["country"] = {**ind["country"], "slug": "testland"}
    ind["rq1"]["dimensions"] = [{"id": "D1", "design": 4, "practice": 2, "gap": 2}]
    ind["rq2"]["initiatives"][0]["effect"] = {
        "baseline": 65.0,
        "during": 39.0,
        "change_pct": -40.0,
        "its": None,
        "synthetic": None,
    }
    for s in ind["series"].values():
        s.setdefault("trajectory", {})
    return ind


def test_change_summary_reports_new_years_revisions_and_moved_claims():
    comp = {"study": {"n_countries": 1, "mean_gap_index": 32.5, "dims": {}}}
    claim = {
        "file": "narrative/x.md",
        "line": 3,
        "text": "about 40 percent",
        "expr": "e",
        "op": "~",
        "claimed": 40,
        "tol": 5.0,
        "absolute": False,
        "current": 40.0,
        "ok": True,
    }
    before = snapshot([ind_for_snapshot()], comp, [claim])
    after_ind = ind_for_snapshot()
    after_ind["series"]["homicide_rate"]["values"]["2012"] = 30.0  # revised by 25%
    after_ind["series"]["homicide_rate"]["values"]["2014"] = 35.0  # a new year
    after_ind["series"]["population"]["values"]["2012"] = 6297395.0  # below the 1% threshold
    after = snapshot([after_ind], comp, [{**claim, "current": 33.0, "ok": False}])
    d = diff(before, after, threshold_pct=1)
    assert d["new_years"] == [{"country": "Testland", "indicator": "homicide_rate", "years": [2014]}]
    assert [(r["indicator"], r["year"], r["old"], r["new"]) for r in d["revised"]] == [
        ("homicide_rate", 2012, 40.0, 30.0)
    ]
    assert d["revised"][0]["change_pct"] == pytest.approx(-25.0)
    assert d["claims_moved"][0]["old"] == 40.0 and d["claims_moved"][0]["current"] == 33.0
    md = markdown(d)
    assert "Revised: Testland, `homicide_rate` 2012: 40 -> 30 (-25.0%)" in md
    assert "New data: Testland, `homicide_rate` for 2014 (1 years)" in md
    assert "NO LONGER HOLDS" in md
    # The failing claim, as the change summary records it, is what check_claims reports.
    problems, _ = settle_claims(d["claims_failing"], "error")
    assert (
        "narrative/x.md, line 3: claim 'about 40 percent' (e) should be within ±5 of 40, "
        "but the current value is 33.00. Since the previous build: revised: Testland"
    ) in problems.error().report()
    assert diff(None, after)["first_build"] is True
    assert "No computed value changed." in markdown(diff(after, after))
