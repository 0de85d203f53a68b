"""Cross-case indicators: one row per country, the study-wide summary, the data package.

Over 300 lines, most of it the declarative column table of comparative.csv (``columns``).
"""

from __future__ import annotations

import csv
import io
from statistics import fmean

from .rq1_compare import pooled_agreement, ranking_robustness


def _r(x, n=6):
    return None if x is None else round(float(x), n)


def outcome_series(settings: dict, codebook_indicators: list[dict]) -> list[dict]:
    """The series compared across cases: the effect indicator, then the configured outcomes."""
    meta = {r["code"]: r for r in codebook_indicators}
    codes = [settings["effect"]["indicator"]]
    codes += [c for c in settings["comparative"]["outcome_indicators"] if c not in codes]
    return [
        {
            "code": c,
            "stem": meta[c].get("column_stem") or c,
            "unit": meta[c]["unit"],
            "label": meta[c]["short_name"],
            # Bounded indices (WGI, V-Dem) read at two decimals, rates and counts at one.
            "decimals": 2 if meta[c]["valid_max"] - meta[c]["valid_min"] <= 10 else 1,
        }
        for c in codes
    ]


# Long on purpose: a declarative table, one entry per column of comparative.csv in CSV order.
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
    cols += [
        (
            "coders_n",
            "integer",
            "count",
            "RQ1: independent codings of the case (orthodox.csv and orthodox.<coder>.csv)",
        ),
        (
            "coder_alpha",
            "number",
            "Krippendorff's alpha (ordinal)",
            "RQ1: agreement of the coders over the case's 20 scores; empty with a single coder",
        ),
        (
            "coder_alpha_ci_low",
            "number",
            "Krippendorff's alpha",
            "RQ1: lower bound of its 95% bootstrap interval",
        ),
        (
            "coder_alpha_ci_high",
            "number",
            "Krippendorff's alpha",
            "RQ1: upper bound of its 95% bootstrap interval",
        ),
    ]
    for key in ("design_index", "practice_index", "gap_index"):
        for end in ("min", "max"):
            cols.append(
                (
                    f"{key}_{end}",
                    "number",
                    "index points",
                    (
                        f"RQ1: {'lowest' if end == 'min' else 'highest'} {key} over the robustness variants "
                        "(each dimension left out, each score moved by one point, other weights)"
                    ),
                )
            )
    cols += [
        (
            "widest_gap_variants_n",
            "integer",
            "count",
            "RQ1: cross-case variants in which this case has the widest gap (of study.robustness.n_variants)",
        ),
        (
            "narrowest_gap_variants_n",
            "integer",
            "count",
            "RQ1: cross-case variants in which it has the narrowest",
        ),
    ]
    for d in dimensions:
        for kind in ("design", "practice", "gap"):
            cols.append(
                (
                    f"{d['id']}_{kind}",
                    "number",
                    "score 0-4" if kind != "gap" else "score points",
                    (
                        f"RQ1 {kind} score, {d['id']} {d['name']} (the coders' consensus; halves where "
                        "two coders are a point apart)"
                    ),
                )
            )
    for o in outcomes:
        code, stem, unit = o["code"], o["stem"], o["unit"]
        cols += [
            (
                f"{stem}_start_year",
                "integer",
                "year",
                f"{code}: first year with data at or after reform start",
            ),
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
        (
            "non_state_engagement_n",
            "integer",
            "count",
            "RQ2: initiatives led by non-state or mixed actors, or of a type that engages non-state actors ("
            + ", ".join(e["code"] for e in entry_points if e["non_state"] == "yes")
            + ")",
        ),
    ]
    for e in entry_points:
        key = e["code"].replace("-", "_").lower()
        cols.append((f"{key}_n", "integer", "count", f"RQ2: initiatives of type {e['code']} {e['name']}"))
        cols.append((f"{key}_used_n", "integer", "count", "RQ2: of which used (fully)"))
    cols += [
        (
            "descriptive_changes_n",
            "integer",
            "count",
            "RQ2: initiatives whose descriptive before/after change could be computed",
        ),
        (
            "descriptive_mean_change_pct",
            "number",
            "percent",
            "RQ2: mean descriptive before/after change in the effect indicator (not an effect estimate)",
        ),
        (
            "largest_descriptive_fall_initiative",
            "string",
            None,
            "RQ2: initiative with the largest descriptive fall",
        ),
        (
            "largest_descriptive_fall_change_pct",
            "number",
            "percent",
            "RQ2: that initiative's descriptive change",
        ),
        ("its_estimates_n", "integer", "count", "RQ2: initiatives with an interrupted-time-series estimate"),
        ("synthetic_estimates_n", "integer", "count", "RQ2: initiatives with a synthetic-control estimate"),
        (
            "distinguishable_n",
            "integer",
            "count",
            "RQ2: initiatives whose synthetic-control gap is distinguishable from placebo (verdict)",
        ),
        (
            "not_distinguishable_n",
            "integer",
            "count",
            "RQ2: initiatives estimated but not distinguishable from ordinary variation (verdict)",
        ),
        (
            "not_estimable_n",
            "integer",
            "count",
            "RQ2: initiatives with dates whose effect could not be estimated (verdict gives the reason)",
        ),
        (
            "strongest_estimate_initiative",
            "string",
            None,
            "RQ2: initiative with the smallest placebo p-value among synthetic controls with an acceptable fit",
        ),
        (
            "strongest_estimate_gap_pct",
            "number",
            "percent",
            "RQ2: its synthetic-control gap (treated minus synthetic, in percent of the synthetic) over the window",
        ),
        ("strongest_estimate_p_value", "number", "probability", "RQ2: its in-space placebo p-value"),
    ]
    return [{"name": n, "type": t, "unit": u, "description": d} for n, t, u, d in cols]


