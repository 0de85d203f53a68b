import sys
from pathlib import Path

from snakemake.utils import validate

sys.path.insert(0, str(Path(workflow.basedir) / "workflow"))

from ssr_pipeline.inputs import check_config_countries  # noqa: E402

PROJECT = Path(workflow.basedir)
INPUTS = config.get("inputs_dir", "inputs")
COUNTRIES = config["countries"]
REPORTS = ["orthodox", "second-generation"]
FIGURES = [
    "homicide",
    "homicide_initiatives",
    "governance",
    "rq1_scores",
    "rq2_timeline",
]
CODEBOOK = [
    f"{INPUTS}/codebook/{name}"
    for name in (
        "indicators.csv",
        "dimensions.csv",
        "score_scale.csv",
        "entry_points.csv",
        "references.yaml",
    )
]
COUNTRY_FILES = [
    "country.yaml",
    "indicators.csv",
    "events.csv",
    "orthodox.csv",
    "initiatives.csv",
    "acronyms.csv",
    "references.yaml",
]

_config_problems = check_config_countries(config, PROJECT / INPUTS, PROJECT)
if _config_problems:
    raise WorkflowError(
        "\n".join(
            ["config.yaml lists countries that cannot be built:"]
            + [f"  - {p}" for p in _config_problems.items]
        )
    )

validate(config, "../schemas/config.schema.yaml")


wildcard_constraints:
    country="|".join(COUNTRIES),
    report="|".join(REPORTS),


def country_files(wildcards):
    return {
        Path(name).stem: f"{INPUTS}/{wildcards.country}/{name}"
        for name in COUNTRY_FILES
    }


def narrative_file(wildcards):
    return f"{INPUTS}/{wildcards.country}/narrative/{wildcards.report}.md"


def report_templates(wildcards):
    shared = [
        "templates/base.html.j2",
        "templates/macros.html.j2",
        "templates/report.html.j2",
        "templates/claims.html.j2",
        "templates/css/base.css",
        "templates/css/screen.css",
        "templates/css/print.css",
    ]
    return shared + [f"templates/{wildcards.report}.html.j2"]


SHARED_TEMPLATES = [
    "templates/base.html.j2",
    "templates/macros.html.j2",
    "templates/css/base.css",
    "templates/css/screen.css",
    "templates/css/print.css",
]
SYNTHESIS_TEMPLATES = SHARED_TEMPLATES + [
    "templates/synthesis.html.j2",
    "templates/claims.html.j2",
]
INDEX_TEMPLATES = SHARED_TEMPLATES + ["templates/index.html.j2"]


def narrative_fragments():
    return [f"results/narrative/{c}/{r}.json" for c in COUNTRIES for r in REPORTS] + [
        "results/narrative/synthesis.json"
    ]


def report_outputs():
    out = []
    for c in COUNTRIES:
        for r in REPORTS:
            out.append(f"results/reports/{c}/{r}.html")
            out.append(f"results/reports/{c}/{r}.pdf")
    return out + ["results/reports/synthesis.html", "results/reports/synthesis.pdf"]


def build_inputs():
    """Every input file a build reads (config, codebook, each country's files and
    narratives, synthesis inputs, panels); results/snapshot.json records their sha256.
    """
    files = ["config.yaml", *CODEBOOK]
    for c in COUNTRIES:
        files += [f"{INPUTS}/{c}/{name}" for name in COUNTRY_FILES]
        files += [f"{INPUTS}/{c}/narrative/{r}.md" for r in REPORTS]
    files += [f"{INPUTS}/synthesis/narrative.md", f"{INPUTS}/synthesis/references.yaml"]
    return files + sorted(p.as_posix() for p in Path(INPUTS, "panels").glob("*.csv"))


def project_version():
    """`git describe --always --dirty` of the project, or None outside a git checkout. Passed
    as a param, so a new commit reruns the change summary and snapshot.json names the code.
    """
    from ssr_pipeline.provenance import code_version

    return code_version(PROJECT)


def all_outputs():
    return (
        [f"results/indicators/{c}.json" for c in COUNTRIES]
        + report_outputs()
        + [
            "results/indicators/comparative.csv",
            "results/indicators/datapackage.json",
            "results/changes.md",
            "results/index.html",
        ]
    )
