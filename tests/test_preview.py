"""The live preview in Debian's Chromium: an edited sentence appears by itself; a broken input or
a failed claim shows an overlay with file, line and message over the last good page; saving the
fix clears it.

Runs `python -m ssr_pipeline preview --country el-salvador` on a temporary copy of the project
(its first build validates the inputs and draws the figures, about 20 s on 2 cores) and edits
that copy. Needs what tests/test_browser.py needs (`bash .ci/browser-setup.sh`). Saves the
overlay to results/screenshots/preview-overlay.png.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import copy_project
from test_browser import (  # noqa: F401
    CHROMIUM_ARGS,
    ROOT,
    SHOTS,
    browser,
)

pytestmark = pytest.mark.slow  # builds through Snakemake and drives Chromium

NARRATIVE = "inputs/el-salvador/narrative/orthodox.md"
RQ2 = "inputs/el-salvador/narrative/second-generation.md"
SENTENCE = "That contradiction frames the answer to the first research question."


class Preview:
    def __init__(self, project: Path):
        self.project = project
        env = {**os.environ, "PYTHONPATH": str(project / "workflow"), "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ssr_pipeline",
                "--project",
                str(project),
                "preview",
                "--country",
                "el-salvador",
                "--port",
                "0",
            ],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        threading.Thread(
            target=lambda: self.lines.extend(iter(self.proc.stdout.readline, "")), daemon=True
        ).start()
        self.url = None
        deadline = time.time() + 900
        while time.time() < deadline and not any(x.startswith("preview: start:") for x in self.lines):
            assert self.proc.poll() is None, "preview stopped:\n" + self.output()
            time.sleep(0.2)
        start = next(x for x in self.lines if x.startswith("preview: start:"))
        assert "failed" not in start, self.output()
        self.url = next(m.group(1) for x in self.lines if (m := re.search(r"serving (http://\S+/)", x)))

    def output(self) -> str:
        return "".join(self.lines[-60:])

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def preview(tmp_path_factory, browser):  # noqa: F811  (needs the browser: skip or fail before building)
    p = Preview(copy_project(tmp_path_factory.mktemp("preview")))
    yield p
    p.stop()


@pytest.fixture(scope="module")
def page(browser, preview):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(preview.url + "preview/el-salvador/orthodox.html")
    pg.wait_for_load_state("load")
    pg.wait_for_timeout(500)  # the event stream connects
    yield pg
    context.close()
    assert not errors, errors


def edit(preview: Preview, path: str, old: str, new: str) -> None:
    file = preview.project / path
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_only_the_preview_pages_are_built(preview):
    pages = sorted(
        p.relative_to(preview.project).as_posix() for p in (preview.project / "results").rglob("*.html")
    )
    assert pages == [  # El Salvador's reports in each of its languages (English and Spanish)
        "results/preview/el-salvador/es/orthodox.html",
        "results/preview/el-salvador/es/second-generation.html",
        "results/preview/el-salvador/orthodox.html",
        "results/preview/el-salvador/second-generation.html",
    ]
    assert not list((preview.project / "results").rglob("*.pdf")), "the preview rendered a PDF"
    served = (preview.project / "results/preview/el-salvador/orthodox.html").read_text(encoding="utf-8")
    assert "<script" not in served, "the reload script must only be added when serving"


def test_an_edited_sentence_appears(preview, page):
    marker = "The preview shows this sentence after a save."
    edit(preview, NARRATIVE, SENTENCE, marker)
    page.get_by_text(marker).wait_for(state="visible", timeout=60_000)
    assert page.locator("#ssr-preview-overlay").count() == 0


def test_a_broken_narrative_shows_the_overlay_until_fixed(preview, page):
    marker = "The preview shows this sentence after a save."
    edit(
        preview, NARRATIVE, marker, marker + " The rate was {{ series.homicide_rat.latest.value | num(1) }}."
    )
    overlay = page.locator("#ssr-preview-overlay")
    overlay.wait_for(state="visible", timeout=60_000)
    text = overlay.inner_text()
    assert re.search(r"inputs/el-salvador/narrative/orthodox\.md, line \d+", text), text
    assert "homicide_rat" in text
    # The last good page stays underneath, also after a reload.
    assert page.get_by_text(marker).is_visible()
    page.reload()
    overlay.wait_for(state="visible", timeout=30_000)
    assert page.get_by_text(marker).is_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.get_by_text(marker).evaluate("e => e.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(SHOTS / "preview-overlay.png"))

    edit(
        preview,
        NARRATIVE,
        " The rate was {{ series.homicide_rat.latest.value | num(1) }}.",
        " The rate was {{ series.homicide_rate.latest.value | num(1) }}.",
    )
    overlay.wait_for(state="detached", timeout=60_000)
    page.get_by_text(re.compile(r"The rate was \d+\.\d\.")).wait_for(state="visible", timeout=30_000)


def test_a_failed_claim_shows_the_overlay(preview, page):
    page.goto(preview.url + "preview/el-salvador/second-generation.html")
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)
    edit(
        preview,
        RQ2,
        '"about 40 percent", "initiative.gang_truce.effect.change_pct", 40,',
        '"about 80 percent", "initiative.gang_truce.effect.change_pct", 80,',
    )
    overlay = page.locator("#ssr-preview-overlay")
    overlay.wait_for(state="visible", timeout=60_000)
    text = overlay.inner_text()
    assert re.search(r"inputs/el-salvador/narrative/second-generation\.md, line \d+", text), text
    assert "80" in text
    edit(
        preview,
        RQ2,
        '"about 80 percent", "initiative.gang_truce.effect.change_pct", 80,',
        '"about 40 percent", "initiative.gang_truce.effect.change_pct", 40,',
    )
    overlay.wait_for(state="detached", timeout=60_000)


def test_a_broken_data_file_shows_file_line_and_column(preview, page):
    edit(
        preview,
        "inputs/el-salvador/indicators.csv",
        "homicide_rate,1995,138.438378,",
        "homicide_rate,1995,-5,",
    )
    overlay = page.locator("#ssr-preview-overlay")
    overlay.wait_for(state="visible", timeout=120_000)
    text = overlay.inner_text()
    assert re.search(r"inputs/el-salvador/indicators\.csv, line 3, column 'value'", text), text
    edit(
        preview,
        "inputs/el-salvador/indicators.csv",
        "homicide_rate,1995,-5,",
        "homicide_rate,1995,138.438378,",
    )
    overlay.wait_for(state="detached", timeout=180_000)
    assert not list((preview.project / "results").rglob("*.pdf")), "the preview rendered a PDF"
