"""Reports in several languages: gettext catalogs for the words, Babel for numbers and dates.

English is the source language: its strings are the msgids and its numbers keep the formats
of ssr_pipeline.fmt. Every other language needs a catalog in which every msgid is translated
(templates/locale/<lang>/LC_MESSAGES/messages.po) and formats numbers and dates through Babel
with the locale config.yaml gives it (`languages.<code>.locale`).
"""

from __future__ import annotations

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
        super().__init__(f"no translation of \"{msgid}\" in {catalog_display(catalog)}")


def catalog_path(code: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / code / "LC_MESSAGES" / "messages.po"


def catalog_display(path: Path) -> str:
    parts = Path(path).parts
    return "/".join(parts[parts.index("templates"):]) if "templates" in parts else str(path)


@cache
def load_catalog(path: Path) -> dict[str, str]:
    """{msgid: translation} of a .po file; fuzzy and empty entries count as missing."""
    from babel.messages.pofile import read_po

    with open(path, "rb") as fh:
        catalog = read_po(fh)
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy and isinstance(m.id, str)}


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

    def usd(self, value) -> str:
        if self.code == SOURCE:
            return fmt.usd(value)
        if value is None or value == "":
            return self.gettext("n/a")
        v = float(value)
        if abs(v) >= 1e9:
            return self.gettext("US${amount} bn").format(amount=self.num(v / 1e9, 2))
        if abs(v) >= 1e6:
            return self.gettext("US${amount} m").format(amount=self.num(v / 1e6, 1))
        return self.gettext("US${amount}").format(amount=self.num(v, 0))

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
        return {**fmt.FILTERS, "num": self.num, "int": self.integer, "pct": self.pct, "pct0": self.pct0,
                "signed": self.signed, "usd": self.usd, "spell": self.spell, "date": self.date}


def language(code: str, settings: dict, locale_dir: Path = LOCALE_DIR) -> Language:
    """The Language of a code declared under `languages:` in config.yaml."""
    return Language(code, settings["languages"][code]["locale"], locale_dir)
