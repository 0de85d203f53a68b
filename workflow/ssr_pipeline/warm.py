"""Run the rules' scripts in warm worker processes instead of one new Python per job.

A `script:` job starts Python, Snakemake's preamble, and imports WeasyPrint, matplotlib
and pandas before it does a second of work; that start-up cost more CPU than the work
itself outside the PDF layout (benchmarks/results.md). Here each rule's `run:` block hands
its script (`workflow/scripts/<rule>.py`, the same file a `script:` directive would run)
to a pool of worker processes. The pool's processes are forked from a forkserver that
imported the heavy libraries once, so every worker starts warm, and each one runs many
jobs. Snakemake still schedules, logs and checks every job as before.

The main Snakemake process of a local run (with --force-use-threads, set in
profiles/default) keeps one worker per core. Anywhere else (a cluster job, or a job
Snakemake spawned as a process of its own) the job is the process's only work, and one
worker runs it.
"""

from __future__ import annotations

import concurrent.futures
import gc
import multiprocessing
import multiprocessing.forkserver
import os
import runpy
import sys
import threading
import traceback
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Imported once in the forkserver, shared by every worker it forks.
PRELOAD = [
    "ssr_pipeline.warm",
    "ssr_pipeline.snake",
    "ssr_pipeline.inputs",
    "ssr_pipeline.indicators",
    "ssr_pipeline.figures",
    "ssr_pipeline.narrative",
    "ssr_pipeline.report.html",
    "ssr_pipeline.report.pdf",
    "ssr_pipeline.report.country",
    "ssr_pipeline.report.synthesis",
    "ssr_pipeline.effects.its",
    "ssr_pipeline.effects.synth",
    "snakemake.io",
    "weasyprint",
    "matplotlib.pyplot",
    "pandas",
    # What effects/ imports where it estimates (statsmodels.api would add a second).
    "statsmodels.regression.linear_model",
    "statsmodels.stats.stattools",
    "scipy.stats",
    "scipy.optimize",
]

# A worker is replaced after this many jobs, so that what WeasyPrint and matplotlib keep
# between documents cannot pile up over a study of hundreds of countries.
MAX_JOBS_PER_WORKER = 40


class JobFailed(Exception):
    """A script ended with a non-zero status; it has already said why on stderr and in its log."""


@dataclass
class Job:
    """What Snakemake's `snakemake` object gives a script, in a form a worker can receive."""

    rule: str
    scriptdir: str
    input: Any
    output: Any
    params: Any
    wildcards: Any
    log: Any
    config: dict


_lock = threading.Lock()
_pool: concurrent.futures.ProcessPoolExecutor | None = None


def _new_pool(workers: int, preload: list[str], package_dir: Path) -> concurrent.futures.ProcessPoolExecutor:
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(preload)
    # The forkserver of Python 3.11 does not take its parent's sys.path: without this it
    # would import ssr_pipeline from wherever the environment's .pth points (another checkout,
    # with its own templates/locale), not from this project. Started now, with the project's
    # package first on its path; the environment is restored once it runs.
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(package_dir), saved]))
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        if saved is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = saved
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=ctx,
        max_tasks_per_child=MAX_JOBS_PER_WORKER,
        initializer=_freeze_inherited,
    )


def _freeze_inherited() -> None:
    """In a new worker: leave the objects it inherited out of garbage collection.

    The preloaded libraries are about 200,000 objects the collector tracks, and no job frees
    them. Each full collection during a job walked them all, and WeasyPrint's layout
    allocates enough to set off many: six PDFs took 15.8 and 16.5 s in a process with the
    libraries preloaded, and 12.7 to 14.2 s once they were frozen (benchmarks/results.md).
    Frozen, they are never walked, and the collector does not write to the pages the worker
    shares with the forkserver either.
    """
    gc.freeze()


def _get_pool(workflow, package_dir: Path) -> concurrent.futures.ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            # A process that runs one job imports only what that job's script needs.
            preload = PRELOAD if _local_main(workflow) else []
            _pool = _new_pool(workers_for(workflow), preload, package_dir)
        return _pool


def _drop_pool(pool) -> None:
    # A worker that was killed (the out-of-memory killer, a user's kill) breaks the pool; the
    # jobs that were on it fail, and later jobs get a new one.
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None


def _local_main(workflow) -> bool:
    return bool(workflow.is_main_process and workflow.local_exec)


def workers_for(workflow) -> int:
    """One worker per core in the main process of a local run; one anywhere else."""
    return max(1, int(workflow.cores)) if _local_main(workflow) else 1


def run(workflow, rule: str, input, output, params, wildcards, log) -> None:
    """Run workflow/scripts/<rule>.py for this job in a warm worker; raise if it fails."""
    scriptdir = Path(workflow.basedir) / "workflow" / "scripts"
    job = Job(
        rule=rule,
        scriptdir=str(scriptdir),
        input=input,
        output=output,
        params=params,
        wildcards=wildcards,
        log=log,
        config=workflow.config,
    )
    pool = _get_pool(workflow, scriptdir.parent)
    try:
        status = pool.submit(execute, str(scriptdir / f"{rule}.py"), job).result()
    except BrokenProcessPool:
        _drop_pool(pool)
        raise JobFailed(f"the worker process running rule {rule} was killed") from None
    if status:
        raise JobFailed(f"rule {rule} failed (exit status {status}); its message is above")


def execute(script: str, job: Job) -> int:
    """In a worker: run one script as Snakemake would, with `snakemake` bound to the job."""
    path = list(sys.path)
    try:
        runpy.run_path(script, init_globals={"snakemake": job}, run_name="__snakemake__")
    except SystemExit as exc:
        # As the interpreter treats it: sys.exit() is success, sys.exit("why") prints why.
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    except Exception:  # noqa: BLE001 (a script's bug: shown as a script job would show it; the worker goes on)
        traceback.print_exc()
        return 1
    finally:
        sys.path[:] = path
        sys.stdout.flush()
        sys.stderr.flush()
    return 0
