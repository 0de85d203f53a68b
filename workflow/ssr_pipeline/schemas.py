"""JSON Schemas (kept as YAML in workflow/schemas/) applied to YAML files and CSV rows."""

from __future__ import annotations

import math
import re
from functools import cache
from pathlib import Path

import jsonschema
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .errors import quoted

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


@cache
def load_schema(name: str) -> dict:
    # The project's own files, read at every workflow start: libyaml's parser when it is there.
    with open(SCHEMA_DIR / f"{name}.schema.yaml", encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def _registry() -> Registry:
    """Every schema file under its file name, so that `$ref: "definitions.schema.yaml#/..."` resolves."""
    return Registry().with_resources(
        (
            p.name,
            Resource.from_contents(
                load_schema(p.name.removesuffix(".schema.yaml")), default_specification=DRAFT202012
            ),
        )
        for p in sorted(SCHEMA_DIR.glob("*.schema.yaml"))
    )


# Characters that make text display differently from what is stored: bidirectional
# embeddings, overrides and isolates, and zero-width characters.
HIDDEN_CHARS = {
    **{
        chr(c): n
        for c, n in zip(
            range(0x202A, 0x202F),
            (
                "LEFT-TO-RIGHT EMBEDDING",
                "RIGHT-TO-LEFT EMBEDDING",
                "POP DIRECTIONAL FORMATTING",
                "LEFT-TO-RIGHT OVERRIDE",
                "RIGHT-TO-LEFT OVERRIDE",
            ),
        )
    },
    **{
        chr(c): n
        for c, n in zip(
            range(0x2066, 0x206A),
            (
                "LEFT-TO-RIGHT ISOLATE",
                "RIGHT-TO-LEFT ISOLATE",
                "FIRST STRONG ISOLATE",
                "POP DIRECTIONAL ISOLATE",
            ),
        )
    },
    "\u200b": "ZERO WIDTH SPACE",
    "\u200c": "ZERO WIDTH NON-JOINER",
    "\u200d": "ZERO WIDTH JOINER",
    "\u2060": "WORD JOINER",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
    "\u200e": "LEFT-TO-RIGHT MARK",
    "\u200f": "RIGHT-TO-LEFT MARK",
    "\u061c": "ARABIC LETTER MARK",
}


# Where a line may break inside a name: spaces, and after a slash or a hyphen.
WORD_BREAKS = re.compile(r"[\s/\-\u2010-\u2014]+")


def _plain_name(validator, value, instance, schema):
    """`x-plain-name: N`: a name without hidden characters and no word longer than N
    characters (a longer one cannot wrap, and widens every table it appears in)."""
    if not value or not isinstance(instance, str):
        return
    for i, ch in enumerate(instance):
        if ch in HIDDEN_CHARS:
            yield jsonschema.ValidationError(
                f"contains U+{ord(ch):04X} {HIDDEN_CHARS[ch]} at character {i + 1}, which makes a name "
                "display differently from what is stored; remove it"
            )
            return
    longest = max(WORD_BREAKS.split(instance), key=len, default="")
    if len(longest) > value:
        yield jsonschema.ValidationError(
            f"has a word of {len(longest)} characters ('{quoted(longest, 30)}'); words here are limited "
            f"to {value} characters, since a longer one cannot wrap in a table"
        )


_Validator = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"x-plain-name": _plain_name})


@cache
def validator(name: str) -> jsonschema.Draft202012Validator:
    return _Validator(load_schema(name), registry=_registry())


def resolve(prop: dict) -> dict:
    """A property's schema with a `$ref` to the shared definitions followed."""
    ref = prop.get("$ref")
    if not ref:
        return prop
    return _registry().resolver().lookup(ref).contents


def columns(name: str) -> list[str]:
    """The columns of a CSV file described by a row schema, in order."""
    return list(load_schema(name)["properties"])


# A country slug, as the shared definitions declare it.
SLUG_RE = re.compile(load_schema("definitions")["$defs"]["slug"]["pattern"])


def _types(prop: dict) -> list[str]:
    t = prop.get("type")
    if t is None:
        return ["string"]
    return t if isinstance(t, list) else [t]


