"""Benchmark the pipeline on N synthetic countries (not part of the test suite).

    .venv/bin/python benchmarks/run.py               # N = 4, 20, 100, 200
    .venv/bin/python benchmarks/run.py --n 4 20      # a subset

For each N it generates N clearly synthetic countries ("Synthland 001"; each borrows a real
ISO3 code, which validation requires and which gives it the real donor pool of
inputs/panels) into a temporary copy of the project, then measures: the cold full build, a
no-op run, a rebuild after editing one country's indicators (and which jobs ran), the peak
memory of any job, the floor (every PDF and effect estimate made again in one warm
process, divided by the cores:
benchmarks/floor.py) and the synthesis render job's run time. Each no-op is timed alternately
with a bare `snakemake -n` on an empty workflow. A first, untimed build of 4 countries loads
the libraries into the page cache. Results are printed and written to benchmarks/results.md.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
SNAKEMAKE = Path(sys.executable).parent / "snakemake"
CORES = 2


@functools.cache
def _iso3_codes() -> list[str]:
    import pycountry

    return sorted(c.alpha_3 for c in pycountry.countries)


def iso3_for(k: int) -> str:
    """A real ISO3 code (validation accepts no other), so each synthetic country has a donor pool."""
    codes = _iso3_codes()
    return codes[(k - 1) % len(codes)]


def make_country(folder: Path, k: int, rng: random.Random) -> None:
    name = f"Synthland {k:03d}"
    slug = f"synthland-{k:03d}"
    d = folder / slug
    (d / "narrative").mkdir(parents=True)
    start = rng.randint(1994, 2004)
    (d / "country.yaml").write_text(
        f"name: {name}\nslug: {slug}\niso3: {iso3_for(k)}\nregion: Synthetic region\n"
        f"conflict: {{start: {start - 6}, end: {start - 1}, label: Synthetic conflict}}\n"
        f"reform_start: {start}\nauthors: [Benchmark generator]\n"
        "summary: SYNTHETIC benchmark country; all values are random.\n",
        encoding="utf-8",
    )
    rows = ["indicator,year,value,source,note"]
    level = rng.uniform(5, 80)
    for y in range(1995, 2023):
        level = max(0.5, level * rng.uniform(0.85, 1.12))
        rows.append(f"homicide_rate,{y},{level:.4f},bench-synthetic,")
    for code in ("wgi_rl", "wgi_ge", "wgi_pv", "wgi_cc"):
        v = rng.uniform(-1.5, 0.5)
        for y in range(1996, 2023):
            v = max(-2.4, min(2.4, v + rng.uniform(-0.15, 0.15)))
            rows.append(f"{code},{y},{v:.4f},bench-synthetic,")
    for code in ("vdem_clphy", "vdem_rule"):
        v = rng.uniform(0.2, 0.8)
        for y in range(1990, 2024):
            v = max(0.0, min(1.0, v + rng.uniform(-0.05, 0.05)))
            rows.append(f"{code},{y},{v:.3f},bench-synthetic,")
    (d / "indicators.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (d / "events.csv").write_text(
        "id,date,end_date,label,category,description,chart,certainty,sources\n"
        f"accord,{start - 1}-06,,Synthetic accord,accord,Generated.,yes,verified,bench-synthetic\n"
        f"mission,{start},{start + 5},Synthetic mission,mission,Generated.,yes,verified,bench-synthetic\n"
        f"crisis,{start + 8}-03,,Synthetic crisis,violence,Generated.,yes,verified,bench-synthetic\n",
        encoding="utf-8",
    )
    dims = ["dimension,design,practice,design_evidence,practice_evidence,certainty,sources"]
    for i in range(1, 11):
        a = rng.randint(1, 4)
        dims.append(f"D{i},{a},{rng.randint(0, a)},Synthetic.,Synthetic.,secondary,bench-synthetic")
    (d / "orthodox.csv").write_text("\n".join(dims) + "\n", encoding="utf-8")
    ini = [
        (
            "id,name,entry_point,level,lead_actor,actor_type,start,end,budget_usd,budget_scope,budget_note,status,used,"
            "description,outcome,why_not,certainty,sources"
        )
    ]
    for i in range(6):
        s = rng.randint(start, 2016)
        used = rng.choice(["yes", "partial", "no"])
        why = "Synthetic reason." if used != "yes" else ""
        dates = ("", "") if used == "no" else (f"{s}-0{rng.randint(1, 9)}", f"{s + rng.randint(1, 5)}-12")
        ini.append(
            f"ini-{i},Synthetic initiative {i},2G-{rng.randint(1, 11)},local,Synthetic actor,state,"
            f"{dates[0]},{dates[1]},{rng.randint(1, 50) * 100000},programme,,completed,{used},Generated.,"
            f"Generated.,{why},verified,bench-synthetic"
        )
    (d / "initiatives.csv").write_text("\n".join(ini) + "\n", encoding="utf-8")
    (d / "acronyms.csv").write_text("acronym,expansion,language\nSYN,Synthetic acronym,\n", encoding="utf-8")
    (d / "references.yaml").write_text(
        "- id: bench-synthetic\n  type: dataset\n  author: [Benchmark generator]\n  year: 2026\n"
        "  title: Synthetic data generated for benchmarking (not real)\n",
        encoding="utf-8",
    )
    text = (
        "## Overview\n\nSynthetic country. The homicide rate went from "
        "{{ series.homicide_rate.first.value | num(1) }} in {{ series.homicide_rate.first.year }} to "
        "{{ series.homicide_rate.latest.value | num(1) }} [@bench-synthetic].\n\n"
        "## Coding\n\nDesign index {{ rq1.design_index | num(0) }}, practice "
        "{{ rq1.practice_index | num(0) }}.\n\n" + "Filler paragraph of synthetic prose. " * 40 + "\n"
    )
    for report in ("orthodox", "second-generation"):
        (d / "narrative" / f"{report}.md").write_text(text, encoding="utf-8")


def make_project(dest: Path, n: int) -> Path:
    for name in ("Snakefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(ROOT / "workflow", dest / "workflow", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", dest / "templates")
    shutil.copytree(ROOT / "profiles", dest / "profiles")
    shutil.copytree(ROOT / "inputs" / "codebook", dest / "inputs" / "codebook")
    shutil.copytree(ROOT / "inputs" / "panels", dest / "inputs" / "panels")  # the real donor pool
    (dest / "inputs" / "synthesis").mkdir()
    (dest / "inputs" / "synthesis" / "narrative.md").write_text(
        "## Overview\n\n{{ study.n_countries }} synthetic cases; mean gap {{ study.mean_gap_index | num(1) }}"
        " [@oecd-2007].\n",
        encoding="utf-8",
    )
    (dest / "inputs" / "synthesis" / "references.yaml").write_text("[]\n", encoding="utf-8")
    rng = random.Random(20261128)
    slugs = []
    for k in range(1, n + 1):
        make_country(dest / "inputs", k, rng)
        slugs.append(f"synthland-{k:03d}")
    config = (ROOT / "config.yaml").read_text(encoding="utf-8")
    start = config.index("countries:")
    end = config.index("\n\n", start)
    config = (
        config[:start] + "countries:\n" + "".join(f"  - {s}\n" for s in slugs).rstrip("\n") + config[end:]
    )
    (dest / "config.yaml").write_text(config, encoding="utf-8")
    return dest


class PeakMemory:
    """Samples the resident memory of every process below a root process."""

    def __init__(self, pid: int):
        self.pid, self.peak, self.peak_cmd, self._stop = pid, 0, "", False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self._stop:
            try:
                for child in psutil.Process(self.pid).children(recursive=True):
                    try:
                        rss = child.memory_info().rss
                        if rss > self.peak:
                            self.peak, self.peak_cmd = rss, " ".join(child.cmdline()[-1:])[:120]
                    except psutil.Error:
                        pass
            except psutil.Error:
                return
            time.sleep(0.1)

    def stop(self):
        self._stop = True
        self.thread.join()


def run(project: Path, *args) -> tuple[float, str, PeakMemory]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [str(SNAKEMAKE), "--cores", str(CORES), *args],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    mem = PeakMemory(proc.pid)
    out, _ = proc.communicate()
    mem.stop()
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(out[-3000:])
    return elapsed, out, mem


def job_counts(out: str) -> dict:
    counts, in_table = {}, False
    for line in out.splitlines():
        if line.startswith("job ") and "count" in line:
            in_table = True
            continue
        if in_table:
            parts = line.split()
            if len(parts) == 2 and parts[1].isdigit():
                if parts[0] == "total":
                    break
                counts[parts[0]] = int(parts[1])
    return counts


def floor(project: Path) -> dict:
    """The floor of the issue: WeasyPrint laying out every report again and every effect
    estimate made again, in one warm process (benchmarks/floor.py), divided by the cores."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "floor.py"), str(project)],
        check=True,
        capture_output=True,
        text=True,
    )
    work = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        "pdfs": work["pdfs"],
        "pdf_floor_s": work["pdf_s"] / CORES,
        "effects_floor_s": work["effects_s"] / CORES,
        "floor_s": (work["pdf_s"] + work["effects_s"]) / CORES,
    }


