"""Time the synthetic control with all its placebos (not part of the test suite).

    .venv/bin/python benchmarks/effects_bench.py            # 151-unit generated panel + real El Salvador
    .venv/bin/python benchmarks/effects_bench.py --repeat 5

Target: one synthetic control with 150 donors and all its in-space placebos in under 10 s on the
project's 2-core machine. The generated panel (fixed seed, in memory) has 151 units over
1990-2022; unit U000 is treated in 2012-2013. The timed call also runs the in-time placebo
(another full set of placebos). Wall-clock and CPU time are both printed: on a shared machine
the wall time includes waiting for a core, the CPU time does not.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "workflow"))

from ssr_pipeline.effects import estimate, rules, synthetic_control

GLOBAL = Path("/work/shared/reference-data/global")
SEED = 20251007


def generated_panel(
    n_units: int = 151, first: int = 1990, last: int = 2022, seed: int = SEED
) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    years = np.arange(first, last + 1)
    t = (years - first) / 10
    shocks = np.cumsum(rng.normal(0, 0.05, (len(years), 2)), axis=0)
    logy = (
        np.log(rng.uniform(1, 80, n_units))
        + np.outer(t, rng.normal(0, 0.3, n_units))
        + shocks @ rng.uniform(0.5, 1.5, (2, n_units))
        + rng.normal(0, 0.05, (len(years), n_units))
    )
    return pd.DataFrame(np.exp(logy), index=years, columns=[f"U{i:03d}" for i in range(n_units)])


def timed(fn, repeat: int):
    """Best-of-``repeat`` wall and CPU seconds, and the last result."""
    walls, cpus, out = [], [], None
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return min(walls), min(cpus), out


def real_panel():
    """The shared UNODC panel, wide, without codes that are not countries (Kosovo is kept)."""
    src = GLOBAL / "unodc_homicide_wdi_2025-10-07.csv.gz"
    if not src.exists():
        return None, []
    df = pd.read_csv(src)
    panel = df.pivot(index="year", columns="iso3", values="value")
    countries = pd.read_csv(GLOBAL / "countries.csv")
    not_countries = sorted(set(countries.loc[countries["in_iso3166_1"] != "yes", "iso3"]) - {"XKX"})
    return panel, not_countries


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    panel = generated_panel()
    values = panel["U000"].to_dict()
    cfg = rules({})
    wall, cpu, res = timed(lambda: synthetic_control(values, panel, "U000", [2012, 2013], cfg), args.repeat)
    syn = res[0]
    print(
        f"generated panel: {panel.shape[1]} units ({syn['n_placebos']} donors), "
        f"{len(syn['fit_years'])} fit years, window 2012-2013"
    )
    print(
        f"  synthetic control + {syn['n_placebos']} in-space placebos + in-time placebo "
        f"({syn['in_time']['n_placebos']} placebos): best of {args.repeat}: "
        f"{wall:.3f} s wall, {cpu:.3f} s CPU"
    )
    wall, cpu, _ = timed(lambda: estimate(values, panel, "U000", [2012, 2013]), args.repeat)
    print(f"  estimate() (ITS + synthetic + verdict): {wall:.3f} s wall, {cpu:.3f} s CPU")
    real, exclude = real_panel()
    if real is None:
        print("real panel not found; El Salvador timing skipped")
        return
    slv = real["SLV"].dropna().to_dict()
    wall, cpu, out = timed(lambda: estimate(slv, real, "SLV", [2012, 2013], exclude=exclude), args.repeat)
    print(
        f"El Salvador gang truce (2012-2013, {out['synthetic']['n_placebos']} donors): "
        f"{wall:.3f} s wall, {cpu:.3f} s CPU"
    )


if __name__ == "__main__":
    main()
