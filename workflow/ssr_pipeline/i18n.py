"""Reports in several languages: gettext catalogs for the words, Babel for numbers and dates.

English is the source language: its strings are the msgids and its numbers keep the formats
of ssr_pipeline.fmt. Every other language needs a catalog in which every msgid is translated
(templates/locale/<lang>/LC_MESSAGES/messages.po) and formats numbers and dates through Babel
with the locale config.yaml gives it (`languages.<code>.locale`).
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from functools import cache
from pathlib import Path

from . import dates, fmt

SOURCE = "en"
LOCALE_DIR = Path(__file__).resolve().parent.parent.parent / "templates" / "locale"
MINUS = "\u2212"


class MissingTranslation(LookupError):
    """A string the report needs has no translation in the language's catalog."""

    def __init__(self, msgid: str, catalog: Path):
        self.msgid, self.catalog = msgid, catalog
        super().__init__(f'no translation of "{msgid}" in {catalog_display(catalog)}')


def catalog_path(code: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / code / "LC_MESSAGES" / "messages.po"


def catalog_display(path: Path) -> str:
    parts = Path(path).parts
    return "/".join(parts[parts.index("templates") :]) if "templates" in parts else str(path)


@cache
def load_catalog(path: Path) -> dict[str, str]:
    """{msgid: translation} of a .po file; fuzzy and empty entries count as missing. A plural
    entry gives its singular and its plural form, each under its English msgid (the languages
    here, like English, have one form for 1 and another for the rest)."""
    from babel.messages.pofile import read_po

    with open(path, "rb") as fh:
        catalog = read_po(fh)
    out = {}
    for m in catalog:
        if not m.id or m.fuzzy:
            continue
        ids, strings = (m.id, m.string) if isinstance(m.id, tuple) else ((m.id,), (m.string,))
        for msgid, text in zip(ids, (strings[0], strings[-1]) if len(ids) == 2 else strings):
            if text:
                out[msgid] = text
    return out


def _round(value, decimals: int) -> Decimal:
    return fmt._round(value, decimals)


class Language:
    """One report language: its words (gettext) and its formats (Babel)."""

    def __init__(self, code: str, locale: str, locale_dir: Path = LOCALE_DIR):
        self.code, self.locale = code, locale
        self.catalog = catalog_path(code, locale_dir)
        self.messages = {} if code == SOURCE else load_catalog(self.catalog)

    def gettext(self, msgid: str) -> str:
        if self.code == SOURCE:
            return msgid
        text = self.messages.get(msgid)
        if not text:
            raise MissingTranslation(msgid, self.catalog)
        return text

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)

    # Numbers: English keeps fmt's formats (and so its bytes); other languages go through Babel,
    # after rounding half away from zero as readers expect.
    def _decimal(self, value, decimals: int) -> str:
        from babel.numbers import format_decimal

        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(_round(value, decimals), format=pattern, locale=self.locale)

    def num(self, value, decimals: int = 1) -> str:
        if self.code == SOURCE or value is None:
            return fmt.num(value, decimals) if value is not None else self.gettext("n/a")
        return self._decimal(value, decimals).replace("-", MINUS)

    def integer(self, value) -> str:
        return self.num(value, 0) if self.code != SOURCE else fmt.integer(value)

    def score(self, value) -> str:
        """A coded score as the codebook writes it: '3', '2.5' ('2,5' where the language wants)."""
        if self.code == SOURCE:
            return str(value)
        if value is None:
            return self.gettext("n/a")
        digits = str(value).partition(".")[2]
        return self.num(value, 0 if float(value).is_integer() else min(len(digits), 3))

    def pct(self, value, decimals: int = 1) -> str:
        if self.code == SOURCE:
            return fmt.pct(value, decimals)
        if value is None:
            return self.gettext("n/a")
        from babel import Locale

        pattern = Locale.parse(self.locale).percent_formats[None].pattern
        return pattern.replace("#,##0", self.num(value, decimals)).replace("-", MINUS)

    def pct0(self, value) -> str:
        return self.pct(value, 0)

    def signed(self, value, decimals: int = 1) -> str:
        if self.code == SOURCE:
            return fmt.signed(value, decimals)
        if value is None:
            return self.gettext("n/a")
        text = self.num(abs(value), decimals)
        return ("+" if _round(value, decimals) >= 0 else MINUS) + text

    def signed_pct(self, value, decimals: int = 1) -> str:
        """'+12%' / '−31 %': a signed percentage in the language's percent format."""
        if value is None:
            return self.gettext("n/a")
        return ("+" if _round(value, decimals) >= 0 else MINUS) + self.pct(abs(value), decimals)

    def usd(self, value) -> str:
        if self.code == SOURCE:
            return fmt.usd(value)
        if value is None or value == "":
            return self.gettext("n/a")
        v = float(value)
        if abs(v) >= 1e9:
            return self.gettext("US${amount} bn").format(amount=self._short(v / 1e9, 2))
        if abs(v) >= 1e6:
            return self.gettext("US${amount} m").format(amount=self._short(v / 1e6, 1))
        return self.gettext("US${amount}").format(amount=self.num(v, 0))

    def _short(self, value: float, decimals: int) -> str:
        """At most ``decimals`` places, without trailing zeros: '642', '2,1', '1,25'."""
        target = _round(value, decimals)
        places = next(d for d in range(decimals + 1) if _round(value, d) == target)
        return self.num(value, places)

    def spell(self, value) -> str:
        """Small whole numbers in words; the words are catalog entries like any other."""
        word = fmt.spell(value)
        return self.gettext(word) if word.isalpha() else self.integer(value)

    def date(self, value: str | None) -> str:
        """'16 January 1992' / '16 de enero de 1992', 'March 2012' / 'marzo de 2012', '1994'."""
        if not value or self.code == SOURCE:
            return dates.spoken(value)
        import datetime

        from babel.dates import format_date, format_skeleton

        d = dates.parse(value)
        if d.month is None:
            return str(d.year)
        if d.day is None:
            return format_skeleton("yMMMM", datetime.date(d.year, d.month, 1), locale=self.locale)
        return format_date(datetime.date(d.year, d.month, d.day), "long", locale=self.locale)

    def filters(self) -> dict:
        """Jinja filters for templates and narratives in this language."""
        return {
            **fmt.FILTERS,
            "num": self.num,
            "int": self.integer,
            "pct": self.pct,
            "pct0": self.pct0,
            "signed": self.signed,
            "signed_pct": self.signed_pct,
            "usd": self.usd,
            "spell": self.spell,
            "date": self.date,
            "score": self.score,
        }


