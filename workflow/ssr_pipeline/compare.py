"""Cross-case indicators: one row per country, the study-wide summary, the data package."""

from __future__ import annotations

import csv
import io
from statistics import fmean


def _r(x, n=6):
    return None if x is None else round(float(x), n)


def outcome_series(settings: dict, codebook_indicators: list[dict]) -> list[dict]:
    """The series compared across cases: the effect indicator, then the configured outcomes."""
    meta = {r["code"]: r for r in codebook_indicators}
    codes = [settings["effect"]["indicator"]]
    codes += [c for c in settings["comparative"]["outcome_indicators"] if c not in codes]
    return [{"code": c, "stem": meta[c].get("column_stem") or c, "unit": meta[c]["unit"],
             "label": meta[c]["short_name"],
             # Bounded indices (WGI, V-Dem) read at two decimals, rates and counts at one.
             "decimals": 2 if meta[c]["valid_max"] - meta[c]["valid_min"] <= 10 else 1}
            for c in codes]


def columns(dimensions: list[dict], entry_points: list[dict], outcomes: list[dict]) -> list[dict]:
    """Column metadata in CSV order: name, Table Schema type, unit, description."""
    cols = [
        ("slug", "string", None, "Country slug (folder under inputs/)"),
        ("country", "string", None, "Country name"),
        ("iso3", "string", None, "ISO 3166-1 alpha-3 code"),
        ("region", "string", None, "World region"),
        ("conflict_start", "integer", "year", "First year of the armed conflict"),
        ("conflict_end", "integer", "year", "Last year of the armed conflict"),
        ("reform_start", "integer", "year", "First year of externally supported SSR"),
        ("reform_end", "integer", "year", "Last year of the reform period (empty: ongoing)"),
        ("design_index", "number", "index 0-100", "RQ1: mean design score / 4 x 100"),
        ("practice_index", "number", "index 0-100", "RQ1: mean practice score / 4 x 100"),
        ("gap_index", "number", "index points", "RQ1: design_index minus practice_index"),
        ("widest_gap_dimension", "string", None, "RQ1: dimension with the largest design-practice gap"),
    ]
    for d in dimensions:
        for kind in ("design", "practice", "gap"):
            cols.append((f"{d['id']}_{kind}", "integer", "score 0-4" if kind != "gap" else "score points",
                         f"RQ1 {kind} score, {d['id']} {d['name']}"))
    for o in outcomes:
        code, stem, unit = o["code"], o["stem"], o["unit"]
        cols += [
            (f"{stem}_start_year", "integer", "year", f"{code}: first year with data at or after reform start"),
            (f"{stem}_start", "number", unit, f"{code}: value at reform start"),
            (f"{stem}_latest_year", "integer", "year", f"{code}: latest year with data"),
            (f"{stem}_latest", "number", unit, f"{code}: latest value"),
            (f"{stem}_change", "number", unit, f"{code}: latest minus value at reform start"),
            (f"{stem}_change_pct", "number", "percent", f"{code}: change since reform start in percent"),
        ]
    cols += [
        ("initiatives_n", "integer", "count", "RQ2: initiatives and entry points recorded"),
        ("initiatives_used_n", "integer", "count", "RQ2: used"),
        ("initiatives_partial_n", "integer", "count", "RQ2: partly used"),
        ("initiatives_not_used_n", "integer", "count", "RQ2: available but not used"),
        ("non_state_engagement_n", "integer", "count",
         "RQ2: initiatives led by non-state or mixed actors, or of a type that engages non-state actors ("
         + ", ".join(e["code"] for e in entry_points if e["non_state"] == "yes") + ")"),
    ]
    for e in entry_points:
        key = e["code"].replace("-", "_").lower()
        cols.append((f"{key}_n", "integer", "count", f"RQ2: initiatives of type {e['code']} {e['name']}"))
        cols.append((f"{key}_used_n", "integer", "count", "RQ2: of which used (fully)"))
    cols += [
        ("effects_measured_n", "integer", "count", "RQ2: initiatives whose effect could be computed"),
        ("effect_mean_change_pct", "number", "percent",
         "RQ2: mean change in the effect indicator across measured initiatives"),
        ("largest_fall_initiative", "string", None, "RQ2: measured initiative with the largest fall"),
        ("largest_fall_change_pct", "number", "percent", "RQ2: that initiative's change"),
    ]
    return [{"name": n, "type": t, "unit": u, "description": d} for n, t, u, d in cols]


