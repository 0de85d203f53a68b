"""A corpus of broken inputs, one per kind of mistake a researcher makes.

Each case edits a built copy of the project, runs the workflow, and asserts that the run
fails, that the message names the right file, line and column, that no Python traceback
reaches the researcher, that no published output (results/ outside the results/build/
staging tree) was rewritten, and that no temporary file is left.
"""

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from conftest import copy_project, run_snakemake

# Builds the workflow (or drives a browser): the slow tier, skipped by `pytest -m "not slow"`.
pytestmark = pytest.mark.slow

ES = "inputs/el-salvador"


def snapshot(project: Path) -> dict:
    """Every published output: reports, index, indicator JSON, figures, CSV, change summary."""
    results = project / "results"
    return {
        str(p.relative_to(project)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(results.rglob("*"))
        if p.is_file() and not p.is_relative_to(results / "build")
    }


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
    (
        "extra-column",
        header_swap(IND, "indicator,year,value,source,note", "indicator,year,value,source,note,comment"),
        IND,
        "comment",
        "unknown column",
    ),
    ("wrong-type", replace_in(IND, "homicide_rate,2012,", "homicide_rate,2012,12,5"), IND, None, "expected"),
    (
        "not-a-number",
        replace_in(IND, "homicide_rate,2013,", "homicide_rate,2013,high"),
        IND,
        "value",
        "expected a number",
    ),
    ("empty-required-cell", replace_in(IND, ",unodc-homicide-wdi-2025,", ",,"), IND, "source", "empty"),
    (
        "duplicate-indicator-year",
        append(IND, "homicide_rate,2012,41,unodc-homicide-wdi-2025,\n"),
        IND,
        "year",
        "duplicate",
    ),
    (
        "year-out-of-range",
        append(IND, "homicide_rate,1850,41,unodc-homicide-wdi-2025,\n"),
        IND,
        "year",
        "1900",
    ),
    (
        "negative-rate",
        append(IND, "homicide_rate,1990,-4,unodc-homicide-wdi-2025,\n"),
        IND,
        "value",
        "valid range",
    ),
    ("wgi-beyond-range", append(IND, "wgi_rl,1997,7.5,wgi-2023,\n"), IND, "value", "valid range"),
    (
        "unknown-indicator",
        append(IND, "homicide_rat,1990,4,unodc-homicide-wdi-2025,\n"),
        IND,
        "indicator",
        "did you mean homicide_rate",
    ),
    ("unknown-source-key", append(IND, "homicide_rate,1990,4,unodc-2099,\n"), IND, "source", "unodc-2099"),
    ("score-above-4", set_cell(ORT, "dimension", "D1", "design", "5"), ORT, "design", "at most 4"),
    ("unknown-dimension", set_cell(ORT, "dimension", "D2", "dimension", "D12"), ORT, "dimension", "D12"),
    ("dimension-twice", set_cell(ORT, "dimension", "D2", "dimension", "D1"), ORT, "dimension", "coded twice"),
    (
        "unknown-entry-point",
        set_cell(INI, "id", "gang-truce", "entry_point", "2G-66"),
        INI,
        "entry_point",
        "2G-66",
    ),
    (
        "initiative-end-before-start",
        set_cell(INI, "id", "gang-truce", "end", "2011-05"),
        INI,
        "end",
        "before start",
    ),
    ("bad-enum", set_cell(INI, "id", "gang-truce", "used", "maybe"), INI, "used", "expected one of"),
    ("event-end-before-start", replace_in(EVT, "2012-03", "2012-03", 0), EVT, None, None),
    (
        "bad-date",
        set_cell(EVT, "id", "peace-accords", "date", "16/01/1992"),
        EVT,
        "date",
        "expected a date as YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    (
        "duplicate-event-id",
        append(EVT, "peace-accords,1993,,Copy,accord,,no,verified,rivard-piche-2017\n"),
        EVT,
        "id",
        "duplicate",
    ),
    (
        "orthodox-unknown-source",
        set_cell(ORT, "dimension", "D3", "sources", "no-such-work"),
        ORT,
        "sources",
        "no-such-work",
    ),
    ("invalid-utf8", edit_bytes(ACR, lambda b: b + b"XYZ,Caf\xe9\n"), ACR, None, "invalid UTF-8"),
    ("byte-order-mark", edit_bytes(EVT, lambda b: b"\xef\xbb\xbf" + b, 1), EVT, None, "byte-order mark"),
    ("empty-file", write_bytes(ACR, b""), ACR, None, "empty"),
    (
        "malformed-yaml",
        replace_in(CTY, "name: El Salvador", "name: [El Salvador"),
        CTY,
        None,
        "malformed YAML",
    ),
    ("malformed-csv-quoting", append(ACR, 'XYZ,"unclosed quote\n'), ACR, None, "malformed CSV"),
    ("iso3-lower-case", replace_in(CTY, "iso3: SLV", "iso3: slv"), CTY, "iso3", "three upper-case letters"),
    ("slug-mismatch", replace_in(CTY, "slug: el-salvador", "slug: salvador"), CTY, "slug", "differs"),
    ("reference-without-title", replace_in(REF, "  title:", "  titel:"), REF, None, "title"),
    (
        "reference-duplicates-codebook",
        append(REF, "- id: wgi-2023\n  type: dataset\n  author: [X]\n  year: 2023\n  title: Copy\n"),
        REF,
        "id",
        "already defined",
    ),
    ("why-not-missing", replace_in(INI, ",no,", ",no,"), INI, None, None),
    (
        "yaml-object-tag",
        replace_in(CTY, "name: El Salvador", "name: !!python/object/apply:os.system ['id']"),
        CTY,
        None,
        "malformed YAML",
    ),
    (
        "yaml-alias-bomb",
        lambda p: (
            append(CTY, "bomb: &a [x, x]\n" + "".join(f"b{i}: &b{i} [*a, *a]\n" for i in range(60)))(p)
            and None
        ),
        CTY,
        None,
        "too many YAML aliases",
    ),
    (
        "narrative-unknown-figure",
        append(NAR, "\nRate {{ series.homicide_rat.latest.value | num(1) }}.\n"),
        NAR,
        None,
        "did you mean",
    ),
    ("narrative-unknown-citation", append(NAR, "\nA claim [@no-such-key].\n"), NAR, None, "no-such-key"),
    (
        "narrative-sandbox-escape",
        append(NAR, "\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n"),
        NAR,
        None,
        "sandbox",
    ),
]


