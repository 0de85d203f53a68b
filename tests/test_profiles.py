"""The shipped Snakemake profiles name real rules and settings Snakemake understands."""

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import SNAKEMAKE

ROOT = Path(__file__).resolve().parent.parent


def rule_names() -> set[str]:
    names = set()
    for smk in (ROOT / "workflow/rules").glob("*.smk"):
        names |= set(re.findall(r"^rule (\w+):", smk.read_text(encoding="utf-8"), re.MULTILINE))
    return names


def slurm_profile() -> dict:
    return yaml.safe_load((ROOT / "profiles/slurm/config.yaml").read_text(encoding="utf-8"))


def test_slurm_profile_sets_resources_of_existing_rules_only():
    profile = slurm_profile()
    assert profile["executor"] == "slurm"
    assert profile["rerun-incomplete"] is True
    heavy = set(profile["set-resources"])
    assert heavy == {"render_report", "render_synthesis"}
    assert heavy <= rule_names()
    for resources in profile["set-resources"].values():
        assert resources["mem_mb"] >= profile["default-resources"]["mem_mb"]


def test_slurm_profile_works_without_slurmdbd_and_polls_for_small_studies():
    profile = slurm_profile()
    # sacct needs the accounting database; squeue works on every cluster (.ci/slurm-check.py).
    assert profile["slurm-status-command"] == "squeue"
    # The plugin's 40 s first check costs more than a small study's jobs take.
    assert 1 <= profile["slurm-init-seconds-before-status-checks"] <= 10
    assert profile["slurm-status-attempts"] >= 1
    # Kept, empty, so teams see where their partition and account go.
    assert profile["default-resources"]["slurm_partition"] == ""
    assert profile["default-resources"]["slurm_account"] == ""


def test_default_profile_is_where_snakemake_looks_for_it():
    # Snakemake reads profiles/default next to the Snakefile without being told; it would not
    # find workflow/profiles/default, because the Snakefile is at the project root.
    profile = yaml.safe_load((ROOT / "profiles/default/config.yaml").read_text(encoding="utf-8"))
    assert profile["rerun-incomplete"] is True
    assert 0 < profile["scheduler-subsample"] <= 50
    # Without it every job of a `run:` rule would start a Snakemake process of its own
    # instead of handing its script to a warm worker (ssr_pipeline/warm.py).
    assert profile["force-use-threads"] is True
    assert (ROOT / "Snakefile").is_file()
    assert not (ROOT / "workflow/profiles").exists()


@pytest.mark.slow  # runs Snakemake on a copy of the project
def test_snakemake_reads_both_profiles(project):
    plain = subprocess.run(
        [str(SNAKEMAKE), "--dry-run", "--quiet", "rules"],
        check=False,
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert plain.returncode == 0, plain.stderr[-2000:]
    assert "workflow specific profile profiles/default" in plain.stderr
    # Every key of the Slurm profile is an option Snakemake and the slurm plugin know.
    slurm = subprocess.run(
        [str(SNAKEMAKE), "--workflow-profile", "profiles/slurm", "--dry-run", "--quiet", "rules"],
        check=False,
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert slurm.returncode == 0, slurm.stderr[-2000:]
    assert "workflow specific profile profiles/slurm" in slurm.stderr
