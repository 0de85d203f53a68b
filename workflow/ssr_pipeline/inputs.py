"""Load and check a country's inputs and the shared codebook; return plain data."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import yaml

from .errors import ProblemList
from .io import _BoundedLoader, read_csv, read_text, read_yaml
from .schemas import validate_mapping, validate_rows

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
KEY_SPLIT = re.compile(r"\s*;\s*")
COUNTRY_FILES = ("country.yaml", "indicators.csv", "events.csv", "orthodox.csv",
                 "initiatives.csv", "acronyms.csv", "references.yaml")
NARRATIVES = ("orthodox", "second-generation")


def split_keys(cell: str) -> list[str]:
    return [k for k in KEY_SPLIT.split(cell.strip()) if k]


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _yaml_items(text: str) -> list[tuple[int, dict[str, int]]]:
    """For each top-level list item of a YAML document: (its line, {key: line})."""
    try:
        node = yaml.compose(text, Loader=_BoundedLoader)
    except yaml.YAMLError:
        return []
    if not isinstance(node, yaml.SequenceNode):
        return []
    out = []
    for item in node.value:
        keys = {}
        if isinstance(item, yaml.MappingNode):
            for k, _ in item.value:
                keys[k.value] = k.start_mark.line + 1
        out.append((item.start_mark.line + 1, keys))
    return out


def _yaml_key_lines(text: str) -> dict[str, int]:
    """{dotted key path: line} for the mappings of a YAML document."""
    try:
        node = yaml.compose(text, Loader=_BoundedLoader)
    except yaml.YAMLError:
        return {}
    out: dict[str, int] = {}

    def walk(n, prefix):
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                path = f"{prefix}{k.value}"
                out[path] = k.start_mark.line + 1
                walk(v, path + ".")

    walk(node, "")
    return out


def _line_for(lines: dict[str, int], field: str | None):
    while field:
        if field in lines:
            return lines[field]
        field = field.rpartition(".")[0]
    return None


def load_references(path: Path, root: Path, problems: ProblemList, required=True):
    display = _rel(path, root)
    if not path.exists() and not required:
        return {}
    data = read_yaml(path, problems, display)
    if data is None:
        return {}
    if not isinstance(data, list):
        problems.add(display, 1, None, "expected a list of references (items starting with '- id:')")
        return {}
    items = _yaml_items(read_text(path, ProblemList(), display) or "")
    refs = {}
    for i, entry in enumerate(data):
        line, klines = items[i] if i < len(items) else (None, {})
        if not isinstance(entry, dict):
            problems.add(display, line, None, "expected a mapping with id, type, author, year, title")
            continue
        bad = False
        for field, message in validate_mapping(entry, "references"):
            problems.add(display, klines.get(field.split(".")[0], line), field or None, message)
            bad = True
        rid = entry.get("id")
        if isinstance(rid, str):
            if rid in refs:
                problems.add(display, line, "id", f"duplicate reference id '{rid}'")
            elif not bad or rid:
                # Keep a faulty entry so its key still resolves: one mistake, one message.
                refs[rid] = {**entry, "year": str(entry.get("year", "")), "title": entry.get("title", ""),
                             "author": entry.get("author") or ["?"], "type": entry.get("type", "document"),
                             "_file": display, "_line": line}
    return refs


def load_codebook(inputs_dir: Path, root: Path, problems: ProblemList) -> dict:
    cb = inputs_dir / "codebook"
    out = {}
    for name, schema, key in (
        ("indicators", "codebook_indicators", "code"),
        ("dimensions", "dimensions", "id"),
        ("score_scale", "score_scale", "score"),
        ("entry_points", "entry_points", "code"),
    ):
        path = cb / f"{name}.csv"
        display = _rel(path, root)
        header, rows = read_csv(path, problems, display)
        typed = validate_rows(header, rows, schema, display, problems)
        seen = set()
        items = []
        for line, rec in typed:
            if rec[key] in seen:
                problems.add(display, line, key, f"duplicate {key} '{rec[key]}'")
                continue
            seen.add(rec[key])
            items.append(rec)
        out[name] = items
    ind_path = _rel(cb / "indicators.csv", root)
    for rec in out["indicators"]:
        if rec["valid_min"] > rec["valid_max"]:
            problems.add(ind_path, None, "valid_min", f"{rec['code']}: valid_min is above valid_max")
    out["references"] = load_references(cb / "references.yaml", root, problems)
    for rec in out["indicators"]:
        if rec["source"] not in out["references"]:
            problems.add(ind_path, None, "source",
                         f"{rec['code']}: source key '{rec['source']}' is not in codebook/references.yaml")
    return out


def _check_sources(cell_keys, refs, display, line, column, problems):
    for key in cell_keys:
        if key not in refs:
            problems.add(display, line, column,
                         f"source key '{key}' is not in references.yaml or codebook/references.yaml")


def _date_tuple(value: str, end: bool = False):
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        parts += [12, 31] if end else [1, 1]
    elif len(parts) == 2:
        parts += [31] if end else [1]
    return tuple(parts)


def load_country(inputs_dir: Path, slug: str, codebook: dict, root: Path,
                 problems: ProblemList, narratives: bool = True) -> dict:
    folder = inputs_dir / slug
    if not SLUG_RE.match(slug):
        problems.add(_rel(folder, root), None, None,
                     "country slug must be lower case letters, digits and single hyphens")
        return {}
    if not folder.is_dir():
        problems.add(_rel(folder, root), None, None,
                     f"country '{slug}' is listed in config.yaml but has no input folder")
        return {}

    def disp(name):
        return _rel(folder / name, root)

    own_refs = load_references(folder / "references.yaml", root, problems)
    refs = dict(codebook.get("references", {}))
    for rid, entry in own_refs.items():
        if rid in refs:
            problems.add(entry["_file"], entry["_line"], "id",
                         f"reference id '{rid}' is already defined in codebook/references.yaml")
        else:
            refs[rid] = entry

    # country.yaml
    country = read_yaml(folder / "country.yaml", problems, disp("country.yaml")) or {}
    if not isinstance(country, dict):
        problems.add(disp("country.yaml"), 1, None, "expected a mapping of keys to values")
        country = {}
    elif country:
        klines = _yaml_key_lines(read_text(folder / "country.yaml", ProblemList(), "") or "")
        for field, message in validate_mapping(country, "country"):
            problems.add(disp("country.yaml"), _line_for(klines, field), field or None, message)
        if country.get("slug") not in (None, slug):
            problems.add(disp("country.yaml"), _line_for(klines, "slug"), "slug",
                         f"slug '{country.get('slug')}' differs from the folder name '{slug}'")
        conflict = country.get("conflict") or {}
        if isinstance(conflict, dict) and isinstance(conflict.get("start"), int) \
                and isinstance(conflict.get("end"), int) and conflict["end"] < conflict["start"]:
            problems.add(disp("country.yaml"), _line_for(klines, "conflict.end"), "conflict.end",
                         "conflict ends before it starts")
        keys = []
        pa = country.get("peace_agreement")
        if isinstance(pa, dict) and pa.get("source"):
            keys.append(("peace_agreement.source", pa["source"]))
        for k, v in (country.get("case_papers") or {}).items():
            if v:
                keys.append((f"case_papers.{k}", v))
        for field, key in keys:
            _check_sources([key], refs, disp("country.yaml"), _line_for(klines, field), field, problems)

    # indicators.csv
    codes = {r["code"]: r for r in codebook.get("indicators", [])}
    header, rows = read_csv(folder / "indicators.csv", problems, disp("indicators.csv"))
    series_rows = []
    seen = {}
    for line, rec in validate_rows(header, rows, "indicators", disp("indicators.csv"), problems):
        code = rec["indicator"]
        if code not in codes:
            close = difflib.get_close_matches(code, list(codes), n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            problems.add(disp("indicators.csv"), line, "indicator",
                         f"unknown indicator code '{code}' (not in codebook/indicators.csv){hint}")
            continue
        key = (code, rec["year"])
        if key in seen:
            problems.add(disp("indicators.csv"), line, "year",
                         f"duplicate row for {code} {rec['year']} (first at line {seen[key]})")
            continue
        seen[key] = line
        lo, hi = codes[code]["valid_min"], codes[code]["valid_max"]
        if not lo <= rec["value"] <= hi:
            problems.add(disp("indicators.csv"), line, "value",
                         f"{code} value {rec['value']:g} is outside its valid range {lo:g} to {hi:g}")
            continue
        _check_sources([rec["source"]], refs, disp("indicators.csv"), line, "source", problems)
        series_rows.append({**rec, "line": line})

    # events.csv
    header, rows = read_csv(folder / "events.csv", problems, disp("events.csv"))
    events = []
    ids = {}
    for line, rec in validate_rows(header, rows, "events", disp("events.csv"), problems):
        if rec["id"] in ids:
            problems.add(disp("events.csv"), line, "id", f"duplicate event id '{rec['id']}'")
            continue
        ids[rec["id"]] = line
        if rec.get("end_date") and _date_tuple(rec["end_date"], True) < _date_tuple(rec["date"]):
            problems.add(disp("events.csv"), line, "end_date",
                         f"end_date {rec['end_date']} is before date {rec['date']}")
            continue
        _check_sources(split_keys(rec["sources"]), refs, disp("events.csv"), line, "sources", problems)
        events.append({**rec, "line": line})
    events.sort(key=lambda e: (_date_tuple(e["date"]), e["id"]))

    # orthodox.csv
    dims = {d["id"]: d for d in codebook.get("dimensions", [])}
    header, rows = read_csv(folder / "orthodox.csv", problems, disp("orthodox.csv"))
    coding = {}
    for line, rec in validate_rows(header, rows, "orthodox", disp("orthodox.csv"), problems):
        if rec["dimension"] not in dims:
            problems.add(disp("orthodox.csv"), line, "dimension",
                         f"unknown dimension '{rec['dimension']}'; expected one of {', '.join(dims)}")
            continue
        if rec["dimension"] in coding:
            problems.add(disp("orthodox.csv"), line, "dimension",
                         f"dimension {rec['dimension']} is coded twice")
            continue
        _check_sources(split_keys(rec["sources"]), refs, disp("orthodox.csv"), line, "sources", problems)
        coding[rec["dimension"]] = {**rec, "line": line}
    if header is not None and rows:
        for did in dims:
            if did not in coding and not any(p.file == disp("orthodox.csv") for p in problems.items):
                problems.add(disp("orthodox.csv"), None, "dimension",
                             f"dimension {did} ({dims[did]['name']}) is not coded")
    orthodox = [coding[d] for d in dims if d in coding]

    # initiatives.csv
    eps = {e["code"] for e in codebook.get("entry_points", [])}
    header, rows = read_csv(folder / "initiatives.csv", problems, disp("initiatives.csv"))
    initiatives = []
    ids = {}
    for line, rec in validate_rows(header, rows, "initiatives", disp("initiatives.csv"), problems):
        ok = True
        if rec["id"] in ids:
            problems.add(disp("initiatives.csv"), line, "id", f"duplicate initiative id '{rec['id']}'")
            ok = False
        if rec["entry_point"] not in eps:
            problems.add(disp("initiatives.csv"), line, "entry_point",
                         f"unknown entry-point type '{rec['entry_point']}'; see codebook/entry_points.csv")
            ok = False
        if rec.get("start") and rec.get("end") and \
                _date_tuple(rec["end"], True) < _date_tuple(rec["start"]):
            problems.add(disp("initiatives.csv"), line, "end",
                         f"end {rec['end']} is before start {rec['start']}")
            ok = False
        if rec.get("end") and not rec.get("start"):
            problems.add(disp("initiatives.csv"), line, "start", "an end is given without a start")
            ok = False
        if rec["used"] in ("no", "partial") and not rec.get("why_not"):
            problems.add(disp("initiatives.csv"), line, "why_not",
                         f"used is '{rec['used']}', so why_not must say why")
            ok = False
        _check_sources(split_keys(rec["sources"]), refs, disp("initiatives.csv"), line, "sources", problems)
        ids[rec["id"]] = line
        if ok:
            initiatives.append({**rec, "line": line})

    # acronyms.csv
    header, rows = read_csv(folder / "acronyms.csv", problems, disp("acronyms.csv"))
    acronyms = [rec for _, rec in validate_rows(header, rows, "acronyms", disp("acronyms.csv"), problems)]
    acronyms.sort(key=lambda a: a["acronym"].casefold())

    texts = {}
    for report in NARRATIVES if narratives else ():
        path = folder / "narrative" / f"{report}.md"
        text = read_text(path, problems, disp(f"narrative/{report}.md"))
        if text is not None:
            texts[report] = {"file": disp(f"narrative/{report}.md"), "text": text}

    for entry in refs.values():
        entry.setdefault("_file", "")
    return {
        "slug": slug,
        "country": country,
        "codebook": {k: v for k, v in codebook.items() if k != "references"},
        "indicators": series_rows,
        "events": events,
        "orthodox": orthodox,
        "initiatives": initiatives,
        "acronyms": acronyms,
        "references": refs,
        "narratives": texts,
    }


def check_config_countries(config: dict, inputs_dir: Path, root: Path) -> ProblemList:
    problems = ProblemList()
    try:
        text = (root / "config.yaml").read_text(encoding="utf-8").split("\n")
    except OSError:
        text = []

    def line_of(slug):
        for n, line in enumerate(text, 1):
            if line.strip().lstrip("-").strip().strip("'\"") == slug:
                return n
        return None

    for slug in config.get("countries", []):
        if not isinstance(slug, str) or not SLUG_RE.match(slug):
            problems.add("config.yaml", line_of(slug), "countries",
                         f"'{slug}' is not a valid slug (lower case letters, digits, single hyphens; "
                         "no '/' or '..')")
        elif not (inputs_dir / slug).is_dir():
            problems.add("config.yaml", line_of(slug), "countries",
                         f"country '{slug}' has no input folder {_rel(inputs_dir / slug, root)}")
    for folder in sorted(p for p in inputs_dir.iterdir() if p.is_dir()) if inputs_dir.is_dir() else []:
        if folder.name not in ("codebook", "synthesis") and not SLUG_RE.match(folder.name):
            problems.add(_rel(folder, root), None, None,
                         f"input folder name '{folder.name}' is not a valid slug "
                         "(lower case letters, digits, single hyphens)")
    return problems
