"""Translations of the inputs' text: the codebook's and each country's, one YAML file per language.

    inputs/codebook/translations/<lang>.yaml   dimensions, score_scale, entry_points, indicators, certainty
    inputs/<slug>/translations/<lang>.yaml     country, events, initiatives, orthodox, orthodox.<coder>, acronyms

Each section maps the English row's key to its translated fields. The fields a language must
translate are those the row schemas mark `x-translate: true` (and, for country.yaml, the three
below); every one that is not empty in English needs a translation, or the build stops naming
the file, the line and the key. The country section may also give `authors`, a list of names
in the language (a team's name is often translated), one per English author.
"""

from __future__ import annotations

import copy
from pathlib import Path

from .errors import ProblemList
from .io import display_path, read_text, read_yaml, yaml_key_lines
from .layout import SOURCE_LANGUAGE, codebook_translation_path, translation_path
from .schemas import load_schema

# country.yaml's translated fields: key in the translation file -> path in country.yaml.
COUNTRY_FIELDS = {
    "summary": ("summary",),
    "conflict_label": ("conflict", "label"),
    "peace_agreement_name": ("peace_agreement", "name"),
}
CODEBOOK_SECTIONS = {
    "dimensions": ("dimensions", "id"),
    "score_scale": ("score_scale", "score"),
    "entry_points": ("entry_points", "code"),
    "indicators": ("codebook_indicators", "code"),
    "certainty": ("certainty", "level"),
}
COUNTRY_SECTIONS = {
    "events": ("events", "id"),
    "initiatives": ("initiatives", "id"),
    "orthodox": ("orthodox", "dimension"),
    "acronyms": ("acronyms", "acronym"),
}


def translatable(schema: str) -> list[str]:
    """The fields of a row schema marked `x-translate: true`, in column order."""
    return [k for k, p in load_schema(schema)["properties"].items() if p.get("x-translate")]


def _get(d: dict, path: tuple):
    for k in path:
        d = (d or {}).get(k) if isinstance(d, dict) else None
    return d


def _check(
    data, expected: dict[str, dict[str, str]], display: str, lines: dict, problems: ProblemList
) -> None:
    """Every expected section/key/field present and a non-empty string; nothing unexpected."""
    if not isinstance(data, dict):
        problems.add(display, 1, None, "expected a mapping of sections (see inputs/README.md)")
        return
    for section in data:
        if section not in expected:
            problems.add(
                display,
                lines.get(str(section)),
                str(section),
                f"unknown section; expected: {', '.join(expected)}",
            )
    for section, rows in expected.items():
        got = data.get(section) or {}
        if section == "country":  # one flat mapping of fields, not rows
            got, rows = {"_": got}, {"_": rows}
        if not isinstance(got, dict):
            problems.add(display, lines.get(section), section, "expected a mapping of ids to fields")
            continue
        if section == "country":
            _check_authors(got["_"], display, lines, problems)
        for key in got:
            if str(key) not in rows and section != "country":
                problems.add(
                    display,
                    lines.get(f"{section}.{key}"),
                    f"{section}.{key}",
                    "unknown id: no such row in the English file",
                )
        for key, fields in rows.items():
            entry = got.get(key, got.get(int(key)) if key.isdigit() else None)
            for field, english in fields.items():
                value = entry.get(field) if isinstance(entry, dict) else None
                where = f"{section}.{field}" if key == "_" else f"{section}.{key}.{field}"
                if english and not (isinstance(value, str) and value.strip()):
                    line = lines.get(where) or lines.get(f"{section}.{key}") or lines.get(section)
                    problems.add(
                        display,
                        line,
                        where,
                        "missing translation" if value is None else "expected the translated text",
                    )


def _check_authors(country, display: str, lines: dict, problems: ProblemList) -> None:
    if not isinstance(country, dict):
        return
    for key in country:
        if key not in COUNTRY_FIELDS and key != "authors":
            problems.add(
                display,
                lines.get(f"country.{key}"),
                f"country.{key}",
                f"unknown field; expected: {', '.join([*COUNTRY_FIELDS, 'authors'])}",
            )
    authors = country.get("authors")
    if authors is not None and not (
        isinstance(authors, list) and authors and all(isinstance(a, str) and a.strip() for a in authors)
    ):
        problems.add(display, lines.get("country.authors"), "country.authors", "expected a list of names")


