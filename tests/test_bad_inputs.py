"""A corpus of broken inputs, one per kind of mistake a researcher makes.

Each case edits a built copy of the project, runs the workflow, and asserts that the run
fails, that the message names the right file, line and column, that no Python traceback
reaches the researcher, and that no report was rewritten.
"""

import hashlib
from pathlib import Path

import pytest
from conftest import copy_project, run_snakemake

# Builds the workflow (or drives a browser): the slow tier, skipped by `pytest -m "not slow"`.
pytestmark = pytest.mark.slow

ES = "inputs/el-salvador"


def snapshot(project: Path) -> dict:
    return {str(p.relative_to(project)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((project / "results").rglob("*")) if p.is_file() and "/reports/" in str(p)
            or p.name == "index.html"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("bad"), countries=["el-salvador", "timor-leste"])
    res = run_snakemake(project)
    assert res.returncode == 0, res.stderr[-3000:]
    return project, snapshot(project)


def line_no(text: str, needle: str) -> int:
    for n, line in enumerate(text.split("\n"), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not found")


def replace_in(rel, old, new, count=1):
    def mutate(p: Path):
        path = p / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, count), encoding="utf-8")
        return line_no(text, old)
    return mutate


def append(rel, extra):
    def mutate(p: Path):
        path = p / rel
        text = path.read_text(encoding="utf-8")
        if not text.endswith("\n"):
            text += "\n"
        path.write_text(text + extra, encoding="utf-8")
        return text.count("\n") + 1 + (len(extra) - len(extra.lstrip("\n")))
    return mutate


def write_bytes(rel, data: bytes, line=None):
    def mutate(p: Path):
        (p / rel).write_bytes(data)
        return line
    return mutate


def edit_bytes(rel, fn, line=None):
    def mutate(p: Path):
        (p / rel).write_bytes(fn((p / rel).read_bytes()))
        return line
    return mutate


def set_cell(rel, key_col, key_val, col, new):
    """Set one CSV cell (row found by key) and return its line number."""
    import csv
    import io

    def mutate(p: Path):
        path = p / rel
        text = path.read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(text)))
        head = rows[0]
        k = next(i for i, r in enumerate(rows[1:], 1) if r[head.index(key_col)] == key_val)
        rows[k][head.index(col)] = new
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")
        line = 1
        for r in rows[1:k]:
            line += 1 + sum(c.count("\n") for c in r)
        return line + 1
    return mutate


def header_swap(rel, old, new):
    return replace_in(rel, old, new)


IND = f"{ES}/indicators.csv"
ORT = f"{ES}/orthodox.csv"
INI = f"{ES}/initiatives.csv"
EVT = f"{ES}/events.csv"
CTY = f"{ES}/country.yaml"
REF = f"{ES}/references.yaml"
ACR = f"{ES}/acronyms.csv"
NAR = f"{ES}/narrative/orthodox.md"

