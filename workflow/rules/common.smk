import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(workflow.basedir) / "workflow"))

from ssr_pipeline import layout, settings, warm  # noqa: E402
from ssr_pipeline.errors import InputError  # noqa: E402
from ssr_pipeline.inputs import (  # noqa: E402
    CODEBOOK_FILES,
    COUNTRY_FILES,
    build_input_files,
    codebook_codes,
    coder_files,
)

PROJECT = Path(workflow.basedir)

# config.yaml is checked first and its schema's defaults filled in; every rule, script and
# the command line (python -m ssr_pipeline) read these same settings. Rules name the config
# sections they depend on as params, so that Snakemake reruns them when those change.
try:
    config.update(settings.resolve(config, PROJECT))
    settings.check_codebook_references(
        config, codebook_codes(PROJECT / config["inputs_dir"]), PROJECT
    )
    # Which reports exist depends on each country.yaml's `languages`.
    LANGUAGES = settings.report_languages(config, PROJECT)
except InputError as exc:
    raise WorkflowError(exc.report())

INPUTS = config["inputs_dir"]
COUNTRIES = config["countries"]
REPORTS = list(layout.REPORT_KINDS)
FIGURES = list(layout.COUNTRY_FIGURES)
CODEBOOK = [f"{INPUTS}/codebook/{name}" for name in CODEBOOK_FILES]
SYNTHESIS_LANGUAGES = config["study"]["languages"]
OTHER_LANGUAGES = [
    code for code in config["languages"] if code != layout.SOURCE_LANGUAGE
]


# `lang` is '' for English, whose files keep the output contract's paths, and 'es/' (and so
# on) for every other language: results/build/indicators/es/el-salvador.json,
# results/reports/el-salvador/es/orthodox.pdf.
wildcard_constraints:
    country="|".join(COUNTRIES),
    report="|".join(REPORTS),
    lang="|".join([""] + [layout.lang_dir(code) for code in OTHER_LANGUAGES]),


def country_files(wildcards):
    folder = PROJECT / INPUTS / wildcards.country
    others = LANGUAGES[wildcards.country][1:]
    return {
        Path(name).stem: f"{INPUTS}/{wildcards.country}/{name}"
        for name in COUNTRY_FILES
    } | {
        "coders": [str(p.relative_to(PROJECT)) for p in coder_files(folder).values()],
        "translations": [
            f"{INPUTS}/{layout.translation_path(wildcards.country, code)}"
            for code in others
        ]
        + [f"{INPUTS}/{layout.codebook_translation_path(code)}" for code in others],
    }


def catalog(wildcards):
    """The job's gettext catalog (none for English, whose strings are the templates' own)."""
    code = layout.lang_of(wildcards.lang)
    if code == layout.SOURCE_LANGUAGE:
        return []
    return f"templates/locale/{code}/LC_MESSAGES/messages.po"


def language_pairs():
    """(country, language) of every country report language."""
    return [(c, lang) for c in COUNTRIES for lang in LANGUAGES[c]]


def panel_file(wildcards):
    """The effect indicator's panel of all countries, when the study has one."""
    path = Path(INPUTS, "panels", f"{config['effect']['indicator']}.csv")
    return str(path) if (PROJECT / path).exists() else []


def narrative_file(wildcards):
    code = layout.lang_of(wildcards.lang)
    return (
        f"{INPUTS}/{layout.narrative_path(wildcards.country, wildcards.report, code)}"
    )


def synthesis_narrative_file(wildcards):
    code = layout.lang_of(wildcards.lang)
    return f"{INPUTS}/{layout.synthesis_narrative_path(code)}"


SHARED_TEMPLATES = [
    "templates/base.html.j2",
    "templates/macros.html.j2",
    "templates/css/base.css",
    "templates/css/screen.css",
    "templates/css/print.css",
] + sorted(
    str(p.relative_to(PROJECT)) for p in (PROJECT / "templates/sections").glob("*.j2")
)
SYNTHESIS_TEMPLATES = SHARED_TEMPLATES + ["templates/synthesis.html.j2"]
INDEX_TEMPLATES = SHARED_TEMPLATES + ["templates/index.html.j2"]


def report_templates(wildcards):
    return SHARED_TEMPLATES + [
        "templates/report.html.j2",
        f"templates/{wildcards.report}.html.j2",
    ]


def narrative_fragments():
    return [
        f"results/build/narrative/{layout.lang_dir(lang)}{c}/{r}.json"
        for c, lang in language_pairs()
        for r in REPORTS
    ] + [
        f"results/build/narrative/{layout.lang_dir(lang)}synthesis.json"
        for lang in SYNTHESIS_LANGUAGES
    ]


def report_outputs():
    """Every report, HTML and PDF, in every language, relative to results/."""
    out = []
    for c, lang in language_pairs():
        for r in REPORTS:
            out += [layout.report_path(c, r, lang, ext) for ext in ("html", "pdf")]
    for lang in SYNTHESIS_LANGUAGES:
        out += [layout.synthesis_report_path(lang, ext) for ext in ("html", "pdf")]
    return out


def contract_files():
    """Every file a build publishes, relative to results/ (the README's "What it produces")."""
    return (
        [f"indicators/{c}.json" for c in COUNTRIES]
        + [f"figures/{c}/{name}.svg" for c in COUNTRIES for name in FIGURES]
        + report_outputs()
        + [
            "indicators/comparative.csv",
            "indicators/datapackage.json",
            "changes.md",
            "changes.json",
            "snapshot.json",
            "index.html",
        ]
    )


def build_inputs():
    """Every input file a build reads; results/snapshot.json records their sha256."""
    return build_input_files(PROJECT, INPUTS, COUNTRIES, LANGUAGES, SYNTHESIS_LANGUAGES)


def project_version():
    """`git describe --always --dirty` of the project, or None outside a git checkout. Passed
    as a param, so a new commit reruns the change summary and snapshot.json names the code.
    """
    from ssr_pipeline.provenance import code_version

    return code_version(PROJECT)


def all_outputs():
    """The default target: the published manifest, and any published file that is missing.

    publish writes every contract file, but Snakemake reruns a job for missing outputs only
    when they are asked for. Asking for all of them always would cost their number squared
    to match them to publish (about 1.4 s of each run at 200 countries), so only the missing
    ones are named: all of them before a first build, none in a run with nothing to do.
    A job that Snakemake started on a cluster node reads this file too, but runs only its
    own job; it skips the check, which on a cluster file system costs a query a file.
    """
    if not workflow.is_main_process:
        return ["results/manifest.json"]
    missing = [
        f"results/{path}"
        for path in contract_files()
        if not os.path.exists(f"results/{path}")
    ]
    return ["results/manifest.json"] + missing
