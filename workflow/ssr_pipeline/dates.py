"""Partial dates as researchers write them: YYYY, YYYY-MM or YYYY-MM-DD."""

from __future__ import annotations

import calendar
import re
from typing import NamedTuple

DATE_RE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


class PartialDate(NamedTuple):
    year: int
    month: int | None = None
    day: int | None = None

    def first(self) -> tuple[int, int, int]:
        """The earliest day the date can mean."""
        return self.year, self.month or 1, self.day or 1

    def last(self) -> tuple[int, int, int]:
        """The latest day the date can mean (a year ends on 31 December)."""
        month = self.month or 12
        return self.year, month, self.day or calendar.monthrange(self.year, month)[1]

    def decimal_year(self) -> float:
        """Position on a time axis: the start of the month (of the year when no month is given)."""
        return self.year + ((self.month or 1) - 1) / 12


def parse(value: str) -> PartialDate:
    m = DATE_RE.match(str(value).strip())
    if not m:
        raise ValueError(f"'{value}' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in m.groups())
    return PartialDate(year, month, day)


def spoken(value: str | None) -> str:
    """'16 January 1992', 'March 2012' or '1994' (English)."""
    if not value:
        return ""
    d = parse(value)
    if d.month is None:
        return str(d.year)
    if d.day is None:
        return f"{MONTHS[d.month - 1]} {d.year}"
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def active_years(start: str | None, end: str | None, last_year: int, min_months: int) -> list[int]:
    """Calendar years in which an initiative ran for at least ``min_months`` months.

    A year without a month counts as the whole year; a missing end means the initiative
    is still running, so it is active up to ``last_year`` (the data's latest year).
    """
    if not start:
        return []
    sy, sm, _ = parse(start).first()
    if end:
        ey, em, _ = parse(end).last()
    else:
        ey, em = max(last_year, sy), 12
    years = []
    for y in range(sy, ey + 1):
        first = sm if y == sy else 1
        last = em if y == ey else 12
        if last - first + 1 >= min_months:
            years.append(y)
    return years
