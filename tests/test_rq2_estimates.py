"""RQ2 estimates wired into the indicators and the reports: contract, windows, budgets, figures."""

import re
from html import unescape
from pathlib import Path

import pytest
from conftest import shipped_panel
from ssr_pipeline import settings
from ssr_pipeline.errors import ProblemList
from ssr_pipeline.figures import build_all
from ssr_pipeline.indicators import compute
from ssr_pipeline.inputs import load_codebook, load_country
from ssr_pipeline.narrative import country_fragment
from ssr_pipeline.report import country, html

ROOT = Path(__file__).resolve().parent.parent
CONFIG = settings.load(ROOT)  # the shipped settings: its languages are those the inputs declare


@pytest.fixture(scope="module")
def salvador():
    problems = ProblemList()
    cb = load_codebook(ROOT / "inputs", ROOT, problems)
    bundle = load_country(ROOT / "inputs", "el-salvador", cb, ROOT, problems)
    assert not problems
    ind = compute(bundle, CONFIG, shipped_panel())
    return bundle, ind, {i["id"]: i for i in ind["rq2"]["initiatives"]}


def test_every_dated_initiative_has_the_contract_members(salvador):
    _, ind, by_id = salvador
    for i in ind["rq2"]["initiatives"]:
        e = i["effect"]
        if e is None:
            assert i["effect_note"], i["id"]
            continue
        assert {"indicator", "baseline", "during", "change_pct", "its", "synthetic", "verdict"} <= set(e)
        assert set(e["verdict"]) == {"code", "text"} and e["verdict"]["text"]
        for member in ("its", "synthetic"):
            # A member that cannot be estimated is null and says why.
            assert e[member] is not None or e[f"{member}_reason"]["text"], (i["id"], member)
    truce = by_id["gang-truce"]["effect"]
    assert {"level", "level_ci", "slope", "slope_ci", "pre_years"} <= set(truce["its"])
    assert {"gap_pct", "rmspe_pre", "p_value", "placebo_rank", "n_placebos", "donors"} <= set(
        truce["synthetic"]
    )
    assert abs(sum(d["weight"] for d in truce["synthetic"]["donors"]) - 1) < 0.02
    # The p-value is the rank among the treated unit and its placebos.
    s = truce["synthetic"]
    assert s["p_value"] == pytest.approx(s["placebo_rank"] / (s["n_placebos"] + 1), abs=1e-6)


def test_the_truce_is_estimated_but_not_credited(salvador):
    _, _, by_id = salvador
    e = by_id["gang-truce"]["effect"]
    assert e["window"]["years"] == [2012, 2013]
    assert -45 < e["change_pct"] < -35  # the descriptive change is unchanged
    assert e["its"]["gap_pct_ci"][1] < 0  # below the pre-trend, interval excluding zero
    assert e["synthetic"]["gap_pct"] < 0
    # Annual national data cannot tell the truce from ordinary variation, and the report says so.
    assert e["verdict"]["code"] == "not_distinguishable"
    assert "overlaps other initiatives" in e["verdict"]["text"]
    assert "CARSI" in e["verdict"]["text"]


def test_open_ended_initiatives_are_capped_and_budgets_carry_their_scope(salvador):
    _, _, by_id = salvador
    carsi = by_id["carsi-prevention"]
    w = carsi["effect"]["window"]
    assert w["open_ended"] and w["years"] == list(range(2008, 2008 + CONFIG["effect"]["max_years"]))
    assert carsi["effect"]["baseline_years"] == [2006, 2007]
    assert "no end date: assessed over 2008–2012 only" in carsi["effect"]["verdict"]["text"]
    assert carsi["budget_scope"] == "regional"
    assert by_id["el-salvador-seguro"]["budget_scope"] == "plan"


def test_the_report_sets_the_estimates_side_by_side(salvador):
    bundle, ind, by_id = salvador
    figs = build_all(ind, CONFIG)
    nar = bundle["narratives"]["second-generation"]
    frag = country_fragment(nar["text"], nar["file"], bundle, ind)
    page = html.render(
        ROOT / "templates", country.build("second-generation", bundle, ind, figs, frag, CONFIG)
    )
    text = unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))
    truce = by_id["gang-truce"]["effect"]
    lo, hi = truce["its"]["gap_pct_ci"]
    assert f"95% CI −{abs(lo):.0f}% to −{abs(hi):.0f}%" in text
    assert f"p = {truce['synthetic']['p_value']:.2f}" in text
    assert "Verdict: not distinguishable from ordinary variation" in text
    # One figure per estimated initiative, each with the window, both counterfactuals and placebos.
    estimated = [
        i
        for i in ind["rq2"]["initiatives"]
        if i["effect"] and (i["effect"]["its"] or i["effect"]["synthetic"])
    ]
    assert len(estimated) >= 5
    for i in estimated:
        assert f"{i['name']}: the homicide rate against its synthetic control" in text
    svg = figs["effects"]["gang-truce"]["svg"]
    for label in ("Effect window", "Synthetic control", "Pre-trend, projected", "68 placebo countries"):
        assert label in svg, label
    # A regional budget is never shown as the country's programme budget.
    assert "regional total, several countries or components; not this programme's budget here" in text
