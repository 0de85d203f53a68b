"""Bring publishers' country-year data into inputs/<slug>/indicators.csv.

Supported now: the long format of the project's reference data
(``iso3,country,year,indicator,value,unit,source_dataset``, optionally gzipped).
"""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

HEADER = ["indicator", "year", "value", "source", "note"]


def publisher_map(codebook_indicators: list[dict]) -> tuple[dict, dict]:
    """(token -> code, exact label -> code) from the codebook's publisher_codes."""
    tokens, labels = {}, {}
    for row in codebook_indicators:
        for alias in (row.get("publisher_codes") or "").split("|"):
            alias = alias.strip()
            if not alias:
                continue
            (labels if " " in alias else tokens)[alias] = row["code"]
    return tokens, labels


def _open_text(path: Path):
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    return io.StringIO(raw.decode("utf-8-sig"))


def read_long(path: Path, iso3s: set[str], codebook_indicators: list[dict]):
    """Yield (iso3, code, year, value string) for rows of the wanted countries."""
    tokens, labels = publisher_map(codebook_indicators)
    reader = csv.DictReader(_open_text(path))
    for row in reader:
        if row["iso3"] not in iso3s:
            continue
        label = row["indicator"].strip()
        code = labels.get(label)
        if code is None:
            code = tokens.get(label.split(" ", 1)[0])
        if code is None or row["value"].strip() == "":
            continue
        yield row["iso3"], code, int(row["year"]), row["value"].strip()


def merge(existing: list[dict], incoming: list[dict]):
    """Merge incoming rows into existing ones; return (rows, changes)."""
    index = {(r["indicator"], int(r["year"])): r for r in existing}
    changes = {"new": [], "revised": [], "unchanged": 0}
    for row in incoming:
        key = (row["indicator"], int(row["year"]))
        old = index.get(key)
        if old is None:
            changes["new"].append(row)
            index[key] = row
        elif float(old["value"]) != float(row["value"]):
            changes["revised"].append((old, row))
            index[key] = {**old, "value": row["value"], "source": row["source"]}
        else:
            changes["unchanged"] += 1
    order = {r["code"]: i for i, r in enumerate(_CODEBOOK_ORDER)} if _CODEBOOK_ORDER else {}
    rows = sorted(index.values(), key=lambda r: (order.get(r["indicator"], 999), r["indicator"], int(r["year"])))
    return rows, changes


_CODEBOOK_ORDER: list[dict] = []


def write_indicators(path: Path, rows: list[dict]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=HEADER, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: r.get(k, "") for k in HEADER})
    path.write_text(buf.getvalue(), encoding="utf-8")


def read_indicators(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def import_files(files: list[Path], countries: dict[str, Path], codebook_indicators: list[dict],
                 dry_run: bool = False) -> dict:
    """Import every file for every country {iso3: folder}; return per-country change lists."""
    global _CODEBOOK_ORDER
    _CODEBOOK_ORDER = codebook_indicators
    default_source = {r["code"]: r["source"] for r in codebook_indicators}
    incoming: dict[str, list[dict]] = {iso: [] for iso in countries}
    for f in files:
        for iso3, code, year, value in read_long(Path(f), set(countries), codebook_indicators):
            incoming[iso3].append({"indicator": code, "year": str(year), "value": value,
                                   "source": default_source[code], "note": ""})
    report = {}
    for iso3, folder in countries.items():
        target = folder / "indicators.csv"
        rows, changes = merge(read_indicators(target), incoming[iso3])
        report[iso3] = changes
        if not dry_run and (changes["new"] or changes["revised"] or not target.exists()):
            write_indicators(target, rows)
    return report


def summarise(report: dict) -> str:
    lines = []
    for iso3, ch in report.items():
        lines.append(f"{iso3}: {len(ch['new'])} new, {len(ch['revised'])} revised, "
                     f"{ch['unchanged']} unchanged")
        by_code: dict[str, list[str]] = {}
        for r in ch["new"]:
            by_code.setdefault(r["indicator"], []).append(r["year"])
        for code, years in by_code.items():
            lines.append(f"  new {code}: {years[0]}-{years[-1]} ({len(years)} years)")
        for old, new in ch["revised"]:
            lines.append(f"  revised {old['indicator']} {old['year']}: {old['value']} -> {new['value']}")
    return "\n".join(lines)
