"""Comparative indicators: the CSV equals the per-country indicators, column by column."""

import copy
import csv
import io
import math
import re
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
    assert "Testland" in figs["gaps"][0]["alt"] and "Testland" in figs["governance"]["alt"]


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


def _svg_size_pt(svg: str) -> tuple[float, float]:
    m = re.search(r'<svg[^>]*\bwidth="([\d.]+)pt"[^>]*\bheight="([\d.]+)pt"', svg)
    return float(m.group(1)), float(m.group(2))


def test_figures_with_a_row_per_case_are_cut_into_parts_that_each_fit_a_page(data):
    cb, inds, refs = data
    names = [f"Synthetic {k:03d}" for k in range(50)]
    many = []
    for k, name in enumerate(names):
        c = copy.deepcopy(inds[k % 4])
        c["country"].update({"slug": f"synthetic-{k:03d}", "name": name})
        many.append(c)
    comp = build(many, cb, refs)
    figs = build_all(many, comp, comp["codebook"], CONFIG)
    # A4 with print.css's margins: 170 mm wide, 251 mm high; a caption needs about 40 pt of it.
    text_width, page_height = 170 / 25.4 * 72, 251 / 25.4 * 72 - 40
    per_part = {"heatmap": 23, "entry_points": 20, "gaps": 20, "gap_ranges": 18}
    for key, rows in per_part.items():
        parts = figs[key]
        assert len(parts) == math.ceil(50 / rows), key
        for part in parts:
            width, height = _svg_size_pt(part["svg"])
            assert height * text_width / width <= page_height, (key, width, height)
        # Every case is drawn, on exactly one part.
        seen = [name for part in parts for name in names if name in part["alt"]]
        assert sorted(seen) == names, key
    forest_rows = sum(
        1
        for c in many
        for i in c["rq2"]["initiatives"]
        if i["effect"] and (i["effect"]["its"] or i["effect"]["synthetic"])
    )
    assert forest_rows > 18
    assert len(figs["forest"]) == math.ceil(forest_rows / 18)
    for part in figs["forest"]:
        width, height = _svg_size_pt(part["svg"])
        assert height * text_width / width <= page_height, ("forest", width, height)
    # One report inlines every part: each part's ids have a prefix of their own.
    for key in ("gaps", "gap_ranges", "forest"):
        ids = [i for part in figs[key] for i in re.findall(r'\bid="([^"]+)"', part["svg"])]
        assert ids and len(ids) == len(set(ids)), key


def test_csv_neutralises_formulas():
    cols = [
        {"name": "a", "type": "string", "unit": None, "description": ""},
        {"name": "b", "type": "number", "unit": None, "description": ""},
    ]
    text = to_csv([{"a": "=HYPERLINK(1)", "b": -3.5}, {"a": "@SUM", "b": None}], cols)
    assert text.splitlines()[1:] == ["'=HYPERLINK(1),-3.5", "'@SUM,"]
