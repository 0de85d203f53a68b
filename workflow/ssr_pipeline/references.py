"""references.yaml files: the works a country (or the codebook, or the synthesis) cites."""

from __future__ import annotations

from pathlib import Path

from .errors import ProblemList
from .io import display_path as _rel
from .io import read_json, read_text, read_yaml, yaml_items
from .schemas import validate_mapping


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
    items = yaml_items(read_text(path, ProblemList(), display) or "")
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
                refs[rid] = {
                    **entry,
                    "year": str(entry.get("year", "")),
                    "title": entry.get("title", ""),
                    "author": entry.get("author") or ["?"],
                    "type": entry.get("type", "document"),
                    "_file": display,
                    "_line": line,
                }
    return refs


def merge_references(folder: Path, codebook: dict, root: Path, problems: ProblemList) -> dict:
    refs = dict(codebook.get("references", {}))
    for rid, entry in load_references(folder / "references.yaml", root, problems).items():
        if rid in refs:
            problems.add(
                entry["_file"],
                entry["_line"],
                "id",
                f"reference id '{rid}' is already defined in codebook/references.yaml",
            )
        else:
            refs[rid] = entry
    return refs


def synthesis_references(bundle_paths, references: Path, root: Path, problems: ProblemList) -> dict:
    """The works the synthesis may cite: every country's, then its own (no id defined twice)."""
    refs: dict = {}
    for p in bundle_paths:
        for k, v in read_json(p)["references"].items():
            refs.setdefault(k, v)
    for k, v in load_references(Path(root) / references, Path(root), problems).items():
        if k in refs:
            problems.add(v["_file"], v["_line"], "id", f"reference id '{k}' is already defined elsewhere")
        refs[k] = v
    return refs
