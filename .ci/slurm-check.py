"""Run the workflow through profiles/slurm on a live Slurm cluster and check the result.

    .venv/bin/python .ci/slurm-check.py [--reference PROJECT] [--keep] [--skip-recovery] [--summary FILE]

Needs a running cluster (`bash .ci/slurm-up.sh`, or a real one seen from a login node) and
the executor plugin from requirements.txt. On fresh copies of the project it

1. builds the shipped config locally (`snakemake --cores 2`) and through Slurm
   (`snakemake --workflow-profile profiles/slurm`, the profile as shipped), checks that
   every job except the workflow's declared `localrules` (`all`, and `build_manifest` and
   `publish`, which list the staged build and copy it to results/) ran as its own Slurm
   job and completed (Snakemake's "submitted with SLURM jobid" lines against Slurm's
   records of the run), that the profile's memory and time reached Slurm, and that both
   `results/` trees are identical byte for byte;
2. tests recovery on a two-country copy: starts a Slurm run, cancels a `render_report`
   job with `scancel` while it renders its PDF, lets Snakemake stop, runs again, and
   checks the outputs equal a local build of the same copy, no `*.tmp` file is left and a
   further run has nothing to do.

`--reference PROJECT` skips the local build of step 1 and compares with PROJECT/results
instead, after checking that a dry run there has nothing to do; CI passes the clone that
workflow/bootstrap.sh has just built. PROJECT must be a clean git checkout: the Slurm build
then runs in a `git clone` of it, so both snapshot.json files name the same commit.

The first run of step 2 passes `--retries 0`: with the profile's `retries: 1` Snakemake
would resubmit the cancelled job by itself, and we want the stop-and-rerun path.

Slurm's records of a run come from the jobcomp/filetxt log that .ci/slurm-up.sh enables,
or from `squeue --states=all` (finished jobs stay there for MinJobAge) on other clusters.
Exits 1 with a message naming each difference.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SNAKEMAKE = ROOT / ".venv/bin/snakemake"
PROFILE = "profiles/slurm"
RECOVERY_COUNTRIES = ["el-salvador", "sierra-leone"]
RUN_TIMEOUT = 1200  # seconds for any one Snakemake run

sys.path.insert(0, str(ROOT / "tests"))
from conftest import copy_project  # the test suite's clean copy of the project

sys.path.insert(0, str(ROOT / "workflow"))
from ssr_pipeline.provenance import code_version

SUBMITTED = re.compile(r"^Job (\d+) has been submitted with SLURM jobid (\d+) \(log: (\S+)\)", re.MULTILINE)
# Snakemake's description of a job: "rule NAME:" ... "    output: a, b" ... "    jobid: N".
JOB_BLOCK = re.compile(
    r"^rule (\w+):\n(?:    .*\n)*?    output: (.*)\n(?:    .*\n)*?    jobid: (\d+)$", re.MULTILINE
)


class CheckFailed(Exception):
    pass


def declared_localrules() -> set[str]:
    """Rules the workflow itself runs on the login node: `all` and its `localrules:` lists."""
    names = {"all"}
    for smk in sorted((ROOT / "workflow/rules").glob("*.smk")) + [ROOT / "Snakefile"]:
        for block in re.findall(r"^localrules:\n((?:[ \t]+\w+,?\n)+)", smk.read_text(), re.MULTILINE):
            names.update(re.findall(r"\w+", block))
    return names


def say(msg: str) -> None:
    print(f"slurm-check: {msg}", flush=True)


def sh(*cmd: str, timeout: float = 30) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=timeout).stdout


def snakemake(project: Path, *args: str, log: Path) -> tuple[int, float, str]:
    """Run Snakemake in project; return its exit code, wall time and combined output."""
    started = time.monotonic()
    with log.open("w") as out:
        try:
            rc = subprocess.run(
                [str(SNAKEMAKE), *args],
                check=False,
                cwd=project,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                timeout=RUN_TIMEOUT,
            ).returncode
        except subprocess.TimeoutExpired:
            raise CheckFailed(
                f"snakemake {' '.join(args)} in {project} did not finish in {RUN_TIMEOUT} s; see {log}"
            ) from None
    return rc, time.monotonic() - started, log.read_text()


def tail(text: str, n: int = 40) -> str:
    return "\n".join("    " + line for line in text.splitlines()[-n:])


def must_succeed(what: str, rc: int, text: str, log: Path) -> None:
    if rc != 0:
        raise CheckFailed(f"{what} failed (exit {rc}); log {log}, last lines:\n{tail(text)}")


# ------------------------------------------------------------------ Slurm's records


def slurm_config() -> dict[str, str]:
    conf = {}
    for line in sh("scontrol", "show", "config").splitlines():
        key, sep, value = line.partition("=")
        if sep:
            conf[key.strip()] = value.strip()
    return conf


def minutes(limit: str) -> int | str:
    """Slurm's [days-][hours:]minutes:seconds time limit in minutes."""
    days, _, hms = limit.rpartition("-")
    parts = [int(x) for x in hms.split(":")] if re.fullmatch(r"[\d:]+", hms) else None
    if not parts:
        return limit
    while len(parts) < 3:
        parts.insert(0, 0)
    h, m, s = parts
    return (int(days or 0) * 24 + h) * 60 + m + (s > 0)


