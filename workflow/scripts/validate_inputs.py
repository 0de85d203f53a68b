"""Check one country's inputs and the codebook; write the validated bundle."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821

from ssr_pipeline import snake
from ssr_pipeline.errors import ProblemList
from ssr_pipeline.inputs import load_codebook, load_country
from ssr_pipeline.io import write_json
from ssr_pipeline.translations import load_all


def main(sm, log):
    root = snake.project_root(sm)
    inputs_dir = root / snake.settings(sm)["inputs_dir"]
    problems = ProblemList()
    codebook = load_codebook(inputs_dir, root, problems)
    bundle = load_country(
        inputs_dir,
        sm.wildcards.country,
        codebook,
        root,
        problems,
        narratives=False,
        years=snake.settings(sm)["years"],
    )
    if not problems.items:
        bundle["translations"] = load_all(inputs_dir, bundle, root, problems)
    problems.raise_if_any()
    bundle.pop("narratives", None)
    write_json(sm.output.bundle, bundle)
    log.info("inputs of %s are valid", sm.wildcards.country)


snake.run(snakemake, main)  # noqa: F821
