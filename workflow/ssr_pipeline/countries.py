"""Country names from ISO 3166 codes (pycountry), as reports print them."""

from __future__ import annotations

from functools import cache


@cache
def name(iso3: str) -> str:
    """'Honduras' for HND; the code itself when ISO 3166 does not know it."""
    import pycountry

    c = pycountry.countries.get(alpha_3=iso3)
    return (getattr(c, "common_name", None) or c.name) if c else iso3