def slurm_jobs(run_uuid: str) -> dict[str, dict[str, str]]:
    """Slurm's record of every job named run_uuid: {jobid: {"state", "mem", "minutes"}}."""
    conf = slurm_config()
    jobs: dict[str, dict[str, str]] = {}
    if conf.get("JobCompType") == "jobcomp/filetxt" and Path(conf.get("JobCompLoc", "")).is_file():
        for line in Path(conf["JobCompLoc"]).read_text().splitlines():
            fields = dict(f.split("=", 1) for f in line.split() if "=" in f)
            if fields.get("Name") != run_uuid:
                continue
            tres = dict(t.split("=", 1) for t in fields.get("Tres", "").split(",") if "=" in t)
            jobs[fields["JobId"]] = {
                "state": fields.get("JobState", ""),
                "mem": tres.get("mem", ""),
                "minutes": fields.get("TimeLimit", ""),
            }
    else:  # finished jobs stay in squeue for MinJobAge seconds
        out = sh("squeue", "-h", "--states=all", "--name", run_uuid, "-o", "%i|%T|%m|%l")
        for line in out.splitlines():
            jobid, state, mem, limit = line.split("|")
            jobs[jobid] = {"state": state, "mem": mem, "minutes": str(minutes(limit))}
    return jobs


def submissions(text: str) -> list[tuple[str, str, str]]:
    """(snakemake jobid, Slurm jobid, rule) for each submission in a Snakemake log."""
    subs = []
    for sm_id, slurm_id, logpath in SUBMITTED.findall(text):
        rule = re.search(r"/rule_(\w+?)/", logpath)
        subs.append((sm_id, slurm_id, rule.group(1) if rule else "?"))
    return subs


def job_outputs(text: str, rule: str) -> dict[str, list[str]]:
    """Snakemake jobid -> output paths of each job of RULE described in a Snakemake log."""
    return {jobid: out.split(", ") for name, out, jobid in JOB_BLOCK.findall(text) if name == rule}


def check_run_on_slurm(text: str, expect_states: dict[str, str] | None = None) -> dict:
    """Every job of a finished Snakemake run ran as a Slurm job, as Slurm recorded it."""
    problems = []
    uuid = re.search(r"^SLURM run ID: (\S+)", text, re.MULTILINE)
    if not uuid:
        raise CheckFailed("no 'SLURM run ID' in the Snakemake log: did it use the slurm executor?")
    run_uuid = uuid.group(1)
    remote = re.findall(r"^rule (\w+):", text, re.MULTILINE)
    local = re.findall(r"^localrule (\w+):", text, re.MULTILINE)
    undeclared = set(local) - declared_localrules()
    if undeclared:
        problems.append(f"jobs ran on the login node instead of Slurm: {sorted(undeclared)}")
    subs = submissions(text)
    sm_ids = [s[0] for s in subs]
    if len(set(sm_ids)) != len(remote):
        problems.append(
            f"Snakemake ran {len(remote)} non-local jobs but submitted {len(set(sm_ids))} to Slurm"
        )
    if len(sm_ids) != len(set(sm_ids)):
        twice = sorted(i for i in set(sm_ids) if sm_ids.count(i) > 1)
        problems.append(f"some jobs were submitted more than once: {twice}")
    expect_states = expect_states or {}
    slurm = {}
    for _ in range(20):  # Slurm writes a job's record as it ends; allow it a moment
        slurm = slurm_jobs(run_uuid)
        if all(s[1] in slurm for s in subs):
            break
        time.sleep(0.5)
    for sm_id, slurm_id, rule in subs:
        want = expect_states.get(slurm_id, "COMPLETED")
        got = slurm.get(slurm_id, {}).get("state", "no record")
        if got != want:
            problems.append(f"Slurm job {slurm_id} (Snakemake job {sm_id}, {rule}): {got}, expected {want}")
    extra = set(slurm) - {s[1] for s in subs}
    if extra:
        problems.append(f"Slurm has jobs of this run that Snakemake never reported: {sorted(extra, key=int)}")
    if problems:
        raise CheckFailed("jobs did not all run on Slurm:\n  " + "\n  ".join(problems))
    return {
        "run_uuid": run_uuid,
        "snakemake_jobs": len(remote) + len(local),
        "slurm_jobs": len(subs),
        "local_jobs": local,
        "records": slurm,
        "submissions": subs,
    }


