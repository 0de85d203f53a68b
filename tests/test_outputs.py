"""Writing results: through a temporary file that never outlives a failure."""

import pytest
from ssr_pipeline.errors import OutputError
from ssr_pipeline.io import copy_atomic, write_text_atomic


def test_a_folder_in_the_way_is_reported_and_no_temporary_file_remains(tmp_path):
    (tmp_path / "report.html" / "x").mkdir(parents=True)
    with pytest.raises(OutputError) as exc:
        write_text_atomic(tmp_path / "report.html", "<p>new</p>")
    assert (
        str(exc.value)
        == f"{tmp_path}/report.html: is a folder where this file goes; move it away and run again"
    )
    with pytest.raises(OutputError):
        copy_atomic(__file__, tmp_path / "report.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_a_failed_write_removes_its_temporary_file(tmp_path, monkeypatch):
    import os

    def broken(src, dest):
        raise OSError(28, "No space left on device")

    (tmp_path / "out.json").write_text("last good", encoding="utf-8")
    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        write_text_atomic(tmp_path / "out.json", "new")
    with pytest.raises(OSError):
        copy_atomic(__file__, tmp_path / "out.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]
    assert (tmp_path / "out.json").read_text(encoding="utf-8") == "last good"


def test_a_job_stopped_with_sigterm_removes_its_temporary_file(tmp_path):
    import signal
    import subprocess
    import sys
    from pathlib import Path

    script = tmp_path / "job.py"
    script.write_text(
        f"""
import sys, time
sys.path.insert(0, {str(Path(__file__).resolve().parent.parent / "workflow")!r})
from pathlib import Path
from ssr_pipeline import snake
from ssr_pipeline.io import remove_tmp

class Job:  # what snake.run reads of Snakemake's object: its log and config
    log = []
    config = {{}}

def main(sm, log):
    tmp = Path({str(tmp_path)!r}) / "report.pdf.tmp"
    try:
        tmp.write_text("half a PDF")
        print("writing", flush=True)
        time.sleep(60)
    finally:
        remove_tmp(tmp)

snake.run(Job, main)
""",
        encoding="utf-8",
    )
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 128 + signal.SIGTERM
    assert not (tmp_path / "report.pdf.tmp").exists()
