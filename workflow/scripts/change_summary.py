"""Snapshot every computed value and summarise what changed since the previous build."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821

from ssr_pipeline import snake
from ssr_pipeline.changes import diff, markdown, snapshot
from ssr_pipeline.io import read_json, write_json
from ssr_pipeline.provenance import checksums


def main(sm, log):
    inds = [read_json(p) for p in sm.input.indicators]
    claims = [c for p in sm.input.fragments for c in read_json(p).get("claims", [])]
    snap = snapshot(inds, read_json(sm.input.comparative), claims,
                    inputs=checksums(sm.input.sources, Path.cwd()), code_version=sm.params.code_version)
    # The previous snapshot is that of the last build that finished (the landing page, the last
    # job, keeps it), outside the declared outputs, which Snakemake deletes before a job runs.
    keep = Path(sm.output.snapshot).parent / ".snapshots" / "latest.json"
    previous = read_json(keep) if keep.exists() else None
    changes = diff(previous, snap, snake.settings(sm)["changes"]["threshold_pct"])
    write_json(sm.output.json, changes)
    Path(sm.output.md).write_text(markdown(changes), encoding="utf-8")
    write_json(sm.output.snapshot, snap)
    log.info("change summary written")


snake.run(snakemake, main)  # noqa: F821