# Round two (issue #17): inputs a careless or hostile collaborator could commit.
NAR2 = f"{ES}/narrative/second-generation.md"
SYN = "inputs/synthesis/narrative.md"
OUTSIDE = "outside-the-project"  # a folder beside the project: what a symbolic link may point to
SECRET = "root:x:0:0:SECRET-HOST-LINE:/root:/bin/bash"
PUBLISHED_PDF = "results/reports/el-salvador/orthodox.pdf"


def symlink(rel, target_name, content: str | None = None, folder: str | None = None):
    """Replace an input by a symbolic link to a file (or folder) outside the project."""

    def mutate(p: Path):
        outside = p.parent / OUTSIDE
        outside.mkdir(exist_ok=True)
        target = outside / target_name
        if folder:
            shutil.copytree(p / folder, target, dirs_exist_ok=True)
            shutil.rmtree(p / folder)
        else:
            target.write_text(content, encoding="utf-8")
            (p / rel).unlink()
        (p / rel).symlink_to(target)

    return mutate


def config_item_line(p: Path, slug: str) -> int:
    return line_no((p / "config.yaml").read_text(encoding="utf-8"), f"  - {slug}")


def add_acronym(p: Path):
    """A new acronym, with its Spanish (El Salvador's reports are also in Spanish)."""
    append(ACR, "ZZZ,An added acronym,en\n")(p)
    append(ES_TR, '  ZZZ: {expansion: "Un acrónimo añadido"}\n')(p)


def folder_in_the_way(rel, then):
    """A folder, not empty, where a job writes a file; then an edit that makes the job run."""

    def mutate(p: Path):
        path = p / rel
        if path.is_file():
            path.unlink()
        (path / "keep").mkdir(parents=True)
        (path / "keep" / "x").write_text("x", encoding="utf-8")
        then(p)

    return mutate


