"""Languages: numbers and dates per locale against hand-written expectations, catalogs that
refuse a missing translation, and translation files checked key by key."""

from pathlib import Path

import pytest
from ssr_pipeline.errors import ProblemList
from ssr_pipeline.i18n import Language, MissingTranslation
from ssr_pipeline.translations import load

NBSP = "\u00a0"


@pytest.fixture
def locale_dir(tmp_path):
    for code, entries in {"es": {"n/a": "n. d.", "two": "dos", "US${amount} m": "{amount} millones de US$"},
                          "pt": {"n/a": "n.d.", "two": "dois"}}.items():
        d = tmp_path / code / "LC_MESSAGES"
        d.mkdir(parents=True)
        body = "".join(f'msgid "{k}"\nmsgstr "{v}"\n\n' for k, v in entries.items())
        (d / "messages.po").write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + body,
                                       encoding="utf-8")
    return tmp_path


def test_spanish_numbers_percentages_and_dates(locale_dir):
    es = Language("es", "es", locale_dir)
    assert es.num(39.4, 1) == "39,4"
    assert es.num(71234.5, 1) == "71.234,5"
    assert es.pct(39.36, 1) == f"39,4{NBSP}%"      # "39,4 %" with a no-break space
    assert es.pct0(-31.57) == f"\u221232{NBSP}%"
    assert es.signed(-3.25, 1) == "\u22123,3"          # half away from zero, true minus sign
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
    assert (en.num(1234.56, 1), en.pct(39.36, 1), en.signed(-3.25, 1), en.date("1992-01-16"), en.usd(24.8e6)) == \
        ("1,234.6", "39.4%", "\u22123.3", "16 January 1992", "US$24.8m")
    assert en.gettext("anything") == "anything"


def test_a_missing_translation_names_the_string_and_the_catalog(locale_dir):
    es = Language("es", "es", locale_dir)
    with pytest.raises(MissingTranslation) as exc:
        es.gettext("Key figures")
    assert "Key figures" in str(exc.value) and str(locale_dir / "es/LC_MESSAGES/messages.po") in str(exc.value)


def test_translation_files_are_checked_key_by_key(tmp_path):
    path = tmp_path / "es.yaml"
    path.write_text("events:\n  accord: {label: Acuerdo}\n  ghost: {label: Fantasma}\n"
                    "initiatives:\n  truce:\n    name: Tregua\n", encoding="utf-8")
    expected = {"events": {"accord": {"label": "Accord", "description": "Signed."}},
                "initiatives": {"truce": {"name": "Truce", "outcome": "Fell."}}}
    problems = ProblemList()
    load(path, expected, tmp_path, problems)
    found = [str(p) for p in problems.items]
    assert "es.yaml, line 2, column 'events.accord.description': missing translation" in found
    assert "es.yaml, line 3, column 'events.ghost': unknown id: no such row in the English file" in found
    assert "es.yaml, line 5, column 'initiatives.truce.outcome': missing translation" in found
    assert len(found) == 3
