"""Command line: ``python -m ssr_pipeline import FILE... [--dry-run]``, ``validate``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from . import importers
from .errors import InputError, ProblemList
from .inputs import check_config_countries, load_codebook, load_country


def _project(args) -> tuple[Path, dict, Path]:
    root = Path(args.project).resolve()
    config = yaml.safe_load((root / "config.yaml").read_text(encoding="utf-8"))
    inputs_dir = root / config.get("inputs_dir", "inputs")
    return root, config, inputs_dir


def cmd_import(args) -> int:
    root, config, inputs_dir = _project(args)
    problems = ProblemList()
    codebook = load_codebook(inputs_dir, root, problems)
    problems.raise_if_any()
    slugs = args.country or config["countries"]
    countries = {}
    for slug in slugs:
        cy = yaml.safe_load((inputs_dir / slug / "country.yaml").read_text(encoding="utf-8"))
        countries[cy["iso3"]] = inputs_dir / slug
    report = importers.import_files([Path(f) for f in args.files], countries,
                                    codebook["indicators"], dry_run=args.dry_run)
    print(importers.summarise(report))
    if args.dry_run:
        print("dry run: nothing written")
    return 0


def cmd_validate(args) -> int:
    root, config, inputs_dir = _project(args)
    problems = check_config_countries(config, inputs_dir, root)
    codebook = load_codebook(inputs_dir, root, problems)
    for slug in args.country or config["countries"]:
        load_country(inputs_dir, slug, codebook, root, problems)
    if problems:
        print(InputError(problems.items).report(), file=sys.stderr)
        return 1
    print("inputs are valid")
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m ssr_pipeline")
    p.add_argument("--project", default=".", help="project root (default: current folder)")
    sub = p.add_subparsers(dest="cmd", required=True)
    imp = sub.add_parser("import", help="import series from publisher files into inputs/<slug>/indicators.csv")
    imp.add_argument("files", nargs="+")
    imp.add_argument("--country", action="append", help="slug (repeatable); default: all in config.yaml")
    imp.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    imp.set_defaults(func=cmd_import)
    val = sub.add_parser("validate", help="check the inputs and list every problem")
    val.add_argument("--country", action="append")
    val.set_defaults(func=cmd_validate)
    args = p.parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print(exc.report(), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