def country_row(ind: dict, dimensions: list[dict], entry_points: list[dict], outcomes: list[dict]) -> dict:
    c = ind["country"]
    r1, r2 = ind["rq1"], ind["rq2"]
    row = {
        "slug": c["slug"], "country": c["name"], "iso3": c["iso3"], "region": c["region"],
        "conflict_start": c["conflict"]["start"], "conflict_end": c["conflict"]["end"],
        "reform_start": c["reform_start"], "reform_end": c.get("reform_end"),
        "design_index": r1["design_index"], "practice_index": r1["practice_index"],
        "gap_index": r1["gap_index"],
        "widest_gap_dimension": r1["largest_gap"]["id"] if r1["largest_gap"] else None,
    }
    dims = {d["id"]: d for d in r1["dimensions"]}
    for d in dimensions:
        got = dims.get(d["id"], {})
        for kind in ("design", "practice", "gap"):
            row[f"{d['id']}_{kind}"] = got.get(kind)
    for o in outcomes:
        stem = o["stem"]
        t = ind["series"].get(o["code"], {}).get("trajectory") or {}
        start, latest, change = t.get("at_reform_start"), t.get("latest"), t.get("change_since_reform_start")
        row[f"{stem}_start_year"] = start["year"] if start else None
        row[f"{stem}_start"] = start["value"] if start else None
        row[f"{stem}_latest_year"] = latest["year"] if latest else None
        row[f"{stem}_latest"] = latest["value"] if latest else None
        row[f"{stem}_change"] = change["abs"] if change else None
        row[f"{stem}_change_pct"] = change["pct"] if change else None
    items = r2["initiatives"]
    row["initiatives_n"] = r2["n_initiatives"]
    row["initiatives_used_n"] = r2["n_used"]
    row["initiatives_partial_n"] = r2["n_partial"]
    row["initiatives_not_used_n"] = r2["n_not_used"]
    non_state = {e["code"] for e in entry_points if e["non_state"] == "yes"}
    row["non_state_engagement_n"] = sum(
        i["actor_type"] in ("non-state", "mixed") or i["entry_point"] in non_state for i in items)
    for e in entry_points:
        key = e["code"].replace("-", "_").lower()
        row[f"{key}_n"] = sum(i["entry_point"] == e["code"] for i in items)
        row[f"{key}_used_n"] = sum(i["entry_point"] == e["code"] and i["used"] == "yes" for i in items)
    measured = [i for i in items if i["effect"] and i["effect"]["change_pct"] is not None]
    row["effects_measured_n"] = len(measured)
    row["effect_mean_change_pct"] = _r(fmean(i["effect"]["change_pct"] for i in measured)) if measured else None
    if measured:
        low = min(measured, key=lambda i: i["effect"]["change_pct"])
        row["largest_fall_initiative"] = low["name"]
        row["largest_fall_change_pct"] = low["effect"]["change_pct"]
    else:
        row["largest_fall_initiative"] = None
        row["largest_fall_change_pct"] = None
    return row


