# SSR study pipeline: per-country inputs -> indicators -> figures -> HTML and PDF reports.
from snakemake.utils import min_version

min_version("9.0")


configfile: "config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/ingest.smk"
include: "workflow/rules/indicators.smk"
include: "workflow/rules/compare.smk"
include: "workflow/rules/narrative.smk"
include: "workflow/rules/render.smk"
include: "workflow/rules/publish.smk"
include: "workflow/rules/preview.smk"


rule all:
    default_target: True
    input:
        all_outputs(),
