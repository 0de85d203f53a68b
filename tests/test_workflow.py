"""End to end: the real workflow on a temporary copy of the project."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project, run_snakemake

SLUGS = ["el-salvador", "bosnia-herzegovina", "sierra-leone", "timor-leste"]


def pdftext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("project"))
    res = run_snakemake(project)
    assert res.returncode == 0, res.stderr[-3000:]
    return project


def test_every_contract_output_exists(built):
    for slug in SLUGS:
        assert (built / f"results/indicators/{slug}.json").is_file()
        for report in ("orthodox", "second-generation"):
            for ext in ("html", "pdf"):
                assert (built / f"results/reports/{slug}/{report}.{ext}").stat().st_size > 10_000


def test_indicator_json_follows_the_contract(built):
    d = json.loads((built / "results/indicators/el-salvador.json").read_text(encoding="utf-8"))
    assert d["country"] == {**d["country"], "slug": "el-salvador", "name": "El Salvador", "iso3": "SLV"}
    hom = d["series"]["homicide_rate"]
    assert hom["unit"] == "per 100,000 people" and hom["source"] == "unodc-homicide-wdi-2025"
    assert hom["values"]["2015"] > 100
    assert {"id", "design", "practice", "gap"} <= set(d["rq1"]["dimensions"][0])
    assert d["rq1"]["gap_index"] == pytest.approx(d["rq1"]["design_index"] - d["rq1"]["practice_index"])
    truce = next(i for i in d["rq2"]["initiatives"] if i["id"] == "gang-truce")
    assert {"id", "name", "entry_point", "start", "end", "used", "effect"} <= set(truce)
    e = truce["effect"]
    v = hom["values"]
    assert e["baseline"] == pytest.approx((v["2010"] + v["2011"]) / 2)
    assert e["during"] == pytest.approx((v["2012"] + v["2013"]) / 2)
    assert -45 < e["change_pct"] < -35


def test_html_reports_read_right(built):
    html = (built / "results/reports/el-salvador/second-generation.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    assert "<script" not in html
    assert "Sánchez Cerén" in html
    assert re.search(r"Figure 1\.</span>", html) and re.search(r"Table 1\.</span>", html)
    # Figures are inline and carry alt text.
    assert html.count("<svg") >= 2 and 'role="img" aria-label="' in html
    assert "<link" not in html  # self-contained: no external stylesheet


def test_pdfs_have_contents_with_page_numbers_and_accents(built):
    text = pdftext(built / "results/reports/el-salvador/orthodox.pdf")
    assert "Contents" in text
    assert re.search(r"Key figures\s*\.{3,}\s*\d+", text)
    assert re.search(r"References\s*\.{3,}\s*\d+", text)
    assert "Policía Nacional Civil" in text
    assert re.search(r"Page \d+ of \d+", text)
    text2 = pdftext(built / "results/reports/el-salvador/second-generation.pdf")
    assert "Sánchez Cerén" in text2
    info = subprocess.run(["pdfinfo", str(built / "results/reports/el-salvador/orthodox.pdf")],
                          capture_output=True, text=True, check=True).stdout
    assert "Orthodox security sector reform in El Salvador" in info


def test_sparse_cases_say_no_data_honestly(built):
    tl = (built / "results/reports/timor-leste/second-generation.html").read_text(encoding="utf-8")
    assert "Not computed: no homicide_rate data" in tl


def test_second_run_does_nothing(built):
    res = run_snakemake(built, "--dry-run")
    assert res.returncode == 0
    assert "Nothing to be done" in res.stdout + res.stderr


def test_bad_input_stops_before_reports_are_rewritten(built):
    pdf = built / "results/reports/el-salvador/orthodox.pdf"
    before = pdf.read_bytes()
    path = built / "inputs/el-salvador/orthodox.csv"
    good = path.read_text(encoding="utf-8")
    lines = good.split("\n")
    cells = lines[1].split(",")
    lines[1] = ",".join([cells[0], "9"] + cells[2:])
    path.write_text("\n".join(lines), encoding="utf-8")
    try:
        res = run_snakemake(built)
        assert res.returncode != 0
        out = res.stdout + res.stderr
        assert "inputs/el-salvador/orthodox.csv, line 2, column 'design'" in out
        assert "Traceback" not in out
        assert pdf.read_bytes() == before
    finally:
        path.write_text(good, encoding="utf-8")


def test_synthesis_report_and_data_package(built):
    for ext in ("html", "pdf"):
        assert (built / f"results/reports/synthesis.{ext}").stat().st_size > 10_000
    text = pdftext(built / "results/reports/synthesis.pdf")
    assert re.search(r"Contents", text) and re.search(r"Comparative tables\s*\.{3,}\s*\d+", text)
    assert re.search(r"References\s*\.{3,}\s*\d+", text)
    for n in range(1, 6):
        assert f"Figure {n}." in text
    for n in range(1, 8):
        assert f"Table {n}." in text
    html = (built / "results/reports/synthesis.html").read_text(encoding="utf-8")
    captions = re.findall(r'<figure class="figure" id="fig-\d+"', html)
    alts = re.findall(r'role="img" aria-label="([^"]{40,})"', html)
    assert len(captions) == len(alts) >= 5
    for slug in SLUGS:
        assert f'href="{slug}/orthodox.html"' in html
    frictionless = Path(sys.executable).parent / "frictionless"
    res = subprocess.run([str(frictionless), "validate", "results/indicators/datapackage.json"],
                         check=False, cwd=built, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout[-2000:]
    csv_text = (built / "results/indicators/comparative.csv").read_text(encoding="utf-8")
    assert [line.split(",")[0] for line in csv_text.splitlines()[1:]] == SLUGS


def test_landing_page_links_resolve(built):
    index = built / "results/index.html"
    html = index.read_text(encoding="utf-8")
    links = re.findall(r'href="([^"#]+)"', html)
    assert len(links) >= 4 * 5 + 4
    for link in links:
        assert (index.parent / link).is_file(), link
    assert "synthesis.html" in html and "datapackage.json" in html
    assert "Data vintage" in html