def check_profile_resources(project: Path, run: dict) -> None:
    """The profile's set-resources reached sbatch: memory and time limit of those jobs."""
    profile = yaml.safe_load((project / PROFILE / "config.yaml").read_text())
    problems = []
    for _, slurm_id, rule in run["submissions"]:
        want = profile.get("set-resources", {}).get(rule)
        if not want:
            continue
        rec = run["records"][slurm_id]
        if rec["mem"] not in (f"{want['mem_mb']}M", f"{want['mem_mb']}"):
            problems.append(
                f"{rule} (Slurm job {slurm_id}) got memory {rec['mem']}, profile says {want['mem_mb']} MB"
            )
        if rec["minutes"] != str(want["runtime"]):
            problems.append(
                f"{rule} (Slurm job {slurm_id}) got {rec['minutes']} min, profile says {want['runtime']}"
            )
    if problems:
        raise CheckFailed("profile resources did not reach Slurm:\n  " + "\n  ".join(problems))


# ------------------------------------------------------------------ outputs


def tree(results: Path) -> dict[str, bytes]:
    return {
        p.relative_to(results).as_posix(): p.read_bytes() for p in sorted(results.rglob("*")) if p.is_file()
    }


def describe(data: bytes) -> str:
    return f"{len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()[:12]}"


def compare_results(reference: Path, candidate: Path, what: str) -> int:
    ref, got = tree(reference / "results"), tree(candidate / "results")
    problems = [f"missing: {p}" for p in sorted(set(ref) - set(got))]
    problems += [f"extra: {p}" for p in sorted(set(got) - set(ref))]
    for p in sorted(set(ref) & set(got)):
        if ref[p] != got[p]:
            problems.append(f"differs: {p} (local: {describe(ref[p])}; Slurm: {describe(got[p])})")
    if not ref:
        problems.append(f"the reference build has no files under {reference / 'results'}")
    if problems:
        shown = problems[:30] + ([f"... and {len(problems) - 30} more"] if len(problems) > 30 else [])
        raise CheckFailed(
            f"{what}: results/ differs from the local build of the same copy:\n  " + "\n  ".join(shown)
        )
    return len(ref)


def partial_files(project: Path) -> list[str]:
    return sorted(
        p.relative_to(project).as_posix()
        for p in project.rglob("*.tmp")
        if ".snakemake" not in p.relative_to(project).parts
    )


def check_nothing_to_do(project: Path, work: Path, name: str) -> None:
    log = work / f"{name}-noop.log"
    rc, _, text = snakemake(project, "--workflow-profile", PROFILE, "--dry-run", log=log)
    must_succeed(f"{name}: dry run after the build", rc, text, log)
    if "Nothing to be done" not in text:
        raise CheckFailed(f"{name}: a further run would still do work:\n{tail(text, 25)}")


# ------------------------------------------------------------------ the two checks


