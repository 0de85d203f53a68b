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


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    return raw.decode("utf-8-sig").replace("\r\n", "\n")


def detect_format(text: str) -> tuple[str, int]:
    """(format name, number of preamble lines to skip) from the first lines of a file."""
    lines = text.split("\n", 20)[:20]
    for i, line in enumerate(lines):
        low = line.lower()
        if low.startswith(('"country name","country code","indicator name","indicator code"',
                           "country name,country code,indicator name,indicator code")):
            return "worldbank-wide", i
        if i == 0 and {"iso3", "year", "indicator", "value"} <= set(_split_header(line)):
            return "long", 0
        if i == 0 and {"country_text_id", "year"} <= set(_split_header(line)):
            return "vdem", 0
        if i == 0 and {"iso3", "year"} <= set(_split_header(line)):
            return "single-series", 0
        if i == 0 and {"country code", "year", "value"} <= {h.lower() for h in _split_header(line)}:
            return "single-series", 0
    raise ValueError("unrecognised file layout: expected a World Bank bulk CSV, the project's long "
                     "format (iso3, year, indicator, value), a V-Dem country-year CSV, or a single "
                     "series with iso3/Country Code, year and one value column")


def _split_header(line: str) -> list[str]:
    return [h.strip().strip('"') for h in next(csv.reader([line]))] if line.strip() else []


def read_publisher_file(path: Path, iso3s: set[str], codebook_indicators: list[dict],
                        indicator: str | None = None):
    """Yield (iso3, code, year, value string) for the wanted countries from any supported layout.

    Values are passed on exactly as the publisher wrote them. Regional and income aggregates
    never match a country's ISO3 code, so they are skipped.
    """
    import pandas as pd

    tokens, labels = publisher_map(codebook_indicators)
    text = _read_text(Path(path))
    fmt, skip = detect_format(text)

    def code_for(label: str):
        label = label.strip()
        return labels.get(label) or tokens.get(label.split(" ", 1)[0])

    df = pd.read_csv(io.StringIO(text), skiprows=skip, dtype=str, keep_default_na=False)
    df = df.loc[:, [c for c in df.columns if not str(c).startswith("Unnamed")]]
    if fmt == "worldbank-wide":
        years = [c for c in df.columns if str(c).strip().isdigit()]
        df = df[df["Country Code"].isin(iso3s)]
        long = df.melt(id_vars=["Country Code", "Indicator Code"], value_vars=years, var_name="year",
                       value_name="value")
        for row in long.itertuples(index=False):
            code = code_for(row[1])
            if code and row.value.strip():
                yield row[0], code, int(row.year), row.value.strip()
    elif fmt == "long":
        df = df[df["iso3"].isin(iso3s)]
        for row in df.itertuples(index=False):
            code = code_for(row.indicator)
            if code and row.value.strip():
                yield row.iso3, code, int(row.year), row.value.strip()
    elif fmt == "vdem":
        df = df[df["country_text_id"].isin(iso3s)]
        cols = [(c, code_for(c)) for c in df.columns if code_for(c)]
        for _, row in df.iterrows():
            for col, code in cols:
                if str(row[col]).strip() not in ("", "NA"):
                    yield row["country_text_id"], code, int(row["year"]), str(row[col]).strip()
    else:
        if not indicator:
            raise ValueError(f"{path}: a single-series file needs --indicator CODE to say what it holds")
        iso_col = "iso3" if "iso3" in df.columns else "Country Code"
        year_col = "year" if "year" in df.columns else "Year"
        value_cols = [c for c in df.columns
                      if c not in (iso_col, year_col, "country", "Country Name", "source")]
        if len(value_cols) != 1:
            raise ValueError(f"{path}: expected one value column, found {value_cols}")
        df = df[df[iso_col].isin(iso3s)]
        for iso3, year, value in zip(df[iso_col], df[year_col], df[value_cols[0]]):
            if str(value).strip():
                yield iso3, indicator, int(year), str(value).strip()


def merge(existing: list[dict], incoming: list[dict], codebook_indicators: list[dict] = ()):
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
    order = {r["code"]: i for i, r in enumerate(codebook_indicators)}
    rows = sorted(index.values(), key=lambda r: (order.get(r["indicator"], 999), r["indicator"], int(r["year"])))
    return rows, changes


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
                 dry_run: bool = False, indicator: str | None = None, source: str | None = None) -> dict:
    """Import every file for every country {iso3: folder}; return per-country change lists."""
    default_source = {r["code"]: source or r["source"] for r in codebook_indicators}
    incoming: dict[str, list[dict]] = {iso: [] for iso in countries}
    for f in files:
        for iso3, code, year, value in read_publisher_file(Path(f), set(countries), codebook_indicators,
                                                           indicator):
            incoming[iso3].append({"indicator": code, "year": str(year), "value": value,
                                   "source": default_source[code], "note": ""})
    report = {}
    for iso3, folder in countries.items():
        target = folder / "indicators.csv"
        rows, changes = merge(read_indicators(target), incoming[iso3], codebook_indicators)
        report[iso3] = changes
        if not dry_run and (changes["new"] or changes["revised"] or not target.exists()):
            write_indicators(target, rows)
            record_import(folder, files, changes)
    return report


def record_import(folder: Path, files: list[Path], changes: dict) -> None:
    """Note the import in the country's PROVENANCE.md: file, checksum, what changed."""
    import datetime
    import hashlib

    prov = folder / "PROVENANCE.md"
    text = prov.read_text(encoding="utf-8") if prov.exists() else f"# Provenance: {folder.name}\n"
    if "## Imports" not in text:
        text = text.rstrip("\n") + "\n\n## Imports\n\n"
    today = datetime.date.today().isoformat()
    for f in files:
        digest = hashlib.sha256(Path(f).read_bytes()).hexdigest()[:16]
        text += (f"- {today}: `{Path(f).name}` (sha256 {digest}...): {len(changes['new'])} new, "
                 f"{len(changes['revised'])} revised values\n")
    prov.write_text(text, encoding="utf-8")


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
