"""One settings object for Snakemake and the command line: config.yaml, checked, with defaults.

The JSON Schema in workflow/schemas/config.schema.yaml is the single source of every key,
its description and its default; nothing here restates a default.

Over 300 lines: besides the schema, the checks that need more than one file at start-up
(countries' folders, codebook references, each country's report languages and their files),
which must all run before Snakemake builds its graph.
"""

from __future__ import annotations

import copy
from pathlib import Path

from . import layout
from .errors import InputError, Problem, ProblemList
from .io import display_path, read_text, read_yaml, symlink_message, symlinks_under, yaml_key_lines
from .layout import RESERVED_FOLDERS, SOURCE_LANGUAGE
from .schemas import SLUG_RE, load_schema, validate_mapping

CONFIG_FILE = "config.yaml"
# The study's own words on every report (config.yaml's `study`), translated per language.
STUDY_TEXTS = ("series_title", "organisation")


def apply_defaults(schema: dict, data: dict) -> dict:
    """A copy of ``data`` with every missing key that has a schema default filled in."""
    out = copy.deepcopy(data)
    for key, prop in schema.get("properties", {}).items():
        if key not in out and "default" in prop:
            out[key] = copy.deepcopy(prop["default"])
        if isinstance(out.get(key), dict) and prop.get("type") == "object":
            out[key] = apply_defaults(prop, out[key])
    return out


def defaults(**given) -> dict:
    """Settings with every default applied (for tests and tools that have no config.yaml)."""
    return apply_defaults(load_schema("config"), {"countries": [], **given})


def resolve(config: dict, root: Path, display: str = CONFIG_FILE) -> dict:
    """Check a loaded config against the schema and the project, and fill in the defaults.

    Raises InputError naming config.yaml, the line and the key of every problem.
    """
    problems = ProblemList()
    if (root / display).exists() or (root / display).is_symlink():
        # Snakemake has loaded the file already; read it again with the inputs' loader, which
        # refuses what Snakemake's accepts silently (a duplicate key keeps only its last value).
        read_yaml(root / display, problems, display)
        problems.raise_if_any()
    lines = yaml_key_lines(read_text(root / display, ProblemList(), display) or "")
    for field, message in validate_mapping(config, "config"):
        if field.startswith("countries."):
            continue  # said better below, with the item's own line
        problems.add(display, _line(lines, field), field or None, message)
    listed = config.get("countries")
    for slug in listed if isinstance(listed, list) else []:
        if not isinstance(slug, str) or not SLUG_RE.match(slug):
            message = (
                f"'{slug}' is not a valid slug (lower case letters, digits, single hyphens; no '/' or '..')"
            )
        elif slug in RESERVED_FOLDERS:
            message = f"'{slug}' is a reserved folder name of the inputs, not a country"
        else:
            continue
        # Looked up only for a bad entry: each lookup rereads config.yaml.
        problems.add(
            display, _item_line(root / display, slug) or _line(lines, "countries"), "countries", message
        )
    problems.raise_if_any()
    settings = apply_defaults(load_schema("config"), config)
    if settings["years"]["first"] > settings["years"]["last"]:
        problems.add(
            display,
            _line(lines, "years.last"),
            "years.last",
            f"the last year ({settings['years']['last']}) is before the first ({settings['years']['first']})",
        )
    _check_languages(settings, root, lines, display, problems)
    if _check_inputs_dir(settings, root, lines, display, problems):
        _check_countries(settings, root, lines, display, problems)
    problems.raise_if_any()
    return settings


def load(root: Path, display: str = CONFIG_FILE) -> dict:
    problems = ProblemList()
    config = read_yaml(root / display, problems, display)
    problems.raise_if_any()
    if not isinstance(config, dict):
        raise InputError([Problem(display, 1, None, "expected a mapping of keys to values")])
    return resolve(config, root, display)


def check_codebook_references(settings: dict, codebook: dict, root: Path, display: str = CONFIG_FILE) -> None:
    """Every indicator code named in config.yaml must be in the codebook."""
    codes = {r["code"] for r in codebook["indicators"]}
    if not codes:
        return  # an unreadable codebook is reported by the inputs' own checks
    problems = ProblemList()
    lines = yaml_key_lines(read_text(root / display, ProblemList(), display) or "")
    named = [
        ("effect.indicator", [settings["effect"]["indicator"]]),
        ("figures.governance_indicators", settings["figures"]["governance_indicators"]),
        ("comparative.outcome_indicators", settings["comparative"]["outcome_indicators"]),
    ]
    for field, values in named:
        for code in values:
            if code not in codes:
                problems.add(
                    display,
                    _line(lines, field),
                    field,
                    f"'{code}' is not an indicator code of codebook/indicators.csv",
                )
    problems.raise_if_any()


