"""Effect windows: which calendar years an initiative's effect is measured over."""

from __future__ import annotations

from ..dates import active_years


def effect_window(years: list[int], max_years: int = 5, open_ended: bool = False) -> dict | None:
    """The effect window for an initiative active in ``years``.

    ``years`` are the calendar years in which the initiative was active (see
    :func:`ssr_pipeline.dates.active_years`); an open-ended initiative's list runs to the
    latest data year. The window keeps the active years that fall within ``max_years`` calendar
    years of the first one, so an open-ended or long initiative is assessed over its first
    ``max_years`` years and ``capped`` says so. Returns None when there is no active year.
    """
    if not years:
        return None
    if max_years < 1:
        raise ValueError(f"max_years must be at least 1, got {max_years}")
    start = min(years)
    limit = start + max_years - 1
    kept = sorted(y for y in set(years) if y <= limit)
    return {
        "start": start,
        "end": kept[-1],
        "years": kept,
        "capped": len(kept) < len(set(years)),
        "open_ended": bool(open_ended),
    }


def initiative_window(
    start: str | None, end: str | None, last_year: int, min_months: int = 6, max_years: int = 5
) -> dict | None:
    """Window for an inventory row (start/end as YYYY or YYYY-MM; a missing end means still running)."""
    years = active_years(start, end, last_year, min_months)
    return effect_window(years, max_years, open_ended=bool(start) and not end)


def overlapping(windows: dict[str, dict | None]) -> list[tuple[str, str]]:
    """Pairs of initiative ids whose effect windows share at least one year.

    ``windows`` maps id to window (None for initiatives without one). Pairs keep the order of
    ``windows``: (a, b) with a listed before b, pairs sorted in that order.
    """
    items = [(k, set(w["years"])) for k, w in windows.items() if w]
    return [(a, b) for i, (a, ya) in enumerate(items) for b, yb in items[i + 1 :] if ya & yb]


def overlaps_of(initiative_id: str, pairs: list[tuple[str, str]]) -> list[str]:
    """The other ids that ``initiative_id`` overlaps, in pair order."""
    return [b if a == initiative_id else a for a, b in pairs if initiative_id in (a, b)]
