"""Languages: numbers and dates per locale against hand-written expectations, catalogs that
refuse a missing translation, and translation files checked key by key."""

import re
from pathlib import Path

import pytest
from ssr_pipeline.errors import ProblemList
from ssr_pipeline.i18n import Language, MissingTranslation
from ssr_pipeline.translations import load

NBSP = "\u00a0"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def locale_dir(tmp_path):
    for code, entries in {
        "es": {"n/a": "n. d.", "two": "dos", "US${amount} m": "{amount} millones de US$"},
        "pt": {"n/a": "n.d.", "two": "dois"},
    }.items():
        d = tmp_path / code / "LC_MESSAGES"
        d.mkdir(parents=True)
        body = "".join(f'msgid "{k}"\nmsgstr "{v}"\n\n' for k, v in entries.items())
        (d / "messages.po").write_text(
            'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + body, encoding="utf-8"
        )
    return tmp_path


def test_spanish_numbers_percentages_and_dates(locale_dir):
    es = Language("es", "es", locale_dir)
    assert es.num(39.4, 1) == "39,4"
    assert es.num(71234.5, 1) == "71.234,5"
    assert es.pct(39.36, 1) == f"39,4{NBSP}%"  # "39,4 %" with a no-break space
    assert es.pct0(-31.57) == f"\u221232{NBSP}%"
    assert es.signed(-3.25, 1) == "\u22123,3"  # half away from zero, true minus sign
    assert es.signed(2.0, 0) == "+2"
    assert es.date("1992-01-16") == "16 de enero de 1992"
    assert es.date("2012-03") == "marzo de 2012"
    assert es.date("1994") == "1994"
    assert es.spell(2) == "dos" and es.spell(14) == "14"
    assert es.usd(24_800_000) == "24,8 millones de US$"
    assert es.num(None) == "n. d."


def test_portuguese_of_portugal_and_timor_leste(locale_dir):
    pt = Language("pt", "pt_PT", locale_dir)
    assert pt.num(71234.5, 1) == f"71{NBSP}234,5"
    assert pt.pct(39.36, 1) == "39,4%"
    assert pt.date("1999-08-30") == "30 de agosto de 1999"
    assert pt.date("2006-04") == "abril de 2006"
    assert pt.spell(2) == "dois"


def test_english_keeps_its_formats():
    en = Language("en", "en")
    assert (
        en.num(1234.56, 1),
        en.pct(39.36, 1),
        en.signed(-3.25, 1),
        en.date("1992-01-16"),
        en.usd(24.8e6),
    ) == ("1,234.6", "39.4%", "\u22123.3", "16 January 1992", "US$24.8m")
    assert en.gettext("anything") == "anything"


def test_a_missing_translation_names_the_string_and_the_catalog(locale_dir):
    es = Language("es", "es", locale_dir)
    with pytest.raises(MissingTranslation) as exc:
        es.gettext("Key figures")
    assert "Key figures" in str(exc.value) and str(locale_dir / "es/LC_MESSAGES/messages.po") in str(
        exc.value
    )


def test_translation_files_are_checked_key_by_key(tmp_path):
    path = tmp_path / "es.yaml"
    path.write_text(
        "events:\n  accord: {label: Acuerdo}\n  ghost: {label: Fantasma}\n"
        "initiatives:\n  truce:\n    name: Tregua\n",
        encoding="utf-8",
    )
    expected = {
        "events": {"accord": {"label": "Accord", "description": "Signed."}},
        "initiatives": {"truce": {"name": "Truce", "outcome": "Fell."}},
    }
    problems = ProblemList()
    load(path, expected, tmp_path, problems)
    found = [str(p) for p in problems.items]
    assert "es.yaml, line 2, column 'events.accord.description': missing translation" in found
    assert "es.yaml, line 3, column 'events.ghost': unknown id: no such row in the English file" in found
    assert "es.yaml, line 5, column 'initiatives.truce.outcome': missing translation" in found
    assert len(found) == 3


# The project's own catalogs: every string the templates and the package mark is translated,
# with its placeholders intact.
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")