def many_bad_rows(n):
    def mutate(p: Path):
        path = p / IND
        text = path.read_text(encoding="utf-8")
        path.write_text(text + "homicide_rate,2012,abc,unodc-homicide-wdi-2025,\n" * n, encoding="utf-8")
        return text.count("\n") + 1

    return mutate


def line_of_last(rel):
    def mutate_after(p: Path):
        return (p / rel).read_text(encoding="utf-8").count("\n")

    return mutate_after


def then_line(mutate, line_fn):
    def go(p: Path):
        mutate(p)
        return line_fn(p)

    return go


FORGE = (
    '\n{{ claim("about 25 percent", "initiative.gang_truce.effect.change_pct", 25, tol=1, absolute=true) }}\n'
    "{{ claim.items[0].update({'ok': true}) }}{{ claim.problems.items.clear() }}"
    "{{ initiative.gang_truce.effect.update({'change_pct': -25.0}) }}\n"
)
DUP_REGION = "region: Atlantis\n"
ROUND_TWO = [
    # 1. No input is read through a symbolic link.
    (
        "symlink-narrative-to-host-file",
        symlink(NAR, "passwd", SECRET + "\n"),
        NAR,
        None,
        "is a symbolic link (to {outside}/passwd); inputs are read only from real files inside the project",
    ),
    (
        "symlink-references-outside",
        symlink(
            REF,
            "references.yaml",
            "- id: leak\n  type: report\n  author: [X]\n  year: 2020\n  title: Outside\n",
        ),
        REF,
        None,
        "is a symbolic link (to {outside}/references.yaml)",
    ),
    (
        "symlink-country-folder",
        then_line(
            symlink("inputs/timor-leste", "timor-leste", folder="inputs/timor-leste"),
            lambda p: config_item_line(p, "timor-leste"),
        ),
        "config.yaml",
        "countries",
        "country 'timor-leste': its input folder inputs/timor-leste is a symbolic link",
    ),
    # 3. The narrative sandbox: bounded arithmetic, no calls but its own, no forged claims.
    (
        "narrative-huge-power",
        append(NAR, "\n{{ 7**1000000000 }}\n"),
        NAR,
        None,
        "refused by the sandbox in '{{ 7**1000000000 }}': the result of ** would be too large for a narrative",
    ),
    (
        "narrative-repeated-string",
        append(NAR, "\n{{ 'x' * 1000000000 }}\n"),
        NAR,
        None,
        "the result of * would be too large for a narrative",
    ),
    (
        "narrative-method-call",
        append(NAR, "\n{{ 'x'.ljust(1000000000) }}\n"),
        NAR,
        None,
        "only these functions can be called in a narrative: value(), mean(), change(), claim()",
    ),
    (
        "narrative-forges-a-claim",
        append(NAR2, FORGE),
        NAR2,
        None,
        (
            "claim 'about 25 percent' (initiative.gang_truce.effect.change_pct, absolute value) should be within ±1 of "
            "25, but the current value is"
        ),
    ),
    # 4. Text: control characters, hidden characters and lengths.
    (
        "cell-with-terminal-escape",
        set_cell(INI, "id", "gang-truce", "name", "Gang\x1b[2K\x1b[1A truce"),
        INI,
        "name",
        "control character U+001B at character 5; only tab and line breaks are allowed",
    ),
    (
        "cell-with-nul",
        set_cell(EVT, "id", "peace-accords", "label", "Peace\x00accords"),
        EVT,
        "label",
        "control character U+0000 at character 6",
    ),
    (
        "yaml-with-control-character",
        replace_in(CTY, "name: El Salvador", "name: El\x07 Salvador"),
        CTY,
        None,
        "control character U+0007 at character 9",
    ),
    (
        "name-with-bidi-override",
        set_cell(INI, "id", "gang-truce", "name", "Gang \u202eecurt"),
        INI,
        "name",
        "contains U+202E RIGHT-TO-LEFT OVERRIDE at character 6, which makes a name display differently",
    ),
    (
        "name-with-zero-width-space",
        set_cell(ACR, "acronym", "PNC", "acronym", "PN\u200bC"),
        ACR,
        "acronym",
        "contains U+200B ZERO WIDTH SPACE at character 3",
    ),
    (
        "name-of-5000-characters",
        set_cell(INI, "id", "gang-truce", "name", "X" * 5000),
        INI,
        "name",
        "longer than 300 characters (5000)",
    ),
    (
        "name-with-unbroken-word",
        set_cell(INI, "id", "gang-truce", "lead_actor", "A" * 80),
        INI,
        "lead_actor",
        "has a word of 80 characters",
    ),
    (
        "evidence-too-long",
        set_cell(ORT, "dimension", "D1", "design_evidence", "word " * 1199 + "word"),
        ORT,
        "design_evidence",
        "longer than 5000 characters (5999)",
    ),
    # 5. YAML: duplicate keys, huge numbers, deep nesting, oversized documents.
    (
        "yaml-duplicate-key",
        then_line(append(CTY, DUP_REGION), line_of_last(CTY)),
        CTY,
        None,
        "duplicate key 'region' (first at line 4); a key may appear only once",
    ),
    (
        "yaml-huge-integer",
        replace_in(CTY, "reform_end:", "reform_end: " + "9" * 5000),
        CTY,
        None,
        "a number of 5000 digits; numbers are limited to 30 digits",
    ),
    (
        "yaml-deep-nesting",
        replace_in(CTY, "reform_end:", "reform_end: " + "[" * 3000 + "]" * 3000),
        CTY,
        None,
        "nested more than 20 levels deep",
    ),
    (
        "yaml-oversized",
        lambda p: append(REF, "# padding\n" * 120_000)(p) and None,
        REF,
        None,
        "file is larger than 1 MB, the limit for an input file",
    ),
    # 6. config.yaml, checked at start-up.
    (
        "config-codebook-as-country",
        None,
        "config.yaml",
        "countries",
        "'codebook' is a reserved folder name of the inputs, not a country",
    ),
    (
        "config-synthesis-as-country",
        None,
        "config.yaml",
        "countries",
        "'synthesis' is a reserved folder name of the inputs, not a country",
    ),
    (
        "config-unknown-effect-indicator",
        replace_in("config.yaml", "indicator: homicide_rate", "indicator: homicides"),
        "config.yaml",
        "effect.indicator",
        "'homicides' is not an indicator code of codebook/indicators.csv",
    ),
    (
        "config-duplicate-key",
        then_line(
            append("config.yaml", "claims:\n  on_failure: warn\n"),
            lambda p: line_of_last("config.yaml")(p) - 1,
        ),
        "config.yaml",
        None,
        "duplicate key 'claims' (first at line",
    ),
    (
        "config-inputs-outside",
        replace_in("config.yaml", "inputs_dir: inputs", "inputs_dir: /etc"),
        "config.yaml",
        "inputs_dir",
        "'/etc' is not a folder inside the project",
    ),
    # 8. One year range, a plausible budget, capped problem lists.
    (
        "event-in-year-0000",
        set_cell(EVT, "id", "peace-accords", "date", "0000-01-16"),
        EVT,
        "date",
        "year 0 is outside the years 1900-2100 that config.yaml allows (years: first, last)",
    ),
    (
        "initiative-ends-in-9999",
        set_cell(INI, "id", "gang-truce", "end", "9999-05"),
        INI,
        "end",
        "year 9999 is outside the years 1900-2100",
    ),
    (
        "conflict-starts-in-1800",
        replace_in(CTY, "start: 1980", "start: 1800"),
        CTY,
        "conflict.start",
        "year 1800 is outside the years 1900-2100",
    ),
    (
        "budget-of-1e308",
        set_cell(INI, "id", "gang-truce", "budget_usd", "1e308"),
        INI,
        "budget_usd",
        "expected at most 1,000,000,000,000, found 1e+308",
    ),
    ("2000-bad-rows", many_bad_rows(2000), IND, "value", "... and 1950 more problems in this file"),
    # 2. Last, since they leave staged outputs to rebuild: a failing job leaves the published outputs as they were, and no temporary file.
    (
        "render-job-fails",
        folder_in_the_way("results/build/reports/el-salvador/orthodox.pdf", append(NAR, "\nAn edit.\n")),
        "results/build/reports/el-salvador/orthodox.pdf",
        None,
        "is a folder where this file goes",
    ),
    (
        "figure-job-fails",
        folder_in_the_way("results/build/figures/el-salvador/governance.svg", add_acronym),
        "results/build/figures/el-salvador/governance.svg",
        None,
        "is a folder where this file goes",
    ),
    (
        "synthesis-job-fails",
        folder_in_the_way("results/build/reports/synthesis.pdf", append(SYN, "\nAn edit.\n")),
        "results/build/reports/synthesis.pdf",
        None,
        "is a folder where this file goes",
    ),
    (
        "publish-blocked",
        folder_in_the_way(PUBLISHED_PDF, append(NAR, "\nAn edit.\n")),
        PUBLISHED_PDF,
        None,
        "is a folder where the published file goes; move it away and run again (nothing was published)",
    ),
]


