"""The import ledger (imports.yaml), verification of the shipped series, and the global panels."""

import csv
import gzip
import hashlib
import io
import re
import shutil
from pathlib import Path

import pycountry
import pytest
import yaml
from conftest import REFERENCE_DATA
from ssr_pipeline import __main__ as cli
from ssr_pipeline import ledger
from ssr_pipeline.errors import ProblemList
from ssr_pipeline.importers import import_files, import_panel, summarise_verification
from ssr_pipeline.inputs import load_codebook
from ssr_pipeline.panels import load_panels

ROOT = Path(__file__).resolve().parent.parent
FIX = Path(__file__).resolve().parent / "fixtures"
CASES = {"el-salvador": "SLV", "bosnia-herzegovina": "BIH", "sierra-leone": "SLE", "timor-leste": "TLS"}
TODAY = "2026-11-30"
needs_reference_data = pytest.mark.skipif(
    REFERENCE_DATA is None, reason="../shared/reference-data not present"
)


@pytest.fixture(scope="module")
def codebook():
    problems = ProblemList()
    cb = load_codebook(ROOT / "inputs", ROOT, problems)
    assert not problems
    return cb


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def slv_milex_values() -> dict[int, str]:
    """El Salvador's values in the WDI bulk fixture, read with the csv module alone."""
    text = (FIX / "wdi_milex_sample.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = next(r for r in rows if r[:2] == ["Country Name", "Country Code"])
    slv = next(r for r in rows if len(r) > 1 and r[1] == "SLV")
    return {int(y): v for y, v in zip(header, slv) if y.isdigit() and v.strip()}


def ledger_problems(path: Path) -> list:
    problems = ProblemList()
    ledger.check_ledger(path, path.name, problems)
    return problems.items


def test_an_import_records_file_checksum_size_source_and_counts(codebook, tmp_path):
    folder = tmp_path / "slv"
    folder.mkdir()
    import_files(
        [FIX / "wdi_milex_sample.csv"],
        {"SLV": folder},
        codebook["indicators"],
        references=codebook["references"],
        today=TODAY,
    )
    text = (folder / "imports.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Import ledger, written by the importer")
    [entry] = yaml.safe_load(text)
    fixture = FIX / "wdi_milex_sample.csv"
    assert entry["file"] == "wdi_milex_sample.csv"
    assert entry["sha256"] == sha(fixture) and len(entry["sha256"]) == 64
    assert entry["bytes"] == fixture.stat().st_size
    assert entry["format"] == "worldbank-wide" and entry["mode"] == "import" and entry["imported"] == TODAY
    assert entry["indicators"] == ["milex_usd"]
    n = len(slv_milex_values())
    assert n > 30
    assert entry["rows"] == {"read": n, "new": n, "revised": 0, "unchanged": 0}
    [source] = entry["sources"]
    ref = codebook["references"]["sipri-milex-wdi-2025"]
    assert source["key"] == "sipri-milex-wdi-2025"
    assert source["publisher"] == ref["publisher"] == "World Bank"
    assert source["licence"] == ref["licence"] == "CC BY 4.0"
    assert source["url"] == ref["url"] and source["release"] == ref["release"]
    assert ledger_problems(folder / "imports.yaml") == []
    # Stable and sorted: writing the same entries again gives the same bytes.
    assert ledger.dump(yaml.safe_load(text)) == text
    assert list(entry) == sorted(entry)


def test_later_imports_append_with_their_own_counts(codebook, tmp_path):
    folder = tmp_path / "slv"
    folder.mkdir()
    kw = {"references": codebook["references"], "today": TODAY}
    import_files([FIX / "wdi_milex_sample.csv"], {"SLV": folder}, codebook["indicators"], **kw)
    n = len(slv_milex_values())
    import_files([FIX / "wdi_milex_sample.csv"], {"SLV": folder}, codebook["indicators"], **kw)
    target = folder / "indicators.csv"
    text = target.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("milex_usd,2012,"))
    target.write_text(text.replace(line, "milex_usd,2012,1,sipri-milex-wdi-2025,"), encoding="utf-8")
    import_files([FIX / "wdi_milex_sample.csv"], {"SLV": folder}, codebook["indicators"], **kw)
    entries = ledger.read_ledger(folder / "imports.yaml")
    assert [e["rows"] for e in entries] == [
        {"read": n, "new": n, "revised": 0, "unchanged": 0},
        {"read": n, "new": 0, "revised": 0, "unchanged": n},
        {"read": n, "new": 0, "revised": 1, "unchanged": n - 1},
    ]
    assert f"milex_usd,2012,{slv_milex_values()[2012]}," in target.read_text(encoding="utf-8")


