"""The shipped Snakemake profiles name real rules and settings Snakemake understands."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def rule_names() -> set[str]:
    names = set()
    for smk in (ROOT / "workflow/rules").glob("*.smk"):
        names |= set(re.findall(r"^rule (\w+):", smk.read_text(encoding="utf-8"), re.MULTILINE))
    return names


def test_slurm_profile_sets_resources_of_existing_rules_only():
    profile = yaml.safe_load((ROOT / "workflow/profiles/slurm/config.yaml").read_text(encoding="utf-8"))
    assert profile["executor"] == "slurm"
    assert profile["rerun-incomplete"] is True
    heavy = set(profile["set-resources"])
    assert heavy == {"render_report", "render_synthesis"}
    assert heavy <= rule_names()
    for resources in profile["set-resources"].values():
        assert resources["mem_mb"] >= profile["default-resources"]["mem_mb"]


def test_default_profile_is_where_snakemake_looks_for_it():
    # Snakemake reads profiles/default next to the Snakefile without being told.
    profile = yaml.safe_load((ROOT / "profiles/default/config.yaml").read_text(encoding="utf-8"))
    assert profile["rerun-incomplete"] is True
    assert 0 < profile["scheduler-subsample"] <= 50
    assert (ROOT / "Snakefile").is_file()