def end_to_end(work: Path, reference: Path | None) -> dict:
    local, slurm = work / "full-local", work / "full-slurm"
    t_local = None
    if reference is not None:
        # snapshot.json names the code (`git describe`), so the Slurm copy must be a
        # checkout of the same commit, not a plain copy with no commit to name.
        version = code_version(reference)
        if version is None or version.endswith("-dirty"):
            raise CheckFailed(
                f"--reference {reference}: not a clean git checkout (`git describe` says {version}); "
                "commit first, or leave out --reference to build a local copy"
            )
        sh("git", "clone", "--quiet", "--no-hardlinks", str(reference.resolve()), str(slurm), timeout=120)
        # CI has just built the project folder itself (workflow/bootstrap.sh); reuse that build.
        rc, _, text = snakemake(reference, "--cores", "1", "--dry-run", log=work / "reference-noop.log")
        if rc != 0 or "Nothing to be done" not in text or not (reference / "results").is_dir():
            raise CheckFailed(
                f"--reference {reference}: its results/ is not an up-to-date local build "
                "(`snakemake --dry-run` there still has work); "
                f"see {work / 'reference-noop.log'}"
            )
        local = reference
        say(f"local build: reusing {reference.resolve() / 'results'} (up to date; not timed)")
    else:
        for d in (local, slurm):
            d.mkdir()
            copy_project(d)
        say("local build of the shipped config (--cores 2)")
        rc, t_local, text = snakemake(local, "--cores", "2", log=work / "full-local.log")
        must_succeed("local build", rc, text, work / "full-local.log")
        say(f"  {t_local:.1f} s")
    say(f"Slurm build of the shipped config (--workflow-profile {PROFILE})")
    rc, t_slurm, text = snakemake(slurm, "--workflow-profile", PROFILE, log=work / "full-slurm.log")
    must_succeed("Slurm build", rc, text, work / "full-slurm.log")
    say(f"  {t_slurm:.1f} s")
    run = check_run_on_slurm(text)
    check_profile_resources(slurm, run)
    say(
        f"  {run['slurm_jobs']} Slurm jobs, all COMPLETED, for {run['snakemake_jobs']} Snakemake jobs "
        f"(local: {', '.join(run['local_jobs']) or 'none'})"
    )
    n = compare_results(local, slurm, "end-to-end build")
    say(f"  results/ identical to the local build: {n} files")
    leftovers = partial_files(slurm)
    if leftovers:
        raise CheckFailed(f"end-to-end build left partial files: {leftovers}")
    check_nothing_to_do(slurm, work, "full-slurm")
    say("  a further run has nothing to do")
    return {
        "local_seconds": t_local and round(t_local, 1),
        "slurm_seconds": round(t_slurm, 1),
        "snakemake_jobs": run["snakemake_jobs"],
        "slurm_jobs": run["slurm_jobs"],
        "files_compared": n,
    }


