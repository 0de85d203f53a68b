"""Provenance of a build: checksums of the input files and the code version in snapshot.json."""

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from ssr_pipeline import settings
from ssr_pipeline.changes import snapshot
from ssr_pipeline.inputs import build_input_files
from ssr_pipeline.provenance import checksums, code_version
from test_claims_changes import ind_for_snapshot

ROOT = Path(__file__).resolve().parent.parent
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def test_checksums_are_sha256_of_each_file_by_relative_path(tmp_path):
    (tmp_path / "inputs" / "a").mkdir(parents=True)
    (tmp_path / "inputs" / "a" / "x.csv").write_bytes(b"indicator,year\n")
    (tmp_path / "config.yaml").write_bytes(b"countries: []\n")
    sums = checksums(["inputs/a/x.csv", tmp_path / "config.yaml"], tmp_path)
    assert list(sums) == ["config.yaml", "inputs/a/x.csv"]
    assert sums["inputs/a/x.csv"] == hashlib.sha256(b"indicator,year\n").hexdigest()
    assert sums["config.yaml"] == hashlib.sha256(b"countries: []\n").hexdigest()


def test_no_code_version_outside_a_git_checkout(tmp_path):
    assert code_version(tmp_path) is None


@needs_git
def test_code_version_is_git_describe_and_says_dirty(tmp_path):
    def git(*args):
        return subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True, text=True).stdout

    git("init", "-q")
    (tmp_path / "Snakefile").write_text("rule all:\n", encoding="utf-8")
    git("add", "Snakefile")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "first")
    head = git("rev-parse", "--short", "HEAD").strip()
    assert code_version(tmp_path) == head
    (tmp_path / "Snakefile").write_text("rule all:\n    input: []\n", encoding="utf-8")
    assert code_version(tmp_path) == f"{head}-dirty"
    # A folder inside a checkout is not itself a checkout of the project.
    (tmp_path / "copy").mkdir()
    assert code_version(tmp_path / "copy") is None


def test_snapshot_carries_checksums_and_code_version():
    comp = {"study": {"n_countries": 1, "mean_gap_index": 50.0, "dims": {}}}
    inputs = {"inputs/codebook/indicators.csv": "a" * 64, "config.yaml": "b" * 64}
    snap = snapshot([ind_for_snapshot()], comp, [], inputs=inputs, code_version="e8469d1-dirty")
    assert snap["provenance"] == {
        "code_version": "e8469d1-dirty",
        "inputs": {"config.yaml": "b" * 64, "inputs/codebook/indicators.csv": "a" * 64},
    }
    assert snapshot([ind_for_snapshot()], comp, [])["provenance"] == {"code_version": None, "inputs": {}}


def test_the_change_summary_rule_declares_every_input_file(monkeypatch):
    """Every file under inputs/ that a build reads is an input of the change summary (so
    Snakemake reruns it when one changes); only the provenance notes and ledgers are not."""
    monkeypatch.chdir(ROOT)
    config = settings.load(ROOT)
    declared = build_input_files(
        ROOT,
        "inputs",
        config["countries"],
        settings.report_languages(config, ROOT),
        config["study"]["languages"],
    )
    on_disk = {p.relative_to(ROOT).as_posix() for p in (ROOT / "inputs").rglob("*") if p.is_file()}
    not_read = {
        p for p in on_disk if p.endswith(("PROVENANCE.md", "imports.yaml")) or p == "inputs/README.md"
    }
    assert set(declared) == {"config.yaml"} | (on_disk - not_read)
    assert "inputs/panels/homicide_rate.csv" in declared
    assert "inputs/el-salvador/translations/es.yaml" in declared
    assert len(declared) == len(set(declared))
    compare = (ROOT / "workflow/rules/compare.smk").read_text(encoding="utf-8")
    assert "sources=build_inputs()," in compare and "code_version=project_version()," in compare
    common = (ROOT / "workflow/rules/common.smk").read_text(encoding="utf-8")
    assert "return build_input_files(PROJECT, INPUTS, COUNTRIES, LANGUAGES, SYNTHESIS_LANGUAGES)" in common