def coerce_cell(raw: str, prop: dict):
    """Turn a CSV cell into the schema's type; return (value, error message or None)."""
    types = _types(prop)
    if ("integer" in types or "number" in types) and len(raw) > 40:
        return raw, f"expected a number, found {len(raw)} characters ('{quoted(raw, 20)}')"
    if "integer" in types:
        try:
            if raw.strip().lstrip("+-").isdigit():
                return int(raw), None
        except ValueError:
            pass
        return raw, f"expected a whole number, found '{quoted(raw)}'"
    if "number" in types:
        try:
            value = float(raw.replace(",", "")) if _plain_number(raw) else None
        except ValueError:
            value = None
        if value is None or math.isnan(value) or math.isinf(value):
            return raw, f"expected a number, found '{quoted(raw)}'"
        return value, None
    return raw, None


def _plain_number(raw: str) -> bool:
    s = raw.strip()
    if not s:
        return False
    allowed = set("0123456789+-.eE")
    return all(ch in allowed for ch in s)


def describe(error: jsonschema.ValidationError) -> str:
    validator = error.validator
    if validator == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return f"expected one of {allowed}; found '{quoted(error.instance)}'"
    if validator == "pattern":
        hint = error.schema.get("x-expected")
        if hint:
            return f"expected {hint}, found '{quoted(error.instance)}'"
        return f"'{quoted(error.instance)}' does not have the expected form ({error.validator_value})"
    if validator == "minimum":
        return f"expected at least {error.validator_value}, found {error.instance}"
    if validator == "maximum":
        return f"expected at most {error.validator_value:,}, found {error.instance:g}"
    if validator == "minLength":
        return "expected a value, found an empty cell"
    if validator == "maxLength":
        return f"longer than {error.validator_value} characters ({len(error.instance)})"
    if validator == "type":
        return f"expected {error.validator_value}, found {type(error.instance).__name__} '{quoted(error.instance)}'"
    if validator == "required":
        return error.message
    if validator == "additionalProperties":
        return error.message
    return error.message


def error_field(error: jsonschema.ValidationError) -> str:
    """Dotted path of the offending key, including the key a 'required' or
    'additionalProperties' error is about."""
    parts = [str(p) for p in error.path]
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [k for k in error.validator_value if k not in error.instance]
        parts += missing[:1]
    elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(k for k in error.instance if k not in allowed)
        parts += extra[:1]
    return ".".join(parts)


def validate_mapping(data, schema_name: str):
    """Yield (dotted path, message) for every schema violation in a YAML document."""
    for error in sorted(validator(schema_name).iter_errors(data), key=lambda e: list(map(str, e.path))):
        path = error_field(error)
        msg = describe(error)
        if error.validator == "required":
            msg = "required key is missing"
        elif error.validator == "additionalProperties":
            msg = f"unknown key; allowed keys: {', '.join(error.schema.get('properties', {}))}"
        yield path, msg


def check_header(header, schema_name: str, display: str, problems) -> bool:
    """Check a CSV header against a row schema: required columns present, no unknown or
    repeated column. Returns whether the rows can be read."""
    schema = load_schema(schema_name)
    props = schema["properties"]
    required = schema.get("required", [])
    missing = [c for c in required if c not in header]
    extra = [c for c in header if c not in props]
    for col in missing:
        problems.add(display, 1, col, "required column is missing from the header")
    for col in extra:
        problems.add(
            display,
            1,
            col,
            f"unknown column; expected only: {', '.join(props)}",
        )
    dupes = {c for c in header if header.count(c) > 1}
    for col in sorted(dupes):
        problems.add(display, 1, col, "column appears twice in the header")
    return not (missing or extra or dupes)


def validate_rows(header, rows, schema_name: str, display: str, problems):
    """Check CSV header and rows against a row schema; return typed rows (line, dict)."""
    schema = load_schema(schema_name)
    props = schema["properties"]
    required = schema.get("required", [])
    if header is None or not check_header(header, schema_name, display, problems):
        return []
    typed_rows = []
    for line, cells in rows:
        record = {}
        ok = True
        for col, raw in cells.items():
            if raw == "":
                if col in required:
                    problems.add(display, line, col, "required cell is empty")
                    ok = False
                continue
            value, err = coerce_cell(raw, resolve(props[col]))
            if err:
                problems.add(display, line, col, err)
                ok = False
                continue
            record[col] = value
        if not ok:
            continue
        for error in validator(schema_name).iter_errors(record):
            col = error.path[0] if error.path else None
            if error.validator == "required":
                continue
            problems.add(display, line, col, describe(error))
            ok = False
        if ok:
            for col in props:
                record.setdefault(col, None)
            typed_rows.append((line, record))
    return typed_rows
