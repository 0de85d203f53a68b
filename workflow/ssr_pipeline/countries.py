"""Country names from ISO 3166 codes (pycountry), as reports print them."""

from __future__ import annotations

from functools import cache


def name(iso3: str) -> str:
    """'Honduras' for HND, in the current language (ISO 3166's own translations); the code
    itself when ISO 3166 does not know it."""
    from .i18n import current

    return _name(iso3, current().code)


@cache
def _name(iso3: str, lang: str) -> str:
    import gettext

    import pycountry

    c = pycountry.countries.get(alpha_3=iso3)
    if c is None:
        return iso3
    english = getattr(c, "common_name", None) or c.name
    if lang == "en":
        return english
    tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
    return tr.gettext(english)
