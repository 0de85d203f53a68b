"""RQ1: the orthodox-model indices from one or more independent codings, the agreement between
coders (Krippendorff's alpha, ordinal) and how far the indices move under other reasonable choices."""

from __future__ import annotations

from statistics import fmean, median

import numpy as np

ROUND = 6
KINDS = ("design", "practice")
LEAD = "lead"  # the coder of orthodox.csv; others are named by their file, orthodox.<coder>.csv


def _r(x):
    return None if x is None else round(float(x), ROUND)


def _whole(x):
    """Scores stay whole numbers where they are (2, not 2.0), halves where coders split."""
    return int(x) if float(x).is_integer() else _r(x)


def consensus(scores: list[int], rule: str, lead: int):
    """The score the indices use when several coders scored the same item (config rq1.consensus)."""
    if rule == "lead":
        return lead
    return _whole(fmean(scores) if rule == "mean" else median(scores))


def indices(dims: list[dict], weights: dict[str, float] | None = None) -> dict:
    """Design and practice indices (weighted mean score / 4 x 100) and their gap."""
    w = [(weights or {}).get(d["id"], 1.0) for d in dims]
    total = sum(w)
    design = sum(wi * d["design"] for wi, d in zip(w, dims)) / total / 4 * 100
    practice = sum(wi * d["practice"] for wi, d in zip(w, dims)) / total / 4 * 100
    return {"design_index": _r(design), "practice_index": _r(practice), "gap_index": _r(design - practice)}


SCORES = 5  # the 0-4 scale


def alpha(data: np.ndarray) -> float | None:
    """Krippendorff's alpha, ordinal, for coders x units (NaN where a coder has no score),
    from the krippendorff package."""
    import krippendorff

    pairable = data[:, (~np.isnan(data)).sum(axis=0) >= 2]
    values = pairable[~np.isnan(pairable)]
    if pairable.shape[1] < 2 or len(set(values.tolist())) < 2:
        return None  # no variation: alpha is undefined
    return float(
        krippendorff.alpha(
            reliability_data=pairable, level_of_measurement="ordinal", value_domain=list(range(SCORES))
        )
    )


def unit_coincidences(data: np.ndarray) -> np.ndarray:
    """Each pairable unit's coincidence matrix (units x 5 x 5): o_ck = n_c n_k - [c = k] n_c, over m - 1."""
    counts = np.stack([(data == v).sum(axis=0) for v in range(SCORES)], axis=1).astype(float)  # units x 5
    m = counts.sum(axis=1)
    keep = m >= 2
    counts, m = counts[keep], m[keep]
    o = counts[:, :, None] * counts[:, None, :] - np.einsum("uc,ck->uck", counts, np.eye(SCORES))
    return o / (m - 1)[:, None, None]


def alpha_from_coincidences(o: np.ndarray) -> np.ndarray:
    """Ordinal alpha of stacked coincidence matrices (B x 5 x 5); NaN where undefined.

    alpha = 1 - (n - 1) sum o_ck d_ck / sum n_c n_k d_ck, with the ordinal distance
    d_ck = (sum of n_g for g from c to k - (n_c + n_k) / 2) ** 2 (Krippendorff 2011).
    """
    n_c = o.sum(axis=2)
    n = n_c.sum(axis=1)
    cum = np.concatenate([np.zeros((len(o), 1)), np.cumsum(n_c, axis=1)], axis=1)
    lo = np.minimum.outer(np.arange(SCORES), np.arange(SCORES))
    hi = np.maximum.outer(np.arange(SCORES), np.arange(SCORES))
    between = cum[:, hi + 1] - cum[:, lo]
    d = (between - (n_c[:, :, None] + n_c[:, None, :]) / 2) ** 2
    observed = (o * d).sum(axis=(1, 2))
    expected = (n_c[:, :, None] * n_c[:, None, :] * d).sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(expected > 0, 1 - (n - 1) * observed / expected, np.nan)


def alpha_with_interval(data: np.ndarray, samples: int, seed: int) -> dict:
    """Alpha with a percentile bootstrap interval over units (fixed seed, so builds repeat).

    Each resample draws the units with replacement; its coincidence matrix is the weighted sum
    of the units' own, so thousands of resamples cost one matrix product.
    """
    point = alpha(data)
    if point is None:
        return {"alpha": None, "alpha_ci": None, "n_units": int(data.shape[1])}
    o = unit_coincidences(data)
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(len(o), np.full(len(o), 1 / len(o)), size=samples)
    draws = alpha_from_coincidences(np.einsum("bu,uck->bck", weights, o))
    draws = draws[~np.isnan(draws)]
    ci = [_r(np.percentile(draws, 2.5)), _r(np.percentile(draws, 97.5))] if len(draws) else None
    return {"alpha": _r(point), "alpha_ci": ci, "n_units": int(data.shape[1])}


