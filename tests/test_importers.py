"""Importers for publishers' files: formats, aggregates, dry runs, change summaries."""

import shutil
from pathlib import Path

import pytest
from conftest import REFERENCE_DATA
from ssr_pipeline.errors import ProblemList
from ssr_pipeline.importers import detect_format, import_files, read_publisher_file, summarise
from ssr_pipeline.inputs import load_codebook

ROOT = Path(__file__).resolve().parent.parent
FIX = Path(__file__).resolve().parent / "fixtures"
SHARED_RAW = REFERENCE_DATA / "raw" if REFERENCE_DATA else ROOT / "missing"


@pytest.fixture(scope="module")
def codebook():
    problems = ProblemList()
    cb = load_codebook(ROOT / "inputs", ROOT, problems)
    assert not problems
    return cb["indicators"]


def test_formats_are_recognised():
    assert detect_format((FIX / "wdi_milex_sample.csv").read_bytes().decode("utf-8-sig")) == (
        "worldbank-wide",
        4,
    )
    assert detect_format((FIX / "wgi_sample.csv").read_bytes().decode("utf-8-sig"))[0] == "worldbank-wide"
    assert detect_format((FIX / "vdem_sample.csv").read_text())[0] == "vdem"
    assert detect_format((FIX / "homicide_long_sample.csv").read_text())[0] == "long"
    with pytest.raises(ValueError):
        detect_format("a,b,c\n1,2,3\n")


def test_world_bank_bulk_csv_skips_aggregates_and_keeps_values_verbatim(codebook):
    raw = (FIX / "wdi_milex_sample.csv").read_text(encoding="utf-8-sig")
    assert '"LCN"' in raw and '"WLD"' in raw  # the fixture does carry aggregates
    rows = list(read_publisher_file(FIX / "wdi_milex_sample.csv", {"SLV", "LBR"}, codebook))
    assert {r[0] for r in rows} == {"SLV", "LBR"}
    slv = {r[2]: r[3] for r in rows if r[0] == "SLV"}
    assert all(code == "milex_usd" for _, code, _, _ in rows)
    # The same value as the shipped El Salvador series for 2012.
    shipped = {
        line.split(",")[1]: line.split(",")[2]
        for line in (ROOT / "inputs/el-salvador/indicators.csv").read_text().splitlines()
        if line.startswith("milex_usd,")
    }
    assert float(slv[2012]) == float(shipped["2012"])


def test_aggregates_never_match_a_country(codebook, tmp_path):
    countries = {"SLV": tmp_path / "slv", "LBR": tmp_path / "lbr"}
    for folder in countries.values():
        folder.mkdir()
    report = import_files([FIX / "wdi_milex_sample.csv"], countries, codebook)
    assert set(report) == {"SLV", "LBR"}
    text = (tmp_path / "slv" / "indicators.csv").read_text()
    assert text.startswith("indicator,year,value,source,note\n")
    assert "milex_usd,2012," in text and ",sipri-milex-wdi-2025," in text
    assert not (tmp_path / "slv" / "PROVENANCE.md").exists()  # the ledger records the import
    assert "wdi_milex_sample.csv" in (tmp_path / "slv" / "imports.yaml").read_text()


def test_vdem_and_long_formats(codebook):
    v = list(read_publisher_file(FIX / "vdem_sample.csv", {"LBR"}, codebook))
    assert ("LBR", "vdem_clphy", 2010, "0.84") in v and ("LBR", "vdem_rule", 2012, "0.377") in v
    h = list(read_publisher_file(FIX / "homicide_long_sample.csv", {"LBR"}, codebook))
    assert h and all(code == "homicide_rate" for _, code, _, _ in h)


def test_dry_run_writes_nothing_and_summary_lists_revisions(codebook, tmp_path):
    folder = tmp_path / "slv"
    folder.mkdir()
    (folder / "indicators.csv").write_text(
        "indicator,year,value,source,note\nwgi_rl,2010,-0.5,wgi-2023,\n", encoding="utf-8"
    )
    before = (folder / "indicators.csv").read_bytes()
    report = import_files([FIX / "wgi_sample.csv"], {"SLV": folder}, codebook, dry_run=True)
    assert (folder / "indicators.csv").read_bytes() == before
    text = summarise(report)
    assert "SLV:" in text and "revised wgi_rl 2010: -0.5 ->" in text
    assert "new wgi_ge: 1996-2022" in text


@pytest.mark.skipif(not (SHARED_RAW / "WGIData.csv").exists(), reason="../shared/reference-data not present")
def test_importing_the_wgi_release_changes_no_shipped_value(codebook, tmp_path):
    countries = {}
    for slug, iso in (
        ("el-salvador", "SLV"),
        ("bosnia-herzegovina", "BIH"),
        ("sierra-leone", "SLE"),
        ("timor-leste", "TLS"),
    ):
        shutil.copytree(ROOT / "inputs" / slug, tmp_path / slug)
        countries[iso] = tmp_path / slug
    report = import_files([SHARED_RAW / "WGIData.csv"], countries, codebook, dry_run=True)
    for iso, ch in report.items():
        assert ch["revised"] == [] and ch["new"] == [], iso
        assert ch["unchanged"] > 100