def _line(lines: dict, field: str | None):
    while field:
        if field in lines:
            return lines[field]
        field = field.rpartition(".")[0]
    return None


def _check_inputs_dir(settings, root, lines, display, problems) -> bool:
    """inputs_dir is a real folder inside the project, and nothing under it is a symbolic link
    (a link could make a report print any file of the machine). False when it is unusable."""
    rel = Path(settings["inputs_dir"])
    line = _line(lines, "inputs_dir")
    if rel.is_absolute() or ".." in rel.parts:
        problems.add(
            display, line, "inputs_dir", f"'{settings['inputs_dir']}' is not a folder inside the project"
        )
        return False
    path = root
    for part in rel.parts:
        path = path / part
        if path.is_symlink():
            problems.add(
                display,
                line,
                "inputs_dir",
                f"{display_path(path, root)} is a symbolic link; the inputs must be a real folder "
                "inside the project",
            )
            return False
    if not path.is_dir():
        problems.add(display, line, "inputs_dir", f"there is no folder '{settings['inputs_dir']}'")
        return False
    for link in symlinks_under(path):
        problems.add(display_path(link, root), None, None, symlink_message(link))
    return True


def _check_countries(settings, root, lines, display, problems) -> None:
    inputs_dir = root / settings["inputs_dir"]
    for slug in settings["countries"]:
        folder = inputs_dir / slug
        if folder.is_symlink() or not folder.is_dir():
            where = f"{settings['inputs_dir']}/{slug}"
            problems.add(
                display,
                _item_line(root / display, slug) or _line(lines, "countries"),
                "countries",
                f"country '{slug}' has no input folder {where}"
                if not folder.is_symlink()
                else f"country '{slug}': its input folder {where} is a symbolic link, which is not read",
            )
    if inputs_dir.is_dir():
        for folder in sorted(p for p in inputs_dir.iterdir() if p.is_dir()):
            if folder.name not in RESERVED_FOLDERS and not SLUG_RE.match(folder.name):
                problems.add(
                    f"{settings['inputs_dir']}/{folder.name}",
                    None,
                    None,
                    f"input folder name '{folder.name}' is not a valid slug "
                    "(lower case letters, digits, single hyphens)",
                )


def _item_line(path: Path, slug: str):
    try:
        text = path.read_text(encoding="utf-8").split("\n")
    except OSError:
        return None
    for n, line in enumerate(text, 1):
        if line.strip().lstrip("-").strip().strip("'\"") == slug:
            return n
    return None


def _check_languages(settings, root, lines, display, problems) -> None:
    """English is declared; every locale is one Babel knows; every other language has its catalog;
    the synthesis's languages are declared, English first."""
    from babel import Locale, UnknownLocaleError

    from .i18n import catalog_display, catalog_path

    langs = settings["languages"]
    if SOURCE_LANGUAGE not in langs:
        problems.add(
            display,
            _line(lines, "languages"),
            "languages",
            f"'{SOURCE_LANGUAGE}' (English, the language of the templates and inputs) must be declared",
        )
    for code, spec in langs.items():
        try:
            Locale.parse(spec["locale"])
        except (UnknownLocaleError, ValueError):
            problems.add(
                display,
                _line(lines, f"languages.{code}.locale"),
                f"languages.{code}.locale",
                f"'{spec['locale']}' is not a locale Babel knows (e.g. es, pt_PT)",
            )
        for key in STUDY_TEXTS if code != SOURCE_LANGUAGE else ():
            if settings["study"].get(key) and not spec.get(key):
                problems.add(
                    display,
                    _line(lines, f"languages.{code}"),
                    f"languages.{code}.{key}",
                    f"missing translation of study.{key} ('{settings['study'][key]}')",
                )
        po = catalog_path(code, root / "templates" / "locale")
        if code != SOURCE_LANGUAGE and not po.is_file():
            problems.add(
                display,
                _line(lines, f"languages.{code}"),
                f"languages.{code}",
                f"no catalog {catalog_display(po)}: the templates' strings need a translation",
            )
    _check_language_list(
        settings["study"]["languages"],
        langs,
        display,
        _line(lines, "study.languages"),
        "study.languages",
        problems,
    )


