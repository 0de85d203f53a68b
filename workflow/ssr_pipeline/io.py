"""Reading researcher-edited files with line numbers, strict encoding and safe YAML."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import yaml

from .errors import ProblemList

MAX_YAML_ALIASES = 50


def display_path(path: Path, root: Path) -> str:
    """A path as messages show it: relative to the project root when inside it."""
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def read_text(path: Path, problems: ProblemList, display: str) -> str | None:
    """Return the file's text, or None after recording why it cannot be read."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.add(display, None, None, "file is missing")
        return None
    if not raw.strip():
        problems.add(display, None, None, "file is empty")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.add(
            display, 1, None,
            "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM",
        )
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.add(
            display, line, None,
            f"invalid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
        )
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_csv(path: Path, problems: ProblemList, display: str):
    """Return (header, rows) where rows are (line number, {column: cell}) pairs."""
    text = read_text(path, problems, display)
    if text is None:
        return None, []
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        problems.add(display, 1, None, f"malformed CSV header: {exc}")
        return None, []
    header = [h.strip() for h in header]
    rows = []
    line = reader.line_num
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.add(display, start, None, f"malformed CSV (check the quotes): {exc}")
            return header, rows
        line = reader.line_num
        if not cells or all(not c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.add(
                display, start, None,
                f"expected {len(header)} cells as in the header, found {len(cells)}",
            )
            continue
        rows.append((start, {h: c.strip() for h, c in zip(header, cells)}))
    return header, rows


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that refuses documents with many aliases (billion-laughs defence)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._alias_count = getattr(self, "_alias_count", 0) + 1
            if self._alias_count > MAX_YAML_ALIASES:
                raise yaml.YAMLError("too many YAML aliases")
        return super().compose_node(parent, index)


def _no_dates(loader, node):
    return loader.construct_scalar(node)


_BoundedLoader.add_constructor("tag:yaml.org,2002:timestamp", _no_dates)


def yaml_items(text: str) -> list[tuple[int, dict[str, int]]]:
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


def yaml_key_lines(text: str) -> dict[str, int]:
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


def read_yaml(path: Path, problems: ProblemList, display: str):
    text = read_text(path, problems, display)
    if text is None:
        return None
    try:
        return yaml.load(text, Loader=_BoundedLoader)
    except yaml.MarkedYAMLError as exc:
        # The context mark is where the broken construct starts (an unclosed bracket),
        # which is where a researcher has to look.
        mark = exc.context_mark or exc.problem_mark
        where = f" (noticed at line {exc.problem_mark.line + 1})" if exc.context_mark and exc.problem_mark \
            and exc.problem_mark.line != exc.context_mark.line else ""
        problems.add(
            display, mark.line + 1 if mark else None, None,
            f"malformed YAML: {exc.problem}{where}",
        )
    except yaml.YAMLError as exc:
        problems.add(display, None, None, f"malformed YAML: {exc}")
    return None


def write_text_atomic(path, text: str) -> None:
    """Write through a temporary file, so a killed job never leaves half a file behind."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def write_json(path, data) -> None:
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def read_json(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))
