"""Comparative indicators: the CSV equals the per-country indicators, column by column."""

import copy
import csv
import io
from pathlib import Path

import pytest
from ssr_pipeline import settings
from ssr_pipeline.compare import build as build_comparative
from ssr_pipeline.compare import to_csv
from ssr_pipeline.errors import ProblemList
from ssr_pipeline.indicators import compute
from ssr_pipeline.inputs import load_codebook, load_country
from ssr_pipeline.synthesis_figures import build_all

ROOT = Path(__file__).resolve().parent.parent
SLUGS = ["el-salvador", "bosnia-herzegovina", "sierra-leone", "timor-leste"]
CONFIG = settings.defaults()


def build(inds, cb, refs):
    return build_comparative(inds, cb, refs, CONFIG)


@pytest.fixture(scope="module")
def data():
    problems = ProblemList()
    cb = load_codebook(ROOT / "inputs", ROOT, problems)
    bundles = [load_country(ROOT / "inputs", s, cb, ROOT, problems, narratives=False) for s in SLUGS]
    assert not problems
    inds = [compute(b, CONFIG) for b in bundles]
    refs = {}
    for b in bundles:
        refs.update(b["references"])
    return cb, inds, refs


def parse(text, cols):
    types = {c["name"]: c["type"] for c in cols}
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        rec = {}
        for k, v in row.items():
            if v == "":
                rec[k] = None
            elif types[k] == "integer":
                rec[k] = int(v)
            elif types[k] == "number":
                rec[k] = float(v)
            else:
                rec[k] = v
        out.append(rec)
    return out


def test_csv_values_equal_the_country_json(data):
    cb, inds, refs = data
    comp = build(inds, cb, refs)
    rows = parse(to_csv(comp["rows"], comp["columns"]), comp["columns"])
    assert [r["slug"] for r in rows] == SLUGS
    for row, ind in zip(rows, inds):
        r1, r2 = ind["rq1"], ind["rq2"]
        assert row["design_index"] == r1["design_index"]
        assert row["practice_index"] == r1["practice_index"]
        assert row["gap_index"] == r1["gap_index"]
        for d in r1["dimensions"]:
            assert (row[f"{d['id']}_design"], row[f"{d['id']}_practice"], row[f"{d['id']}_gap"]) == (
                d["design"],
                d["practice"],
                d["gap"],
            )
        for code, stem in (
            ("homicide_rate", "homicide_rate_per_100k"),
            ("wgi_rl", "wgi_rule_of_law"),
            ("wgi_ge", "wgi_government_effectiveness"),
            ("vdem_clphy", "vdem_physical_violence"),
        ):
            t = ind["series"].get(code, {}).get("trajectory", {})
            assert row[f"{stem}_latest"] == (t["latest"]["value"] if t else None)
            assert row[f"{stem}_start"] == (
                t["at_reform_start"]["value"] if t.get("at_reform_start") else None
            )
            ch = t.get("change_since_reform_start") if t else None
            assert row[f"{stem}_change_pct"] == (ch["pct"] if ch else None)
        assert row["initiatives_n"] == len(r2["initiatives"])
        assert row["initiatives_used_n"] == sum(i["used"] == "yes" for i in r2["initiatives"])
        assert row["initiatives_not_used_n"] == sum(i["used"] == "no" for i in r2["initiatives"])
        for e in cb["entry_points"]:
            key = e["code"].replace("-", "_").lower()
            assert row[f"{key}_n"] == sum(i["entry_point"] == e["code"] for i in r2["initiatives"])
        measured = [
            i["effect"]["change_pct"]
            for i in r2["initiatives"]
            if i["effect"] and i["effect"]["change_pct"] is not None
        ]
        assert row["descriptive_changes_n"] == len(measured)
        if measured:
            assert row["largest_descriptive_fall_change_pct"] == min(measured)
        verdicts = [i["effect"]["verdict"]["code"] for i in r2["initiatives"] if i["effect"]]
        assert row["distinguishable_n"] == verdicts.count("distinguishable")
        assert row["distinguishable_n"] + row["not_distinguishable_n"] + row["not_estimable_n"] == len(
            verdicts
        )
        fair = [
            i["effect"]["synthetic"]["p_value"]
            for i in r2["initiatives"]
            if i["effect"]
            and i["effect"]["verdict"]["code"]
            in ("distinguishable", "not_distinguishable", "fails_in_time_placebo")
        ]
        assert row["strongest_estimate_p_value"] == (min(fair) if fair else None)


def test_study_summary_by_hand(data):
    cb, inds, refs = data
    s = build(inds, cb, refs)["study"]
    gaps = [i["rq1"]["gap_index"] for i in inds]
    assert s["mean_gap_index"] == pytest.approx(sum(gaps) / len(gaps))
    assert s["widest_gap"]["gap_index"] == max(gaps)
    assert s["n_initiatives"] == sum(len(i["rq2"]["initiatives"]) for i in inds)


def test_a_new_country_appears_in_every_table_and_figure(data):
    cb, inds, refs = data
    extra = copy.deepcopy(inds[0])
    extra["country"].update({"slug": "testland", "name": "Testland", "iso3": "TST"})
    comp = build(inds + [extra], cb, refs)
    assert [r["slug"] for r in comp["rows"]][-1] == "testland"
    figs = build_all(inds + [extra], comp, comp["codebook"], CONFIG)
    assert "Testland" in figs["small_multiples"][0]["alt"]
    for key in ("heatmap", "entry_points"):
        assert "Testland" in figs[key][0]["alt"]
    assert "Testland" in figs["gaps"]["alt"] and "Testland" in figs["governance"]["alt"]


def test_many_countries_wrap_small_multiples_across_pages(data):
    cb, inds, refs = data
    many = []
    for k in range(19):
        c = copy.deepcopy(inds[k % 4])
        c["country"].update({"slug": f"synthetic-{k}", "name": f"Synthetic {k}"})
        many.append(c)
    comp = build(many, cb, refs)
    figs = build_all(many, comp, comp["codebook"], CONFIG)
    assert len(figs["small_multiples"]) == 3  # 8 panels a page


def test_csv_neutralises_formulas():
    cols = [
        {"name": "a", "type": "string", "unit": None, "description": ""},
        {"name": "b", "type": "number", "unit": None, "description": ""},
    ]
    text = to_csv([{"a": "=HYPERLINK(1)", "b": -3.5}, {"a": "@SUM", "b": None}], cols)
    assert text.splitlines()[1:] == ["'=HYPERLINK(1),-3.5", "'@SUM,"]