# Placeholders above that need a real edit of their own.
CASES = [c for c in CASES if c[0] not in ("event-end-before-start", "why-not-missing")] + [
    ("event-end-before-start", None, EVT, "end_date", "before date"),
    ("why-not-missing", None, INI, "why_not", "why_not must say why"),
    ("config-country-without-folder", None, "config.yaml", "countries", "no input folder"),
    ("config-path-slug", None, "config.yaml", "countries", "not a valid slug"),
    ("folder-with-bad-slug", None, "inputs/Bad..Name", None, "not a valid slug"),
]
CASES += ROUND_TWO

# Languages: every declared language needs its translations, its narratives and its catalog.
ES_TR = f"{ES}/translations/es.yaml"
CB_TR = "inputs/codebook/translations/es.yaml"
PO_ES = "templates/locale/es/LC_MESSAGES/messages.po"
NAR_ES = f"{ES}/narrative/orthodox.es.md"


def blank_msgstr(msgid: str):
    """Empty the Spanish catalog's translation of one template string (no line is reported)."""
    import re

    def mutate(p: Path):
        path = p / PO_ES
        text = path.read_text(encoding="utf-8")
        new, n = re.subn(rf'(msgid "{re.escape(msgid)}"\nmsgstr )"[^"\n]*"', r'\1""', text)
        assert n == 1, msgid
        path.write_text(new, encoding="utf-8")

    return mutate