def project_languages() -> list[str]:
    import yaml

    config = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    return [code for code in config["languages"] if code != "en"]


@pytest.fixture(scope="module")
def extracted():
    from ssr_pipeline import catalogs

    """(msgid, locations) of every extracted string, a plural entry's two forms separately."""
    out = []
    for m in catalogs.extract(ROOT):
        for msgid in m.id if isinstance(m.id, tuple) else (m.id,):
            if msgid:
                out.append((msgid, [loc for loc, _ in m.locations]))
    return out


def test_the_project_declares_spanish_and_portuguese():
    assert {"es", "pt"} <= set(project_languages())


@pytest.mark.parametrize("code", ["es", "pt"])
def test_every_msgid_is_translated_in_every_catalog(code, extracted):
    from ssr_pipeline.i18n import catalog_path, load_catalog

    translated = load_catalog(catalog_path(code, ROOT / "templates" / "locale"))
    missing = sorted(msgid for msgid, _ in extracted if msgid not in translated)
    assert missing == [], f"{len(missing)} strings untranslated in {code}: {missing[:10]}"
    for msgid, locations in extracted:
        text = translated[msgid]
        assert sorted(set(PLACEHOLDER.findall(text))) == sorted(set(PLACEHOLDER.findall(msgid))), (
            msgid,
            text,
        )
        if any(loc.startswith("templates/") for loc in locations):
            # Jinja's gettext %-formats every template string: a lone % would break the page.
            assert "%" not in re.sub(r"%\(\w+\)s|%%", "", text), (msgid, text)


def test_template_strings_have_no_lone_percent_sign(extracted):
    for msgid, locations in extracted:
        if any(loc.startswith("templates/") for loc in locations):
            assert "%" not in re.sub(r"%\(\w+\)s|%%", "", msgid), msgid


def test_the_catalog_template_is_current(extracted):
    """messages.pot holds exactly what the sources mark (python -m ssr_pipeline catalogs)."""
    from babel.messages.pofile import read_po

    with open(ROOT / "templates/locale/messages.pot", "rb") as fh:
        pot = {msgid for m in read_po(fh) if m.id for msgid in (m.id if isinstance(m.id, tuple) else (m.id,))}
    assert pot == {msgid for msgid, _ in extracted}


def test_every_coded_value_shown_to_readers_has_a_label():
    from ssr_pipeline.labels import LABELS
    from ssr_pipeline.schemas import load_schema

    for (schema, field), labels in LABELS.items():
        if schema == "orthodox":
            continue  # design/practice are column names, not an enum
        assert set(load_schema(schema)["properties"][field]["enum"]) == set(labels), (schema, field)


def test_a_spanish_sentence_from_the_catalog_keeps_its_numbers_formatted():
    from ssr_pipeline import i18n

    es = i18n.Language("es", "es")
    with i18n.speaking(es):
        assert i18n.pct(39.36, 1) == f"39,4{NBSP}%"
        assert i18n.date("1992-01-16") == "16 de enero de 1992"
        assert i18n._("Key figures") != "Key figures"


def test_language_links_between_versions():
    from ssr_pipeline import i18n
    from ssr_pipeline.report.parts import language_versions

    settings = {
        "languages": {"en": {"name": "English"}, "es": {"name": "Español"}, "pt": {"name": "Português"}}
    }
    en = language_versions("orthodox.html", ["en", "es", "pt"], settings, depth=2)
    assert en["up"] == "../../" and [v["href"] for v in en["versions"]] == [
        "es/orthodox.html",
        "pt/orthodox.html",
    ]
    with i18n.speaking(i18n.Language("es", "es")):
        es = language_versions("orthodox.html", ["en", "es", "pt"], settings, depth=2)
    assert es["lang"] == "es" and es["up"] == "../../../"
    assert [(v["code"], v["href"]) for v in es["versions"]] == [
        ("en", "../orthodox.html"),
        ("pt", "../pt/orthodox.html"),
    ]


def test_the_spelled_numbers_are_all_in_the_catalogs():
    from ssr_pipeline import fmt, i18n

    assert set(fmt._WORDS) <= set(i18n.FORMAT_STRINGS)
