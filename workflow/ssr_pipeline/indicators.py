"""Comparative indicators behind RQ1 and RQ2, computed from a validated country bundle."""

from __future__ import annotations

from statistics import fmean

from . import dates

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


def active_years(start: str | None, end: str | None, last_year: int,
                 min_months: int = 6) -> list[int]:
    """Calendar years in which an initiative ran for at least ``min_months`` months.

    A year without a month counts as the whole year; a missing end means the initiative
    is still running, so it is active up to ``last_year`` (the data's latest year).
    """
    if not start:
        return []
    sy, sm, _ = dates.parse(start).first()
    if end:
        ey, em, _ = dates.parse(end).last()
    else:
        ey, em = max(last_year, sy), 12
    years = []
    for y in range(sy, ey + 1):
        first = sm if y == sy else 1
        last = em if y == ey else 12
        if last - first + 1 >= min_months:
            years.append(y)
    return years


def effect(values: dict[int, float], years: list[int], baseline_n: int, indicator: str) -> dict:
    """Mean of the indicator over the active years against the ``baseline_n`` years before.

    Returns {"effect": {...} or None, "reason": str or None}. Both windows must be fully
    covered by data; a partial window would compare unlike periods.
    """
    if not years:
        return {"effect": None, "reason": "the initiative has no year with six or more active months"}
    baseline_years = list(range(years[0] - baseline_n, years[0]))
    missing_base = [y for y in baseline_years if y not in values]
    missing_active = [y for y in years if y not in values]
    if missing_base or missing_active:
        gaps = missing_base + missing_active
        span = ", ".join(str(y) for y in gaps[:6]) + ("..." if len(gaps) > 6 else "")
        return {"effect": None, "reason": f"no {indicator} data for {span}"}
    base = fmean(values[y] for y in baseline_years)
    during = fmean(values[y] for y in years)
    return {
        "effect": {
            "indicator": indicator,
            "baseline_years": baseline_years,
            "active_years": years,
            "baseline": _r(base),
            "during": _r(during),
            "change_abs": _r(during - base),
            "change_pct": _r((during - base) / base * 100) if base else None,
        },
        "reason": None,
    }


def rq1(bundle: dict) -> dict:
    names = {d["id"]: d["name"] for d in bundle["codebook"]["dimensions"]}
    dims = [
        {
            "id": row["dimension"],
            "name": names[row["dimension"]],
            "design": row["design"],
            "practice": row["practice"],
            "gap": row["design"] - row["practice"],
            "certainty": row["certainty"],
        }
        for row in bundle["orthodox"]
    ]
    if not dims:
        return {"dimensions": [], "design_index": None, "practice_index": None,
                "gap_index": None, "largest_gap": None}
    design = fmean(d["design"] for d in dims) / 4 * 100
    practice = fmean(d["practice"] for d in dims) / 4 * 100
    largest = max(dims, key=lambda d: d["gap"])  # max keeps the first of equal gaps
    return {
        "dimensions": dims,
        "design_index": _r(design),
        "practice_index": _r(practice),
        "gap_index": _r(design - practice),
        "largest_gap": {"id": largest["id"], "name": largest["name"], "gap": largest["gap"]},
    }


def rq2(bundle: dict, series: dict, effect_cfg: dict) -> dict:
    code = effect_cfg["indicator"]
    n = effect_cfg["baseline_years"]
    min_months = effect_cfg["min_active_months"]
    values = series.get(code, {})
    last_year = max(values) if values else max(
        (r["year"] for r in bundle["indicators"]), default=0)
    types = {e["code"]: e["name"] for e in bundle["codebook"]["entry_points"]}
    items = []
    for ini in bundle["initiatives"]:
        years = active_years(ini.get("start"), ini.get("end"), last_year, min_months)
        if ini.get("start"):
            res = effect(values, years, n, code)
        elif ini["used"] == "no":
            res = {"effect": None, "reason": "the entry point was not taken up, so it has no dates"}
        else:
            res = {"effect": None, "reason": "no start date is recorded for it"}
        items.append({
            "id": ini["id"],
            "name": ini["name"],
            "entry_point": ini["entry_point"],
            "entry_point_name": types.get(ini["entry_point"], ""),
            "level": ini["level"],
            "lead_actor": ini["lead_actor"],
            "actor_type": ini["actor_type"],
            "start": ini.get("start"),
            "end": ini.get("end"),
            "active_years": years,
            "budget_usd": ini.get("budget_usd"),
            "status": ini["status"],
            "used": ini["used"],
            "certainty": ini["certainty"],
            "effect": res["effect"],
            "effect_note": res["reason"],
        })
    counts = {"n_initiatives": len(items),
              "n_used": sum(i["used"] == "yes" for i in items),
              "n_partial": sum(i["used"] == "partial" for i in items),
              "n_not_used": sum(i["used"] == "no" for i in items)}
    by_type = {}
    for i in items:
        by_type.setdefault(i["entry_point"], {"total": 0, "used": 0, "partial": 0, "not_used": 0})
        slot = by_type[i["entry_point"]]
        slot["total"] += 1
        slot[{"yes": "used", "partial": "partial", "no": "not_used"}[i["used"]]] += 1
    order = list(types)
    return {
        "effect_indicator": code,
        "baseline_years": n,
        "initiatives": items,
        **counts,
        "by_entry_point": {k: by_type[k] for k in order if k in by_type},
    }


def compute(bundle: dict, settings: dict) -> dict:
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
        "rq1": rq1(bundle),
        "rq2": rq2(bundle, table, settings["effect"]),
        "events": [
            {"id": e["id"], "date": e["date"], "end_date": e.get("end_date"),
             "label": e["label"], "category": e["category"], "chart": e["chart"] == "yes"}
            for e in bundle["events"]
        ],
        "data_vintage": {"first_year": min(all_years, default=None),
                         "latest_year": max(all_years, default=None)},
    }