def delete(rel):
    def mutate(p: Path):
        (p / rel).unlink()

    return mutate


LANGUAGE_CASES = [
    (
        "translation-left-empty",
        replace_in(ES_TR, 'label: "Misión ONUSAL"', 'label: ""'),
        ES_TR,
        "events.onusal.label",
        "expected the translated text",
    ),
    (
        "translation-unknown-id",
        replace_in(ES_TR, "  onusal:", "  onusal-mission:"),
        ES_TR,
        "events.onusal-mission",
        "unknown id: no such row in the English file",
    ),
    (
        "translated-authors-not-a-list",
        replace_in(ES_TR, 'authors: ["Equipo del estudio comparado sobre RSS"]', 'authors: "Equipo"'),
        ES_TR,
        "country.authors",
        "expected a list of names",
    ),
    (
        "codebook-label-untranslated",
        replace_in(CB_TR, 'label: "Fuente primaria leída"', "label:"),
        CB_TR,
        "certainty.primary.label",
        "missing translation",
    ),
    (
        "template-string-untranslated",
        blank_msgstr("Key figures"),
        PO_ES,
        None,
        'no translation of "Key figures" in templates/locale/es/LC_MESSAGES/messages.po',
    ),
    ("narrative-of-a-language-missing", delete(NAR_ES), NAR_ES, None, "Missing input files"),
    ("translations-of-a-language-missing", delete(ES_TR), ES_TR, None, "Missing input files"),
    (
        "language-not-in-config",
        replace_in(CTY, "languages: [en, es]", "languages: [en, fr]"),
        CTY,
        "languages",
        "'fr' not declared under `languages` in config.yaml",
    ),
    (
        "english-not-first",
        replace_in(CTY, "languages: [en, es]", "languages: [es, en]"),
        CTY,
        "languages",
        "must come first",
    ),
    (
        "synthesis-language-of-some-countries",
        replace_in("config.yaml", "  languages: [en]", "  languages: [en, es]"),
        "config.yaml",
        "study.languages",
        "needs every country in 'es'; not declared in country.yaml by: timor-leste",
    ),
]
CASES += LANGUAGE_CASES


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
    if case_id in ("config-codebook-as-country", "config-synthesis-as-country"):
        slug = case_id.split("-")[1]
        return replace_in("config.yaml", "  - timor-leste", f"  - timor-leste\n  - {slug}")(p) + 1
    if case_id == "folder-with-bad-slug":
        (p / "inputs/Bad..Name").mkdir()
        return None
    raise AssertionError(case_id)


