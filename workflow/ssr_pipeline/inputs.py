"""Load and check a country's inputs and the shared codebook; return plain data.

Each CSV file is declared once in a table spec (file, row schema, key, source column and
its own checks); one loop reads, types, checks and resolves every one of them.

Over 300 lines: the table specs of every input file and the cross-file checks that need all
of them at once.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from . import dates, layout, settings
from .errors import ProblemList
from .io import display_path, read_csv, read_text, read_yaml, yaml_key_lines
from .layout import REPORT_KINDS
from .references import load_references, merge_references
from .schemas import SLUG_RE, check_header, validate_mapping, validate_rows

KEY_SPLIT = re.compile(r"\s*;\s*")


def split_keys(cell: str) -> list[str]:
    return [k for k in KEY_SPLIT.split(cell.strip()) if k]


@dataclass(frozen=True)
class Table:
    """One CSV input: its file, row schema, unique key, source column and extra checks.

    ``check(rec, ctx)`` yields (column, message) for each problem of a typed row; a row
    with a problem is dropped, so later steps only see good rows.
    """

    file: str
    schema: str
    key: tuple[str, ...] = ()
    sources: str | None = None
    check: Callable | None = None
    sort: Callable | None = None


def _outside_years(year: int, ctx) -> str | None:
    """Why a year is refused, or None: every input's years lie in config.yaml's `years`."""
    first, last = ctx["years"]["first"], ctx["years"]["last"]
    if first <= year <= last:
        return None
    return f"year {year} is outside the years {first}-{last} that config.yaml allows (years: first, last)"


def _check_dates(rec, ctx, columns):
    """Yield (column, message) for each date column whose year is outside the range."""
    bad = False
    for col in columns:
        if rec.get(col):
            why = _outside_years(dates.parse(rec[col]).year, ctx)
            if why:
                bad = True
                yield col, why
    return bad


def _check_series(rec, ctx):
    why = _outside_years(rec["year"], ctx)
    if why:
        yield "year", why
        return
    codes = ctx["codebook"]["indicators_by_code"]
    code = rec["indicator"]
    if code not in codes:
        close = difflib.get_close_matches(code, list(codes), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        yield "indicator", f"unknown indicator code '{code}' (not in codebook/indicators.csv){hint}"
        return
    lo, hi = codes[code]["valid_min"], codes[code]["valid_max"]
    if not lo <= rec["value"] <= hi:
        yield "value", f"{code} value {rec['value']:g} is outside its valid range {lo:g} to {hi:g}"


def _check_event(rec, ctx):
    if (yield from _check_dates(rec, ctx, ("date", "end_date"))):
        return
    if rec.get("end_date") and dates.parse(rec["end_date"]).last() < dates.parse(rec["date"]).first():
        yield "end_date", f"end_date {rec['end_date']} is before date {rec['date']}"


def _check_coding(rec, ctx):
    dims = ctx["codebook"]["dimensions_by_id"]
    if rec["dimension"] not in dims:
        yield "dimension", f"unknown dimension '{rec['dimension']}'; expected one of {', '.join(dims)}"
    levels = ctx["codebook"]["certainty_levels"]
    if rec["certainty"] not in levels:
        yield (
            "certainty",
            (f"expected one of {', '.join(levels)} (see codebook/certainty.csv); found '{rec['certainty']}'"),
        )


def _check_initiative(rec, ctx):
    out_of_range = yield from _check_dates(rec, ctx, ("start", "end"))
    if rec["entry_point"] not in ctx["codebook"]["entry_points_by_code"]:
        yield "entry_point", f"unknown entry-point type '{rec['entry_point']}'; see codebook/entry_points.csv"
    if (
        rec.get("start")
        and rec.get("end")
        and not out_of_range
        and dates.parse(rec["end"]).last() < dates.parse(rec["start"]).first()
    ):
        yield "end", f"end {rec['end']} is before start {rec['start']}"
    if rec.get("end") and not rec.get("start"):
        yield "start", "an end is given without a start"
    if rec.get("budget_usd") is not None and not rec.get("budget_scope"):
        yield "budget_scope", "a budget needs its scope: programme, regional or plan"
    if rec["used"] in ("no", "partial") and not rec.get("why_not"):
        yield "why_not", f"used is '{rec['used']}', so why_not must say why"


COUNTRY_TABLES = {
    "indicators": Table("indicators.csv", "indicators", ("indicator", "year"), "source", _check_series),
    "events": Table(
        "events.csv",
        "events",
        ("id",),
        "sources",
        _check_event,
        sort=lambda e: (dates.parse(e["date"]).first(), e["id"]),
    ),
    "orthodox": Table("orthodox.csv", "orthodox", ("dimension",), "sources", _check_coding),
    "initiatives": Table("initiatives.csv", "initiatives", ("id",), "sources", _check_initiative),
    "acronyms": Table("acronyms.csv", "acronyms", sort=lambda a: a["acronym"].casefold()),
}
CODEBOOK_TABLES = {
    "indicators": Table("indicators.csv", "codebook_indicators", ("code",)),
    "dimensions": Table("dimensions.csv", "dimensions", ("id",)),
    "score_scale": Table("score_scale.csv", "score_scale", ("score",)),
    "entry_points": Table("entry_points.csv", "entry_points", ("code",)),
    "certainty": Table("certainty.csv", "certainty", ("level",)),
}
COUNTRY_FILES = ("country.yaml", *(t.file for t in COUNTRY_TABLES.values()), "references.yaml")
# Independent codings by further coders sit beside the lead coder's orthodox.csv: orthodox.<coder>.csv.
CODER_GLOB = COUNTRY_TABLES["orthodox"].file.replace(".csv", ".*.csv")


def coder_files(folder: Path) -> dict[str, Path]:
    """{coder id: file} of the further codings of a country, in name order."""
    return {p.name.split(".")[1]: p for p in sorted(Path(folder).glob(CODER_GLOB))}


CODEBOOK_FILES = (*(t.file for t in CODEBOOK_TABLES.values()), "references.yaml")
DUPLICATE_MESSAGES = {
    "indicators": lambda rec, first: (
        "year",
        (f"duplicate row for {rec['indicator']} {rec['year']} (first at line {first})"),
    ),
    "orthodox": lambda rec, first: ("dimension", f"dimension {rec['dimension']} is coded twice"),
}


def build_input_files(
    root: Path,
    inputs: str,
    countries: list[str],
    languages: dict | None = None,
    synthesis_languages: list[str] | None = None,
) -> list[str]:
    """Every input file a build reads (config, codebook, each country's files, narratives and
    translations, synthesis inputs, panels), as paths relative to the project root.
    ``languages`` gives each country's report languages (default: English only)."""
    languages = languages or {}
    synthesis_languages = synthesis_languages or [layout.SOURCE_LANGUAGE]
    files = ["config.yaml", *(f"{inputs}/codebook/{name}" for name in CODEBOOK_FILES)]
    others = sorted({lang for c in countries for lang in languages.get(c, [])[1:]})
    files += [f"{inputs}/{layout.codebook_translation_path(lang)}" for lang in others]
    for c in countries:
        files += [f"{inputs}/{c}/{name}" for name in COUNTRY_FILES]
        files += [p.relative_to(root).as_posix() for p in coder_files(root / inputs / c).values()]
        langs = languages.get(c, [layout.SOURCE_LANGUAGE])
        files += [
            f"{inputs}/{layout.narrative_path(c, r, lang)}" for lang in langs for r in layout.REPORT_KINDS
        ]
        files += [f"{inputs}/{layout.translation_path(c, lang)}" for lang in langs[1:]]
    files += [f"{inputs}/{layout.synthesis_narrative_path(lang)}" for lang in synthesis_languages]
    files += [f"{inputs}/synthesis/references.yaml"]
    return files + sorted(p.relative_to(root).as_posix() for p in (root / inputs / "panels").glob("*.csv"))


