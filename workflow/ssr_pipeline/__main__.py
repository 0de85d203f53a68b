"""Command line: ``python -m ssr_pipeline import FILE... [--dry-run]``, ``validate``, ``scaffold``, ``preview``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import importers, settings
from .errors import InputError, ProblemList
from .inputs import load_codebook, load_country
from .io import read_yaml


def _project(args) -> tuple[Path, dict, Path]:
    """The project root, its checked settings (the same object Snakemake uses) and inputs folder."""
    root = Path(args.project).resolve()
    config = settings.load(root)
    return root, config, root / config["inputs_dir"]


def cmd_import(args) -> int:
    root, config, inputs_dir = _project(args)
    problems = ProblemList()
    codebook = load_codebook(inputs_dir, root, problems)
    problems.raise_if_any()
    slugs = args.country or config["countries"]
    countries = {}
    for slug in slugs:
        cy = read_yaml(inputs_dir / slug / "country.yaml", problems, f"{inputs_dir.name}/{slug}/country.yaml")
        problems.raise_if_any()
        countries[cy["iso3"]] = inputs_dir / slug
    codes = {r["code"] for r in codebook["indicators"]}
    if args.indicator and args.indicator not in codes:
        print(f"unknown indicator '{args.indicator}'; see inputs/codebook/indicators.csv", file=sys.stderr)
        return 2
    try:
        report = importers.import_files([Path(f) for f in args.files], countries, codebook["indicators"],
                                        dry_run=args.dry_run, indicator=args.indicator, source=args.source)
    except (ValueError, KeyError) as exc:
        print(f"cannot import: {exc}", file=sys.stderr)
        return 2
    print(importers.summarise(report))
    if args.dry_run:
        print("dry run: nothing written")
    return 0


def cmd_validate(args) -> int:
    root, config, inputs_dir = _project(args)
    problems = ProblemList()
    codebook = load_codebook(inputs_dir, root, problems)
    if not problems:
        settings.check_codebook_references(config, codebook, root)
    for slug in args.country or config["countries"]:
        load_country(inputs_dir, slug, codebook, root, problems)
    if problems:
        print(InputError(problems.items).report(), file=sys.stderr)
        return 1
    print("inputs are valid")
    return 0


def cmd_scaffold(args) -> int:
    from .scaffold import scaffold

    root, config, _ = _project(args)
    try:
        folder = scaffold(root, args.country, region=args.region, reform_start=args.reform_start,
                          inputs_dir=config["inputs_dir"])
    except (LookupError, FileExistsError) as exc:
        print(f"cannot scaffold: {exc}", file=sys.stderr)
        return 2
    print(f"created {folder.relative_to(root)} and added '{folder.name}' to config.yaml")
    if args.import_files:
        ns = argparse.Namespace(project=args.project, files=args.import_files, country=[folder.name],
                                dry_run=False, indicator=None, source=None)
        return cmd_import(ns)
    return 0


def cmd_preview(args) -> int:
    from .preview import run

    return run(Path(args.project).resolve(), country=args.country, port=args.port, cores=args.cores)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m ssr_pipeline")
    p.add_argument("--project", default=".", help="project root (default: current folder)")
    sub = p.add_subparsers(dest="cmd", required=True)
    imp = sub.add_parser("import", help="import series from publisher files into inputs/<slug>/indicators.csv")
    imp.add_argument("files", nargs="+")
    imp.add_argument("--country", action="append", help="slug (repeatable); default: all in config.yaml")
    imp.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    imp.add_argument("--indicator", help="codebook code of a single-series file (e.g. homicide_rate)")
    imp.add_argument("--source", help="reference key to record instead of the codebook's default")
    imp.set_defaults(func=cmd_import)
    sca = sub.add_parser("scaffold", help="create inputs/<slug>/ for a new country and add it to config.yaml")
    sca.add_argument("country", help="country name or ISO code, e.g. Liberia or LBR")
    sca.add_argument("--region", help="region printed in the reports (ISO 3166 has none)")
    sca.add_argument("--reform-start", type=int, help="first year of externally supported SSR")
    sca.add_argument("--import", dest="import_files", nargs="+", metavar="FILE",
                     help="publisher files to import the country's series from")
    sca.set_defaults(func=cmd_scaffold)
    val = sub.add_parser("validate", help="check the inputs and list every problem")
    val.add_argument("--country", action="append")
    val.set_defaults(func=cmd_validate)
    pre = sub.add_parser("preview", help="serve the reports' HTML on 127.0.0.1 and rebuild and reload them "
                                         "when inputs/ or templates/ change (no PDFs)")
    pre.add_argument("--country", help="preview this country's two reports only (a slug of config.yaml)")
    pre.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (default 8765; 0 picks a free one)")
    pre.add_argument("--cores", type=int, default=2, help="cores Snakemake may use (default 2)")
    pre.set_defaults(func=cmd_preview)
    args = p.parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print(exc.report(), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
