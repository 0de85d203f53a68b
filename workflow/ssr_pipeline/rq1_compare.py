"""RQ1 across the cases: agreement of the coders pooled by dimension and overall, and whether
the ranking of the cases by their design-practice gap survives other reasonable choices."""

from __future__ import annotations

import numpy as np

from .i18n import _
from .rq1 import KINDS, alpha_with_interval, indices, variants


def _stack(units: list[dict]) -> np.ndarray:
    """coders x units; the lead coder first, then the others in order (a slot, not a person:
    alpha only compares the values given to the same unit)."""
    slots = max(len(u) for u in units)
    return np.array(
        [[list(u.values())[i] if i < len(u) else np.nan for u in units] for i in range(slots)], dtype=float
    )


def pooled_agreement(inds: list[dict], dimensions: list[dict], cfg: dict) -> dict | None:
    """Alpha over every item of every case with two or more coders, and per dimension."""
    coded = [i for i in inds if len(i["rq1"]["coders"]) > 1]
    if not coded:
        return None
    items = {d["id"]: [] for d in dimensions}
    for ind in coded:
        for dim in ind["rq1"]["dimensions"]:
            for k in KINDS:
                items[dim["id"]].append({c: s[k] for c, s in dim["coders"].items()})
    every = [u for units in items.values() for u in units]
    per_dim = {}
    for d, units in items.items():
        res = alpha_with_interval(_stack(units), cfg["bootstrap_samples"], cfg["seed"]) if units else None
        per_dim[d] = res and {**res, "flagged": res["alpha"] is None or res["alpha"] < cfg["min_alpha"]}
    overall = alpha_with_interval(_stack(every), cfg["bootstrap_samples"], cfg["seed"])
    overall["flagged"] = overall["alpha"] is None or overall["alpha"] < cfg["min_alpha"]
    return {"countries": [i["country"]["slug"] for i in coded], "overall": overall, "dimensions": per_dim}


def _gaps(dims_by_country: dict[str, list[dict]], weights=None) -> dict[str, float]:
    return {s: indices(d, weights)["gap_index"] for s, d in dims_by_country.items() if d}


def ranking_variants(dims_by_country: dict[str, list[dict]], schemes: list[dict]) -> list[dict]:
    """The cases' gaps under each variant: a dimension left out or other weights for all cases at
    once, or one score of one case moved by a point."""
    ids = [d["id"] for d in next(iter(dims_by_country.values()))]
    out = []
    for dim_id in ids:
        left = {s: [d for d in dims if d["id"] != dim_id] for s, dims in dims_by_country.items()}
        out.append({"label": f"without {dim_id}", "gaps": _gaps(left)})
    out += [{"label": s["name"], "gaps": _gaps(dims_by_country, s["weights"])} for s in schemes]
    for slug, dims in dims_by_country.items():
        for v in variants(dims, []):
            if v["kind"] == "score":
                out.append(
                    {"label": f"{slug}: {v['label']}", "gaps": _gaps({**dims_by_country, slug: v["dims"]})}
                )
    return out


def ranking_robustness(inds: list[dict], cfg: dict) -> dict | None:
    """How often each case has the widest and the narrowest gap across the variants."""
    dims = {i["country"]["slug"]: i["rq1"]["dimensions"] for i in inds if i["rq1"]["dimensions"]}
    if len(dims) < 2:
        return None
    names = {i["country"]["slug"]: i["country"]["name"] for i in inds}
    runs = ranking_variants(dims, cfg["weight_schemes"])
    base = _gaps(dims)
    out = {"n_variants": len(runs), "countries": {}}
    for slug in dims:
        widest = sum(g[slug] >= max(g.values()) for g in (r["gaps"] for r in runs))
        narrowest = sum(g[slug] <= min(g.values()) for g in (r["gaps"] for r in runs))
        positive = sum(g[slug] > 0 for g in (r["gaps"] for r in runs))
        out["countries"][slug] = {
            "name": names[slug],
            "widest_n": widest,
            "narrowest_n": narrowest,
            "positive_gap_n": positive,
        }
    top = max(base, key=lambda s: (base[s], s))
    bottom = min(base, key=lambda s: (base[s], s))
    out["widest"] = {"slug": top, "name": names[top], "n": out["countries"][top]["widest_n"]}
    out["narrowest"] = {"slug": bottom, "name": names[bottom], "n": out["countries"][bottom]["narrowest_n"]}
    out["statements"] = statements(out)
    return out


def statements(r: dict) -> list[str]:
    """Which conclusions hold across the variants, in words."""
    n = r["n_variants"]

    def how_often(k: int) -> str:
        return (
            _("in all {n} variants").format(n=n) if k == n else _("in {k} of {n} variants").format(k=k, n=n)
        )

    out = [
        _("{name} has the widest design-practice gap {how_often}.").format(
            name=r["widest"]["name"], how_often=how_often(r["widest"]["n"])
        ),
        _("{name} has the narrowest gap {how_often}.").format(
            name=r["narrowest"]["name"], how_often=how_often(r["narrowest"]["n"])
        ),
    ]
    for c in r["countries"].values():
        if c["positive_gap_n"] == n:
            out.append(_("In {name} design runs ahead of practice in every variant.").format(name=c["name"]))
        elif c["positive_gap_n"] == 0:
            out.append(
                _("In {name} practice matches or exceeds design in every variant.").format(name=c["name"])
            )
        else:
            out.append(
                _("In {name} design runs ahead of practice {how_often}.").format(
                    name=c["name"], how_often=how_often(c["positive_gap_n"])
                )
            )
    return out