def job_seconds(project: Path, rule: str) -> float:
    """The longest run of a rule in the last build, from Snakemake's metadata records."""
    longest = 0.0
    for record in (project / ".snakemake" / "metadata").iterdir():
        data = json.loads(record.read_text(encoding="utf-8"))
        if data.get("rule") == rule and data.get("starttime") and data.get("endtime"):
            longest = max(longest, data["endtime"] - data["starttime"])
    return longest


def _timed(cmd: list[str], cwd) -> tuple[float, str]:
    t0 = time.perf_counter()
    res = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=True)
    return time.perf_counter() - t0, res.stdout + res.stderr  # Snakemake 9 reports on stderr


def noop_and_bare(project: Path) -> tuple[float, float]:
    """Best of three no-op runs and best of three bare `snakemake -n`, taken alternately, so a
    host whose speed drifts (it does here, by up to twice) affects both alike."""
    noops, bares = [], []
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "Snakefile").write_text("rule all:\n    input: []\n", encoding="utf-8")
        for _ in range(3):
            t, out = _timed([str(SNAKEMAKE), "--cores", str(CORES)], project)
            assert "Nothing to be done" in out, out[-2000:]
            noops.append(t)
            bares.append(_timed([str(SNAKEMAKE), "-n", "--cores", str(CORES)], tmp)[0])
    return min(noops), min(bares)


