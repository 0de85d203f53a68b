"""Bring publishers' country-year data into inputs/<slug>/indicators.csv or inputs/panels/<code>.csv.

Layouts read: the World Bank bulk CSV, V-Dem's country-year CSV, the long format of the
project's reference data (``iso3, year, indicator, value``, optionally gzipped) and single
series. Every import is recorded in the folder's ledger, ``imports.yaml`` (see ledger.py).

Over 300 lines: one parser per publisher layout and the two import transactions (country
series and panels) that share them.
"""

from __future__ import annotations

import csv
import datetime
import gzip
import io
from pathlib import Path

from . import ledger
from .schemas import load_schema

HEADER = list(load_schema("indicators")["properties"])
PANEL_HEADER = list(load_schema("panel")["properties"])


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
        if low.startswith(
            (
                '"country name","country code","indicator name","indicator code"',
                "country name,country code,indicator name,indicator code",
            )
        ):
            return "worldbank-wide", i
        if i == 0 and {"iso3", "year", "indicator", "value"} <= set(_split_header(line)):
            return "long", 0
        if i == 0 and {"country_text_id", "year"} <= set(_split_header(line)):
            return "vdem", 0
        if i == 0 and {"iso3", "year"} <= set(_split_header(line)):
            return "single-series", 0
        if i == 0 and {"country code", "year", "value"} <= {h.lower() for h in _split_header(line)}:
            return "single-series", 0
    raise ValueError(
        "unrecognised file layout: expected a World Bank bulk CSV, the project's long "
        "format (iso3, year, indicator, value), a V-Dem country-year CSV, or a single "
        "series with iso3/Country Code, year and one value column"
    )


def _split_header(line: str) -> list[str]:
    return [h.strip().strip('"') for h in next(csv.reader([line]))] if line.strip() else []


# Long on purpose: one branch per publisher layout, each a few lines; kept together so the layouts read side
# by side.
def parse_publisher_file(
    path: Path, codebook_indicators: list[dict], indicator: str | None = None, iso3s: set[str] | None = None
) -> tuple[str, list[tuple[str, str, int, str]]]:
    """(layout, [(iso3, code, year, value string)]) for the wanted countries (None: every code).

    Values are passed on exactly as the publisher wrote them. Only series the codebook maps
    (through publisher_codes) are returned.
    """
    import pandas as pd

    tokens, labels = publisher_map(codebook_indicators)
    text = _read_text(Path(path))
    fmt, skip = detect_format(text)

    def code_for(label: str):
        label = label.strip()
        return labels.get(label) or tokens.get(label.split(" ", 1)[0])

    def wanted(df, col):
        return df if iso3s is None else df[df[col].isin(iso3s)]

    out = []
    df = pd.read_csv(io.StringIO(text), skiprows=skip, dtype=str, keep_default_na=False)
    df = df.loc[:, [c for c in df.columns if not str(c).startswith("Unnamed")]]
    if fmt == "worldbank-wide":
        years = [c for c in df.columns if str(c).strip().isdigit()]
        df = wanted(df, "Country Code")
        long = df.melt(
            id_vars=["Country Code", "Indicator Code"], value_vars=years, var_name="year", value_name="value"
        )
        for row in long.itertuples(index=False):
            code = code_for(row[1])
            if code and row.value.strip():
                out.append((row[0], code, int(row.year), row.value.strip()))
    elif fmt == "long":
        df = wanted(df, "iso3")
        for row in df.itertuples(index=False):
            code = code_for(row.indicator)
            if code and row.value.strip():
                out.append((row.iso3, code, int(row.year), row.value.strip()))
    elif fmt == "vdem":
        df = wanted(df, "country_text_id")
        cols = [(c, code_for(c)) for c in df.columns if code_for(c)]
        for _, row in df.iterrows():
            for col, code in cols:
                if str(row[col]).strip() not in ("", "NA"):
                    out.append((row["country_text_id"], code, int(row["year"]), str(row[col]).strip()))
    else:
        if not indicator:
            raise ValueError(f"{path}: a single-series file needs --indicator CODE to say what it holds")
        iso_col = "iso3" if "iso3" in df.columns else "Country Code"
        year_col = "year" if "year" in df.columns else "Year"
        value_cols = [
            c for c in df.columns if c not in (iso_col, year_col, "country", "Country Name", "source")
        ]
        if len(value_cols) != 1:
            raise ValueError(f"{path}: expected one value column, found {value_cols}")
        df = wanted(df, iso_col)
        for iso3, year, value in zip(df[iso_col], df[year_col], df[value_cols[0]]):
            if str(value).strip():
                out.append((iso3, indicator, int(year), str(value).strip()))
    return fmt, out


