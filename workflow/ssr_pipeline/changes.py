"""What changed since the previous build: a snapshot of computed values and its diff."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import ProblemList
from .fmt import capitalize_first


def _flat(prefix: str, value, out: dict) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flat(f"{prefix}.{k}" if prefix else str(k), v, out)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        out[prefix] = value


def snapshot(
    inds: list[dict],
    comparative: dict,
    claims: list[dict],
    inputs: dict | None = None,
    code_version: str | None = None,
) -> dict:
    """Every computed value of a build, with its provenance: the sha256 of every input file
    ({path: checksum}) and the code version (`git describe`, or None outside a git checkout)."""
    countries = {}
    for ind in inds:
        figures: dict = {}
        _flat("rq1", {k: v for k, v in ind["rq1"].items() if k != "dimensions"}, figures)
        for d in ind["rq1"]["dimensions"]:
            _flat(f"rq1.dims.{d['id']}", {k: d[k] for k in ("design", "practice", "gap")}, figures)
        for i in ind["rq2"]["initiatives"]:
            e = i["effect"]
            if e:
                _flat(
                    f"initiative.{i['id']}.effect",
                    {
                        **{k: e[k] for k in ("baseline", "during", "change_pct")},
                        "its": {k: (e["its"] or {}).get(k) for k in ("level", "gap_pct")},
                        "synthetic": {
                            k: (e["synthetic"] or {}).get(k) for k in ("gap_pct", "rmspe_pre", "p_value")
                        },
                    },
                    figures,
                )
        for code, s in ind["series"].items():
            _flat(
                f"series.{code}",
                {k: v for k, v in s["trajectory"].items() if k in ("latest", "peak", "at_reform_start")},
                figures,
            )
        countries[ind["country"]["slug"]] = {
            "name": ind["country"]["name"],
            "series": {code: s["values"] for code, s in ind["series"].items()},
            "figures": figures,
        }
    study: dict = {}
    _flat("study", {k: v for k, v in comparative["study"].items() if k != "dims"}, study)
    return {
        "countries": countries,
        "study": study,
        "claims": [
            {
                k: c[k]
                for k in ("file", "line", "text", "expr", "op", "claimed", "tol", "absolute", "current", "ok")
            }
            for c in claims
        ],
        "provenance": {"code_version": code_version, "inputs": dict(sorted((inputs or {}).items()))},
    }


def _pct(old, new):
    return None if not old else (new - old) / abs(old) * 100


def diff(prev: dict | None, new: dict, threshold_pct: float = 1.0) -> dict:
    out = {
        "first_build": prev is None,
        "countries_added": [],
        "countries_removed": [],
        "new_years": [],
        "revised": [],
        "figures_changed": [],
        "claims_moved": [],
        "claims_failing": [],
    }
    if prev is None:
        out["claims_failing"] = [{**c, "revisions": []} for c in new["claims"] if not c["ok"]]
        return out
    old_c, new_c = prev.get("countries", {}), new["countries"]
    out["countries_added"] = [new_c[s]["name"] for s in new_c if s not in old_c]
    out["countries_removed"] = [old_c[s]["name"] for s in old_c if s not in new_c]
    for slug, c in new_c.items():
        if slug not in old_c:
            continue
        o = old_c[slug]
        for code, values in c["series"].items():
            before = o["series"].get(code, {})
            added = sorted(int(y) for y in values if y not in before)
            if added:
                out["new_years"].append({"country": c["name"], "indicator": code, "years": added})
            for year, v in values.items():
                if year in before and before[year] != v:
                    change = _pct(before[year], v)
                    if change is None or abs(change) > threshold_pct:
                        out["revised"].append(
                            {
                                "slug": slug,
                                "country": c["name"],
                                "indicator": code,
                                "year": int(year),
                                "old": before[year],
                                "new": v,
                                "change_pct": change,
                            }
                        )
        for name, v in c["figures"].items():
            before = o["figures"].get(name)
            if before is not None and before != v:
                change = _pct(before, v)
                if change is None or abs(change) > threshold_pct:
                    out["figures_changed"].append(
                        {"country": c["name"], "name": name, "old": before, "new": v}
                    )
    old_claims = {(c["file"], c["text"]): c for c in prev.get("claims", [])}
    for c in new["claims"]:
        before = old_claims.get((c["file"], c["text"]))
        if before and (before["current"] != c["current"] or before["ok"] != c["ok"]):
            out["claims_moved"].append({**c, "old": before["current"], "old_ok": before["ok"]})
    out["claims_failing"] = [
        {**c, "revisions": claim_revisions(c, out["revised"])} for c in new["claims"] if not c["ok"]
    ]
    return out


def claim_revisions(claim: dict, revised: list[dict]) -> list[dict]:
    """The revised values that can have moved a claim: its country's (every country's for the
    synthesis), narrowed to the series its expression names when it names any."""
    parts = Path(claim["file"]).parts
    slug = parts[-3] if len(parts) >= 3 and parts[-2] == "narrative" else None
    mine = [r for r in revised if slug is None or r["slug"] == slug]
    named = [r for r in mine if re.search(rf"\b{re.escape(r['indicator'])}\b", claim["expr"])]
    return named or mine


def _num(v) -> str:
    return f"{v:,.4g}" if isinstance(v, float) else f"{v:,}"


def markdown(d: dict) -> str:
    lines = ["# What changed since the previous build", ""]
    if d["first_build"]:
        lines += ["First build: there is no previous snapshot to compare with.", ""]
    else:
        if not any(
            d[k]
            for k in (
                "countries_added",
                "countries_removed",
                "new_years",
                "revised",
                "figures_changed",
                "claims_moved",
            )
        ):
            lines += ["No computed value changed.", ""]
        if d["countries_added"]:
            lines += [f"- Countries added: {', '.join(d['countries_added'])}"]
        if d["countries_removed"]:
            lines += [f"- Countries removed: {', '.join(d['countries_removed'])}"]
        for n in d["new_years"]:
            years = n["years"]
            lines.append(
                f"- New data: {n['country']}, `{n['indicator']}` for "
                f"{years[0]}{'-' + str(years[-1]) if len(years) > 1 else ''} ({len(years)} years)"
            )
        lines += [f"- {capitalize_first(revision_text(r))}" for r in d["revised"]]
        for f in d["figures_changed"]:
            lines.append(
                f"- Computed figure changed: {f['country']}, `{f['name']}`: {_num(f['old'])} -> "
                f"{_num(f['new'])}"
            )
        for c in d["claims_moved"]:
            state = "holds" if c["ok"] else "NO LONGER HOLDS"
            lines.append(
                f'- Claim moved: {c["file"]}, line {c["line"]}, "{c["text"]}": {_num(c["old"])} -> '
                f"{_num(c['current'])} ({state})"
            )
        lines.append("")
    if d["claims_failing"]:
        lines += ["Claims outside their tolerance in this build, with the revised values behind them:", ""]
        for c in d["claims_failing"]:
            lines.append(
                f'- {c["file"]}, line {c["line"]}: "{c["text"]}" (claimed {_num(c["claimed"])}, '
                f"current {_num(c['current'])})"
            )
            lines += [f"  - {revision_text(r)}" for r in c.get("revisions", [])] or [
                "  - no input value was revised since the previous build; the claim or the code changed"
            ]
        lines.append("")
    return "\n".join(lines)


def revision_text(r: dict) -> str:
    pct = f" ({r['change_pct']:+.1f}%)" if r["change_pct"] is not None else ""
    return (
        f"revised: {r['country']}, `{r['indicator']}` {r['year']}: {_num(r['old'])} -> {_num(r['new'])}{pct}"
    )


def settle_claims(failing: list[dict], on_failure: str) -> tuple[ProblemList, list[str]]:
    """Problems (on_failure: error) or warnings (warn) for the claims outside their tolerance,
    each with the revised values behind it."""
    from .live import claim_problem

    problems, warnings = ProblemList(), []
    for c in failing:
        message = claim_problem(c)
        if "revisions" in c:  # known once the change summary has compared with the last build
            moved = "; ".join(revision_text(r) for r in c["revisions"]) or "no input value was revised"
            message += f". Since the previous build: {moved} (see results/changes.md)"
        if on_failure == "warn":
            warnings.append(f"{c['file']}, line {c['line']}: {message}")
        else:
            problems.add(c["file"], c["line"], None, message)
    return problems, warnings
