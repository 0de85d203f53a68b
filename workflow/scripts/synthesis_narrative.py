"""Check the synthesis narrative and its references; render the narrative to a fragment."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821

from ssr_pipeline import snake
from ssr_pipeline.errors import ProblemList
from ssr_pipeline.io import read_json, read_text, write_json
from ssr_pipeline.narrative import synthesis_fragment
from ssr_pipeline.references import synthesis_references


def main(sm, log):
    root = snake.project_root(sm)
    problems = ProblemList()
    refs = synthesis_references(sm.input.bundles, sm.input.references, root, problems)
    display = str(sm.input.narrative)
    text = read_text(root / sm.input.narrative, problems, display)
    problems.raise_if_any()
    inds = [read_json(p) for p in sm.input.indicators]
    frag = synthesis_fragment(text, display, read_json(sm.input.comparative), inds, refs)
    write_json(sm.output.fragment, frag)
    write_json(sm.output.references, refs)
    log.info("synthesis narrative is valid")


snake.run(snakemake, main)  # noqa: F821