# (id, mutation, file named, column named (None: not checked), also expected in the message)
CASES = [
    ("missing-column", header_swap(EVT, "certainty,sources", "sources"), EVT, "certainty", "missing"),
    ("extra-column", header_swap(IND, "indicator,year,value,source,note", "indicator,year,value,source,note,comment"),
     IND, "comment", "unknown column"),
    ("wrong-type", replace_in(IND, "homicide_rate,2012,", "homicide_rate,2012,12,5"), IND, None, "expected"),
    ("not-a-number", replace_in(IND, "homicide_rate,2013,", "homicide_rate,2013,high"), IND, "value",
     "expected a number"),
    ("empty-required-cell", replace_in(IND, ",unodc-homicide-wdi-2025,", ",,"), IND, "source", "empty"),
    ("duplicate-indicator-year", append(IND, "homicide_rate,2012,41,unodc-homicide-wdi-2025,\n"), IND, "year",
     "duplicate"),
    ("year-out-of-range", append(IND, "homicide_rate,1850,41,unodc-homicide-wdi-2025,\n"), IND, "year", "1900"),
    ("negative-rate", append(IND, "homicide_rate,1990,-4,unodc-homicide-wdi-2025,\n"), IND, "value",
     "valid range"),
    ("wgi-beyond-range", append(IND, "wgi_rl,1997,7.5,wgi-2023,\n"), IND, "value", "valid range"),
    ("unknown-indicator", append(IND, "homicide_rat,1990,4,unodc-homicide-wdi-2025,\n"), IND, "indicator",
     "did you mean homicide_rate"),
    ("unknown-source-key", append(IND, "homicide_rate,1990,4,unodc-2099,\n"), IND, "source", "unodc-2099"),
    ("score-above-4", set_cell(ORT, "dimension", "D1", "design", "5"), ORT, "design", "at most 4"),
    ("unknown-dimension", set_cell(ORT, "dimension", "D2", "dimension", "D12"), ORT, "dimension", "D12"),
    ("dimension-twice", set_cell(ORT, "dimension", "D2", "dimension", "D1"), ORT, "dimension", "coded twice"),
    ("unknown-entry-point", set_cell(INI, "id", "gang-truce", "entry_point", "2G-66"), INI, "entry_point",
     "2G-66"),
    ("initiative-end-before-start", set_cell(INI, "id", "gang-truce", "end", "2011-05"), INI, "end",
     "before start"),
    ("bad-enum", set_cell(INI, "id", "gang-truce", "used", "maybe"), INI, "used", "expected one of"),
    ("event-end-before-start", replace_in(EVT, "2012-03", "2012-03", 0), EVT, None, None),
    ("bad-date", set_cell(EVT, "id", "peace-accords", "date", "16/01/1992"), EVT, "date",
     "expected a date as YYYY, YYYY-MM or YYYY-MM-DD"),
    ("duplicate-event-id", append(EVT, "peace-accords,1993,,Copy,accord,,no,verified,rivard-piche-2017\n"), EVT,
     "id", "duplicate"),
    ("orthodox-unknown-source", set_cell(ORT, "dimension", "D3", "sources", "no-such-work"), ORT, "sources",
     "no-such-work"),
    ("invalid-utf8", edit_bytes(ACR, lambda b: b + b"XYZ,Caf\xe9\n"), ACR, None, "invalid UTF-8"),
    ("byte-order-mark", edit_bytes(EVT, lambda b: b"\xef\xbb\xbf" + b, 1), EVT, None, "byte-order mark"),
    ("empty-file", write_bytes(ACR, b""), ACR, None, "empty"),
    ("malformed-yaml", replace_in(CTY, "name: El Salvador", "name: [El Salvador"), CTY, None, "malformed YAML"),
    ("malformed-csv-quoting", append(ACR, 'XYZ,"unclosed quote\n'), ACR, None, "malformed CSV"),
    ("iso3-lower-case", replace_in(CTY, "iso3: SLV", "iso3: slv"), CTY, "iso3", "three upper-case letters"),
    ("slug-mismatch", replace_in(CTY, "slug: el-salvador", "slug: salvador"), CTY, "slug", "differs"),
    ("reference-without-title", replace_in(REF, "  title:", "  titel:"), REF, None, "title"),
    ("reference-duplicates-codebook", append(REF, "- id: wgi-2023\n  type: dataset\n  author: [X]\n  year: 2023\n"
                                                  "  title: Copy\n"), REF, "id", "already defined"),
    ("why-not-missing", replace_in(INI, ",no,", ",no,"), INI, None, None),
    ("yaml-object-tag", replace_in(CTY, "name: El Salvador", "name: !!python/object/apply:os.system ['id']"),
     CTY, None, "malformed YAML"),
    ("yaml-alias-bomb", lambda p: append(CTY, "bomb: &a [x, x]\n" + "".join(
        f"b{i}: &b{i} [*a, *a]\n" for i in range(60)))(p) and None, CTY, None, "too many YAML aliases"),
    ("narrative-unknown-figure", append(NAR, "\nRate {{ series.homicide_rat.latest.value | num(1) }}.\n"), NAR,
     None, "did you mean"),
    ("narrative-unknown-citation", append(NAR, "\nA claim [@no-such-key].\n"), NAR, None, "no-such-key"),
    ("narrative-sandbox-escape", append(NAR, "\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n"), NAR, None,
     "sandbox"),
]
# Placeholders above that need a real edit of their own.
CASES = [c for c in CASES if c[0] not in ("event-end-before-start", "why-not-missing")] + [
    ("event-end-before-start", None, EVT, "end_date", "before date"),
    ("why-not-missing", None, INI, "why_not", "why_not must say why"),
    ("config-country-without-folder", None, "config.yaml", "countries", "no input folder"),
    ("config-path-slug", None, "config.yaml", "countries", "not a valid slug"),
    ("folder-with-bad-slug", None, "inputs/Bad..Name", None, "not a valid slug"),
]


def special(case_id, p: Path):
    """Edits that need to look at the file first; return the expected line."""
    if case_id == "event-end-before-start":
        path = p / EVT
        lines = path.read_text(encoding="utf-8").split("\n")
        n = next(i for i, line in enumerate(lines) if line.startswith("gang-truce") or ",2012-03" in line)
        cells = lines[n].split(",")
        cells[2] = "2011"
        lines[n] = ",".join(cells)
        path.write_text("\n".join(lines), encoding="utf-8")
        return n + 1
    if case_id == "why-not-missing":
        import csv
        import io
        path = p / INI
        text = path.read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(text)))
        head = rows[0]
        k = next(i for i, r in enumerate(rows[1:], 1) if r[head.index("used")] == "no")
        rows[k][head.index("why_not")] = ""
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")
        return None
    if case_id == "config-country-without-folder":
        return replace_in("config.yaml", "  - timor-leste", "  - timor-leste\n  - atlantis")(p) + 1
    if case_id == "config-path-slug":
        return replace_in("config.yaml", "  - timor-leste", "  - timor-leste\n  - ../etc")(p) + 1
    if case_id == "folder-with-bad-slug":
        (p / "inputs/Bad..Name").mkdir()
        return None
    raise AssertionError(case_id)


def restore(project: Path, saved: dict):
    for rel, data in saved.items():
        (project / rel).write_bytes(data)
    bad = project / "inputs/Bad..Name"
    if bad.exists():
        bad.rmdir()


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 30
    assert len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_stops_the_run(built, case):
    project, before = built
    case_id, mutate, file, column, expect = case
    files = [IND, ORT, INI, EVT, CTY, REF, ACR, NAR, "config.yaml"]
    saved = {rel: (project / rel).read_bytes() for rel in files}
    try:
        line = special(case_id, project) if mutate is None else mutate(project)
        res = run_snakemake(project)
        out = res.stdout + res.stderr
        assert res.returncode != 0, out[-2000:]
        where = file + (f", line {line}" if line else "")
        assert where in out, (where, out[-3000:])
        if column:
            assert f"column '{column}'" in out, out[-3000:]
        if expect:
            assert expect in out, out[-3000:]
        assert "Traceback (most recent call last)" not in out
        assert snapshot(project) == before
    finally:
        restore(project, saved)


def test_windows_line_endings_are_accepted(built):
    project, _ = built
    saved = (project / EVT).read_bytes()
    try:
        (project / EVT).write_bytes(saved.replace(b"\n", b"\r\n"))
        res = run_snakemake(project)
        assert res.returncode == 0, (res.stdout + res.stderr)[-2000:]
    finally:
        (project / EVT).write_bytes(saved)
