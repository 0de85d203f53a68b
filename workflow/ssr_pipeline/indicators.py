"""Comparative indicators behind RQ1 and RQ2, computed from a validated country bundle."""

from __future__ import annotations

from .rq1 import rq1
from .rq2 import rq2

ROUND = 6


def _r(x):
    return None if x is None else round(float(x), ROUND)


def series_table(bundle: dict) -> dict:
    """{code: {year: value}} in codebook order, years ascending."""
    by_code: dict[str, dict[int, float]] = {}
    for row in bundle["indicators"]:
        by_code.setdefault(row["indicator"], {})[row["year"]] = row["value"]
    order = [c["code"] for c in bundle["codebook"]["indicators"]]
    return {c: dict(sorted(by_code[c].items())) for c in order if c in by_code}


def trajectory(values: dict[int, float], reform_start: int) -> dict:
    """Reader-facing figures for one series; empty dict when there is no data."""
    if not values:
        return {}
    years = sorted(values)
    first, latest = years[0], years[-1]
    peak = max(years, key=lambda y: (values[y], -y))
    trough = min(years, key=lambda y: (values[y], y))
    out = {
        "n_years": len(years),
        "first": {"year": first, "value": values[first]},
        "latest": {"year": latest, "value": values[latest]},
        "peak": {"year": peak, "value": values[peak]},
        "trough": {"year": trough, "value": values[trough]},
        "at_reform_start": None,
        "change_since_reform_start": None,
    }
    start_years = [y for y in years if y >= reform_start]
    if start_years:
        y0 = start_years[0]
        v0 = values[y0]
        out["at_reform_start"] = {"year": y0, "value": v0}
        if latest != y0:
            change = values[latest] - v0
            out["change_since_reform_start"] = {
                "from_year": y0,
                "to_year": latest,
                "abs": _r(change),
                "pct": _r(change / v0 * 100) if v0 else None,
            }
    return out


# Long on purpose: the indicator JSON assembled member by member in contract order (see DESIGN.md).
def compute(bundle: dict, settings: dict, panel: dict | None = None) -> dict:
    """A country's indicators: series with trajectories, RQ1 indices and RQ2 initiatives.

    ``panel`` ({iso3: {year: value}} of the effect indicator for all countries) is the donor
    pool of the synthetic control; without it only the other estimates are made.
    """
    country = bundle["country"]
    reform_start = country["reform_start"]
    table = series_table(bundle)
    codes = {c["code"]: c for c in bundle["codebook"]["indicators"]}
    sources_by_code: dict[str, list[str]] = {}
    for row in bundle["indicators"]:
        lst = sources_by_code.setdefault(row["indicator"], [])
        if row["source"] not in lst:
            lst.append(row["source"])
    series = {}
    for code, values in table.items():
        meta = codes[code]
        series[code] = {
            "name": meta["name"],
            "short_name": meta["short_name"],
            "unit": meta["unit"],
            "direction": meta["direction"],
            "comparator_of": meta.get("comparator_of"),
            "valid_range": [meta["valid_min"], meta["valid_max"]],
            "sources": sources_by_code[code],
            # The joined form is kept for readers of the contract's first version.
            "source": "; ".join(sources_by_code[code]),
            "values": {str(y): v for y, v in values.items()},
            "trajectory": trajectory(values, reform_start),
        }
    all_years = [r["year"] for r in bundle["indicators"]]
    return {
        "country": {
            "slug": bundle["slug"],
            "name": country["name"],
            "iso3": country["iso3"],
            "region": country["region"],
            "reform_start": reform_start,
            "reform_end": country.get("reform_end"),
            "conflict": country["conflict"],
        },
        "series": series,
        "rq1": rq1(bundle, settings["rq1"]),
        "rq2": rq2(bundle, table, settings["effect"], panel),
        "events": [
            {
                "id": e["id"],
                "date": e["date"],
                "end_date": e.get("end_date"),
                "label": e["label"],
                "category": e["category"],
                "chart": e["chart"] == "yes",
            }
            for e in bundle["events"]
        ],
        "data_vintage": {
            "first_year": min(all_years, default=None),
            "latest_year": max(all_years, default=None),
        },
    }
