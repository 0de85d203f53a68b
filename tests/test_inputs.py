"""Schema validation: the shipped inputs pass; broken ones fail with file, line and column."""

import shutil
from pathlib import Path

import pytest
import yaml
from ssr_pipeline.errors import ProblemList
from ssr_pipeline.inputs import load_codebook, load_country

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))["countries"]


@pytest.fixture
def inputs(tmp_path):
    shutil.copytree(ROOT / "inputs", tmp_path / "inputs")
    return tmp_path


def load(root, slug="el-salvador"):
    problems = ProblemList()
    codebook = load_codebook(root / "inputs", root, problems)
    bundle = load_country(root / "inputs", slug, codebook, root, problems)
    return bundle, [str(p) for p in problems.items]


@pytest.mark.parametrize("slug", SHIPPED)
def test_shipped_inputs_are_valid(slug):
    bundle, problems = load(ROOT, slug)
    assert problems == []
    dims = {d["id"] for d in bundle["codebook"]["dimensions"]}
    assert {row["dimension"] for row in bundle["orthodox"]} == dims
    for row in bundle["orthodox"]:
        assert row["design_evidence"] and row["practice_evidence"] and row["sources"]


def test_every_source_key_resolves_and_every_country_has_five_initiatives():
    for slug in SHIPPED:
        bundle, _ = load(ROOT, slug)
        assert len(bundle["initiatives"]) >= 5
        # At least one entry point that was available but not used, with the reason.
        assert any(i["used"] == "no" and i["why_not"] for i in bundle["initiatives"]), slug


def edit(root, rel, old, new):
    path = root / "inputs" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(root, rel, needle):
    for n, line in enumerate((root / "inputs" / rel).read_text(encoding="utf-8").split("\n"), 1):
        if needle in line:
            return n
    raise AssertionError(needle)


def test_bad_value_names_file_line_and_column(inputs):
    line = line_of(inputs, "el-salvador/indicators.csv", "homicide_rate,2012,")
    edit(inputs, "el-salvador/indicators.csv", "homicide_rate,2012,", "homicide_rate,2012,abc")
    _, problems = load(inputs)
    assert any(p.startswith(f"inputs/el-salvador/indicators.csv, line {line}, column 'value'")
               and "expected a number" in p for p in problems), problems


def test_score_out_of_range_and_unknown_dimension_are_both_reported(inputs):
    path = inputs / "inputs/el-salvador/orthodox.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    first = lines[1].split(",")
    lines[1] = ",".join([first[0], "7"] + first[2:])
    second = lines[2].split(",")
    lines[2] = ",".join(["D99"] + second[1:])
    path.write_text("\n".join(lines), encoding="utf-8")
    _, problems = load(inputs)
    assert any("line 2, column 'design'" in p and "at most 4" in p for p in problems), problems
    assert any("line 3, column 'dimension'" in p and "D99" in p for p in problems), problems


def test_duplicate_year_and_negative_rate(inputs):
    path = inputs / "inputs/el-salvador/indicators.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "homicide_rate,2012,50,unodc-homicide-wdi-2025,\n"
                    "homicide_rate,1800,-3,unodc-homicide-wdi-2025,\n", encoding="utf-8")
    n = text.count("\n")
    _, problems = load(inputs)
    assert any(f"line {n + 1}, column 'year'" in p and "duplicate" in p for p in problems), problems
    assert any(f"line {n + 2}, column 'year'" in p for p in problems), problems


def test_unknown_source_key(inputs):
    edit(inputs, "el-salvador/indicators.csv", ",unodc-homicide-wdi-2025,", ",no-such-source,")
    _, problems = load(inputs)
    assert any("column 'source'" in p and "no-such-source" in p for p in problems), problems


def test_initiative_end_before_start_and_missing_why_not(inputs):
    path = inputs / "inputs/el-salvador/initiatives.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("2012-03,2014-05", "2014-05,2012-03", 1), encoding="utf-8")
    _, problems = load(inputs)
    assert any("initiatives.csv" in p and "column 'end'" in p and "before start" in p
               for p in problems), problems


def test_byte_order_mark_and_invalid_utf8(inputs):
    path = inputs / "inputs/el-salvador/events.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    acr = inputs / "inputs/el-salvador/acronyms.csv"
    acr.write_bytes(acr.read_bytes() + b"XYZ,Caf\xe9 bad\n")
    _, problems = load(inputs)
    assert any("events.csv, line 1" in p and "byte-order mark" in p for p in problems), problems
    assert any("acronyms.csv" in p and "invalid UTF-8" in p for p in problems), problems


def test_windows_line_endings_are_accepted(inputs):
    path = inputs / "inputs/el-salvador/events.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    _, problems = load(inputs)
    assert problems == []


def test_missing_column_and_malformed_yaml(inputs):
    path = inputs / "inputs/el-salvador/events.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[0] = lines[0].replace("certainty", "certitude")
    path.write_text("\n".join(lines), encoding="utf-8")
    (inputs / "inputs/el-salvador/country.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    _, problems = load(inputs)
    assert any("events.csv, line 1, column 'certainty'" in p and "missing" in p for p in problems)
    assert any("events.csv, line 1, column 'certitude'" in p and "unknown column" in p for p in problems)
    assert any("country.yaml" in p and "malformed YAML" in p for p in problems), problems


def test_yaml_object_tags_are_refused(inputs):
    (inputs / "inputs/el-salvador/country.yaml").write_text(
        "name: !!python/object/apply:os.system ['echo hacked']\n", encoding="utf-8")
    _, problems = load(inputs)
    assert any("country.yaml" in p and "malformed YAML" in p for p in problems), problems
