"""The warm workers that run the rules' scripts (workflow/ssr_pipeline/warm.py)."""

import multiprocessing.forkserver
import os
import shutil
import signal
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from ssr_pipeline import warm

SCRIPT = """
from pathlib import Path
import os, sys
sys.path.insert(0, "/nowhere")
Path(snakemake.output[0]).write_text(
    f"{snakemake.wildcards['country']} {snakemake.config['study']} {os.getpid()}", encoding="utf-8"
)
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with workflow/scripts/<rule>.py, and a pool that imports nothing heavy."""
    scripts = tmp_path / "workflow" / "scripts"
    scripts.mkdir(parents=True)
    (scripts / "write_it.py").write_text(SCRIPT, encoding="utf-8")
    (scripts / "exit_3.py").write_text("import sys\nsys.exit(3)\n", encoding="utf-8")
    (scripts / "exit_none.py").write_text("import sys\nsys.exit()\n", encoding="utf-8")
    (scripts / "exit_why.py").write_text("import sys\nsys.exit('why it stopped')\n", encoding="utf-8")
    (scripts / "buggy.py").write_text("1 / 0\n", encoding="utf-8")
    (scripts / "slow.py").write_text("import time\ntime.sleep(60)\n", encoding="utf-8")
    monkeypatch.setattr(warm, "PRELOAD", [])
    monkeypatch.setattr(warm, "_pool", None)
    multiprocessing.forkserver._forkserver._stop()  # each test's pool starts from its project
    yield tmp_path
    if warm._pool is not None:
        warm._pool.shutdown(cancel_futures=True)
    multiprocessing.forkserver._forkserver._stop()


def workflow_at(root: Path, cores=2, main=True):
    return SimpleNamespace(
        basedir=str(root), config={"study": "S"}, cores=cores, is_main_process=main, local_exec=True
    )


def run(root, rule, out, cores=2, main=True):
    warm.run(workflow_at(root, cores, main), rule, [], [str(out)], [], {"country": "x"}, [])


def test_a_script_runs_with_its_job_bound_to_snakemake(project):
    out = project / "out.txt"
    run(project, "write_it", out)
    country, study, pid = out.read_text(encoding="utf-8").split()
    assert (country, study) == ("x", "S")
    assert int(pid) != os.getpid()  # in a worker, not in Snakemake's process


def test_workers_are_reused_and_keep_no_trace_of_a_job(project):
    pids = set()
    for k in range(6):
        out = project / f"out{k}.txt"
        run(project, "write_it", out)
        pids.add(out.read_text(encoding="utf-8").split()[2])
    assert 1 <= len(pids) <= 2  # two workers for two cores, whatever the number of jobs
    # The script's sys.path.insert does not pile up in the worker.
    path = warm._pool.submit(_sys_path).result()
    assert path.count("/nowhere") == 0


def _sys_path():
    return list(sys.path)


def test_a_worker_leaves_what_it_inherited_out_of_garbage_collection(project, monkeypatch):
    # A module preloaded by the forkserver stands for the heavy libraries.
    (project / "workflow" / "heavy_preload.py").write_text(
        "OBJECTS = [[k] for k in range(50_000)]\n", encoding="utf-8"
    )
    monkeypatch.setattr(warm, "PRELOAD", ["heavy_preload"])
    run(project, "write_it", project / "out.txt")
    frozen, tracked = warm._pool.submit(_gc_counts).result()
    assert frozen >= 50_000  # the preloaded objects, and what the interpreter brought
    assert tracked < frozen  # a collection walks only what jobs made since


def _gc_counts():
    import gc

    return gc.get_freeze_count(), len(gc.get_objects())


def test_one_worker_outside_the_main_process_of_a_local_run(project):
    assert warm.workers_for(workflow_at(project, cores=8)) == 8
    assert warm.workers_for(workflow_at(project, cores=8, main=False)) == 1
    cluster = workflow_at(project, cores=8)
    cluster.local_exec = False
    assert warm.workers_for(cluster) == 1


def test_a_failing_script_fails_the_job_with_its_status(project, capsys):
    with pytest.raises(warm.JobFailed, match="exit_3 failed \\(exit status 3\\)"):
        run(project, "exit_3", project / "o")
    with pytest.raises(warm.JobFailed, match="buggy failed \\(exit status 1\\)"):
        run(project, "buggy", project / "o")
    # What the worker prints for a bug: the script's traceback, as a script job shows it.
    buggy = project / "workflow" / "scripts" / "buggy.py"
    assert warm.execute(str(buggy), None) == 1
    err = capsys.readouterr().err
    assert 'buggy.py", line 1' in err and "ZeroDivisionError" in err
    # sys.exit() is a success and sys.exit("why") a failure that says why, as in a process of its own.
    scripts = project / "workflow" / "scripts"
    assert warm.execute(str(scripts / "exit_none.py"), None) == 0
    assert warm.execute(str(scripts / "exit_why.py"), None) == 1
    assert "why it stopped" in capsys.readouterr().err
    # The worker that ran them goes on with the next job.
    run(project, "write_it", project / "after.txt")
    assert (project / "after.txt").exists()


def test_a_killed_worker_fails_its_job_and_the_next_job_gets_a_new_pool(project):
    errors = []

    def slow():
        try:
            run(project, "slow", project / "o", cores=1)
        except warm.JobFailed as exc:
            errors.append(str(exc))

    t = threading.Thread(target=slow)
    t.start()
    pool = None
    for _ in range(200):
        pool = warm._pool
        if pool is not None and pool._processes:
            break
        threading.Event().wait(0.05)
    threading.Event().wait(0.5)
    for pid in list(pool._processes):
        os.kill(pid, signal.SIGKILL)  # as the out-of-memory killer would
    t.join(timeout=30)
    assert errors == ["the worker process running rule slow was killed"]
    run(project, "write_it", project / "after.txt", cores=1)
    assert warm._pool is not pool
    assert (project / "after.txt").read_text(encoding="utf-8").startswith("x S")


def test_workers_import_the_package_of_the_project_they_build(project, monkeypatch):
    # Not the copy the environment's .pth names: a project copy (a test's, a benchmark's)
    # reads its own templates/locale through its own package.
    shutil.copytree(Path(warm.__file__).parent, project / "workflow" / "ssr_pipeline")
    (project / "workflow" / "scripts" / "where.py").write_text(
        "import ssr_pipeline\nfrom pathlib import Path\n"
        "Path(snakemake.output[0]).write_text(ssr_pipeline.__file__, encoding='utf-8')\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(warm, "PRELOAD", ["ssr_pipeline.warm"])
    run(project, "where", project / "where.txt")
    assert Path((project / "where.txt").read_text(encoding="utf-8")).is_relative_to(project)