def measure(n: int) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"ssr-bench-{n}-") as tmp:
        project = make_project(Path(tmp), n)
        cold, out, mem = run(project)
        jobs_cold = sum(job_counts(out).values())
        synthesis_s = job_seconds(project, "render_synthesis")
        work = floor(project)
        noop, bare = noop_and_bare(project)
        ind = project / "inputs" / "synthland-001" / "indicators.csv"
        text = ind.read_text(encoding="utf-8").split("\n")
        cells = text[1].split(",")
        cells[2] = f"{float(cells[2]) + 1:.4f}"
        text[1] = ",".join(cells)
        ind.write_text("\n".join(text), encoding="utf-8")
        edit, out_edit, _ = run(project)
        counts = job_counts(out_edit)
    per_report = {"render_report"}
    only_one = all(
        counts.get(r, 0) <= (2 if r in per_report else 1)
        for r in ("validate_inputs", "country_indicators", *per_report)
    )
    return {
        "n": n,
        "cold_s": cold,
        "jobs": jobs_cold,
        "noop_s": noop,
        "bare_dry_run_s": bare,
        "edit_s": edit,
        "edit_jobs": sum(counts.values()),
        "edit_only_one_country": only_one,
        "peak_mb": mem.peak / 2**20,
        "peak_job": mem.peak_cmd,
        "synthesis_s": synthesis_s,
        **work,
        "cold_per_country_s": cold / n,
    }


