"""Publish a complete build: copy every staged contract file to results/ (rule publish)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821

from ssr_pipeline import snake
from ssr_pipeline.errors import OutputError
from ssr_pipeline.io import copy_atomic, remove_tmp


def main(sm, log):
    pairs = [(Path(src), Path(dest)) for src, dest in zip(sm.input.staged, sm.output.published)]
    # Check every destination before copying anything, so a folder in the way stops the
    # job with all the published files as they were.
    blocked = [dest for _, dest in pairs if dest.is_dir() and not dest.is_symlink()]
    if blocked:
        raise OutputError(
            "\n".join(
                f"{dest}: is a folder where the published file goes; move it away and "
                "run again (nothing was published)"
                for dest in blocked
            )
        )
    for src, dest in pairs:
        copy_atomic(src, dest)
    # A job killed outright (SIGKILL) can leave a temporary file behind; none survives a publish.
    for folder in sorted({dest.parent for _, dest in pairs}):
        for tmp in folder.glob("*.tmp"):
            remove_tmp(tmp)
    log.info("published %d files", len(pairs))


snake.run(snakemake, main)  # noqa: F821
