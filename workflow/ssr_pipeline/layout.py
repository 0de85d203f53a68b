"""Names of the project's files and reports, declared once for the rules and the package."""

from __future__ import annotations

REPORT_KINDS = ("orthodox", "second-generation")
SYNTHESIS = "synthesis"
# Folders under inputs/ that are not countries.
RESERVED_FOLDERS = ("codebook", "synthesis", "panels")
COUNTRY_FIGURES = ("outcome", "outcome_initiatives", "governance", "rq1_scores", "rq2_timeline")


def narrative_path(slug: str, report: str) -> str:
    """Path of a narrative relative to the inputs folder."""
    return f"{slug}/narrative/{report}.md"