def country_row(ind: dict, dimensions: list[dict], entry_points: list[dict], outcomes: list[dict]) -> dict:
    c = ind["country"]
    r1, r2 = ind["rq1"], ind["rq2"]
    row = {
        "slug": c["slug"],
        "country": c["name"],
        "iso3": c["iso3"],
        "region": c["region"],
        "conflict_start": c["conflict"]["start"],
        "conflict_end": c["conflict"]["end"],
        "reform_start": c["reform_start"],
        "reform_end": c.get("reform_end"),
        "design_index": r1["design_index"],
        "practice_index": r1["practice_index"],
        "gap_index": r1["gap_index"],
        "widest_gap_dimension": r1["largest_gap"]["id"] if r1["largest_gap"] else None,
    }
    agree, rob = r1["agreement"] or {}, r1["robustness"] or {}
    row["coders_n"] = len(r1["coders"])
    row["coder_alpha"] = agree.get("alpha")
    row["coder_alpha_ci_low"], row["coder_alpha_ci_high"] = agree.get("alpha_ci") or (None, None)
    for key in ("design", "practice", "gap"):
        for end in ("min", "max"):
            row[f"{key}_index_{end}"] = rob.get(key, {}).get(end)
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
        i["actor_type"] in ("non-state", "mixed") or i["entry_point"] in non_state for i in items
    )
    for e in entry_points:
        key = e["code"].replace("-", "_").lower()
        row[f"{key}_n"] = sum(i["entry_point"] == e["code"] for i in items)
        row[f"{key}_used_n"] = sum(i["entry_point"] == e["code"] and i["used"] == "yes" for i in items)
    row.update(effect_columns(items))
    return row


NOT_DISTINGUISHABLE = ("not_distinguishable", "fails_in_time_placebo")


def effect_columns(items: list[dict]) -> dict:
    """A country's RQ2 estimates in a few comparable numbers (comparative.csv)."""
    dated = [i["effect"] for i in items if i["effect"]]
    measured = [
        (i["name"], i["effect"]["change_pct"])
        for i in items
        if i["effect"] and i["effect"]["change_pct"] is not None
    ]
    codes = [e["verdict"]["code"] for e in dated]
    fair = [
        (i["name"], i["effect"]["synthetic"])
        for i in items
        if i["effect"] and i["effect"]["verdict"]["code"] in ("distinguishable", *NOT_DISTINGUISHABLE)
    ]
    low = min(measured, key=lambda m: m[1]) if measured else (None, None)
    best = min(fair, key=lambda f: (f[1]["p_value"], f[0])) if fair else (None, None)
    return {
        "descriptive_changes_n": len(measured),
        "descriptive_mean_change_pct": _r(fmean(m[1] for m in measured)) if measured else None,
        "largest_descriptive_fall_initiative": low[0],
        "largest_descriptive_fall_change_pct": low[1],
        "its_estimates_n": sum(e["its"] is not None for e in dated),
        "synthetic_estimates_n": sum(e["synthetic"] is not None for e in dated),
        "distinguishable_n": codes.count("distinguishable"),
        "not_distinguishable_n": sum(c in NOT_DISTINGUISHABLE for c in codes),
        "not_estimable_n": sum(c != "distinguishable" and c not in NOT_DISTINGUISHABLE for c in codes),
        "strongest_estimate_initiative": best[0],
        "strongest_estimate_gap_pct": best[1]["gap_pct"] if best[1] else None,
        "strongest_estimate_p_value": best[1]["p_value"] if best[1] else None,
    }