def codebook_codes(inputs_dir: Path) -> dict:
    """The codebook's indicator codes, read without checks (they run in validate_inputs)."""
    import csv

    try:
        with open(inputs_dir / "codebook" / CODEBOOK_TABLES["indicators"].file, encoding="utf-8") as fh:
            return {"indicators": [{"code": r.get("code")} for r in csv.DictReader(fh)]}
    except (OSError, UnicodeDecodeError, csv.Error):
        return {"indicators": []}


def load_table(folder: Path, name: str, table: Table, ctx: dict, problems: ProblemList) -> list[dict]:
    """Read, type and check one CSV file; return its good rows (with their line numbers)."""
    display = display_path(folder / table.file, ctx["root"])
    header, rows = read_csv(
        folder / table.file,
        problems,
        display,
        header_ok=lambda h: check_header(h, table.schema, display, problems),
    )
    seen: dict[tuple, int] = {}
    out = []
    for line, rec in validate_rows(header, rows, table.schema, display, problems):
        bad = False
        for column, message in table.check(rec, ctx) if table.check else ():
            problems.add(display, line, column, message)
            bad = True
        key = tuple(rec[k] for k in table.key)
        if table.key and key in seen:
            column, message = DUPLICATE_MESSAGES.get(
                name, lambda r, f: (table.key[0], f"duplicate {table.key[0]} '{r[table.key[0]]}'")
            )(rec, seen[key])
            problems.add(display, line, column, message)
            continue
        if table.key:
            seen[key] = line
        if bad:
            continue
        if table.sources and "refs" in ctx:
            missing = [k for k in split_keys(rec[table.sources]) if k not in ctx["refs"]]
            for k in missing:
                problems.add(
                    display,
                    line,
                    table.sources,
                    f"source key '{k}' is not in references.yaml or codebook/references.yaml",
                )
        out.append({**rec, "line": line})
    return sorted(out, key=table.sort) if table.sort else out