def _check_language_list(value, langs: dict, display: str, line, field: str, problems) -> bool:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        problems.add(display, line, field, "expected a list of language codes, English first, e.g. [en, es]")
        return False
    unknown = [v for v in value if v not in langs]
    if unknown:
        problems.add(
            display,
            line,
            field,
            f"{', '.join(map(repr, unknown))} not declared under `languages` "
            f"in config.yaml (declared: {', '.join(langs)})",
        )
    if value[0] != SOURCE_LANGUAGE:
        problems.add(
            display, line, field, f"English ('{SOURCE_LANGUAGE}'), the source language, must come first"
        )
    if len(set(value)) != len(value):
        problems.add(display, line, field, "a language is listed twice")
    return not unknown and value[0] == SOURCE_LANGUAGE and len(set(value)) == len(value)


def report_languages(settings: dict, root: Path) -> dict[str, list[str]]:
    """Each country's report languages, from its country.yaml (`languages`, default English only).

    Read when the workflow is loaded, because they decide which reports the build makes; a bad
    value stops the run there, naming the file and line. The synthesis's languages must be
    every country's, since the synthesis draws on every country's translated inputs.
    """
    problems = ProblemList()
    out = {}
    for slug in settings["countries"]:
        path = root / settings["inputs_dir"] / slug / "country.yaml"
        display = display_path(path, root)
        text = read_text(path, ProblemList(), display) if path.is_file() else None
        # Read at every workflow start: a file that cannot hold the key is not parsed. (A YAML
        # key can only spell the word out or escape it with a backslash.)
        if text is None or ("languages" not in text and "\\" not in text):
            out[slug] = [SOURCE_LANGUAGE]
            continue
        data = read_yaml(path, ProblemList(), display)
        value = data.get("languages", [SOURCE_LANGUAGE]) if isinstance(data, dict) else [SOURCE_LANGUAGE]
        line = yaml_key_lines(text).get("languages")
        ok = _check_language_list(value, settings["languages"], display, line, "languages", problems)
        out[slug] = value if ok else [SOURCE_LANGUAGE]
    for lang in settings["study"]["languages"][1:]:
        missing = [slug for slug, langs in out.items() if lang not in langs]
        if missing:
            lines = yaml_key_lines(read_text(root / CONFIG_FILE, ProblemList(), CONFIG_FILE) or "")
            problems.add(
                CONFIG_FILE,
                _line(lines, "study.languages"),
                "study.languages",
                f"a synthesis in '{lang}' needs every country in '{lang}'; not declared in "
                f"country.yaml by: {', '.join(missing)}",
            )
    _check_language_files(settings, root, out, problems)
    problems.raise_if_any()
    return out


def _check_language_files(settings: dict, root: Path, languages: dict, problems: ProblemList) -> None:
    """Each declared language's own files exist: its narratives, the country's and the codebook's
    translations, and the synthesis narrative. Checked here because Snakemake does not rerun a
    job whose outputs exist when one of its inputs has gone."""
    inputs = root / settings["inputs_dir"]
    wanted = []
    for slug, langs in languages.items():
        for lang in langs[1:]:
            wanted += [(layout.narrative_path(slug, r, lang), slug, lang) for r in layout.REPORT_KINDS]
            wanted += [(layout.translation_path(slug, lang), slug, lang)]
            wanted += [(layout.codebook_translation_path(lang), slug, lang)]
    wanted += [
        (layout.synthesis_narrative_path(lang), "study.languages", lang)
        for lang in settings["study"]["languages"][1:]
    ]
    seen = set()
    for rel, who, lang in wanted:
        path = inputs / rel
        if rel in seen or path.is_file():
            continue
        seen.add(rel)
        declared = "config.yaml (study.languages)" if who == "study.languages" else f"{who}'s country.yaml"
        problems.add(
            display_path(path, root),
            None,
            None,
            f"Missing input files: '{lang}' is declared in {declared}, so this file is needed "
            "(see inputs/README.md, Translations)",
        )


def study(settings: dict, lang: str) -> dict:
    """config.yaml's `study` with its words in ``lang``."""
    spec = settings["languages"].get(lang, {})
    return {**settings["study"], **{k: spec[k] for k in STUDY_TEXTS if spec.get(k)}}
