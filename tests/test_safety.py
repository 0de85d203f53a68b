"""Untrusted text stays inert, builds are byte-identical, and killed runs recover."""

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import SNAKEMAKE, copy_project, job_process, run_snakemake, svg_texts

# Builds the workflow (or drives a browser): the slow tier, skipped by `pytest -m "not slow"`.
pytestmark = pytest.mark.slow

ONE = ["el-salvador"]


def files_under(results: Path) -> dict:
    return {str(p.relative_to(results)): p.read_bytes() for p in sorted(results.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def clean_build(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("clean-a"), countries=ONE)
    res = run_snakemake(project)
    assert res.returncode == 0, res.stderr[-3000:]
    return project


def test_two_clean_builds_are_byte_identical(clean_build, tmp_path):
    other = copy_project(tmp_path, countries=ONE)
    res = run_snakemake(other)
    assert res.returncode == 0, res.stderr[-3000:]
    a, b = files_under(clean_build / "results"), files_under(other / "results")
    assert sorted(a) == sorted(b)
    assert any(k.endswith(".pdf") for k in a) and any(k.endswith(".svg") for k in a)
    different = [k for k in a if a[k] != b[k]]
    assert different == []


def _start_and_wait_for_rendering(project: Path):
    # A shell that starts the tests in the background leaves SIGINT ignored, and children
    # inherit that; restore the default so Snakemake reacts to Ctrl-C as in a terminal.
    proc = subprocess.Popen(
        [str(SNAKEMAKE), "--cores", "2"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509 (no threads here)
    )
    deadline = time.time() + 300
    # render_report writes the HTML first (to the staging tree), then spends seconds in
    # WeasyPrint on the PDF.
    reports = project / "results/build/reports/el-salvador"
    while time.time() < deadline and not any(reports.glob("*.html")):
        time.sleep(0.1)
    assert any(reports.glob("*.html")), "rendering never started"
    time.sleep(0.5)  # WeasyPrint is now part-way through a PDF
    return proc


def _pdf_workers(project: Path) -> list[int]:
    # The worker process rendering a report names itself at the top of the job's log.
    pids = [job_process(log) for log in (project / "logs/render_report/el-salvador").glob("*.log")]
    return [pid for pid in pids if pid and Path(f"/proc/{pid}").exists()]


def _assert_same_as_clean(project: Path, clean: Path):
    got, want = files_under(project / "results"), files_under(clean / "results")
    assert sorted(got) == sorted(want)
    assert [k for k in got if got[k] != want[k]] == []


def test_a_run_stopped_during_rendering_is_recovered_by_the_next(clean_build, tmp_path):
    project = copy_project(tmp_path, countries=ONE)
    proc = _start_and_wait_for_rendering(project)
    # Ctrl-C in the terminal, pressed again until Snakemake stops: a SIGINT that lands while
    # Snakemake is inside one of its asyncio calls can be swallowed, as a user would notice.
    for _ in range(120):
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=1)
            break
        except subprocess.TimeoutExpired:
            continue
    assert proc.returncode is not None and proc.returncode != 0
    assert not (project / "results/index.html").exists()
    res = run_snakemake(project)
    assert res.returncode == 0, (res.stdout + res.stderr)[-3000:]
    _assert_same_as_clean(project, clean_build)


def test_a_render_job_killed_outright_leaves_no_partial_pdf(clean_build, tmp_path):
    project = copy_project(tmp_path, countries=ONE)
    proc = _start_and_wait_for_rendering(project)
    workers = _pdf_workers(project)
    if not workers:
        os.killpg(proc.pid, signal.SIGKILL)
    assert workers, "no PDF job running"
    for pid in workers:
        os.kill(pid, signal.SIGKILL)  # as the kernel's out-of-memory killer would
    proc.wait(timeout=300)
    assert proc.returncode != 0
    for pdf in (project / "results/reports").rglob("*.pdf"):
        assert pdf.read_bytes().rstrip().endswith(b"%%EOF"), pdf
    res = run_snakemake(project)
    assert res.returncode == 0, (res.stdout + res.stderr)[-3000:]
    _assert_same_as_clean(project, clean_build)


PAYLOADS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "[click me](javascript:alert(1))",
    '<img src="file:///etc/passwd">',
    "<style>body { background: url(http://127.0.0.1:9/leak.png) }</style>",
    '<iframe src="http://127.0.0.1:9/"></iframe>',
]


# Links that must not stay live, and text that looks like the pipeline's own placeholders.
HOSTILE_NARRATIVE = """

## Links and look-alikes

[share](//host/share) [unc](\\\\host\\share) [smb](smb://host/share) [up](../../../../etc/passwd)
[file](file:///etc/passwd) [web](https://example.org/ok) [mail](mailto:team@example.org) [top](#narrative)

Typed as text: ZZCLAIM0ZZ, ZZCITE0ZZ and ZZCLAIM99ZZ.
"""
# An initiative's name with matplotlib mathtext in it: it used to crash the figure job.
MATH_NAME = r"Gang truce $\nosuchmacro$ (US$5m)"


@pytest.fixture(scope="module")
def injected(tmp_path_factory):
    """One build of a project whose narrative and inventory carry every payload below."""
    project = copy_project(tmp_path_factory.mktemp("injected"), countries=ONE)
    nar = project / "inputs/el-salvador/narrative/orthodox.md"
    nar.write_text(
        nar.read_text(encoding="utf-8")
        + "\n\n## Injected\n\n"
        + "\n\n".join(PAYLOADS)
        + "\n"
        + HOSTILE_NARRATIVE,
        encoding="utf-8",
    )
    ini = project / "inputs/el-salvador/initiatives.csv"
    text = ini.read_text(encoding="utf-8")
    cell = " ".join(PAYLOADS + ["{{ ''.__class__ }}"])
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    head = rows[0]
    rows[1][head.index("description")] = cell
    rows[1][head.index("name")] = '=HYPERLINK("http://127.0.0.1:9")'
    truce = next(r for r in rows if r[0] == "gang-truce")
    truce[head.index("name")] = MATH_NAME
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    ini.write_text(buf.getvalue(), encoding="utf-8")
    res = run_snakemake(project)
    assert res.returncode == 0, (res.stdout + res.stderr)[-3000:]
    return project


def test_injected_markup_is_inert_and_nothing_is_fetched(injected):
    project = injected
    for report in ("orthodox", "second-generation"):
        html = (project / f"results/reports/el-salvador/{report}.html").read_text(encoding="utf-8")
        low = html.lower()
        assert "<script" not in low
        assert "<iframe" not in low
        assert "<img" not in low
        assert 'href="javascript:' not in low
        assert not __import__("re").search(r"<[a-z][^>]*\son[a-z]+=", low)
        assert "url(http" not in low.split("</style>")[-1] or "&lt;style&gt;" in low
        log = (project / f"logs/render_report/el-salvador/{report}.log").read_text(encoding="utf-8")
        assert "blocked fetch" not in log
        fetched = [line for line in log.splitlines() if "fetched:" in line]
        assert fetched and all(line.rstrip().endswith(".ttf") for line in fetched)
    html = (project / "results/reports/el-salvador/second-generation.html").read_text(encoding="utf-8")
    # The CSV text arrives escaped and the Jinja expression is shown, not run.
    assert "&lt;script&gt;" in html and "{{ &#39;&#39;.__class__ }}" in html
    csv_text = (project / "results/indicators/comparative.csv").read_text(encoding="utf-8")
    assert "=HYPERLINK" not in csv_text or "'=HYPERLINK" in csv_text


def test_only_web_mail_and_anchor_links_stay_live_in_the_html(injected):
    html = (injected / "results/reports/el-salvador/orthodox.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert "https://example.org/ok" in hrefs and "mailto:team@example.org" in hrefs and "#narrative" in hrefs
    assert [h for h in hrefs if re.search(r"host|passwd|smb:|file:|javascript:", h)] == []
    for typed in (
        "[share](//host/share)",
        "[unc](\\host\\share)",
        "[smb](smb://host/share)",
        "[up](../../../../etc/passwd)",
        "[file](file:///etc/passwd)",
    ):
        assert typed in html, typed


def test_only_web_and_mail_links_become_pdf_link_annotations(injected):
    pdf = injected / "results/reports/el-salvador/orthodox.pdf"
    out = subprocess.run(["pdfinfo", "-url", str(pdf)], capture_output=True, text=True, check=True).stdout
    urls = [line.split()[-1] for line in out.splitlines()[1:] if "Annotation" in line]
    assert "https://example.org/ok" in urls and "mailto:team@example.org" in urls
    assert [u for u in urls if not u.startswith(("https://", "http://", "mailto:"))] == []
    assert [u for u in urls if "host" in u or "passwd" in u] == []


def test_text_that_looks_like_a_placeholder_renders_as_typed(injected):
    html = (injected / "results/reports/el-salvador/orthodox.html").read_text(encoding="utf-8")
    assert "Typed as text: ZZCLAIM0ZZ, ZZCITE0ZZ and ZZCLAIM99ZZ." in html
    fragment = json.loads(
        (injected / "results/build/narrative/el-salvador/orthodox.json").read_text(encoding="utf-8")
    )
    assert "ZZCITE0ZZ" in fragment["html"]
    # The markers stay text: no claim or citation was made of them, and the page's real claims
    # keep their numbers.
    assert all("ZZ" not in c["text"] for c in fragment["claims"])
    assert [c["n"] for c in fragment["claims"]] == list(range(1, len(fragment["claims"]) + 1))


def test_dollar_signs_in_a_name_are_drawn_and_printed_as_typed(injected):
    html = (injected / "results/reports/el-salvador/second-generation.html").read_text(encoding="utf-8")
    assert MATH_NAME in html
    log = (injected / "logs/country_indicators/el-salvador.log").read_text(encoding="utf-8")
    assert "rq2_timeline: drawn" in log
    svg = (injected / "results/figures/el-salvador/rq2_timeline.svg").read_text(encoding="utf-8")
    # Drawn as typed, as text in the upright face: no mathtext italics, no lost backslash.
    drawn = svg_texts(svg)
    assert MATH_NAME in re.sub(r"\s+", " ", " ".join(drawn)), drawn
    assert "italic" not in svg and "oblique" not in svg.lower()


def test_publish_removes_temporary_files_a_killed_job_left_behind(clean_build):
    stray = clean_build / "results/reports/el-salvador/orthodox.pdf.tmp"
    stray.write_bytes(b"%PDF-1.7 half a file")
    before = {k: v for k, v in files_under(clean_build / "results").items() if not k.endswith(".tmp")}
    res = run_snakemake(clean_build, "--forcerun", "publish")
    assert res.returncode == 0, (res.stdout + res.stderr)[-3000:]
    assert "localrule publish:" in res.stdout + res.stderr
    assert not stray.exists()
    assert files_under(clean_build / "results") == before


def test_the_published_manifest_lists_every_published_file_and_a_lost_one_comes_back(clean_build):
    import hashlib

    results = clean_build / "results"
    listed = json.loads((results / "manifest.json").read_text(encoding="utf-8"))["files"]
    published = {
        k: v
        for k, v in files_under(results).items()
        if not k.startswith(("build/", "preview/")) and k != "manifest.json"
    }
    assert sorted(listed) == sorted(published)
    assert "reports/el-salvador/orthodox.pdf" in listed and "index.html" in listed
    for path, entry in listed.items():
        assert entry == {"bytes": len(published[path]), "sha256": hashlib.sha256(published[path]).hexdigest()}
    # Rule all names a published file only when it is missing; one deleted by hand is restored.
    lost = results / "figures/el-salvador/outcome.svg"
    kept = lost.read_bytes()
    lost.unlink()
    res = run_snakemake(clean_build)
    assert res.returncode == 0, (res.stdout + res.stderr)[-3000:]
    assert "localrule publish:" in res.stdout + res.stderr
    assert lost.read_bytes() == kept
    assert "Nothing to be done" in run_snakemake(clean_build, "--dry-run").stdout