def restore(project: Path, saved: dict):
    for rel in (
        "results/build/reports/el-salvador/orthodox.pdf",
        "results/build/figures/el-salvador/governance.svg",
        "results/build/reports/synthesis.pdf",
        "results/reports/el-salvador/orthodox.pdf",
    ):
        if (project / rel).is_dir():
            shutil.rmtree(project / rel)
    # Links first: writing the saved bytes through a link would write to its target.
    outside = project.parent / OUTSIDE
    links = [
        Path(d) / n
        for d, dirs, files in os.walk(project / "inputs")
        for n in dirs + files
        if (Path(d) / n).is_symlink()
    ]
    for link in links:
        link.unlink()
    if (outside / "timor-leste").is_dir() and not (project / "inputs/timor-leste").exists():
        shutil.move(outside / "timor-leste", project / "inputs/timor-leste")
    shutil.rmtree(outside, ignore_errors=True)
    for rel, data in saved.items():
        (project / rel).write_bytes(data)
    bad = project / "inputs/Bad..Name"
    if bad.exists():
        bad.rmdir()


def check_more(case_id: str, out: str) -> None:
    """What some cases must show (or keep out of the output) beyond file, line and message."""
    if case_id == "symlink-narrative-to-host-file":
        assert "SECRET-HOST-LINE" not in out
    if case_id == "cell-with-terminal-escape":
        assert "\x1b" not in out and "\\x1b" not in out
    if case_id == "narrative-forges-a-claim":
        # The three attempts on the line after the claim are refused, each with its own message.
        assert "unknown name 'claim.items' in '{{ claim.items[0].update({'ok': true}) }}'" in out
        assert "unknown name 'claim.problems.items.clear' in '{{ claim.problems.items.clear() }}'" in out
        assert (
            "refused by the sandbox in '{{ initiative.gang_truce.effect.update({'change_pct': -25.0}) }}': "
            "access to attribute 'update' of 'dict' object is unsafe"
        ) in out
    if case_id == "2000-bad-rows":
        assert out.count(f"{IND}, line ") == 50 and len(out) < 60_000
    if case_id == "config-unknown-effect-indicator":
        assert "rule validate_inputs" not in out and "render_report" not in out


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 30
    assert len(ROUND_TWO) >= 30
    assert len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_stops_the_run(built, case):
    project, before = built
    case_id, mutate, file, column, expect = case
    files = [
        IND,
        ORT,
        INI,
        EVT,
        CTY,
        REF,
        ACR,
        NAR,
        NAR2,
        SYN,
        "config.yaml",
        PUBLISHED_PDF,
        ES_TR,
        CB_TR,
        PO_ES,
        NAR_ES,
    ]
    saved = {rel: (project / rel).read_bytes() for rel in files}
    if case_id == "publish-blocked":  # the test itself replaces this published file by a folder
        before = {k: v for k, v in before.items() if k != PUBLISHED_PDF}
    try:
        line = special(case_id, project) if mutate is None else mutate(project)
        res = run_snakemake(project)
        out = res.stdout + res.stderr
        assert res.returncode != 0, out[-2000:]
        where = file + (f", line {line}" if line else "")
        if column:
            # With the line known, the message must read `file, line N, column 'x'` exactly.
            where += f", column '{column}'" if line else ""
            assert f"column '{column}'" in out, out[-3000:]
        assert where in out, (where, out[-3000:])
        if expect:
            expect = expect.replace("{outside}", str(project.parent / OUTSIDE))
            assert expect in out, (expect, out[-3000:])
        assert "Traceback (most recent call last)" not in out
        after = {
            k: v for k, v in snapshot(project).items() if "/keep/" not in k
        }  # minus the folders in the way
        assert after == before
        assert list((project / "results").rglob("*.tmp")) == []
        check_more(case_id, out)
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
