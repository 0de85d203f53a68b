"""Command line: ``python -m ssr_pipeline import FILE... [--dry-run] [--verify] [--panel]``, ``scaffold``,
``validate``, ``preview``, ``catalogs [--check]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import importers, ledger, panels, settings
from .errors import InputError, ProblemList
from .inputs import load_codebook, load_country
from .io import display_path, read_yaml


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
    codes = {r["code"] for r in codebook["indicators"]}
    if args.indicator and args.indicator not in codes:
        print(f"unknown indicator '{args.indicator}'; see inputs/codebook/indicators.csv", file=sys.stderr)
        return 2
    if args.panel:
        return _import_panel(args, inputs_dir, codebook)
    slugs = args.country or config["countries"]
    countries = {}
    for slug in slugs:
        cy = read_yaml(inputs_dir / slug / "country.yaml", problems, f"{inputs_dir.name}/{slug}/country.yaml")
        problems.raise_if_any()
        countries[cy["iso3"]] = inputs_dir / slug
    try:
        report = importers.import_files(
            [Path(f) for f in args.files],
            countries,
            codebook["indicators"],
            dry_run=args.dry_run,
            indicator=args.indicator,
            source=args.source,
            references=codebook["references"],
            verify=args.verify,
        )
    except (ValueError, KeyError) as exc:
        print(f"cannot import: {exc}", file=sys.stderr)
        return 2
    if args.verify:
        text, ok = importers.summarise_verification(report)
        print(text)
        if not args.dry_run:
            print("verification recorded in each country's imports.yaml; indicators.csv left as it was")
        return 0 if ok else 1
    print(importers.summarise(report))
    if args.dry_run:
        print("dry run: nothing written")
    return 0


def _import_panel(args, inputs_dir: Path, codebook: dict) -> int:
    if args.country or args.verify:
        print("--panel imports every country; it takes neither --country nor --verify", file=sys.stderr)
        return 2
    if len(args.files) != 1:
        print("--panel imports one file at a time", file=sys.stderr)
        return 2
    if args.source and args.source not in codebook["references"]:
        print(
            f"unknown source key '{args.source}'; a panel's source must be in inputs/codebook/references.yaml",
            file=sys.stderr,
        )
        return 2
    try:
        report = importers.import_panel(
            Path(args.files[0]),
            panels.panel_dir(inputs_dir),
            codebook["indicators"],
            references=codebook["references"],
            indicator=args.indicator,
            source=args.source,
            dry_run=args.dry_run,
        )
    except (ValueError, KeyError) as exc:
        print(f"cannot import: {exc}", file=sys.stderr)
        return 2
    print(importers.summarise_panel(report))
    print(
        "dry run: nothing written"
        if args.dry_run
        else f"wrote {report['file'].relative_to(inputs_dir.parent)}; recorded in inputs/panels/imports.yaml"
    )
    return 0


def cmd_validate(args) -> int:
    root, config, inputs_dir = _project(args)
    problems = ProblemList()
    codebook = load_codebook(inputs_dir, root, problems)
    if not problems:
        settings.check_codebook_references(config, codebook, root)
    for slug in args.country or config["countries"]:
        load_country(inputs_dir, slug, codebook, root, problems, years=config["years"])
        folder = inputs_dir / slug
        ledger.check_ledger(folder / ledger.LEDGER, display_path(folder / ledger.LEDGER, root), problems)
    if not args.country:
        panels.load_panels(inputs_dir, codebook, root, problems)
    if problems:
        print(problems.error().report(), file=sys.stderr)
        return 1
    print("inputs are valid")
    return 0


def cmd_scaffold(args) -> int:
    from .scaffold import scaffold

    root, config, _ = _project(args)
    try:
        folder = scaffold(
            root,
            args.country,
            region=args.region,
            reform_start=args.reform_start,
            inputs_dir=config["inputs_dir"],
        )
    except (LookupError, FileExistsError) as exc:
        print(f"cannot scaffold: {exc}", file=sys.stderr)
        return 2
    print(f"created {folder.relative_to(root)} and added '{folder.name}' to config.yaml")
    if args.import_files:
        ns = argparse.Namespace(
            project=args.project,
            files=args.import_files,
            country=[folder.name],
            dry_run=False,
            indicator=None,
            source=None,
            verify=False,
            panel=False,
        )
        return cmd_import(ns)
    return 0


def cmd_preview(args) -> int:
    from .preview import run

    return run(Path(args.project).resolve(), country=args.country, port=args.port, cores=args.cores)


def cmd_catalogs(args) -> int:
    from . import catalogs

    # config.yaml read without its checks: they require the very catalogs this command writes.
    root = Path(args.project).resolve()
    problems = ProblemList()
    raw = read_yaml(root / settings.CONFIG_FILE, problems, settings.CONFIG_FILE)
    problems.raise_if_any()
    langs = list(settings.apply_defaults(settings.load_schema("config"), raw or {})["languages"])
    missing = catalogs.check(langs, root) if args.check else catalogs.update(langs, root)
    for path, ids in missing.items():
        print(f"{path}: {len(ids)} string(s) to translate" + "".join(f"\n  {i!r}" for i in ids))
    return 1 if any(missing.values()) else 0


# Long on purpose: the command line's parsers declared in one place, one block per subcommand, then dispatch.
def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m ssr_pipeline")
    p.add_argument("--project", default=".", help="project root (default: current folder)")
    sub = p.add_subparsers(dest="cmd", required=True)
    imp = sub.add_parser(
        "import", help="import series from publisher files into inputs/<slug>/indicators.csv"
    )
    imp.add_argument("files", nargs="+")
    imp.add_argument("--country", action="append", help="slug (repeatable); default: all in config.yaml")
    imp.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    imp.add_argument(
        "--indicator",
        help="codebook code of a single-series file (e.g. homicide_rate); "
        "with --panel, the indicator to take from a file that holds several",
    )
    imp.add_argument("--source", help="reference key to record instead of the codebook's default")
    imp.add_argument(
        "--verify",
        action="store_true",
        help="compare every value of indicators.csv with the files; write only the ledger",
    )
    imp.add_argument(
        "--panel",
        action="store_true",
        help="write one indicator for all countries to inputs/panels/<code>.csv (donor pool)",
    )
    imp.set_defaults(func=cmd_import)
    sca = sub.add_parser("scaffold", help="create inputs/<slug>/ for a new country and add it to config.yaml")
    sca.add_argument("country", help="country name or ISO code, e.g. Liberia or LBR")
    sca.add_argument("--region", help="region printed in the reports (ISO 3166 has none)")
    sca.add_argument("--reform-start", type=int, help="first year of externally supported SSR")
    sca.add_argument(
        "--import",
        dest="import_files",
        nargs="+",
        metavar="FILE",
        help="publisher files to import the country's series from",
    )
    sca.set_defaults(func=cmd_scaffold)
    val = sub.add_parser("validate", help="check the inputs and list every problem")
    val.add_argument("--country", action="append")
    val.set_defaults(func=cmd_validate)
    pre = sub.add_parser(
        "preview",
        help="serve the reports' HTML on 127.0.0.1 and rebuild and reload them "
        "when inputs/ or templates/ change (no PDFs)",
    )
    pre.add_argument("--country", help="preview this country's two reports only (a slug of config.yaml)")
    pre.add_argument(
        "--port", type=int, default=8765, help="port on 127.0.0.1 (default 8765; 0 picks a free one)"
    )
    pre.add_argument("--cores", type=int, default=2, help="cores Snakemake may use (default 2)")
    pre.set_defaults(func=cmd_preview)
    cat = sub.add_parser(
        "catalogs",
        help="extract the report strings into templates/locale/messages.pot and "
        "merge them into each language's messages.po",
    )
    cat.add_argument(
        "--check", action="store_true", help="only list the strings a catalog does not translate"
    )
    cat.set_defaults(func=cmd_catalogs)
    args = p.parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print(exc.report(), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