def load_codebook(inputs_dir: Path, root: Path, problems: ProblemList) -> dict:
    folder = inputs_dir / "codebook"
    ctx = {"root": root}
    out = {
        name: [
            {k: v for k, v in r.items() if k != "line"} for r in load_table(folder, name, t, ctx, problems)
        ]
        for name, t in CODEBOOK_TABLES.items()
    }
    ind_path = display_path(folder / "indicators.csv", root)
    codes = {r["code"] for r in out["indicators"]}
    for rec in out["indicators"]:
        if rec["valid_min"] > rec["valid_max"]:
            problems.add(ind_path, None, "valid_min", f"{rec['code']}: valid_min is above valid_max")
        if rec.get("comparator_of") and rec["comparator_of"] not in codes:
            problems.add(
                ind_path,
                None,
                "comparator_of",
                f"{rec['code']}: comparator_of '{rec['comparator_of']}' is not an indicator code",
            )
    out["references"] = load_references(folder / "references.yaml", root, problems)
    for rec in out["indicators"]:
        if rec["source"] not in out["references"]:
            problems.add(
                ind_path,
                None,
                "source",
                f"{rec['code']}: source key '{rec['source']}' is not in codebook/references.yaml",
            )
    return out


def _lookups(codebook: dict) -> dict:
    return {
        "indicators_by_code": {r["code"]: r for r in codebook.get("indicators", [])},
        "dimensions_by_id": {d["id"]: d for d in codebook.get("dimensions", [])},
        "entry_points_by_code": {e["code"]: e for e in codebook.get("entry_points", [])},
        "certainty_levels": [c["level"] for c in codebook.get("certainty", [])],
    }


def load_country_yaml(
    folder: Path, slug: str, refs: dict, root: Path, problems: ProblemList, years: dict | None = None
) -> dict:
    display = display_path(folder / "country.yaml", root)
    country = read_yaml(folder / "country.yaml", problems, display) or {}
    if not isinstance(country, dict):
        problems.add(display, 1, None, "expected a mapping of keys to values")
        return {}
    if not country:
        return {}
    lines = yaml_key_lines(read_text(folder / "country.yaml", ProblemList(), "") or "")

    def add(field, message):
        path = field
        while path and path not in lines:
            path = path.rpartition(".")[0]
        problems.add(display, lines.get(path), field or None, message)

    for field, message in validate_mapping(country, "country"):
        add(field, message)
    if country.get("slug") not in (None, slug):
        add("slug", f"slug '{country.get('slug')}' differs from the folder name '{slug}'")
    if isinstance(country.get("iso3"), str) and re.fullmatch(r"[A-Z]{3}", country["iso3"]):
        _check_iso3(country["iso3"], add)
    ctx = {"years": years or settings.defaults()["years"]}
    named_years = [("reform_start", country.get("reform_start")), ("reform_end", country.get("reform_end"))]
    conflict = country.get("conflict") or {}
    if isinstance(conflict, dict):
        named_years += [("conflict.start", conflict.get("start")), ("conflict.end", conflict.get("end"))]
    pa = country.get("peace_agreement")
    if isinstance(pa, dict) and isinstance(pa.get("date"), str) and dates.DATE_RE.match(pa["date"]):
        named_years.append(("peace_agreement.date", dates.parse(pa["date"]).year))
    for field, year in named_years:
        why = _outside_years(year, ctx) if isinstance(year, int) and not isinstance(year, bool) else None
        if why:
            add(field, why)
    if (
        isinstance(conflict, dict)
        and isinstance(conflict.get("start"), int)
        and isinstance(conflict.get("end"), int)
        and conflict["end"] < conflict["start"]
    ):
        add("conflict.end", "conflict ends before it starts")
    keys = []
    if isinstance(pa, dict) and isinstance(pa.get("source"), str) and pa["source"]:
        keys.append(("peace_agreement.source", pa["source"]))
    papers = country.get("case_papers")
    for k, v in (papers if isinstance(papers, dict) else {}).items():
        if isinstance(v, str) and v:
            keys.append((f"case_papers.{k}", v))
    for field, key in keys:
        if key not in refs:
            add(field, f"source key '{key}' is not in references.yaml or codebook/references.yaml")
    return country


