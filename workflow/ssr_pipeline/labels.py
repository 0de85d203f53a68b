"""Reader-facing words for the coded values of the inputs (an initiative's level, status...).

The schemas declare the values; this table gives each its English wording, which the
catalogs translate. tests/test_i18n.py checks that every value a schema allows has one.
"""

from __future__ import annotations

from .i18n import N_, _

LABELS: dict[tuple[str, str], dict[str, str]] = {
    ("initiatives", "level"): {
        "local": N_("local"),
        "municipal": N_("municipal"),
        "national": N_("national"),
        "regional": N_("regional"),
    },
    ("initiatives", "actor_type"): {
        "donor": N_("donor"),
        "state": N_("state"),
        "non-state": N_("non-state"),
        "mixed": N_("mixed"),
    },
    ("initiatives", "status"): {
        "planned": N_("planned"),
        "active": N_("active"),
        "completed": N_("completed"),
        "suspended": N_("suspended"),
        "collapsed": N_("collapsed"),
        "not-adopted": N_("not adopted"),
    },
    ("initiatives", "used"): {"yes": N_("yes"), "partial": N_("partial"), "no": N_("no")},
    ("orthodox", "kind"): {"design": N_("design"), "practice": N_("practice")},
}


def label(schema: str, field: str, value) -> str:
    """The wording of a coded value in the current language (the value itself if it has none)."""
    words = LABELS[(schema, field)].get(value)
    return _(words) if words else ("" if value is None else str(value))
