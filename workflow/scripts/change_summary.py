"""Snapshot every computed value and summarise what changed since the previous build."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821

from ssr_pipeline import snake
from ssr_pipeline.changes import diff, markdown, snapshot
from ssr_pipeline.io import read_json, write_json, write_text_atomic
from ssr_pipeline.provenance import checksums


def main(sm, log):
    inds = [read_json(p) for p in sm.input.indicators]
    claims = [c for p in sm.input.fragments for c in read_json(p).get("claims", [])]
    snap = snapshot(
        inds,
        read_json(sm.input.comparative),
        claims,
        inputs=checksums(sm.input.sources, Path.cwd()),
        code_version=sm.params.code_version,
    )
    # Compared with the snapshot of the last published build (results/snapshot.json), which
    # is what readers last saw; a run that failed before publishing changed nothing for them.
    published = snake.project_root(sm) / sm.params.published
    previous = read_json(published) if published.is_file() else None
    changes = diff(previous, snap, snake.settings(sm)["changes"]["threshold_pct"])
    write_json(sm.output.json, changes)
    write_text_atomic(sm.output.md, markdown(changes))
    write_json(sm.output.snapshot, snap)
    log.info("change summary written")


snake.run(snakemake, main)  # noqa: F821