def _check_iso3(code: str, add) -> None:
    import pycountry

    if pycountry.countries.get(alpha_3=code) is None:
        add("iso3", f"'{code}' is not an ISO 3166-1 alpha-3 country code")


# Long on purpose: each input file of a country loaded and checked in turn, then the cross-file checks; one
# loop per table would hide the order.
def load_country(
    inputs_dir: Path,
    slug: str,
    codebook: dict,
    root: Path,
    problems: ProblemList,
    narratives: bool = True,
    years: dict | None = None,
) -> dict:
    """A country's checked inputs; ``years`` is config.yaml's range (default: the schema's)."""
    folder = inputs_dir / slug
    if not SLUG_RE.match(slug):
        problems.add(
            display_path(folder, root),
            None,
            None,
            "country slug must be lower case letters, digits and single hyphens",
        )
        return {}
    if not folder.is_dir():
        problems.add(
            display_path(folder, root),
            None,
            None,
            f"country '{slug}' is listed in config.yaml but has no input folder",
        )
        return {}
    refs = merge_references(folder, codebook, root, problems)
    years = years or settings.defaults()["years"]
    country = load_country_yaml(folder, slug, refs, root, problems, years)
    ctx = {"root": root, "refs": refs, "codebook": _lookups(codebook), "years": years}
    tables = {name: load_table(folder, name, t, ctx, problems) for name, t in COUNTRY_TABLES.items()}
    dims = [d["id"] for d in codebook.get("dimensions", [])]
    codings = {}
    for coder, path in coder_files(folder).items():
        if not SLUG_RE.match(coder):
            problems.add(
                display_path(path, root),
                None,
                None,
                f"coder id '{coder}' in the file name must be lower-case letters, digits and single hyphens",
            )
            continue
        codings[coder] = load_table(
            folder, "orthodox", replace(COUNTRY_TABLES["orthodox"], file=path.name), ctx, problems
        )
    for name, rows in (
        ("orthodox.csv", tables["orthodox"]),
        *((f"orthodox.{c}.csv", r) for c, r in codings.items()),
    ):
        _check_all_dimensions_coded(folder / name, rows, codebook, root, problems)
        rows.sort(key=lambda r: dims.index(r["dimension"]))
    for rec in tables["acronyms"]:
        rec.pop("line")
    texts = {}
    for report in REPORT_KINDS if narratives else ():
        display = display_path(folder / "narrative" / f"{report}.md", root)
        text = read_text(folder / "narrative" / f"{report}.md", problems, display)
        if text is not None:
            texts[report] = {"file": display, "text": text}
    for entry in refs.values():
        entry.setdefault("_file", "")
    return {
        "slug": slug,
        "country": country,
        "codebook": {k: v for k, v in codebook.items() if k != "references"},
        **tables,
        "codings": codings,
        "references": refs,
        "narratives": texts,
    }


def _check_all_dimensions_coded(path, coding, codebook, root, problems) -> None:
    """An empty coding file is fine (a new country); a partial one names what is missing."""
    display = display_path(path, root)
    if not coding or problems.count(display):
        return
    coded = {r["dimension"] for r in coding}
    for d in codebook.get("dimensions", []):
        if d["id"] not in coded:
            problems.add(display, None, "dimension", f"dimension {d['id']} ({d['name']}) is not coded")
