"""Reading researcher-edited files with line numbers, strict encoding and safe YAML.

Every input is read through ``read_text``: never through a symbolic link, never more than
a size limit, UTF-8 without byte-order mark, and free of control characters other than
tab and line breaks. YAML is then parsed by a safe loader that also refuses duplicate
keys, deep nesting, huge numbers and alias bombs, each with the file and line.

Over 300 lines: every check an input passes before parsing, and the strict YAML loader, kept
together because every reader must go through both.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
from pathlib import Path

import yaml

from .errors import OutputError, ProblemList, quoted

MAX_YAML_ALIASES = 50
# A YAML input nests at most a few levels (country.yaml: 3); far deeper is a mistake or an
# attack, and would exhaust Python's recursion limit.
MAX_YAML_DEPTH = 20
# Digits of a number in a YAML file (years, volumes, issues); Python refuses to convert
# integers of more than 4,300 digits with a traceback.
MAX_NUMBER_DIGITS = 30
# Size of one input file: CSV tables, and YAML or Markdown documents.
MAX_TABLE_BYTES = 10 * 2**20
MAX_DOCUMENT_BYTES = 2**20
# C0 and C1 control characters except tab, line feed and carriage return (the latter two
# end lines). They have no place in research text and can rewrite a terminal's output.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def display_path(path: Path, root: Path) -> str:
    """A path as messages show it: relative to the project root when inside it.

    The last component is not resolved, so a symbolic link is shown where it is, not
    where it points."""
    path = Path(path)
    try:
        return str((path.parent.resolve() / path.name).relative_to(root.resolve()))
    except ValueError:
        return str(path)


def symlinks_under(folder: Path) -> list[Path]:
    """Every symbolic link (to a file or a folder) inside a folder; links are not followed."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in sorted(dirnames + filenames):
            p = Path(dirpath) / name
            if p.is_symlink():
                found.append(p)
    return sorted(found)


def symlink_message(path: Path) -> str:
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return (
        f"is a symbolic link (to {quoted(target, 120)}); inputs are read only from real files "
        "inside the project: replace the link with the file or folder itself"
    )


def control_characters(text: str):
    """(position, message) of each control character in a text (position counts from 1)."""
    for m in CONTROL_RE.finditer(text):
        yield (
            m.start() + 1,
            (
                f"control character U+{ord(m.group()):04X} at character {m.start() + 1}; "
                "only tab and line breaks are allowed"
            ),
        )


# Long on purpose: the checks every input passes before parsing (symlinks, size, encoding, control and bidi
# characters), in the order they must run.
def read_text(
    path: Path, problems: ProblemList, display: str, max_bytes: int | None = None, controls: bool = True
) -> str | None:
    """Return the file's text, or None after recording why it cannot be read.

    ``max_bytes`` defaults to the limit of a CSV table or of a document (YAML, Markdown).
    ``controls=False`` leaves the check for control characters to the caller (CSV cells
    are checked one by one, so that the message names the column).
    """
    path = Path(path)
    if max_bytes is None:
        max_bytes = MAX_TABLE_BYTES if path.suffix == ".csv" else MAX_DOCUMENT_BYTES
    if path.is_symlink():
        problems.add(display, None, None, symlink_message(path))
        return None
    try:
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except FileNotFoundError:
        problems.add(display, None, None, "file is missing")
        return None
    except IsADirectoryError:
        problems.add(display, None, None, "is a folder, expected a file")
        return None
    if len(raw) > max_bytes:
        problems.add(
            display,
            raw[:max_bytes].count(b"\n") + 1,
            None,
            f"file is larger than {max_bytes // 2**20} MB, the limit for an input file; "
            "the limit is reached on this line",
        )
        return None
    if not raw.strip():
        problems.add(display, None, None, "file is empty")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.add(
            display,
            1,
            None,
            "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM",
        )
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.add(
            display,
            line,
            None,
            f"invalid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
        )
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if controls:
        bad = False
        for lineno, line in enumerate(text.split("\n"), start=1):
            for _, message in control_characters(line):
                problems.add(display, lineno, None, message)
                bad = True
        if bad:
            return None
    return text


def read_csv(path: Path, problems: ProblemList, display: str, header_ok=None):
    """Return (header, rows) where rows are (line number, {column: cell}) pairs.

    ``header_ok(header)`` checks the header before any row is read; when it returns False
    the rows are not read (header None), so the header's problems are not buried under
    one per row."""
    text = read_text(path, problems, display, controls=False)
    if text is None:
        return None, []
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        problems.add(display, 1, None, f"malformed CSV header: {exc}")
        return None, []
    header = [h.strip() for h in header]
    for col in header:
        for _, message in control_characters(col):
            problems.add(display, 1, None, f"in the header: {message}")
            return None, []
    if header_ok is not None and not header_ok(header):
        return None, []
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
        bad = False
        for h, c in zip(header, cells):
            for _, message in control_characters(c):
                problems.add(display, start, h, message)
                bad = True
        if bad:
            continue
        if len(cells) != len(header):
            problems.add(
                display,
                start,
                None,
                f"expected {len(header)} cells as in the header, found {len(cells)}",
            )
            continue
        rows.append((start, {h: c.strip() for h, c in zip(header, cells)}))
    return header, rows


