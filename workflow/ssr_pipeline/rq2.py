"""RQ2: the inventory of initiatives, the years each was active, and what happened to the
effect indicator while it ran: a descriptive before/after change and two counterfactual
estimates (interrupted time series, synthetic control) with a verdict in words."""

from __future__ import annotations

from statistics import fmean

from . import effects
from .dates import active_years
from .i18n import _

ROUND = 6


def _r(x):
    return None if x is None else round(float(x), ROUND)


def descriptive_change(values: dict[int, float], years: list[int], baseline_n: int, indicator: str) -> dict:
    """Mean of the indicator over ``years`` against the ``baseline_n`` years before.

    Returns the change's fields, all None with a ``descriptive_reason`` when the data does
    not cover both windows (a partial window would compare unlike periods).
    """
    baseline_years = list(range(years[0] - baseline_n, years[0]))
    gaps = [y for y in baseline_years + years if y not in values]
    out = {
        "baseline_years": baseline_years,
        "baseline": None,
        "during": None,
        "change_abs": None,
        "change_pct": None,
        "descriptive_reason": None,
    }
    if gaps:
        span = ", ".join(str(y) for y in gaps[:6]) + ("..." if len(gaps) > 6 else "")
        return {
            **out,
            "descriptive_reason": _("no {indicator} data for {years}").format(
                indicator=indicator, years=span
            ),
        }
    base = fmean(values[y] for y in baseline_years)
    during = fmean(values[y] for y in years)
    return {
        **out,
        "baseline": _r(base),
        "during": _r(during),
        "change_abs": _r(during - base),
        "change_pct": _r((during - base) / base * 100) if base else None,
    }


def _without_reason(ini: dict, min_months: int) -> str:
    if ini.get("start"):
        return _("the initiative has no calendar year with {months} or more active months").format(
            months=min_months
        )
    if ini["used"] == "no":
        return _("the entry point was not taken up, so it has no dates")
    return _("no start date is recorded for it")


def _estimates(est: dict) -> dict:
    """The members of an effect that the indicator JSON keeps (the settings used are config's)."""
    return {k: est[k] for k in ("its", "its_reason", "synthetic", "synthetic_reason", "verdict", "caveats")}


def initiative_effects(bundle: dict, values: dict[int, float], cfg: dict, panel: dict | None) -> dict:
    """{initiative id: (effect or None, note)} for every initiative of the inventory."""
    last_year = max(values) if values else max((r["year"] for r in bundle["indicators"]), default=0)
    inits = bundle["initiatives"]
    windows = {
        i["id"]: effects.initiative_window(
            i.get("start"), i.get("end"), last_year, cfg["min_active_months"], cfg["max_years"]
        )
        for i in inits
    }
    pairs = effects.overlapping(windows)
    names = {i["id"]: i["name"] for i in inits}
    out = {}
    for ini in inits:
        window = windows[ini["id"]]
        if window is None:
            out[ini["id"]] = (None, _without_reason(ini, cfg["min_active_months"]))
            continue
        est = effects.estimate(
            values,
            panel,
            bundle["country"]["iso3"],
            window,
            cfg,
            exclude=cfg["exclude_donors"],
            overlaps=[names[o] for o in effects.overlaps_of(ini["id"], pairs)],
        )
        effect = {
            "indicator": cfg["indicator"],
            "window": window,
            "active_years": window["years"],
            **descriptive_change(values, window["years"], cfg["baseline_years"], cfg["indicator"]),
            **_estimates(est),
        }
        out[ini["id"]] = (effect, None)
    return out


def rq2(bundle: dict, series: dict, cfg: dict, panel: dict | None = None) -> dict:
    code = cfg["indicator"]
    values = series.get(code, {})
    last_year = max(values) if values else max((r["year"] for r in bundle["indicators"]), default=0)
    types = {e["code"]: e["name"] for e in bundle["codebook"]["entry_points"]}
    found = initiative_effects(bundle, values, cfg, panel)
    items = []
    for ini in bundle["initiatives"]:
        effect, note = found[ini["id"]]
        items.append(
            {
                **{
                    k: ini.get(k)
                    for k in (
                        "id",
                        "name",
                        "entry_point",
                        "level",
                        "lead_actor",
                        "actor_type",
                        "start",
                        "end",
                        "budget_usd",
                        "budget_scope",
                        "status",
                        "used",
                        "certainty",
                    )
                },
                "entry_point_name": types.get(ini["entry_point"], ""),
                "active_years": active_years(
                    ini.get("start"), ini.get("end"), last_year, cfg["min_active_months"]
                ),
                "effect": effect,
                "effect_note": note,
            }
        )
    by_type: dict[str, dict] = {}
    for i in items:
        slot = by_type.setdefault(i["entry_point"], {"total": 0, "used": 0, "partial": 0, "not_used": 0})
        slot["total"] += 1
        slot[{"yes": "used", "partial": "partial", "no": "not_used"}[i["used"]]] += 1
    return {
        "effect_indicator": code,
        "baseline_years": cfg["baseline_years"],
        # How the windows and estimates were made: config.yaml's effect settings of this build.
        "method": dict(cfg),
        "initiatives": items,
        "n_initiatives": len(items),
        "n_used": sum(i["used"] == "yes" for i in items),
        "n_partial": sum(i["used"] == "partial" for i in items),
        "n_not_used": sum(i["used"] == "no" for i in items),
        "by_entry_point": {k: by_type[k] for k in types if k in by_type},
    }
