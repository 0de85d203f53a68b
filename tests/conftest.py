import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SNAKEMAKE = Path(sys.executable).parent / "snakemake"
# `python -m ssr_pipeline` in a subprocess must import the package of the tree under test,
# not whichever checkout `pip install -e .` pointed the environment at.
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(ROOT / "workflow"), os.environ.get("PYTHONPATH")) if p
)
# The shared reference data (publishers' files) sits at ../shared beside the project root; a
# git worktree is one level deeper. None when it is not on this machine.
REFERENCE_DATA = next(
    (
        p / "shared" / "reference-data"
        for p in ROOT.parents
        if (p / "shared" / "reference-data" / "PROVENANCE.md").is_file()
    ),
    None,
)


def copy_project(dest: Path, countries=None) -> Path:
    """A working copy of the project (code, templates, inputs) without results."""
    for name in ("Snakefile", "config.yaml", "pyproject.toml"):
        shutil.copy2(ROOT / name, dest / name)
    for name in ("workflow", "templates", "inputs", "profiles"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    if countries is not None:
        text = (dest / "config.yaml").read_text(encoding="utf-8")
        start = text.index("countries:")
        end = text.index("\n\n", start)
        block = "countries:\n" + "".join(f"  - {c}\n" for c in countries)
        (dest / "config.yaml").write_text(text[:start] + block.rstrip("\n") + text[end:], encoding="utf-8")
        # The shipped synthesis discusses the four shipped cases by name; a subset needs its own.
        (dest / "inputs/synthesis/narrative.md").write_text(GENERIC_SYNTHESIS, encoding="utf-8")
    return dest


GENERIC_SYNTHESIS = """## Overview

The {{ study.n_countries }} cases have a mean design index of {{ study.mean_design_index | num(0) }} and a
mean practice index of {{ study.mean_practice_index | num(0) }} [@oecd-2007]. They record
{{ study.n_initiatives }} second-generation initiatives, {{ study.n_used }} of them used.
"""


def run_snakemake(project: Path, *args, timeout=900):
    return subprocess.run(
        [str(SNAKEMAKE), "--cores", "2", *args],
        check=False,
        cwd=project,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def job_process(log: Path) -> int | None:
    """The process that ran a job, as its log names it (ssr_pipeline/snake.py), or None."""
    found = re.search(r"process (\d+)", log.read_text(encoding="utf-8"))
    return int(found[1]) if found else None


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path)


_PANEL: dict = {}


def shipped_panel() -> dict:
    """The shipped donor panel of the effect indicator, {iso3: {year: value}}, as the workflow reads it."""
    if not _PANEL:
        from ssr_pipeline import panels
        from ssr_pipeline.errors import ProblemList
        from ssr_pipeline.inputs import load_codebook

        problems = ProblemList()
        codebook = load_codebook(ROOT / "inputs", ROOT, problems)
        rows = panels.load_panel(ROOT / "inputs/panels/homicide_rate.csv", codebook, ROOT, problems)
        assert not problems, problems.items
        _PANEL.update(panels.series(rows))
    return _PANEL


def svg_texts(svg: str) -> list[str]:
    """Every text of a figure, as typed: with svg.fonttype=none matplotlib writes each line of
    text as a <text> element."""
    return [html.unescape(t).strip() for t in re.findall(r"<text\b[^>]*>(.*?)</text>", svg, flags=re.DOTALL)]
