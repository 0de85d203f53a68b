"""Stop the build when a checked claim no longer holds (claims: on_failure: error), after the
change summary has recorded which revised values moved it; warn only with on_failure: warn."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821

from ssr_pipeline import snake
from ssr_pipeline.changes import settle_claims
from ssr_pipeline.io import read_json, write_json, write_text_atomic


def main(sm, log):
    claims = [c for p in sm.input.fragments for c in read_json(p).get("claims", [])]
    failing = read_json(sm.input.changes)["claims_failing"]
    problems, warnings = settle_claims(failing, snake.settings(sm)["claims"]["on_failure"])
    for w in warnings:
        log.warning(w)
        print(f"WARNING (claim): {w}", file=sys.stderr)
    if problems:
        # Nothing is published from this run, but the researcher must learn which revised
        # values moved the claims: the change summary goes to results/ all the same.
        root = snake.project_root(sm)
        for staged in (sm.input.changes, sm.input.changes_md):
            write_text_atomic(root / "results" / Path(staged).name, Path(staged).read_text(encoding="utf-8"))
    problems.raise_if_any()
    write_json(sm.output.claims, claims)
    log.info("%d checked claims, %d outside their tolerance", len(claims), len(failing))


snake.run(snakemake, main)  # noqa: F821
