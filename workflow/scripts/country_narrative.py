"""Check a country narrative (live figures, citations, Markdown) and render it to a fragment.

Runs before the report is rendered, so a bad narrative stops the run with the earlier
report still in place.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821

from ssr_pipeline import snake
from ssr_pipeline.errors import ProblemList
from ssr_pipeline.io import read_json, read_text, write_json
from ssr_pipeline.narrative import country_fragment


def main(sm, log):
    problems = ProblemList()
    display = str(sm.input.narrative)
    text = read_text(Path(sm.input.narrative), problems, display)
    problems.raise_if_any()
    frag = country_fragment(text, display, snake.bundle(sm.input.bundle), read_json(sm.input.indicators))
    write_json(sm.output.fragment, frag)
    log.info("narrative %s is valid", display)


snake.run(snakemake, main)  # noqa: F821
