"""RQ1 with several coders: agreement against hand computation, the consensus rule, robustness
counts on a small hand-checked coding, and bad coder files."""

import shutil
from pathlib import Path

import numpy as np
import pytest
from ssr_pipeline import settings
from ssr_pipeline.errors import ProblemList
from ssr_pipeline.inputs import load_codebook, load_country
from ssr_pipeline.rq1 import alpha, alpha_from_coincidences, alpha_with_interval, consensus, robustness, rq1
from ssr_pipeline.rq1_compare import ranking_robustness

ROOT = Path(__file__).resolve().parent.parent
CFG = settings.defaults()["rq1"]


def test_alpha_matches_a_hand_computed_example():
    # Two coders, three units: (0, 0), (1, 2), (2, 2). Coincidences: o00 = 2, o12 = o21 = 1, o22 = 2;
    # n0 = 2, n1 = 1, n2 = 3, n = 6. Ordinal distances: d01 = (3 - 3/2)^2 = 2.25, d12 = (4 - 2)^2 = 4,
    # d02 = (6 - 5/2)^2 = 12.25. Observed: sum o d = 2 * 4 = 8; expected: sum n_c n_k d over c != k
    # = 2 * (2*1*2.25 + 2*3*12.25 + 1*3*4) = 180. Alpha = 1 - (n - 1) * 8 / 180 = 1 - 40/180 = 7/9.
    data = np.array([[0, 1, 2], [0, 2, 2]], dtype=float)
    assert alpha(data) == pytest.approx(7 / 9)
    # Perfect agreement is 1; a constant coding leaves alpha undefined.
    assert alpha(np.array([[0, 1, 2, 3], [0, 1, 2, 3]], dtype=float)) == pytest.approx(1.0)
    assert alpha(np.array([[2, 2, 2], [2, 2, 2]], dtype=float)) is None


def test_the_bootstrap_uses_the_same_alpha_as_the_package():
    from ssr_pipeline.rq1 import unit_coincidences

    rng = np.random.default_rng(3)
    for _ in range(10):
        data = rng.integers(0, 5, (3, 15)).astype(float)
        data[1, rng.integers(0, 15)] = np.nan
        fast = alpha_from_coincidences(unit_coincidences(data).sum(axis=0)[None])[0]
        assert fast == pytest.approx(alpha(data), abs=1e-12)
    res = alpha_with_interval(np.array([[0, 1, 2, 3, 4, 2, 1], [0, 1, 3, 3, 4, 2, 2]], dtype=float), 500, 7)
    assert res["alpha_ci"][0] <= res["alpha"] <= res["alpha_ci"][1]
    assert res == alpha_with_interval(
        np.array([[0, 1, 2, 3, 4, 2, 1], [0, 1, 3, 3, 4, 2, 2]], dtype=float), 500, 7
    )


def test_the_consensus_rule():
    assert consensus([2, 3], "mean", 2) == 2.5
    assert consensus([2, 2], "mean", 2) == 2 and isinstance(consensus([2, 2], "mean", 2), int)
    assert consensus([1, 2, 4], "median", 1) == 2
    assert consensus([1, 3], "lead", 1) == 1


def _bundle(lead, other=None):
    dims = [{"id": f"D{i}", "name": f"Dim {i}"} for i in range(1, len(lead) + 1)]

    def rows(scores):
        return [
            {
                "dimension": f"D{i}",
                "design": d,
                "practice": p,
                "certainty": "summary",
                "design_evidence": "e",
                "practice_evidence": "e",
                "sources": "k",
            }
            for i, (d, p) in enumerate(scores, 1)
        ]

    return {
        "codebook": {"dimensions": dims, "certainty": [{"level": "summary", "label": "Summary"}]},
        "orthodox": rows(lead),
        "codings": {"coder-b": rows(other)} if other else {},
    }


def test_indices_use_the_mean_of_two_coders_and_agreement_is_reported():
    r = rq1(_bundle([(4, 2), (2, 2)], [(4, 1), (2, 2)]), {**CFG, "weight_schemes": []})
    assert [d["practice"] for d in r["dimensions"]] == [1.5, 2]
    # design mean 3 -> 75; practice mean 1.75 -> 43.75
    assert (r["design_index"], r["practice_index"], r["gap_index"]) == (75.0, 43.75, 31.25)
    assert r["agreement"]["disagreements"] == [
        {
            "dimension": "D1",
            "kind": "practice",
            "scores": {"lead": 2, "coder-b": 1},
            "evidence": {"lead": "e", "coder-b": "e"},
            "sources": {"lead": "k", "coder-b": "k"},
        }
    ]
    assert r["certainty"][0]["by_coder"] == {"lead": 2, "coder-b": 2} and r["certainty"][0]["share"] == 1.0
    assert rq1(_bundle([(4, 2)]), CFG)["agreement"] is None


