"""Names of the project's files and reports, declared once for the rules and the package."""

from __future__ import annotations

REPORT_KINDS = ("orthodox", "second-generation")
SYNTHESIS = "synthesis"
# Folders under inputs/ that are not countries.
RESERVED_FOLDERS = ("codebook", "synthesis", "panels")
COUNTRY_FIGURES = ("outcome", "outcome_initiatives", "governance", "rq1_scores", "rq2_timeline")


# English is the source language: its files keep the names of the output contract; every other
# language's files sit in a folder named by its code (results/reports/<slug>/es/orthodox.pdf).
SOURCE_LANGUAGE = "en"


def lang_dir(lang: str) -> str:
    """'' for English, 'es/' for Spanish: the `lang` wildcard of the rules."""
    return "" if lang == SOURCE_LANGUAGE else f"{lang}/"


def lang_of(lang_dir_value: str) -> str:
    """The language code of a `lang` wildcard value ('' -> 'en', 'es/' -> 'es')."""
    return lang_dir_value.rstrip("/") or SOURCE_LANGUAGE


def narrative_path(slug: str, report: str, lang: str = SOURCE_LANGUAGE) -> str:
    """Path of a narrative relative to the inputs folder (narrative/orthodox.es.md in Spanish)."""
    suffix = "" if lang == SOURCE_LANGUAGE else f".{lang}"
    return f"{slug}/narrative/{report}{suffix}.md"


def synthesis_narrative_path(lang: str = SOURCE_LANGUAGE) -> str:
    suffix = "" if lang == SOURCE_LANGUAGE else f".{lang}"
    return f"synthesis/narrative{suffix}.md"


def translation_path(slug: str, lang: str) -> str:
    """A country's translations into ``lang``, relative to the inputs folder."""
    return f"{slug}/translations/{lang}.yaml"


def codebook_translation_path(lang: str) -> str:
    return f"codebook/translations/{lang}.yaml"


def report_path(slug: str, report: str, lang: str, ext: str) -> str:
    """A country report relative to results/: reports/<slug>/[<lang>/]<report>.<ext>."""
    return f"reports/{slug}/{lang_dir(lang)}{report}.{ext}"


def synthesis_report_path(lang: str, ext: str) -> str:
    return f"reports/{lang_dir(lang)}{SYNTHESIS}.{ext}"
