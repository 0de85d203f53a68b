"""Pieces every report shares: the effect indicator's wording, narrative, claims, references."""

from __future__ import annotations

from markupsafe import Markup

from .. import i18n
from ..i18n import _
from ..layout import SOURCE_LANGUAGE, lang_dir
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
    return Section(
        "narrative",
        _("Narrative"),
        "narrative",
        data={"html": Markup(fragment["html"])},
        toc=list(fragment["toc"]),
    )


def claims_section(fragment: dict) -> Section | None:
    claims = fragment.get("claims", [])
    return Section("claims", _("Checked claims"), "claims", data={"claims": claims}) if claims else None


def references_section() -> Section:
    return Section("references", _("References"), "references")


def language_versions(filename: str, langs: list[str], settings: dict, depth: int) -> dict:
    """The page's language, the way up to results/ (``depth`` folders below it in English) and
    links to its other language versions, which sit in folders named by their codes."""
    code = i18n.current().code
    back = "" if code == SOURCE_LANGUAGE else "../"
    versions = [
        {
            "code": other,
            "name": settings["languages"][other]["name"],
            "href": f"{back}{lang_dir(other)}{filename}",
        }
        for other in langs
        if other != code
    ]
    return {"lang": code, "up": back + "../" * depth, "versions": versions}
