"""config.yaml checked at start-up: each problem names config.yaml (or the input) and its line."""

import shutil
from pathlib import Path

import pytest
import yaml
from ssr_pipeline import settings
from ssr_pipeline.errors import InputError
from ssr_pipeline.inputs import codebook_codes

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path):
    shutil.copytree(ROOT / "inputs", tmp_path / "inputs")
    shutil.copytree(ROOT / "templates" / "locale", tmp_path / "templates" / "locale")
    shutil.copy2(ROOT / "config.yaml", tmp_path / "config.yaml")
    return tmp_path


def check(root: Path) -> str:
    """The report of problems found at start-up, as Snakemake and the command line see it."""
    try:
        config = yaml.safe_load((root / "config.yaml").read_text(encoding="utf-8"))
        resolved = settings.resolve(config, root)
        settings.check_codebook_references(resolved, codebook_codes(root / resolved["inputs_dir"]), root)
    except InputError as exc:
        return exc.report()
    return ""


def edit(root: Path, old: str, new: str) -> int:
    path = root / "config.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return next(n for n, line in enumerate(text.split("\n"), 1) if old.split("\n")[0] in line)


def test_shipped_config_is_valid(project):
    assert check(project) == ""


@pytest.mark.parametrize("slug", ["codebook", "synthesis", "panels"])
def test_reserved_folders_are_not_countries(project, slug):
    line = edit(project, "  - timor-leste", f"  - timor-leste\n  - {slug}") + 1
    assert f"config.yaml, line {line}, column 'countries': '{slug}' is a reserved folder name" in check(
        project
    )


@pytest.mark.parametrize(
    "key, old, new",
    [
        ("effect.indicator", "indicator: homicide_rate", "indicator: homicide_rat"),
        (
            "figures.governance_indicators",
            "governance_indicators: [wgi_rl,",
            "governance_indicators: [wgi_rlx,",
        ),
        ("comparative.outcome_indicators", "outcome_indicators: [wgi_rl,", "outcome_indicators: [wgi_rlx,"),
    ],
)
def test_indicator_codes_named_in_config_must_be_in_the_codebook(project, key, old, new):
    line = edit(project, old, new)
    code = new.split(": ")[1].strip("[,")
    assert (
        f"config.yaml, line {line}, column '{key}': '{code}' is not an indicator code "
        "of codebook/indicators.csv"
    ) in check(project)


def test_duplicate_key_in_config_names_both_lines(project):
    first = edit(project, "changes:\n", "changes:\n")
    text = (project / "config.yaml").read_text(encoding="utf-8")
    (project / "config.yaml").write_text(text + "changes:\n  threshold_pct: 5\n", encoding="utf-8")
    last = text.count("\n") + 1
    assert f"config.yaml, line {last}: duplicate key 'changes' (first at line {first})" in check(project)


def test_years_must_be_in_order(project):
    edit(project, "  first: 1900", "  first: 2000")
    line = edit(project, "  last: 2100", "  last: 1999")
    assert (
        f"config.yaml, line {line}, column 'years.last': the last year (1999) is before the first (2000)"
        in check(project)
    )


@pytest.mark.parametrize("value", ["/etc", "../inputs", "inputs/../.."])
def test_inputs_dir_must_be_inside_the_project(project, value):
    line = edit(project, "inputs_dir: inputs", f"inputs_dir: {value}")
    assert (
        f"config.yaml, line {line}, column 'inputs_dir': '{value}' is not a folder inside the project"
        in check(project)
    )


def test_inputs_dir_must_not_be_a_link(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (project / "inputs").rename(elsewhere / "inputs")
    (project / "inputs").symlink_to(elsewhere / "inputs")
    assert "column 'inputs_dir': inputs is a symbolic link" in check(project)


def test_no_symbolic_links_anywhere_under_the_inputs(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "references.yaml").write_text("- id: x\n", encoding="utf-8")
    refs = project / "inputs/el-salvador/references.yaml"
    refs.unlink()
    refs.symlink_to(outside / "references.yaml")
    shutil.move(project / "inputs/timor-leste", outside / "timor-leste")
    (project / "inputs/timor-leste").symlink_to(outside / "timor-leste")
    report = check(project)
    assert (
        f"  - inputs/el-salvador/references.yaml: is a symbolic link (to {outside}/references.yaml)" in report
    )
    assert f"  - inputs/timor-leste: is a symbolic link (to {outside}/timor-leste)" in report
    assert (
        "column 'countries': country 'timor-leste': its input folder inputs/timor-leste is a symbolic link"
        in report
    )


def test_a_language_needs_a_known_locale_its_catalog_and_the_study_words(project):
    line = edit(project, "locale: es\n", "locale: xx_YY\n")
    (project / "templates/locale/pt/LC_MESSAGES/messages.po").unlink()
    edit(project, "    organisation: Estudo comparado de RSS\n", "")
    out = check(project)
    assert (
        f"config.yaml, line {line}, column 'languages.es.locale': 'xx_YY' is not a locale Babel knows" in out
    )
    assert (
        "column 'languages.pt': no catalog templates/locale/pt/LC_MESSAGES/messages.po: the templates' "
        "strings need a translation"
    ) in out
    assert "column 'languages.pt.organisation': missing translation of study.organisation" in out


def test_report_languages_come_from_country_yaml(project):
    config = settings.resolve(yaml.safe_load((project / "config.yaml").read_text(encoding="utf-8")), project)
    langs = settings.report_languages(config, project)
    assert langs["el-salvador"] == ["en", "es"] and langs["timor-leste"] == ["en", "pt"]
    assert langs["sierra-leone"] == ["en"]
    path = project / "inputs/sierra-leone/country.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "languages: [fr, en]\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        settings.report_languages(config, project)
    n = path.read_text(encoding="utf-8").count("\n")
    assert (
        f"inputs/sierra-leone/country.yaml, line {n}, column 'languages': 'fr' not declared"
        in exc.value.report()
    )
    assert "English ('en'), the source language, must come first" in exc.value.report()