def recovery(work: Path) -> dict:
    local, slurm = work / "rec-local", work / "rec-slurm"
    for d in (local, slurm):
        d.mkdir()
        copy_project(d, countries=RECOVERY_COUNTRIES)
    say(f"recovery: local build of {', '.join(RECOVERY_COUNTRIES)}")
    rc, _, text = snakemake(local, "--cores", "2", log=work / "rec-local.log")
    must_succeed("local build (recovery copy)", rc, text, work / "rec-local.log")

    say("recovery: Slurm run; cancelling a render_report job while it renders its PDF")
    log1 = work / "rec-slurm-1.log"
    started = time.monotonic()
    with log1.open("w") as out:
        proc = subprocess.Popen(
            [str(SNAKEMAKE), "--workflow-profile", PROFILE, "--retries", "0"],
            cwd=slurm,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    cancelled = None
    try:
        while cancelled is None and proc.poll() is None:
            if time.monotonic() - started > RUN_TIMEOUT:
                raise CheckFailed(f"recovery run did not reach a render job in {RUN_TIMEOUT} s; see {log1}")
            text = log1.read_text()
            outputs = job_outputs(text, "render_report")
            for sm_id, slurm_id, rule in submissions(text):
                if rule != "render_report" or sm_id not in outputs:
                    continue
                try:
                    state = sh("squeue", "-h", "-j", slurm_id, "-o", "%T").strip()
                except subprocess.CalledProcessError:
                    continue
                if state != "RUNNING":
                    continue
                by_suffix = {Path(p).suffix: slurm / p for p in outputs[sm_id]}
                html, pdf = by_suffix[".html"], by_suffix[".pdf"]
                # The job writes the HTML first, then spends seconds in WeasyPrint on the PDF.
                if html.exists() and not pdf.exists():
                    # scancel refuses a job that finished meanwhile; then wait for another one.
                    if subprocess.run(["scancel", slurm_id], check=False, capture_output=True).returncode:
                        continue
                    cancelled = {
                        "slurm_jobid": slurm_id,
                        "outputs": [str(html.relative_to(slurm)), str(pdf.relative_to(slurm))],
                        "after_seconds": round(time.monotonic() - started, 1),
                    }
                    say(
                        f"  scancel {slurm_id} ({cancelled['outputs'][0]}) "
                        f"{cancelled['after_seconds']} s into the run"
                    )
                    break
            time.sleep(0.2)
        rc1 = proc.wait(timeout=RUN_TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=60)
    text1 = log1.read_text()
    if cancelled is None:
        raise CheckFailed(
            f"the recovery run ended (exit {rc1}) before a render_report job could be "
            f"cancelled mid-render; see {log1}"
        )
    if rc1 == 0:
        raise CheckFailed(
            f"Snakemake reported success although Slurm job {cancelled['slurm_jobid']} "
            f"was cancelled; see {log1}"
        )
    if f"'{cancelled['slurm_jobid']}' failed" not in text1:
        raise CheckFailed(
            f"Snakemake did not report the cancelled Slurm job {cancelled['slurm_jobid']} "
            f"as failed; see {log1}"
        )
    check_run_on_slurm(text1, expect_states={cancelled["slurm_jobid"]: "CANCELLED"})
    left_final = [p for p in cancelled["outputs"] if (slurm / p).exists()]
    if left_final:
        raise CheckFailed(f"the cancelled job left outputs under their final names: {left_final}")
    after_cancel = {
        "exit_code": rc1,
        "seconds": round(time.monotonic() - started, 1),
        "tmp_files": partial_files(slurm),
    }
    say(
        f"  Snakemake stopped with exit {rc1} after {after_cancel['seconds']} s; the cancelled report's "
        f"outputs were removed; *.tmp left: {after_cancel['tmp_files'] or 'none'}"
    )

    say("recovery: running again with the profile as shipped")
    rc2, t2, text2 = snakemake(slurm, "--workflow-profile", PROFILE, log=work / "rec-slurm-2.log")
    must_succeed("rerun after scancel", rc2, text2, work / "rec-slurm-2.log")
    run2 = check_run_on_slurm(text2)
    rerun_rules = sorted({s[2] for s in run2["submissions"]})
    if "render_report" not in rerun_rules:
        raise CheckFailed(f"the rerun did not rerender the cancelled report (it ran {rerun_rules})")
    n = compare_results(local, slurm, "recovery")
    leftovers = partial_files(slurm)
    if leftovers:
        raise CheckFailed(f"partial files left after the rerun: {leftovers}")
    check_nothing_to_do(slurm, work, "rec-slurm")
    say(
        f"  rerun: {run2['slurm_jobs']} Slurm jobs in {t2:.1f} s; results/ identical to the local build "
        f"({n} files); no *.tmp; a further run has nothing to do"
    )
    return {
        "cancelled": cancelled,
        "after_cancel": after_cancel,
        "rerun_slurm_jobs": run2["slurm_jobs"],
        "rerun_seconds": round(t2, 1),
        "rerun_rules": rerun_rules,
        "files_compared": n,
    }


def preflight() -> None:
    if not SNAKEMAKE.exists():
        raise CheckFailed(f"{SNAKEMAKE} not found: run workflow/bootstrap.sh first")
    try:
        subprocess.run(
            [str(ROOT / ".venv/bin/python"), "-c", "import snakemake_executor_plugin_slurm"],
            check=True,
            capture_output=True,
        )
    except subprocess.CalledProcessError:
        raise CheckFailed(
            "snakemake-executor-plugin-slurm is not installed in .venv (pip install -r requirements.txt)"
        ) from None
    try:
        nodes = sh("sinfo", "-h", "-o", "%T")
    except (OSError, subprocess.SubprocessError) as e:
        raise CheckFailed(
            f"no Slurm cluster answers `sinfo` ({e}); start one with: bash .ci/slurm-up.sh"
        ) from None
    if not any(s.rstrip("*") in ("idle", "mixed", "allocated") for s in nodes.split()):
        raise CheckFailed(f"no Slurm node is up (sinfo says: {nodes.split()})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keep", action="store_true", help="keep the working copies and logs")
    ap.add_argument("--skip-recovery", action="store_true", help="only the end-to-end comparison")
    ap.add_argument("--summary", type=Path, help="write the measured figures to this JSON file")
    ap.add_argument(
        "--reference",
        type=Path,
        metavar="PROJECT",
        help="compare with PROJECT/results, an up-to-date local build of the same commit "
        "(CI passes the clone it has just built), instead of building one",
    )
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ssr-slurm-check-"))
    say(f"working in {work}")
    summary: dict = {}
    ok = False
    try:
        preflight()
        summary["end_to_end"] = end_to_end(work, args.reference)
        if not args.skip_recovery:
            summary["recovery"] = recovery(work)
        ok = True
    except CheckFailed as e:
        print(f"slurm-check: FAILED: {e}", file=sys.stderr, flush=True)
    finally:
        if args.summary:
            args.summary.write_text(json.dumps(summary, indent=2) + "\n")
        if ok and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            say(f"working copies and logs kept in {work}")
    if ok:
        e2e = summary["end_to_end"]
        local_time = f"local {e2e['local_seconds']} s" if e2e["local_seconds"] else "local build reused"
        say(
            f"OK: Slurm build {e2e['slurm_seconds']} s ({local_time}), "
            f"{e2e['slurm_jobs']} Slurm jobs, outputs identical"
            + ("; scancel recovery OK" if "recovery" in summary else "")
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