def load(path: Path, expected: dict, root: Path, problems: ProblemList) -> dict:
    """A translation file, checked against the English rows it must cover."""
    display = display_path(path, root)
    if not path.exists():
        problems.add(display, None, None, "file is missing: every declared language needs its translations")
        return {}
    data = read_yaml(path, problems, display)
    if data is None:
        return {}
    _check(data, expected, display, yaml_key_lines(read_text(path, ProblemList(), display) or ""), problems)
    return data


def codebook_expected(codebook: dict) -> dict:
    return {
        section: {str(r[key]): {f: r.get(f) for f in translatable(schema)} for r in codebook[section]}
        for section, (schema, key) in CODEBOOK_SECTIONS.items()
    }


def country_expected(bundle: dict) -> dict:
    out = {
        "country": {
            k: _get(bundle["country"], p) for k, p in COUNTRY_FIELDS.items() if _get(bundle["country"], p)
        }
    }
    for section, (schema, key) in COUNTRY_SECTIONS.items():
        out[section] = {str(r[key]): {f: r.get(f) for f in translatable(schema)} for r in bundle[section]}
    for coder, rows in bundle.get("codings", {}).items():
        out[f"orthodox.{coder}"] = {
            r["dimension"]: {f: r.get(f) for f in translatable("orthodox")} for r in rows
        }
    return out


def _apply_rows(rows: list[dict], key: str, texts: dict) -> list[dict]:
    out = []
    for r in rows:
        t = texts.get(str(r[key])) or texts.get(r[key]) or {}
        out.append({**r, **{f: v for f, v in t.items() if v}})
    return out


def localize_codebook(codebook: dict, texts: dict) -> dict:
    out = dict(codebook)
    for section, (_, key) in CODEBOOK_SECTIONS.items():
        out[section] = _apply_rows(codebook[section], key, texts.get(section) or {})
    return out


def localize_bundle(bundle: dict, lang: str) -> dict:
    """The bundle with its text (and its codebook's) in ``lang``; English returns it unchanged."""
    tr = bundle.get("translations", {}).get(lang)
    if tr is None:
        return bundle
    out = copy.deepcopy(bundle)
    out["codebook"] = localize_codebook(out["codebook"], tr["codebook"])
    own = tr["country"]
    country = own.get("country") or {}
    for k, path in COUNTRY_FIELDS.items():
        if country.get(k) and _get(out["country"], path[:-1] or ()) is not None:
            parent = out["country"] if len(path) == 1 else out["country"][path[0]]
            parent[path[-1]] = country[k]
    if country.get("authors"):
        out["country"]["authors"] = list(country["authors"])
    for section, (_, key) in COUNTRY_SECTIONS.items():
        out[section] = _apply_rows(out[section], key, own.get(section) or {})
    # An acronym may have its own form in the language (OECD is OCDE in Spanish).
    out["acronyms"] = sorted(out["acronyms"], key=lambda r: r["acronym"].casefold())
    out["codings"] = {
        c: _apply_rows(rows, "dimension", own.get(f"orthodox.{c}") or {})
        for c, rows in out.get("codings", {}).items()
    }
    return out


def load_all(inputs_dir: Path, bundle: dict, root: Path, problems: ProblemList) -> dict:
    """{lang: {"codebook": ..., "country": ...}} for each of the country's languages but English,
    every file checked against the English rows it translates."""
    out = {}
    for lang in (bundle.get("country") or {}).get("languages", [SOURCE_LANGUAGE])[1:]:
        out[lang] = {
            "codebook": load(
                inputs_dir / codebook_translation_path(lang),
                codebook_expected(bundle["codebook"]),
                root,
                problems,
            ),
            "country": load(
                inputs_dir / translation_path(bundle["slug"], lang), country_expected(bundle), root, problems
            ),
        }
    return out