def agreement(codings: dict[str, list[dict]], cfg: dict) -> dict | None:
    """Agreement of a country's coders over its 20 items (10 dimensions x design/practice)."""
    if len(codings) < 2:
        return None
    coders = list(codings)
    dims = [r["dimension"] for r in codings[coders[0]]]
    by = {c: {r["dimension"]: r for r in rows} for c, rows in codings.items()}
    data = np.array(
        [[by[c][d][k] if d in by[c] else np.nan for d in dims for k in KINDS] for c in coders], dtype=float
    )
    out = alpha_with_interval(data, cfg["bootstrap_samples"], cfg["seed"])
    out["flagged"] = out["alpha"] is None or out["alpha"] < cfg["min_alpha"]
    out["disagreements"] = [
        {
            "dimension": d,
            "kind": k,
            "scores": {c: by[c][d][k] for c in coders},
            "evidence": {c: by[c][d][f"{k}_evidence"] for c in coders},
            "sources": {c: by[c][d]["sources"] for c in coders},
        }
        for d in dims
        for k in KINDS
        if len({by[c][d][k] for c in coders}) > 1
    ]
    return out


def variants(dims: list[dict], schemes: list[dict]) -> list[dict]:
    """Leave one dimension out, move each score by one point (within 0-4), other weights."""
    out = [
        {
            "kind": "leave_out",
            "label": f"without {d['id']}",
            "dims": [x for x in dims if x is not d],
            "weights": None,
        }
        for d in dims
        if len(dims) > 1
    ]
    for d in dims:
        for k in KINDS:
            for step in (-1, 1):
                if 0 <= d[k] + step <= 4:
                    moved = [{**x, k: x[k] + step} if x is d else x for x in dims]
                    out.append(
                        {"kind": "score", "label": f"{d['id']} {k} {step:+d}", "dims": moved, "weights": None}
                    )
    out += [{"kind": "weights", "label": s["name"], "dims": dims, "weights": s["weights"]} for s in schemes]
    return out


def robustness(dims: list[dict], schemes: list[dict]) -> dict:
    """The indices under every variant, and their range."""
    rows = [
        {"kind": v["kind"], "label": v["label"], **indices(v["dims"], v["weights"])}
        for v in variants(dims, schemes)
    ]
    rng = {
        key.removesuffix("_index"): {"min": min(r[key] for r in rows), "max": max(r[key] for r in rows)}
        for key in ("design_index", "practice_index", "gap_index")
    }
    return {"n_variants": len(rows), "variants": rows, **rng}


def certainty_shares(codings: dict[str, list[dict]], levels: list[dict]) -> list[dict]:
    """How many scored rows rest on each level of what was read, per coder and in all."""
    out = []
    for lvl in levels:
        per = {c: sum(r["certainty"] == lvl["level"] for r in rows) for c, rows in codings.items()}
        n_all = sum(len(rows) for rows in codings.values())
        out.append(
            {
                "level": lvl["level"],
                "label": lvl["label"],
                "by_coder": per,
                "share": _r(sum(per.values()) / n_all) if n_all else None,
            }
        )
    return out


def rq1(bundle: dict, cfg: dict) -> dict:
    """RQ1 indices from the consensus of the coders (config rq1.consensus), with agreement,
    certainty and robustness."""
    codings = {LEAD: bundle["orthodox"], **bundle.get("codings", {})}
    names = {d["id"]: d["name"] for d in bundle["codebook"]["dimensions"]}
    by = {c: {r["dimension"]: r for r in rows} for c, rows in codings.items()}
    dims = []
    for row in bundle["orthodox"]:
        d = row["dimension"]
        scores = {c: {k: by[c][d][k] for k in KINDS} for c in codings if d in by[c]}
        cons = {k: consensus([s[k] for s in scores.values()], cfg["consensus"], row[k]) for k in KINDS}
        dims.append(
            {
                "id": d,
                "name": names[d],
                **cons,
                "gap": _whole(cons["design"] - cons["practice"]),
                "certainty": row["certainty"],
                "coders": scores,
            }
        )
    base = {
        "dimensions": dims,
        "coders": list(codings),
        "consensus": cfg["consensus"],
        "agreement": agreement(codings, cfg),
        "certainty": certainty_shares(codings, bundle["codebook"].get("certainty", [])),
    }
    if not dims:
        return {
            **base,
            "design_index": None,
            "practice_index": None,
            "gap_index": None,
            "largest_gap": None,
            "robustness": None,
        }
    largest = max(dims, key=lambda d: d["gap"])  # max keeps the first of equal gaps
    return {
        **base,
        **indices(dims),
        "largest_gap": {"id": largest["id"], "name": largest["name"], "gap": largest["gap"]},
        "robustness": robustness(dims, cfg["weight_schemes"]),
    }
