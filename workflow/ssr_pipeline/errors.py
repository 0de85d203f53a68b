"""Input problems reported to researchers: file, line, column, expected, found."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Problems listed per file; the rest are counted ("... and N more problems in this file"),
# so a file of 200,000 bad rows gives a readable message instead of megabytes.
MAX_PROBLEMS_PER_FILE = 50
# A message quotes at most this many characters of a researcher's value.
MAX_QUOTED = 80
_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def printable(text: str) -> str:
    """Text safe to print on a terminal or in a log: control, format (bidi, zero-width),
    separator and private-use characters are shown as escapes such as \\x1b or \\u202e."""
    out = []
    for ch in str(text):
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"):
            code = ord(ch)
            out.append(
                f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
            )
        else:
            out.append(ch)
    return "".join(out)


def quoted(value, limit: int = MAX_QUOTED) -> str:
    """A researcher's value as a message quotes it: escaped, and shortened when long."""
    text = str(value)
    if len(text) > limit:
        text = f"{text[:limit]}... ({len(text)} characters)"
    return printable(text)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = printable(self.file)
        if self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column '{printable(self.column)}'"
        return f"{where}: {printable(self.message)}"


class InputError(Exception):
    """One or more problems in the inputs; the run must stop before rendering.

    ``more`` counts, per file, the problems left out of ``problems`` by the cap.
    """

    def __init__(self, problems: list[Problem], more: dict[str, int] | None = None):
        self.problems = list(problems)
        self.more = dict(more or {})
        super().__init__(self.report())

    def report(self) -> str:
        n = len(self.problems) + sum(self.more.values())
        head = f"{n} problem{'s' if n != 1 else ''} in the inputs:"
        last = {p.file: i for i, p in enumerate(self.problems)}
        lines = [head]
        for i, p in enumerate(self.problems):
            lines.append(f"  - {p}")
            if last[p.file] == i and self.more.get(p.file):
                lines.append(
                    f"  - {printable(p.file)}: ... and {self.more[p.file]} more problems in this file"
                )
        return "\n".join(lines)


class OutputError(Exception):
    """A result that cannot be written (a folder in the way); reported without a traceback."""

    def report(self) -> str:
        return "\n".join(printable(line) for line in str(self).split("\n"))


class ProblemList:
    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.more: dict[str, int] = {}
        self._per_file: dict[str, int] = {}

    def add(self, file, line, column, message) -> None:
        file = str(file)
        n = self._per_file.get(file, 0)
        self._per_file[file] = n + 1
        if n >= MAX_PROBLEMS_PER_FILE:
            self.more[file] = self.more.get(file, 0) + 1
            return
        self.items.append(Problem(file, line, column, message))

    def extend(self, other: ProblemList | list[Problem]) -> None:
        for p in other.items if isinstance(other, ProblemList) else other:
            self.add(p.file, p.line, p.column, p.message)
        if isinstance(other, ProblemList):
            for file, n in other.more.items():
                self.more[file] = self.more.get(file, 0) + n
                self._per_file[file] = self._per_file.get(file, 0) + n

    def count(self, file: str) -> int:
        """Problems recorded for a file, including those over the cap."""
        return self._per_file.get(str(file), 0)

    def __bool__(self) -> bool:
        return bool(self.items)

    def error(self) -> InputError:
        return InputError(self.items, self.more)

    def raise_if_any(self) -> None:
        if self.items:
            raise self.error()
