"""Real-data check of the effect estimators on three El Salvador initiatives (not a test).

    .venv/bin/python benchmarks/effects_el_salvador.py              # summary
    .venv/bin/python benchmarks/effects_el_salvador.py --json out.json

Treated series: inputs/el-salvador/indicators.csv (homicide_rate, UNODC via WDI). Donors: the
shared global UNODC panel, without codes that are not countries (Kosovo kept). Windows come from
inputs/el-salvador/initiatives.csv with the pipeline's six-month rule; overlaps are computed over
every dated initiative in that inventory. Settings are the proposed defaults.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "workflow"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from effects_bench import real_panel
from ssr_pipeline.effects import estimate, initiative_window, overlapping, overlaps_of

COUNTRY = ROOT / "inputs" / "el-salvador"
CASES = ["gang-truce", "el-salvador-seguro", "carsi-prevention"]


def load():
    with open(COUNTRY / "indicators.csv", newline="", encoding="utf-8") as fh:
        values = {
            int(r["year"]): float(r["value"]) for r in csv.DictReader(fh) if r["indicator"] == "homicide_rate"
        }
    with open(COUNTRY / "initiatives.csv", newline="", encoding="utf-8") as fh:
        inits = list(csv.DictReader(fh))
    return values, inits


def summary(ini_id: str, res: dict) -> str:
    w, its, syn = res["window"], res["its"], res["synthetic"]
    lines = [
        f"{ini_id}: window {w['years'][0]}-{w['years'][-1]}"
        + (" (capped)" if w["capped"] else "")
        + (" (open-ended)" if w["open_ended"] else "")
    ]
    if its:
        lines.append(
            f"  ITS: level {its['level']:+.1f} [{its['level_ci'][0]:+.1f}, {its['level_ci'][1]:+.1f}], "
            f"slope {its['slope']:+.1f} [{its['slope_ci'][0]:+.1f}, {its['slope_ci'][1]:+.1f}], "
            f"gap {its['gap_pct']:+.1f}% [{its['gap_pct_ci'][0]:+.1f}, {its['gap_pct_ci'][1]:+.1f}], "
            f"pre {its['pre_years'][0]}-{its['pre_years'][-1]}, DW {its['durbin_watson']:.2f}"
        )
    else:
        lines.append(f"  ITS: {res['its_reason']['text']}")
    if syn:
        donors = ", ".join(f"{d['iso3']} {d['weight']:.2f}" for d in syn["donors"])
        lines.append(
            f"  synthetic: gap {syn['gap_pct']:+.1f}%, pre RMSPE {syn['rmspe_pre']:.1f} "
            f"({syn['rmspe_pre_pct']:.1f}%), ratio {syn['ratio']:.2f}, rank {syn['placebo_rank']}"
            f"/{syn['n_placebos'] + 1}, p = {syn['p_value']:.3f}; donors {donors}"
        )
        t = syn["in_time"]
        if t:
            lines.append(
                f"  in-time placebo {t['start']}-{t['end']}: gap {t['gap_pct']:+.1f}%, "
                f"pre RMSPE {t['rmspe_pre_pct']:.1f}%, p = {t['p_value']:.3f}"
            )
    else:
        lines.append(f"  synthetic: {res['synthetic_reason']['text']}")
    lines.append(f"  verdict [{res['verdict']['code']}]: {res['verdict']['text']}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", type=Path, help="also write the full results here")
    args = ap.parse_args()
    values, inits = load()
    panel, exclude = real_panel()
    if panel is None:
        sys.exit("the shared global UNODC panel is not available")
    last = max(values)
    windows = {i["id"]: initiative_window(i["start"] or None, i["end"] or None, last) for i in inits}
    pairs = overlapping(windows)
    results = {}
    for ini_id in CASES:
        res = estimate(
            values, panel, "SLV", windows[ini_id], exclude=exclude, overlaps=overlaps_of(ini_id, pairs)
        )
        results[ini_id] = res
        print(summary(ini_id, res), end="\n\n")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
