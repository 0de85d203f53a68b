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
    assert any(
        p.startswith(f"inputs/el-salvador/indicators.csv, line {line}, column 'value'")
        and "expected a number" in p
        for p in problems
    ), problems


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
    path.write_text(
        text + "homicide_rate,2012,50,unodc-homicide-wdi-2025,\n"
        "homicide_rate,1800,-3,unodc-homicide-wdi-2025,\n",
        encoding="utf-8",
    )
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
    assert any("initiatives.csv" in p and "column 'end'" in p and "before start" in p for p in problems), (
        problems
    )


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
        "name: !!python/object/apply:os.system ['echo hacked']\n", encoding="utf-8"
    )
    _, problems = load(inputs)
    assert any("country.yaml" in p and "malformed YAML" in p for p in problems), problems


# Hostile or careless inputs (issue #17): each refused with file and line, no traceback.


def problems_of(root):
    return load(root)[1]


def test_yaml_duplicate_key_names_both_lines(inputs):
    path = inputs / "inputs/el-salvador/country.yaml"
    text = path.read_text(encoding="utf-8")
    first = line_of(inputs, "el-salvador/country.yaml", "region:")
    path.write_text(text + "region: Atlantis\n", encoding="utf-8")
    last = text.count("\n") + 1
    assert any(
        p.startswith(f"inputs/el-salvador/country.yaml, line {last}:")
        and f"duplicate key 'region' (first at line {first})" in p
        for p in problems_of(inputs)
    )


@pytest.mark.parametrize(
    "extra, expect",
    [
        ("reform_end: " + "9" * 5000 + "\n", "a number of 5000 digits"),
        ("summary: " + "[" * 3000 + "]" * 3000 + "\n", "nested more than 20 levels deep"),
        ("reform_end: .inf\n", "expected a finite number"),
    ],
)
def test_yaml_huge_numbers_and_deep_nesting_are_refused(inputs, extra, expect):
    path = inputs / "inputs/el-salvador/country.yaml"
    text = path.read_text(encoding="utf-8").replace("reform_end:", "old_reform_end:")
    path.write_text(text + extra, encoding="utf-8")
    line = text.count("\n") + 1
    got = problems_of(inputs)
    assert any(p.startswith(f"inputs/el-salvador/country.yaml, line {line}:") and expect in p for p in got), (
        got
    )


def test_oversized_yaml_is_refused_with_the_line_of_the_limit(inputs):
    path = inputs / "inputs/el-salvador/references.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# padding\n" * 150_000, encoding="utf-8")
    got = problems_of(inputs)
    assert any(
        p.startswith("inputs/el-salvador/references.yaml, line ") and "larger than 1 MB" in p for p in got
    ), got


def test_control_characters_are_refused_and_printed_escaped(inputs):
    line = line_of(inputs, "el-salvador/acronyms.csv", "PNC,")
    edit(inputs, "el-salvador/acronyms.csv", "PNC,", "P\x1b[2KNC,")
    edit(inputs, "el-salvador/country.yaml", "name: El Salvador", "name: El\x00 Salvador")
    got = problems_of(inputs)
    assert (
        f"inputs/el-salvador/acronyms.csv, line {line}, column 'acronym': control character U+001B at "
        "character 2; only tab and line breaks are allowed" in got
    )
    assert any("country.yaml, line 1: control character U+0000" in p for p in got), got
    assert not any("\x1b" in p or "\x00" in p for p in got)


def test_problem_messages_escape_what_they_quote():
    from ssr_pipeline.errors import Problem

    p = Problem("x.csv", 3, "name", "found 'a\x1b[31mb\u202ec\n'")
    assert str(p) == "x.csv, line 3, column 'name': found 'a\\x1b[31mb\\u202ec\\n'"


def test_problems_are_capped_per_file(inputs):
    path = inputs / "inputs/el-salvador/indicators.csv"
    path.write_text(
        path.read_text(encoding="utf-8") + "homicide_rate,2012,abc,unodc-homicide-wdi-2025,\n" * 500,
        encoding="utf-8",
    )
    problems = ProblemList()
    codebook = load_codebook(inputs / "inputs", inputs, problems)
    load_country(inputs / "inputs", "el-salvador", codebook, inputs, problems)
    report = problems.error().report()
    assert report.startswith("500 problems in the inputs:")
    assert report.count("inputs/el-salvador/indicators.csv, line") == 50
    assert report.endswith("  - inputs/el-salvador/indicators.csv: ... and 450 more problems in this file")