class InputYAMLError(yaml.MarkedYAMLError):
    """A YAML document the loader refuses; ``problem`` says why, ``problem_mark`` where."""

    def __init__(self, problem: str, mark):
        super().__init__(None, None, problem, mark)


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that refuses alias bombs, duplicate keys, deep nesting and huge numbers."""

    def __init__(self, stream):
        super().__init__(stream)
        self._alias_count = 0
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._alias_count += 1
            if self._alias_count > MAX_YAML_ALIASES:
                raise InputYAMLError(
                    f"too many YAML aliases (more than {MAX_YAML_ALIASES})", self.peek_event().start_mark
                )
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise InputYAMLError(
                    f"nested more than {MAX_YAML_DEPTH} levels deep", self.peek_event().start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def compose_mapping_node(self, anchor):
        node = super().compose_mapping_node(anchor)
        seen: dict[tuple, int] = {}
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                ident = (key.tag, key.value)
                if ident in seen:
                    raise InputYAMLError(
                        f"duplicate key '{quoted(key.value)}' (first at line {seen[ident]}); "
                        "a key may appear only once",
                        key.start_mark,
                    )
                seen[ident] = key.start_mark.line + 1
        return node


def _no_dates(loader, node):
    return loader.construct_scalar(node)


def _bounded_int(loader, node):
    digits = re.sub(r"[^0-9a-fA-F]", "", node.value)
    if len(digits) > MAX_NUMBER_DIGITS:
        raise InputYAMLError(
            f"a number of {len(digits)} digits; numbers are limited to {MAX_NUMBER_DIGITS} digits",
            node.start_mark,
        )
    return yaml.SafeLoader.construct_yaml_int(loader, node)


def _finite_float(loader, node):
    if len(node.value) > MAX_NUMBER_DIGITS + 10:
        raise InputYAMLError(
            f"a number of {len(node.value)} characters; numbers are limited to {MAX_NUMBER_DIGITS} digits",
            node.start_mark,
        )
    value = yaml.SafeLoader.construct_yaml_float(loader, node)
    if not math.isfinite(value):
        raise InputYAMLError(f"expected a finite number, found '{quoted(node.value)}'", node.start_mark)
    return value


_BoundedLoader.add_constructor("tag:yaml.org,2002:timestamp", _no_dates)
_BoundedLoader.add_constructor("tag:yaml.org,2002:int", _bounded_int)
_BoundedLoader.add_constructor("tag:yaml.org,2002:float", _finite_float)


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
    except InputYAMLError as exc:
        problems.add(display, exc.problem_mark.line + 1, None, exc.problem)
    except yaml.MarkedYAMLError as exc:
        # The context mark is where the broken construct starts (an unclosed bracket),
        # which is where a researcher has to look.
        mark = exc.context_mark or exc.problem_mark
        where = (
            f" (noticed at line {exc.problem_mark.line + 1})"
            if exc.context_mark and exc.problem_mark and exc.problem_mark.line != exc.context_mark.line
            else ""
        )
        problems.add(
            display,
            mark.line + 1 if mark else None,
            None,
            f"malformed YAML: {exc.problem}{where}",
        )
    except yaml.YAMLError as exc:
        problems.add(display, None, None, f"malformed YAML: {exc}")
    except (ValueError, RecursionError) as exc:
        problems.add(display, None, None, f"cannot read this YAML: {exc}")
    return None


def write_text_atomic(path, text: str) -> None:
    """Write through a temporary file, so a killed job never leaves half a file behind.

    The temporary file is removed when writing fails."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        replace(tmp, path)
    finally:
        remove_tmp(tmp)


def copy_atomic(src, dest) -> None:
    """Copy a file through a temporary file beside the destination, then rename it."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    try:
        with open(src, "rb") as fin, open(tmp, "wb") as fout:
            while chunk := fin.read(2**20):
                fout.write(chunk)
        replace(tmp, dest)
    finally:
        remove_tmp(tmp)


def replace(tmp: Path, dest: Path) -> None:
    """Rename a finished temporary file to its final name (atomic on one file system)."""
    try:
        os.replace(tmp, dest)
    except IsADirectoryError:
        raise OutputError(f"{dest}: is a folder where this file goes; move it away and run again") from None


def remove_tmp(tmp: Path) -> None:
    """Remove a temporary file left by a failed write (a folder of that name is left alone)."""
    try:
        if tmp.is_file() or tmp.is_symlink():
            tmp.unlink()
    except FileNotFoundError:
        pass


def write_json(path, data) -> None:
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def read_json(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))
