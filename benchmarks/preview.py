"""Benchmark the live preview: time from saving a narrative to its new text being visible.

    .venv/bin/python benchmarks/preview.py              # 5 edits, El Salvador's RQ1 narrative
    .venv/bin/python benchmarks/preview.py --edits 9

Not part of the tests (a benchmark figure, not a timed assertion). It copies the project to a
temporary folder, starts `python -m ssr_pipeline preview --country el-salvador` there, opens
the RQ1 page in Debian's Chromium (Playwright, /usr/bin/chromium) and then, N times, rewrites
one sentence of inputs/el-salvador/narrative/orthodox.md and waits until the page shows the
new sentence. The clock starts just before the file is written and stops when Playwright sees
the new text visible in the reloaded page. Prints each edit, the median, and the preview's own
build time per edit (from its log lines); writes benchmarks/preview-results.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
SENTENCE = "That contradiction frames the answer to the first research question."
NARRATIVE = "inputs/el-salvador/narrative/orthodox.md"


def copy_project(dest: Path) -> Path:
    for name in ("Snakefile", "config.yaml", "pyproject.toml"):
        shutil.copy2(ROOT / name, dest / name)
    for name in ("workflow", "templates", "inputs", "profiles"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return dest


def start_preview(project: Path, country: str = "el-salvador"):
    """The preview process and its URL, once its first build has finished."""
    env = {**os.environ, "PYTHONPATH": str(project / "workflow"), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ssr_pipeline",
            "--project",
            str(project),
            "preview",
            "--country",
            country,
            "--port",
            "0",
        ],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    # Drain the output all along, so the preview never blocks on a full pipe.
    threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True).start()
    deadline = time.time() + 600
    while time.time() < deadline:
        done = [line for line in lines if line.startswith("preview: start:")]
        if done:
            if "failed" in done[0]:
                raise RuntimeError("first preview build failed:\n" + "".join(lines[-40:]))
            url = next(
                m.group(1) for line in lines if (m := re.search(r"serving (http://127\.0\.0\.1:\d+/)", line))
            )
            return proc, url, lines
        if proc.poll() is not None:
            raise RuntimeError("preview stopped:\n" + "".join(lines[-40:]))
        time.sleep(0.1)
    raise RuntimeError("preview did not start")


def next_build_line(lines: list[str], seen: int, timeout: float = 60) -> tuple[str, int]:
    """The first 'preview: changed ...' line after the first `seen` lines."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for k in range(seen, len(lines)):
            if lines[k].startswith("preview: changed"):
                return lines[k], k + 1
        time.sleep(0.05)
    raise RuntimeError("no build line from the preview")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--edits", type=int, default=5)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="ssr-preview-bench-") as tmp:
        project = copy_project(Path(tmp))
        t = time.perf_counter()
        proc, url, log = start_preview(project)
        print(
            f"first preview build (validation, indicators, figures, two pages): {time.perf_counter() - t:.1f} s"
        )
        narrative = project / NARRATIVE
        original = narrative.read_text(encoding="utf-8")
        assert SENTENCE in original
        times, builds = [], []
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(url + "preview/el-salvador/orthodox.html")
                page.wait_for_load_state("load")
                time.sleep(1.0)  # let the event stream connect
                seen = len(log)
                for i in range(args.edits):
                    marker = f"Benchmark edit {i + 1} of {args.edits}, saved at {time.time():.3f}."
                    text = original.replace(SENTENCE, marker)
                    start = time.perf_counter()
                    narrative.write_text(text, encoding="utf-8")
                    page.get_by_text(marker).wait_for(state="visible", timeout=60_000)
                    elapsed = time.perf_counter() - start
                    times.append(elapsed)
                    # The preview prints one line per build; read it to split build from the rest.
                    line, seen = next_build_line(log, seen)
                    m = re.search(r"built in ([\d.]+) s", line)
                    builds.append(float(m.group(1)) if m else float("nan"))
                    print(
                        f"edit {i + 1}: new text visible {elapsed:.2f} s after saving "
                        f"(preview build {builds[-1]:.2f} s)",
                        flush=True,
                    )
                    time.sleep(0.5)
                browser.close()
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    med, med_build = statistics.median(times), statistics.median(builds)
    load = os.getloadavg()
    print(f"median over {len(times)} edits: {med:.2f} s save-to-visible; preview build {med_build:.2f} s")
    out = ROOT / "benchmarks/preview-results.md"
    out.write_text(
        "# Live preview: save to visible\n\n"
        f"`.venv/bin/python benchmarks/preview.py --edits {args.edits}` on {platform.node() or 'this machine'} "
        f"({os.cpu_count()} cores, load average {load[0]:.1f} at the end), Python {platform.python_version()}.\n\n"
        "One sentence of `inputs/el-salvador/narrative/orthodox.md` is rewritten; the clock runs from just\n"
        "before the file is written until Chromium shows the new sentence in the reloaded preview page.\n\n"
        "| edit | save to visible (s) | preview build (s) |\n|---:|---:|---:|\n"
        + "".join(f"| {i + 1} | {t:.2f} | {b:.2f} |\n" for i, (t, b) in enumerate(zip(times, builds)))
        + f"| **median** | **{med:.2f}** | **{med_build:.2f}** |\n",
        encoding="utf-8",
    )
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