def language(code: str, settings: dict, locale_dir: Path = LOCALE_DIR) -> Language:
    """The Language of a code declared under `languages:` in config.yaml. English, the source,
    keeps the formats of ssr_pipeline.fmt whatever locale it is given."""
    if code == SOURCE:
        return _ENGLISH
    return Language(code, settings["languages"][code]["locale"], locale_dir)


_CURRENT: ContextVar[Language | None] = ContextVar("ssr_language", default=None)
_ENGLISH = Language(SOURCE, SOURCE)


def current() -> Language:
    """The language the running job writes in (English unless set with ``speaking``)."""
    return _CURRENT.get() or _ENGLISH


@contextmanager
def speaking(lang: Language):
    """Write in ``lang`` within the block: every ``_()`` and formatter below follows it."""
    token = _CURRENT.set(lang)
    try:
        yield lang
    finally:
        _CURRENT.reset(token)


def _(msgid: str) -> str:
    """The current language's translation of an English string (extracted by Babel)."""
    return current().gettext(msgid)


def N_(msgid: str) -> str:
    """Marks a string for extraction where it is stored; it is translated with ``_`` where used."""
    return msgid


# The words the formatters above look up (Language.usd, .spell, the missing value), marked
# here so that the catalogs have them.
FORMAT_STRINGS = (
    N_("n/a"),
    N_("US${amount} bn"),
    N_("US${amount} m"),
    N_("US${amount}"),
    N_("zero"),
    N_("one"),
    N_("two"),
    N_("three"),
    N_("four"),
    N_("five"),
    N_("six"),
    N_("seven"),
    N_("eight"),
    N_("nine"),
    N_("ten"),
    N_("eleven"),
    N_("twelve"),
)


# Reader-facing formats in the current language, for figures, alt texts and the report model.
def num(value, decimals: int = 1) -> str:
    return current().num(value, decimals)


def integer(value) -> str:
    return current().integer(value)


def score(value) -> str:
    return current().score(value)


def pct(value, decimals: int = 1) -> str:
    return current().pct(value, decimals)


def pct0(value) -> str:
    return current().pct0(value)


def signed(value, decimals: int = 1) -> str:
    return current().signed(value, decimals)


def signed_pct(value, decimals: int = 1) -> str:
    return current().signed_pct(value, decimals)


def usd(value) -> str:
    return current().usd(value)


def spell(value) -> str:
    return current().spell(value)


def date(value: str | None) -> str:
    return current().date(value)


# Jinja filters that follow the current language (the report templates' environment).
FILTERS = {
    "num": num,
    "int": integer,
    "pct": pct,
    "pct0": pct0,
    "signed": signed,
    "signed_pct": signed_pct,
    "usd": usd,
    "spell": spell,
    "date": date,
    "score": score,
}
