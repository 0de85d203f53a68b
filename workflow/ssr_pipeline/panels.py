"""Panels: one indicator for every country, inputs/panels/<code>.csv (the donor pool of effect estimates).

Written by `python -m ssr_pipeline import FILE --panel`; read and checked here.
"""

from __future__ import annotations

from pathlib import Path

from .errors import ProblemList
from .io import read_csv
from .ledger import LEDGER, check_ledger
from .schemas import validate_rows

PANELS = "panels"


def panel_dir(inputs_dir: Path) -> Path:
    return Path(inputs_dir) / PANELS


def panel_files(inputs_dir: Path) -> list[Path]:
    folder = panel_dir(inputs_dir)
    return sorted(folder.glob("*.csv")) if folder.is_dir() else []


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path(root).resolve()))
    except ValueError:
        return str(path)


def load_panel(path: Path, codebook: dict, root: Path, problems: ProblemList) -> list[dict]:
    """Rows {iso3, year, value, source, line} of one panel file; every problem goes to `problems`."""
    import pycountry

    display = _rel(path, root)
    codes = {r["code"]: r for r in codebook.get("indicators", [])}
    code = path.stem
    indicator = codes.get(code)
    if indicator is None:
        problems.add(
            display,
            None,
            None,
            f"the file name must be a codebook indicator code; '{code}' is not in codebook/indicators.csv",
        )
    refs = codebook.get("references", {})
    header, raw = read_csv(path, problems, display)
    rows, seen = [], {}
    for line, rec in validate_rows(header, raw, "panel", display, problems):
        if pycountry.countries.get(alpha_3=rec["iso3"]) is None:
            problems.add(
                display,
                line,
                "iso3",
                f"expected an ISO 3166-1 country code, found '{rec['iso3']}' "
                "(aggregates and non-ISO codes are not part of a panel)",
            )
            continue
        key = (rec["iso3"], rec["year"])
        if key in seen:
            problems.add(
                display,
                line,
                "year",
                f"duplicate row for {rec['iso3']} {rec['year']} (first at line {seen[key]})",
            )
            continue
        seen[key] = line
        if indicator is not None and not indicator["valid_min"] <= rec["value"] <= indicator["valid_max"]:
            problems.add(
                display,
                line,
                "value",
                f"{code} value {rec['value']:g} is outside its valid range "
                f"{indicator['valid_min']:g} to {indicator['valid_max']:g}",
            )
            continue
        if rec["source"] not in refs:
            problems.add(
                display, line, "source", f"source key '{rec['source']}' is not in codebook/references.yaml"
            )
            continue
        rows.append({**rec, "line": line})
    return rows


def load_panels(inputs_dir: Path, codebook: dict, root: Path, problems: ProblemList) -> dict[str, list[dict]]:
    """{indicator code: rows} of every panel, with the panels' ledger checked too."""
    out = {path.stem: load_panel(path, codebook, root, problems) for path in panel_files(inputs_dir)}
    ledger_path = panel_dir(inputs_dir) / LEDGER
    check_ledger(ledger_path, _rel(ledger_path, root), problems)
    return out


def series(rows: list[dict]) -> dict[str, dict[int, float]]:
    """{iso3: {year: value}} from a panel's rows."""
    out: dict[str, dict[int, float]] = {}
    for r in rows:
        out.setdefault(r["iso3"], {})[r["year"]] = r["value"]
    return out