def read_publisher_file(
    path: Path, iso3s: set[str], codebook_indicators: list[dict], indicator: str | None = None
):
    """Yield (iso3, code, year, value string) for the wanted countries from any supported layout.

    Regional and income aggregates never match a country's ISO3 code, so they are skipped.
    """
    yield from parse_publisher_file(path, codebook_indicators, indicator, set(iso3s))[1]


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
    rows = sorted(
        index.values(), key=lambda r: (order.get(r["indicator"], 999), r["indicator"], int(r["year"]))
    )
    return rows, changes


def _write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: r.get(k, "") for k in header})
    path.write_text(buf.getvalue(), encoding="utf-8")


def write_indicators(path: Path, rows: list[dict]) -> None:
    _write_csv(path, HEADER, rows)


def read_indicators(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _today(today: str | None) -> str:
    return today or datetime.date.today().isoformat()


def _verify_note(read: int, changes: dict, text_differs: int, source_differs: int) -> str:
    if not (changes["new"] or changes["revised"] or text_differs or source_differs):
        return f"verified: all {read} values match"
    parts = [f"{changes['unchanged']} of {read} values match"]
    if changes["revised"]:
        parts.append(f"{len(changes['revised'])} differ")
    if changes["new"]:
        parts.append(f"{len(changes['new'])} are not in indicators.csv")
    if text_differs:
        parts.append(f"{text_differs} equal in value but written differently")
    if source_differs:
        parts.append(f"{source_differs} carry another source key")
    return "verify: " + "; ".join(parts)


# Long on purpose: the import transaction (read, check, diff, write values and ledger) in the order it must
# happen; dry runs stop before the writes.
def import_files(
    files: list[Path],
    countries: dict[str, Path],
    codebook_indicators: list[dict],
    dry_run: bool = False,
    indicator: str | None = None,
    source: str | None = None,
    references: dict | None = None,
    verify: bool = False,
    today: str | None = None,
) -> dict:
    """Import every file for every country {iso3: folder}; return per-country change lists.

    Files are applied in the order given. Each file that holds rows for a country is recorded
    in that country's ledger (imports.yaml) with its own counts. With verify=True nothing is
    written to indicators.csv: every current row is compared with the files, and the report
    lists rows that no file holds (`unmatched`) and rows that differ in text or source key.
    """
    default_source = {r["code"]: source or r["source"] for r in codebook_indicators}
    parsed = []
    for f in files:
        fmt, rows = parse_publisher_file(Path(f), codebook_indicators, indicator, set(countries))
        parsed.append((Path(f), fmt, rows, ledger.file_facts(f)))
    report = {}
    for iso3, folder in countries.items():
        target = folder / "indicators.csv"
        original = read_indicators(target)
        before = {(r["indicator"], int(r["year"])): r for r in original}
        rows = original
        total = {
            "new": [],
            "revised": [],
            "unchanged": 0,
            "unmatched": [],
            "text_differs": [],
            "source_differs": [],
        }
        seen = set()
        entries = []
        for path, fmt, file_rows, facts in parsed:
            incoming = [
                {
                    "indicator": code,
                    "year": str(year),
                    "value": value,
                    "source": default_source[code],
                    "note": "",
                }
                for i, code, year, value in file_rows
                if i == iso3
            ]
            rows, changes = merge(rows, incoming, codebook_indicators)
            for key in ("new", "revised"):
                total[key] += changes[key]
            total["unchanged"] += changes["unchanged"]
            text_differs = source_differs = 0
            for r in incoming:
                key = (r["indicator"], int(r["year"]))
                seen.add(key)
                old = before.get(key)
                if old is not None and float(old["value"]) == float(r["value"]):
                    if old["value"] != r["value"]:
                        total["text_differs"].append((old, r))
                        text_differs += 1
                    if old["source"] != r["source"]:
                        total["source_differs"].append((old, r))
                        source_differs += 1
            if not incoming:
                continue
            counts = {
                "read": len(incoming),
                "new": len(changes["new"]),
                "revised": len(changes["revised"]),
                "unchanged": changes["unchanged"],
            }
            note = _verify_note(len(incoming), changes, text_differs, source_differs) if verify else None
            entries.append(
                ledger.make_entry(
                    path,
                    fmt=fmt,
                    imported=_today(today),
                    mode="verify" if verify else "import",
                    source_keys={r["source"] for r in incoming},
                    references=references,
                    indicators={r["indicator"] for r in incoming},
                    rows=counts,
                    note=note,
                    facts=facts,
                )
            )
        total["unmatched"] = [r for k, r in before.items() if k not in seen]
        report[iso3] = total
        if dry_run:
            continue
        if not verify and (total["new"] or total["revised"] or not target.exists()):
            write_indicators(target, rows)
        ledger.append(folder / ledger.LEDGER, entries)
    return report


def _is_country(iso3: str) -> bool:
    import pycountry

    return pycountry.countries.get(alpha_3=iso3) is not None


# Long on purpose: the panel import as one transaction (read, keep ISO countries, check, diff, write panel and
# ledger).
def import_panel(
    file: Path,
    panel_dir: Path,
    codebook_indicators: list[dict],
    references: dict | None = None,
    indicator: str | None = None,
    source: str | None = None,
    dry_run: bool = False,
    today: str | None = None,
) -> dict:
    """Import one indicator for every country in a file into panel_dir/<code>.csv.

    Only ISO 3166-1 countries are kept (pycountry): regional and income aggregates (WLD, LCN,
    HIC...) and other non-ISO codes are skipped and counted. Values are kept as published.
    """
    file = Path(file)
    fmt, rows = parse_publisher_file(file, codebook_indicators, indicator)
    codes = sorted({code for _, code, _, _ in rows})
    if indicator:
        rows = [r for r in rows if r[1] == indicator]
        code = indicator
    elif len(codes) == 1:
        code = codes[0]
    elif not codes:
        raise ValueError(
            f"{file.name}: no series the codebook knows (see publisher_codes in "
            "inputs/codebook/indicators.csv)"
        )
    else:
        raise ValueError(
            f"{file.name} holds several indicators ({', '.join(codes)}); choose one with --indicator"
        )
    if not rows:
        raise ValueError(f"{file.name}: no rows for indicator '{code}'")
    key = source or next(r["source"] for r in codebook_indicators if r["code"] == code)
    kept, skipped = [], {}
    for iso3, _, year, value in rows:
        if _is_country(iso3):
            kept.append({"iso3": iso3, "year": str(year), "value": value, "source": key})
        else:
            skipped[iso3] = skipped.get(iso3, 0) + 1
    target = Path(panel_dir) / f"{code}.csv"
    existing = read_indicators(target)
    index = {(r["iso3"], int(r["year"])): r for r in existing}
    changes = {"new": [], "revised": [], "unchanged": 0}
    for row in kept:
        k = (row["iso3"], int(row["year"]))
        old = index.get(k)
        if old is None:
            changes["new"].append(row)
        elif float(old["value"]) != float(row["value"]):
            changes["revised"].append((old, row))
        else:
            changes["unchanged"] += 1
            continue
        index[k] = row
    report = {
        "indicator": code,
        "file": target,
        "format": fmt,
        "countries": len({r["iso3"] for r in kept}),
        "skipped": skipped,
        **changes,
    }
    if dry_run:
        return report
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_csv(target, PANEL_HEADER, [index[k] for k in sorted(index)])
    counts = {
        "read": len(rows),
        "new": len(changes["new"]),
        "revised": len(changes["revised"]),
        "unchanged": changes["unchanged"],
        "skipped": sum(skipped.values()),
    }
    entry = ledger.make_entry(
        file,
        fmt=fmt,
        imported=_today(today),
        mode="panel",
        source_keys={key},
        references=references,
        indicators={code},
        rows=counts,
        countries=report["countries"],
        skipped_codes=sorted(skipped) or None,
        output=f"{code}.csv",
    )
    ledger.append(Path(panel_dir) / ledger.LEDGER, [entry])
    return report


def summarise(report: dict) -> str:
    lines = []
    for iso3, ch in report.items():
        lines.append(
            f"{iso3}: {len(ch['new'])} new, {len(ch['revised'])} revised, {ch['unchanged']} unchanged"
        )
        by_code: dict[str, list[str]] = {}
        for r in ch["new"]:
            by_code.setdefault(r["indicator"], []).append(r["year"])
        for code, years in by_code.items():
            lines.append(f"  new {code}: {years[0]}-{years[-1]} ({len(years)} years)")
        for old, new in ch["revised"]:
            lines.append(f"  revised {old['indicator']} {old['year']}: {old['value']} -> {new['value']}")
    return "\n".join(lines)


def summarise_verification(report: dict) -> tuple[str, bool]:
    """(text, all verified) for a --verify run."""
    lines, ok = [], True
    for iso3, ch in report.items():
        bad = ch["new"] or ch["revised"] or ch["unmatched"] or ch["text_differs"] or ch["source_differs"]
        ok = ok and not bad
        n = ch["unchanged"]
        lines.append(
            f"{iso3}: {'verified' if not bad else 'NOT verified'}: {n} values match the files"
            + (
                f", {len(ch['unmatched'])} rows of indicators.csv are in none of them"
                if ch["unmatched"]
                else ""
            )
        )
        for r in ch["unmatched"]:
            lines.append(f"  not in any file: {r['indicator']} {r['year']} = {r['value']} ({r['source']})")
        for old, new in ch["revised"]:
            lines.append(
                f"  differs: {old['indicator']} {old['year']}: {old['value']} in indicators.csv, "
                f"{new['value']} in the file"
            )
        for r in ch["new"]:
            lines.append(f"  only in the file: {r['indicator']} {r['year']} = {r['value']}")
        for old, new in ch["text_differs"]:
            lines.append(
                f"  written differently: {old['indicator']} {old['year']}: {old['value']} vs {new['value']}"
            )
        for old, new in ch["source_differs"]:
            lines.append(
                f"  source key: {old['indicator']} {old['year']}: {old['source']} in indicators.csv, "
                f"{new['source']} from the codebook"
            )
    return "\n".join(lines), ok


def summarise_panel(report: dict) -> str:
    skipped = report["skipped"]
    codes = f" ({', '.join(f'{k} {v}' for k, v in sorted(skipped.items()))})" if skipped else ""
    lines = [
        (
            f"{report['indicator']}: {report['countries']} countries, {len(report['new'])} new, "
            f"{len(report['revised'])} revised, {report['unchanged']} unchanged"
        ),
        f"  skipped (not ISO 3166-1 countries): {sum(skipped.values())} rows{codes}",
    ]
    for old, new in report["revised"][:50]:
        lines.append(f"  revised {old['iso3']} {old['year']}: {old['value']} -> {new['value']}")
    return "\n".join(lines)
