"""List every staged contract file with its sha256 (rule build_manifest), for rule publish."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821

from ssr_pipeline import snake
from ssr_pipeline.publishing import STAGED_ROOT, write_manifest


def main(sm, log):
    manifest = write_manifest(Path(sm.output.manifest), STAGED_ROOT, sm.input.staged)
    log.info("%d staged files", len(manifest["files"]))


snake.run(snakemake, main)  # noqa: F821