def test_robustness_counts_on_a_hand_checked_coding():
    dims = [{"id": "D1", "design": 4, "practice": 2}, {"id": "D2", "design": 2, "practice": 2}]
    # Variants: leave D1 or D2 out (2); D1 design can only go down (1); the other three scores up or
    # down (6): 9 in all. As coded the gap is 75 - 50 = 25. Without D1: 50 - 50 = 0; without D2:
    # 100 - 50 = 50; every one-point move shifts one index by 12.5.
    r = robustness(dims, [])
    assert r["n_variants"] == 9
    assert r["gap"] == {"min": 0.0, "max": 50.0}
    assert sorted(v["gap_index"] for v in r["variants"] if v["kind"] == "score") == [
        12.5,
        12.5,
        12.5,
        12.5,
        37.5,
        37.5,
        37.5,
    ]
    weighted = robustness(dims, [{"name": "D1 double", "weights": {"D1": 2}}])["variants"][-1]
    # design (2*4 + 2) / 3 / 4 = 83.33; practice 50.
    assert weighted["gap_index"] == pytest.approx(33.333333)


def test_the_ranking_counts_how_often_a_case_keeps_the_widest_gap():
    def ind(slug, scores):
        dims = [{"id": f"D{i}", "design": d, "practice": p} for i, (d, p) in enumerate(scores, 1)]
        return {"country": {"slug": slug, "name": slug.title()}, "rq1": {"dimensions": dims}}

    inds = [ind("a", [(4, 1), (4, 1)]), ind("b", [(2, 2), (3, 2)])]
    r = ranking_robustness(inds, {**CFG, "weight_schemes": []})
    # 2 leave-outs + a's 6 one-point moves + b's 8 = 16 variants; a's gap (75) stays above b's
    # (12.5) in every one of them.
    assert r["n_variants"] == 16
    assert r["widest"] == {"slug": "a", "name": "A", "n": 16}
    assert r["statements"][0] == "A has the widest design-practice gap in all 16 variants."


@pytest.mark.parametrize(
    "edit, column, expect",
    [
        (lambda t: t.replace("D2,", "D12,", 1), "dimension", "unknown dimension 'D12'"),
        (lambda t: t.replace("\nD3,4,3,", "\nD3,5,3,", 1), "design", "at most 4"),
        (lambda t: t.replace('\nD1,3,2,"', '\nD1,3,2,"","', 1), None, "cells"),
    ],
)
def test_a_bad_coder_file_names_file_line_and_column(tmp_path, edit, column, expect):
    shutil.copytree(ROOT / "inputs", tmp_path / "inputs")
    path = tmp_path / "inputs/el-salvador/orthodox.coder-b.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(edit(text), encoding="utf-8")
    problems = ProblemList()
    codebook = load_codebook(tmp_path / "inputs", tmp_path, problems)
    load_country(tmp_path / "inputs", "el-salvador", codebook, tmp_path, problems)
    found = [str(p) for p in problems.items]
    assert any(
        p.startswith("inputs/el-salvador/orthodox.coder-b.csv, line ")
        and expect in p
        and (column is None or f"column '{column}'" in p)
        for p in found
    ), found


def test_missing_evidence_in_a_coder_file_is_refused(tmp_path):
    import csv
    import io

    shutil.copytree(ROOT / "inputs", tmp_path / "inputs")
    path = tmp_path / "inputs/el-salvador/orthodox.coder-b.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[4]["practice_evidence"] = ""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    problems = ProblemList()
    codebook = load_codebook(tmp_path / "inputs", tmp_path, problems)
    load_country(tmp_path / "inputs", "el-salvador", codebook, tmp_path, problems)
    assert (
        "inputs/el-salvador/orthodox.coder-b.csv, line 6, column 'practice_evidence': required cell is empty"
        in [str(p) for p in problems.items]
    )
