"""Pieces every report shares: the effect indicator's wording, narrative, claims, references."""

from __future__ import annotations

from markupsafe import Markup

from .model import Section


def effect_labels(ind_or_series: dict, settings: dict, codebook_indicators: list | None = None) -> dict:
    """Name, unit and sources of the effect indicator, from the codebook (via the indicators).

    ``ind_or_series`` is a country's indicators (``series`` inside) or a {code: series}
    mapping; ``codebook_indicators`` names a series no country has.
    """
    code = settings["effect"]["indicator"]
    series = ind_or_series.get("series", ind_or_series)
    meta = series.get(code) or next((r for r in codebook_indicators or [] if r["code"] == code), {})
    return {
        "code": code,
        "name": meta.get("name", code),
        "short_name": meta.get("short_name", code),
        "unit": meta.get("unit", ""),
        "sources": list(series[code]["sources"]) if code in series else [],
        "comparators": [c for c, s in series.items() if s.get("comparator_of") == code],
        "present": code in series,
    }


def narrative_section(fragment: dict) -> Section:
    return Section("narrative", "Narrative", "narrative", data={"html": Markup(fragment["html"])},
                   toc=list(fragment["toc"]))


def claims_section(fragment: dict) -> Section | None:
    claims = fragment.get("claims", [])
    return Section("claims", "Checked claims", "claims", data={"claims": claims}) if claims else None


def references_section() -> Section:
    return Section("references", "References", "references")