def test_a_country_the_file_does_not_cover_gets_no_entry(codebook, tmp_path):
    folder = tmp_path / "tls"
    folder.mkdir()
    import_files(
        [FIX / "wdi_milex_sample.csv"],
        {"TLS": folder},
        codebook["indicators"],
        references=codebook["references"],
        today=TODAY,
    )
    assert ledger.read_ledger(folder / "imports.yaml") == []


def test_verify_writes_only_the_ledger_and_names_what_does_not_match(codebook, tmp_path):
    folder = tmp_path / "slv"
    folder.mkdir()
    values = slv_milex_values()
    rows = [f"milex_usd,{y},{v},sipri-milex-wdi-2025," for y, v in sorted(values.items())]
    rows[0] = rows[0].replace(f",{values[min(values)]},", ",1,")  # one value differs from the file
    rows.append("milex_usd,1959,5,sipri-milex-wdi-2025,")  # one value no file holds
    (folder / "indicators.csv").write_text(
        "indicator,year,value,source,note\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    before = (folder / "indicators.csv").read_bytes()
    report = import_files(
        [FIX / "wdi_milex_sample.csv"],
        {"SLV": folder},
        codebook["indicators"],
        references=codebook["references"],
        verify=True,
        today=TODAY,
    )
    assert (folder / "indicators.csv").read_bytes() == before
    text, ok = summarise_verification(report)
    assert not ok
    assert "not in any file: milex_usd 1959 = 5" in text
    assert f"differs: milex_usd {min(values)}: 1 in indicators.csv, {values[min(values)]} in the file" in text
    [entry] = ledger.read_ledger(folder / "imports.yaml")
    assert entry["mode"] == "verify"
    assert entry["rows"] == {"read": len(values), "new": 0, "revised": 1, "unchanged": len(values) - 1}
    assert entry["note"] == f"verify: {len(values) - 1} of {len(values)} values match; 1 differ"


def test_dry_run_writes_no_ledger(codebook, tmp_path):
    folder = tmp_path / "slv"
    folder.mkdir()
    import_files([FIX / "wdi_milex_sample.csv"], {"SLV": folder}, codebook["indicators"], dry_run=True)
    assert not (folder / "imports.yaml").exists() and not (folder / "indicators.csv").exists()


def test_a_broken_ledger_is_reported_with_line_and_key(tmp_path):
    path = tmp_path / "imports.yaml"
    path.write_text(
        ledger.HEADER + "- file: x.csv\n  sha256: abc\n  bytes: 3\n  format: long\n"
        "  imported: '2026-11-30'\n  mode: import\n  sources: [{key: wgi-2023}]\n"
        "  indicators: [wgi_rl]\n  rows: {read: 1, new: 1, revised: 0, unchanged: 0}\n",
        encoding="utf-8",
    )
    problems = ledger_problems(path)
    assert [(p.line, p.column) for p in problems] == [(4, "sha256")]
    assert "64 lower-case hexadecimal digits" in problems[0].message


@needs_reference_data
def test_every_shipped_value_matches_a_publisher_file(codebook, tmp_path):
    """Re-import the files each PROVENANCE.md names: every value of indicators.csv is found, unchanged."""
    names = set()
    for slug in CASES:
        text = (ROOT / "inputs" / slug / "PROVENANCE.md").read_text(encoding="utf-8")
        named = set(re.findall(r"`([\w.-]+\.csv)`", text[: text.index("| indicator |")])) - {"indicators.csv"}
        assert {e["file"] for e in ledger.read_ledger(ROOT / "inputs" / slug / "imports.yaml")} <= named
        names |= named
    assert len(names) == 7
    files = [REFERENCE_DATA / name for name in sorted(names)]
    countries = {}
    for slug, iso in CASES.items():
        shutil.copytree(ROOT / "inputs" / slug, tmp_path / slug)
        countries[iso] = tmp_path / slug
    report = import_files(
        files, countries, codebook["indicators"], references=codebook["references"], verify=True, dry_run=True
    )
    text, ok = summarise_verification(report)
    assert ok, text
    for slug, iso in CASES.items():
        n_rows = len((ROOT / "inputs" / slug / "indicators.csv").read_text(encoding="utf-8").splitlines()) - 1
        assert report[iso]["unchanged"] == n_rows and report[iso]["unmatched"] == []


@pytest.mark.parametrize("slug", list(CASES))
def test_shipped_ledgers_account_for_every_row(codebook, slug):
    folder = ROOT / "inputs" / slug
    assert ledger_problems(folder / "imports.yaml") == []
    entries = ledger.read_ledger(folder / "imports.yaml")
    with open(folder / "indicators.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    default_source = {r["code"]: r["source"] for r in codebook["indicators"]}
    for e in entries:
        assert e["mode"] == "verify" and e["note"] == f"verified: all {e['rows']['read']} values match"
        mine = [r for r in rows if r["indicator"] in e["indicators"]]
        assert e["rows"] == {"read": len(mine), "new": 0, "revised": 0, "unchanged": len(mine)}
        assert [s["key"] for s in e["sources"]] == sorted({default_source[c] for c in e["indicators"]})
        for s in e["sources"]:
            assert s["publisher"] and s["release"] and s["licence"] and s["url"]
        if REFERENCE_DATA is not None:
            path = REFERENCE_DATA / e["file"]
            assert e["sha256"] == sha(path) and e["bytes"] == path.stat().st_size
    assert sum(e["rows"]["read"] for e in entries) == len(rows)
    indicators = [c for e in entries for c in e["indicators"]]
    assert sorted(indicators) == sorted({r["indicator"] for r in rows}) and len(set(indicators)) == len(
        indicators
    )
    assert "imports.yaml" in (folder / "PROVENANCE.md").read_text(encoding="utf-8")


def test_a_panel_keeps_countries_only_and_values_as_published(codebook, tmp_path):
    fixture = FIX / "homicide_unodc_who_sample.csv"
    report = import_panel(
        fixture,
        tmp_path / "panels",
        codebook["indicators"],
        codebook["references"],
        indicator="homicide_rate",
        today=TODAY,
    )
    with open(fixture, encoding="utf-8", newline="") as fh:
        published = list(csv.DictReader(fh))
    countries = [r for r in published if pycountry.countries.get(alpha_3=r["iso3"])]
    others = [r for r in published if not pycountry.countries.get(alpha_3=r["iso3"])]
    assert {r["iso3"] for r in others} == {"WLD", "LCN", "HIC", "XKX"}
    text = (tmp_path / "panels" / "homicide_rate.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "iso3,year,value,source"
    expected = sorted(
        f"{r['iso3']},{r['year']},{r['rate_per_100k']},unodc-homicide-wdi-2025" for r in countries
    )
    assert lines[1:] == expected  # sorted by iso3 and year, values exactly as published
    assert "SLV,2009,72.450361," in text and "WLD" not in text and "XKX" not in text
    assert report["countries"] == 2
    [entry] = ledger.read_ledger(tmp_path / "panels" / "imports.yaml")
    assert entry["mode"] == "panel" and entry["output"] == "homicide_rate.csv"
    assert entry["format"] == "single-series" and entry["sha256"] == sha(fixture)
    assert entry["rows"] == {
        "read": len(published),
        "new": len(countries),
        "revised": 0,
        "unchanged": 0,
        "skipped": len(others),
    }
    assert entry["skipped_codes"] == ["HIC", "LCN", "WLD", "XKX"] and entry["countries"] == 2
    assert ledger_problems(tmp_path / "panels" / "imports.yaml") == []
    import_panel(
        fixture,
        tmp_path / "panels",
        codebook["indicators"],
        codebook["references"],
        indicator="homicide_rate",
        today=TODAY,
    )
    assert (tmp_path / "panels" / "homicide_rate.csv").read_text(encoding="utf-8") == text
    assert ledger.read_ledger(tmp_path / "panels" / "imports.yaml")[1]["rows"]["unchanged"] == len(countries)


def test_a_file_with_several_indicators_needs_one_named(codebook, tmp_path):
    with pytest.raises(ValueError, match="several indicators .*wgi_ge, wgi_rl.*--indicator"):
        import_panel(FIX / "wgi_sample.csv", tmp_path, codebook["indicators"])
    report = import_panel(
        FIX / "wgi_sample.csv", tmp_path, codebook["indicators"], indicator="wgi_rl", dry_run=True
    )
    assert report["indicator"] == "wgi_rl" and report["countries"] == 2 and not any(tmp_path.iterdir())


def test_panel_command_writes_the_panel_and_validate_checks_it(tmp_path, capsys):
    project = tmp_path / "project"
    project.mkdir()
    (project / "config.yaml").write_text("countries:\n  - el-salvador\n", encoding="utf-8")
    for folder in ("codebook", "el-salvador"):
        shutil.copytree(ROOT / "inputs" / folder, project / "inputs" / folder)
    code = cli.main(
        [
            "--project",
            str(project),
            "import",
            str(FIX / "homicide_unodc_who_sample.csv"),
            "--panel",
            "--indicator",
            "homicide_rate",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "homicide_rate: 2 countries, 8 new" in out and "HIC 1, LCN 1, WLD 4, XKX 3" in out
    assert cli.main(["--project", str(project), "validate"]) == 0
    panel = project / "inputs/panels/homicide_rate.csv"
    panel.write_text(
        panel.read_text(encoding="utf-8")
        + "WLD,2011,6.1,unodc-homicide-wdi-2025\nSLV,2009,1,unodc-homicide-wdi-2025\n"
        "LBR,2011,-4,unodc-homicide-wdi-2025\nLBR,2012,3,no-such-key\nLBR,20x3,3,unodc-homicide-wdi-2025\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    assert cli.main(["--project", str(project), "validate"]) == 1
    err = capsys.readouterr().err
    assert (
        "inputs/panels/homicide_rate.csv, line 10, column 'iso3': expected an ISO 3166-1 country code, found 'WLD'"
        in err
    )
    assert "line 11, column 'year': duplicate row for SLV 2009 (first at line 8)" in err
    assert "line 12, column 'value': homicide_rate value -4 is outside its valid range 0 to 300" in err
    assert "line 13, column 'source': source key 'no-such-key' is not in codebook/references.yaml" in err
    assert "line 14, column 'year': expected a whole number, found '20x3'" in err


def test_shipped_homicide_panel_is_valid_and_holds_countries_only(codebook):
    problems = ProblemList()
    panels = load_panels(ROOT / "inputs", codebook, ROOT, problems)
    assert problems.items == []
    rows = panels["homicide_rate"]
    assert len({r["iso3"] for r in rows}) > 150
    assert all(pycountry.countries.get(alpha_3=r["iso3"]) for r in rows)
    assert not {"WLD", "LCN", "HIC", "XKX"} & {r["iso3"] for r in rows}
    assert [(r["iso3"], r["year"]) for r in rows] == sorted((r["iso3"], r["year"]) for r in rows)
    # The panel agrees with each case's own homicide series.
    for slug, iso in CASES.items():
        with open(ROOT / "inputs" / slug / "indicators.csv", encoding="utf-8", newline="") as fh:
            own = {
                int(r["year"]): float(r["value"])
                for r in csv.DictReader(fh)
                if r["indicator"] == "homicide_rate"
            }
        assert {r["year"]: r["value"] for r in rows if r["iso3"] == iso} == own
    [entry] = ledger.read_ledger(ROOT / "inputs/panels/imports.yaml")
    assert entry["rows"]["read"] == entry["rows"]["new"] + entry["rows"]["skipped"]
    assert entry["rows"]["new"] == len(rows) and entry["skipped_codes"] == ["CHI", "XKX"]


@needs_reference_data
def test_shipped_homicide_panel_equals_the_publisher_file():
    path = REFERENCE_DATA / "global" / "unodc_homicide_wdi_2025-10-07.csv.gz"
    [entry] = ledger.read_ledger(ROOT / "inputs/panels/imports.yaml")
    assert (
        entry["file"] == path.name and entry["sha256"] == sha(path) and entry["bytes"] == path.stat().st_size
    )
    published = list(csv.DictReader(io.StringIO(gzip.decompress(path.read_bytes()).decode("utf-8"))))
    kept = {
        (r["iso3"], r["year"]): r["value"] for r in published if pycountry.countries.get(alpha_3=r["iso3"])
    }
    with open(ROOT / "inputs/panels/homicide_rate.csv", encoding="utf-8", newline="") as fh:
        panel = {(r["iso3"], r["year"]): r["value"] for r in csv.DictReader(fh)}
    assert panel == kept
    assert entry["rows"]["read"] == len(published) and entry["rows"]["skipped"] == len(published) - len(kept)