def study_summary(rows: list[dict], dimensions: list[dict]) -> dict:
    def mean(key):
        vals = [r[key] for r in rows if r[key] is not None]
        return _r(fmean(vals)) if vals else None

    scored = [r for r in rows if r["gap_index"] is not None]
    widest = max(scored, key=lambda r: r["gap_index"]) if scored else None
    narrowest = min(scored, key=lambda r: r["gap_index"]) if scored else None
    dims = {}
    for d in dimensions:
        dims[d["id"]] = {
            "id": d["id"],
            "name": d["name"],
            "mean_design": mean(f"{d['id']}_design"),
            "mean_practice": mean(f"{d['id']}_practice"),
            "mean_gap": mean(f"{d['id']}_gap"),
        }
    gaps = [v for v in dims.values() if v["mean_gap"] is not None]
    largest = max(gaps, key=lambda v: v["mean_gap"]) if gaps else None
    return {
        "n_countries": len(rows),
        "mean_design_index": mean("design_index"),
        "mean_practice_index": mean("practice_index"),
        "mean_gap_index": mean("gap_index"),
        "widest_gap": {"slug": widest["slug"], "name": widest["country"], "gap_index": widest["gap_index"]}
        if widest
        else None,
        "narrowest_gap": {
            "slug": narrowest["slug"],
            "name": narrowest["country"],
            "gap_index": narrowest["gap_index"],
        }
        if narrowest
        else None,
        "n_initiatives": sum(r["initiatives_n"] for r in rows),
        "n_used": sum(r["initiatives_used_n"] for r in rows),
        "n_partial": sum(r["initiatives_partial_n"] for r in rows),
        "n_not_used": sum(r["initiatives_not_used_n"] for r in rows),
        **{
            f"n_{k.removesuffix('_n')}": sum(r[k] for r in rows)
            for k in (
                "descriptive_changes_n",
                "its_estimates_n",
                "synthetic_estimates_n",
                "distinguishable_n",
                "not_distinguishable_n",
                "not_estimable_n",
            )
        },
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
        "licenses": [
            {
                "name": "CC-BY-SA-4.0",
                "title": "Creative Commons Attribution Share-Alike 4.0",
                "path": "https://creativecommons.org/licenses/by-sa/4.0/",
            }
        ],
        "sources": sources,
        "resources": [
            {
                "name": "comparative",
                "path": "comparative.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": fields, "primaryKey": ["slug"], "missingValues": [""]},
            }
        ],
    }


def build(inds: list[dict], codebook: dict, refs: dict, settings: dict) -> dict:
    dims, eps = codebook["dimensions"], codebook["entry_points"]
    outcomes = outcome_series(settings, codebook["indicators"])
    rows = [country_row(i, dims, eps, outcomes) for i in inds]
    ranking = ranking_robustness(inds, settings["rq1"])
    for r in rows:
        c = (ranking or {}).get("countries", {}).get(r["slug"], {})
        r["widest_gap_variants_n"], r["narrowest_gap_variants_n"] = c.get("widest_n"), c.get("narrowest_n")
    cols = columns(dims, eps, outcomes)
    latest = max((i["data_vintage"]["latest_year"] or 0 for i in inds), default=None)
    first = min((i["data_vintage"]["first_year"] or 9999 for i in inds), default=None)
    used_sources = []
    for i in inds:
        for s in i["series"].values():
            for k in s["sources"]:
                if k not in used_sources:
                    used_sources.append(k)
    sources = [
        {"title": refs[k]["title"], **({"path": refs[k]["url"]} if refs[k].get("url") else {})}
        for k in used_sources
        if k in refs
    ]
    study = {
        **study_summary(rows, dims),
        "method": dict(settings["effect"]),
        "agreement": pooled_agreement(inds, dims, settings["rq1"]),
        "robustness": ranking,
        "agreement_threshold": settings["rq1"]["min_alpha"],
    }
    return {
        "rows": rows,
        "columns": cols,
        "study": study,
        "outcomes": outcomes,
        "codebook": {
            "dimensions": [{"id": d["id"], "name": d["name"]} for d in dims],
            "entry_points": [{"code": e["code"], "name": e["name"]} for e in eps],
        },
        "data_vintage": {"first_year": first, "latest_year": latest},
        "datapackage": datapackage(cols, {"latest_year": latest}, sources),
    }