@pytest.mark.parametrize(
    "field, value, expect",
    [
        ("name", "El \u202eSalvador", "contains U+202E RIGHT-TO-LEFT OVERRIDE at character 4"),
        ("name", "El\u200bSalvador", "contains U+200B ZERO WIDTH SPACE at character 3"),
        ("name", "X" * 5000, "longer than 300 characters (5000)"),
        ("region", "Central" + "a" * 24, "has a word of 31 characters"),
    ],
)
def test_names_refuse_hidden_characters_and_overlong_words(inputs, field, value, expect):
    line = line_of(inputs, "el-salvador/country.yaml", f"{field}:")
    path = inputs / "inputs/el-salvador/country.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line - 1] = f"{field}: {value}"
    path.write_text("\n".join(lines), encoding="utf-8")
    got = problems_of(inputs)
    assert any(
        p.startswith(f"inputs/el-salvador/country.yaml, line {line}, column '{field}': ") and expect in p
        for p in got
    ), got


def test_every_string_field_of_every_input_schema_has_a_maximum_length():
    from ssr_pipeline.schemas import SCHEMA_DIR, load_schema, resolve

    def walk(schema, where):
        schema = resolve(schema) if "$ref" in schema and "maxLength" not in schema else schema
        types = schema.get("type", [])
        if "string" in (types if isinstance(types, list) else [types]):
            assert "maxLength" in schema, where
        for key, prop in schema.get("properties", {}).items():
            walk(prop, f"{where}.{key}")
        if isinstance(schema.get("items"), dict):
            walk(schema["items"], f"{where}[]")

    for path in SCHEMA_DIR.glob("*.schema.yaml"):
        name = path.name.removesuffix(".schema.yaml")
        if name not in ("config", "definitions"):
            walk(load_schema(name), name)


def test_years_and_dates_share_one_configured_range(inputs):
    edit(inputs, "el-salvador/events.csv", "peace-accords,1992-01-16", "peace-accords,0000-01-16")
    ini = line_of(inputs, "el-salvador/initiatives.csv", "gang-truce,")
    edit(inputs, "el-salvador/initiatives.csv", "2012-03,2014-05", "2012-03,9999-05")
    got = problems_of(inputs)
    assert any(
        "events.csv" in p and "column 'date': year 0 is outside the years 1900-2100" in p for p in got
    ), got
    assert any(
        f"initiatives.csv, line {ini}, column 'end': year 9999 is outside the years 1900-2100" in p
        for p in got
    ), got
    problems = ProblemList()
    codebook = load_codebook(inputs / "inputs", inputs, problems)
    load_country(
        inputs / "inputs", "el-salvador", codebook, inputs, problems, years={"first": 1995, "last": 2030}
    )
    got = [str(p) for p in problems.items]
    assert any(
        "country.yaml" in p and "column 'conflict.start': year 1980 is outside the years 1995-2030" in p
        for p in got
    ), got
    assert any("indicators.csv" in p and "column 'year': year 1990 is outside" in p for p in got), got


def test_budget_has_a_plausible_maximum(inputs):
    import csv
    import io

    path = inputs / "inputs/el-salvador/initiatives.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[1][rows[0].index("budget_usd")] = "1e308"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    got = problems_of(inputs)
    assert any(
        "initiatives.csv, line 2, column 'budget_usd': expected at most 1,000,000,000,000, found 1e+308" in p
        for p in got
    ), got


def test_an_input_read_through_a_symbolic_link_is_refused(inputs):
    nar = inputs / "inputs/el-salvador/narrative/orthodox.md"
    nar.unlink()
    nar.symlink_to("/etc/passwd")
    _, got = load(inputs)
    assert (
        "inputs/el-salvador/narrative/orthodox.md: is a symbolic link (to /etc/passwd); inputs are read only "
        "from real files inside the project: replace the link with the file or folder itself" in got
    )
    assert not any("root:" in p for p in got)


@pytest.mark.parametrize(
    "name, size, limit", [("indicators.csv", 11 * 2**20, "10 MB"), ("orthodox.md", 2**20 + 10, "1 MB")]
)
def test_input_files_have_a_size_limit(tmp_path, name, size, limit):
    from ssr_pipeline.io import read_text

    path = tmp_path / name
    path.write_text(("x" * 99 + "\n") * (size // 100 + 1), encoding="utf-8")
    problems = ProblemList()
    assert read_text(path, problems, name) is None
    [p] = [str(p) for p in problems.items]
    assert p.startswith(f"{name}, line ") and f"file is larger than {limit}, the limit for an input file" in p
