"""The import ledger: inputs/<slug>/imports.yaml and inputs/panels/imports.yaml.

One entry per imported file and import, oldest first, in the manner of Our World in Data's
snapshot metadata: what the file was (name, sha256, size, layout), who published which
release under which licence (from the codebook reference of each source key written),
what the import read and changed. The importer writes it; nobody edits it by hand.
"""

from __future__ import annotations

from pathlib import Path

import jsonschema
import yaml

from .errors import ProblemList
from .io import read_text, write_text_atomic
from .provenance import sha256
from .schemas import describe, error_field, load_schema

LEDGER = "imports.yaml"
HEADER = (
    "# Import ledger, written by the importer (`python -m ssr_pipeline import`); do not edit by hand.\n"
    "# One entry per imported file and import, oldest first. Keys: workflow/schemas/imports.schema.yaml\n"
)
# Facts about a source taken from its codebook reference, under the ledger's names.
SOURCE_FIELDS = (
    ("title", "title"),
    ("publisher", "publisher"),
    ("release", "release"),
    ("licence", "licence"),
    ("url", "url"),
    ("accessed", "accessed"),
)


def source_facts(key: str, references: dict | None) -> dict:
    """{key, title, publisher, release, licence, url, accessed} of one source key, where known."""
    ref = (references or {}).get(key) or {}
    out = {"key": key}
    for ours, theirs in SOURCE_FIELDS:
        value = ref.get(theirs)
        if value not in (None, ""):
            out[ours] = str(value)
    return out


def file_facts(path) -> dict:
    path = Path(path)
    return {"file": path.name, "sha256": sha256(path), "bytes": path.stat().st_size}


def make_entry(
    path,
    *,
    fmt: str,
    imported: str,
    mode: str,
    source_keys,
    references,
    indicators,
    rows: dict,
    note: str | None = None,
    facts: dict | None = None,
    **extra,
) -> dict:
    entry = {
        **(facts or file_facts(path)),
        "format": fmt,
        "imported": imported,
        "mode": mode,
        "sources": [source_facts(k, references) for k in sorted(set(source_keys))],
        "indicators": sorted(set(indicators)),
        "rows": dict(rows),
    }
    entry.update({k: v for k, v in extra.items() if v is not None})
    if note:
        entry["note"] = note
    return entry


def dump(entries: list[dict]) -> str:
    """The ledger's text: the header comment, then the entries with sorted keys, block style."""
    body = yaml.safe_dump(entries, sort_keys=True, allow_unicode=True, default_flow_style=False, width=4096)
    return HEADER + body


def read_ledger(path) -> list[dict]:
    path = Path(path)
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(data or [])


def append(path, entries: list[dict]) -> None:
    if not entries:
        return
    path = Path(path)
    write_text_atomic(path, dump(read_ledger(path) + list(entries)))


def create_empty(path) -> None:
    write_text_atomic(Path(path), dump([]))


def _item_lines(text: str) -> list[tuple[int, dict[str, int]]]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    if not isinstance(node, yaml.SequenceNode):
        return []
    out = []
    for item in node.value:
        keys = {}
        if isinstance(item, yaml.MappingNode):
            keys = {k.value: k.start_mark.line + 1 for k, _ in item.value}
        out.append((item.start_mark.line + 1, keys))
    return out


def check_ledger(path: Path, display: str, problems: ProblemList) -> list[dict]:
    """Check a ledger against workflow/schemas/imports.schema.yaml; a missing ledger is fine."""
    if not path.exists():
        return []
    text = read_text(path, ProblemList(), display)
    if text is None or not text.strip() or text.strip() == HEADER.strip():
        return []
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.add(display, mark.line + 1 if mark else None, None, f"malformed YAML: {exc}")
        return []
    if data is None:
        return []
    if not isinstance(data, list):
        problems.add(display, 1, None, "expected a list of import entries (items starting with '- bytes:')")
        return []
    lines = _item_lines(text)
    validator = jsonschema.Draft202012Validator(load_schema("imports")["items"])
    for i, entry in enumerate(data):
        line, keys = lines[i] if i < len(lines) else (None, {})
        for error in sorted(validator.iter_errors(entry), key=lambda e: list(map(str, e.path))):
            field = error_field(error)
            problems.add(display, keys.get(field.split(".")[0], line), field or None, describe(error))
    return data