COLUMNS = [
    ("N", lambda r: f"{r['n']}"),
    ("cold build (s)", lambda r: f"{r['cold_s']:.1f}"),
    ("jobs", lambda r: f"{r['jobs']}"),
    ("PDF floor (s)", lambda r: f"{r['pdf_floor_s']:.1f}"),
    ("effects floor (s)", lambda r: f"{r['effects_floor_s']:.1f}"),
    ("cold / floor", lambda r: f"{r['cold_s'] / r['floor_s']:.2f}"),
    ("no-op (s)", lambda r: f"{r['noop_s']:.2f}"),
    ("bare -n (s)", lambda r: f"{r['bare_dry_run_s']:.2f}"),
    ("no-op / bare -n", lambda r: f"{r['noop_s'] / r['bare_dry_run_s']:.2f}"),
    ("edit one country (s)", lambda r: f"{r['edit_s']:.1f}"),
    ("jobs rerun", lambda r: f"{r['edit_jobs']}"),
    ("only that country + cross-case", lambda r: "yes" if r["edit_only_one_country"] else "NO"),
    ("peak job memory (MB)", lambda r: f"{r['peak_mb']:.0f}"),
    ("synthesis render (s)", lambda r: f"{r['synthesis_s']:.1f}"),
]


def table(results: list[dict]) -> str:
    lines = ["| " + " | ".join(name for name, _ in COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for r in results:
        lines.append("| " + " | ".join(cell(r) for _, cell in COLUMNS) + " |")
    return "\n".join(lines)


def targets(results: list[dict]) -> list[str]:
    """The issue's targets, each checked against the measurements."""

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    lines = []
    for r in results:
        cold, noop = r["cold_s"] / r["floor_s"], r["noop_s"] / r["bare_dry_run_s"]
        lines.append(
            f"- N = {r['n']}: cold / floor {cold:.2f} (<= 1.3: {verdict(cold <= 1.3)}); "
            f"no-op / bare {noop:.2f} (<= 1.5: {verdict(noop <= 1.5)}); one-country edit reruns only "
            f"that country and the cross-case jobs: {verdict(r['edit_only_one_country'])}; peak job "
            f"memory {r['peak_mb']:.0f} MB (< 1024: {verdict(r['peak_mb'] < 1024)}); synthesis render "
            f"{r['synthesis_s']:.0f} s (< 60: {verdict(r['synthesis_s'] < 60)})"
        )
    return lines


def write(results: list[dict], out: Path) -> str:
    machine = (
        f"{platform.node()}: {platform.processor() or platform.machine()}, {psutil.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB RAM, Python {platform.python_version()}, "
        f"{platform.platform()}"
    )
    md = [
        "# Benchmark results",
        "",
        f"Machine: {machine}. Snakemake run with `--cores {CORES}`.",
        "A bare `snakemake -n` on an empty workflow is timed beside each no-op (column bare -n).",
        "",
        table(results),
        "",
        "Targets:",
        "",
        *targets(results),
        "",
        "Produced by `.venv/bin/python benchmarks/run.py`; synthetic countries only.",
        "",
    ]
    out.write_text("\n".join(md), encoding="utf-8")
    out.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return "\n".join(md)


def warm_page_cache() -> None:
    """Build 4 countries once and discard the timing. "Cold" means no outputs, not a machine
    whose page cache lost the environment's libraries: with the cache dropped
    (`echo 3 > /proc/sys/vm/drop_caches`) the N = 4 build took 37.3 s, and 21.3 s right after.
    """
    with tempfile.TemporaryDirectory(prefix="ssr-bench-warm-") as tmp:
        run(make_project(Path(tmp), 4))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, nargs="+", default=[4, 20, 100, 200])
    p.add_argument("--out", default=str(ROOT / "benchmarks" / "results.md"))
    args = p.parse_args()
    warm_page_cache()
    results = []
    for n in args.n:
        results.append(measure(n))
        print(json.dumps(results[-1]), flush=True)
        md = write(results, Path(args.out))  # after each N, so a long run keeps what it measured
    print(md)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
