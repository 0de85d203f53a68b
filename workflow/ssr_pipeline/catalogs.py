"""The gettext catalogs of the report strings: extracted with Babel from the Jinja templates and
the package, kept as templates/locale/messages.pot and one messages.po per language.

``python -m ssr_pipeline catalogs`` re-extracts the strings and merges them into every
language's catalog: a new string arrives untranslated (and the build stops naming it until a
translator fills it in), a changed one is marked fuzzy, a removed one becomes obsolete.
``python -m ssr_pipeline catalogs --check`` only reports what is missing.
"""

from __future__ import annotations

import io
from pathlib import Path

from .i18n import LOCALE_DIR, SOURCE, catalog_display, catalog_path

PROJECT = LOCALE_DIR.parent.parent
SOURCES = (
    ("workflow/ssr_pipeline", "**.py", "python", {}),
    ("templates", "**.j2", "jinja2", {"trimmed": "true", "extensions": "jinja2.ext.i18n"}),
)
# `gettext`/`ngettext`: what Jinja's {% trans %} blocks compile to.
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
TEMPLATE = LOCALE_DIR / "messages.pot"


def extract(root: Path = PROJECT):
    """A Babel Catalog of every string marked for translation, with where it is used."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(
        project="ssr-pipeline",
        version="1",
        fuzzy=False,
        header_comment="# The report strings, extracted by python -m ssr_pipeline catalogs.",
    )
    for folder, pattern, method, options in SOURCES:
        found = extract_from_dir(
            root / folder,
            method_map=[(pattern, method)],
            options_map={pattern: options},
            keywords=KEYWORDS,
            strip_comment_tags=True,
        )
        for filename, lineno, message, comments, context in found:
            if message:
                catalog.add(
                    message, None, [(f"{folder}/{filename}", lineno)], auto_comments=comments, context=context
                )
    return catalog


def msgids(root: Path = PROJECT) -> set[str]:
    """Every English string, a plural entry's two forms separately."""
    out = set()
    for m in extract(root):
        if m.id:
            out.update(m.id if isinstance(m.id, tuple) else (m.id,))
    return out


def _write(catalog, path: Path) -> None:
    from babel.messages.pofile import write_po

    buf = io.BytesIO()
    # No dates and no line numbers: the catalogs change only when a string does.
    write_po(
        buf,
        catalog,
        width=100,
        omit_header=False,
        sort_output=True,
        include_lineno=False,
        ignore_obsolete=False,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    text = buf.getvalue().decode("utf-8")
    text = "\n".join(
        line
        for line in text.split("\n")
        if not line.startswith(('"POT-Creation-Date:', '"PO-Revision-Date:'))
    )
    path.write_text(text, encoding="utf-8")


def update(languages: list[str], root: Path = PROJECT) -> dict[str, list[str]]:
    """Rewrite messages.pot and merge it into each language's messages.po; return the strings
    each catalog still lacks."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    template = extract(root)
    _write(template, root / "templates" / "locale" / "messages.pot")
    missing = {}
    for code in languages:
        if code == SOURCE:
            continue
        path = catalog_path(code, root / "templates" / "locale")
        if path.exists():
            with open(path, "rb") as fh:
                catalog = read_po(fh, locale=code)
        else:
            catalog = Catalog(
                locale=code,
                project="ssr-pipeline",
                version="1",
                fuzzy=False,
                header_comment=f"# The report strings in {code}: python -m ssr_pipeline catalogs merges\n"
                "# new ones in; every msgstr must be filled before a build in this language.",
                last_translator="SSR comparative study team",
                language_team=code,
            )
        catalog.update(template, no_fuzzy_matching=True)
        _write(catalog, path)
        missing[catalog_display(path)] = sorted(
            str(m.id) for m in catalog if m.id and (not all(_forms(m.string)) or m.fuzzy)
        )
    return missing


def _forms(string) -> tuple:
    return string if isinstance(string, tuple) else (string,)


def check(languages: list[str], root: Path = PROJECT) -> dict[str, list[str]]:
    """The extracted strings each language's catalog does not translate (nothing is written)."""
    from .i18n import load_catalog

    wanted = msgids(root)
    out = {}
    for code in languages:
        if code == SOURCE:
            continue
        path = catalog_path(code, root / "templates" / "locale")
        have = load_catalog(path) if path.exists() else {}
        out[catalog_display(path)] = sorted(wanted - set(have))
    return out
