"""Number formatting shared by templates, narratives and figure alt text."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def _round(value, decimals: int) -> Decimal:
    """Round half away from zero, as readers expect (32.5 -> 33), not to even."""
    q = Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(value))).quantize(q, rounding=ROUND_HALF_UP)


def num(value, decimals: int = 1) -> str:
    if value is None:
        return "n/a"
    return f"{_round(value, decimals):,.{decimals}f}"


def integer(value) -> str:
    if value is None:
        return "n/a"
    return f"{int(_round(value, 0)):,d}"


def pct(value, decimals: int = 1) -> str:
    if value is None:
        return "n/a"
    return f"{_round(value, decimals):,.{decimals}f}%"


def pct0(value) -> str:
    return pct(value, 0)


def signed(value, decimals: int = 1) -> str:
    if value is None:
        return "n/a"
    return f"{_round(value, decimals):+,.{decimals}f}".replace("-", "−")


def usd(value) -> str:
    if value is None or value == "":
        return "n/a"
    v = float(value)
    if abs(v) >= 1e9:
        return f"US${v / 1e9:,.2f}bn"
    if abs(v) >= 1e6:
        return f"US${v / 1e6:,.1f}m"
    return f"US${v:,.0f}"


def in_sentence(name: str) -> str:
    """A label as it reads inside a sentence: 'Homicide rate' -> 'homicide rate', 'WGI ...' kept."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]


def spell(value) -> str:
    """Small whole numbers in words ('two years'), as prose writes them; larger ones in digits."""
    n = int(value)
    return _WORDS[n] if 0 <= n < len(_WORDS) and n == value else integer(value)


def capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:]


FILTERS = {
    "num": num,
    "int": integer,
    "pct": pct,
    "pct0": pct0,
    "usd": usd,
    "signed": signed,
    "in_sentence": in_sentence,
    "capitalize_first": capitalize_first,
    "spell": spell,
}