def study_summary(rows: list[dict], dimensions: list[dict]) -> dict:
    def mean(key):
        vals = [r[key] for r in rows if r[key] is not None]
        return _r(fmean(vals)) if vals else None

    scored = [r for r in rows if r["gap_index"] is not None]
    widest = max(scored, key=lambda r: r["gap_index"]) if scored else None
    narrowest = min(scored, key=lambda r: r["gap_index"]) if scored else None
    dims = {}
    for d in dimensions:
        dims[d["id"]] = {"id": d["id"], "name": d["name"], "mean_design": mean(f"{d['id']}_design"),
                         "mean_practice": mean(f"{d['id']}_practice"), "mean_gap": mean(f"{d['id']}_gap")}
    gaps = [v for v in dims.values() if v["mean_gap"] is not None]
    largest = max(gaps, key=lambda v: v["mean_gap"]) if gaps else None
    return {
        "n_countries": len(rows),
        "mean_design_index": mean("design_index"),
        "mean_practice_index": mean("practice_index"),
        "mean_gap_index": mean("gap_index"),
        "widest_gap": {"slug": widest["slug"], "name": widest["country"], "gap_index": widest["gap_index"]}
        if widest else None,
        "narrowest_gap": {"slug": narrowest["slug"], "name": narrowest["country"],
                          "gap_index": narrowest["gap_index"]} if narrowest else None,
        "n_initiatives": sum(r["initiatives_n"] for r in rows),
        "n_used": sum(r["initiatives_used_n"] for r in rows),
        "n_partial": sum(r["initiatives_partial_n"] for r in rows),
        "n_not_used": sum(r["initiatives_not_used_n"] for r in rows),
        "n_measured_effects": sum(r["effects_measured_n"] for r in rows),
        "dims": dims,
        "largest_dim_gap": largest,
    }


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, str):
        # Spreadsheets execute cells that start like a formula; quote them.
        return "'" + value if value.startswith(FORMULA_START) else value
    if isinstance(value, float):
        return repr(value)
    return str(value)


def to_csv(rows: list[dict], cols: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([c["name"] for c in cols])
    for r in rows:
        w.writerow([_cell(r.get(c["name"])) for c in cols])
    return buf.getvalue()


def datapackage(cols: list[dict], vintage: dict, sources: list[dict]) -> dict:
    fields = []
    for c in cols:
        f = {"name": c["name"], "type": c["type"], "description": c["description"]}
        if c["unit"]:
            f["unit"] = c["unit"]
        fields.append(f)
    return {
        "name": "ssr-comparative-indicators",
        "title": "Comparative indicators of security sector reform (RQ1 and RQ2), one row per case",
        "description": "Computed by the SSR study pipeline from the cases' validated inputs. "
                       f"Data to {vintage.get('latest_year')}.",
        "licenses": [{"name": "CC-BY-SA-4.0", "title": "Creative Commons Attribution Share-Alike 4.0",
                      "path": "https://creativecommons.org/licenses/by-sa/4.0/"}],
        "sources": sources,
        "resources": [{
            "name": "comparative",
            "path": "comparative.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {"fields": fields, "primaryKey": ["slug"], "missingValues": [""]},
        }],
    }


def build(inds: list[dict], codebook: dict, refs: dict, settings: dict) -> dict:
    dims, eps = codebook["dimensions"], codebook["entry_points"]
    outcomes = outcome_series(settings, codebook["indicators"])
    rows = [country_row(i, dims, eps, outcomes) for i in inds]
    cols = columns(dims, eps, outcomes)
    latest = max((i["data_vintage"]["latest_year"] or 0 for i in inds), default=None)
    first = min((i["data_vintage"]["first_year"] or 9999 for i in inds), default=None)
    used_sources = []
    for i in inds:
        for s in i["series"].values():
            for k in s["sources"]:
                if k not in used_sources:
                    used_sources.append(k)
    sources = [{"title": refs[k]["title"], **({"path": refs[k]["url"]} if refs[k].get("url") else {})}
               for k in used_sources if k in refs]
    return {"rows": rows, "columns": cols, "study": study_summary(rows, dims), "outcomes": outcomes,
            "codebook": {"dimensions": [{"id": d["id"], "name": d["name"]} for d in dims],
                         "entry_points": [{"code": e["code"], "name": e["name"]} for e in eps]},
            "data_vintage": {"first_year": first, "latest_year": latest},
            "datapackage": datapackage(cols, {"latest_year": latest}, sources)}
