"""Every sentence the effect estimators produce, in one table so it can be translated.

Each entry is a ``str.format`` template; :func:`say` fills it and returns ``{"code", "text"}``.
Numbers are formatted by the caller (with :mod:`ssr_pipeline.fmt`), so a translation only
has to change the words.
"""

from __future__ import annotations

from ..i18n import N_, _, num, pct

TEXTS: dict[str, str] = {
    # Verdicts (one per initiative).
    "distinguishable": N_("distinguishable from placebo (p = {p}): {gap} the synthetic control over {span}"),
    "not_distinguishable": N_(
        "not distinguishable from ordinary variation (p = {p}): {gap} the synthetic control "
        "over {span}, a departure that {rank_others} of {n_placebos} placebo countries match or exceed"
    ),
    "fails_in_time_placebo": N_(
        "not distinguishable from ordinary variation: placebo p = {p}, but a fake start in {fake_start} "
        "already shows a gap as large ({fake_gap} against {gap_signed})"
    ),
    "poor_fit": N_(
        "not estimable: pre-period fit too poor (RMSPE {rmspe_pct} of the pre-period mean, above {limit})"
    ),
    "no_window": N_("not estimable: the initiative has no calendar year in which it was active long enough"),
    "no_data": N_("not estimable: no data for {years} in the effect window"),
    "too_few_pre_years": N_(
        "not estimable: only {n} consecutive year(s) of data before {start} (at least {need} needed)"
    ),
    "too_few_donors": N_(
        "not estimable: only {n} comparison countries have complete data for {span} (at least {need} needed)"
    ),
    "no_panel": N_("not estimable: no comparison panel of other countries was supplied"),
    "too_few_points": N_("not estimable: {n} data points leave too few degrees of freedom for an interval"),
    # Suffix added to a refusal when the interrupted time series could still be run.
    "its_only": N_(
        "; the country's own pre-trend alone, projected forward, puts the window {its_gap} it "
        "(95% CI {lo} to {hi}), but a single annual series cannot tell that from ordinary variation"
    ),
    # Caveats (any number per initiative; appended to the verdict text).
    "overlaps": N_(
        "overlaps other initiatives ({others}), so the change cannot be credited to this one alone"
    ),
    "open_ended": N_("no end date: assessed over {span} only"),
    "capped": N_("longer than {max_years} years: assessed over its first {max_years} years ({span}) only"),
    "methods_disagree": N_(
        "the interrupted time series points the other way ({its_gap} the country's own pre-trend)"
    ),
    # Small parts.
    "below": N_("{pct} below"),
    "above": N_("{pct} above"),
    "in_time_not_run": N_("no in-time placebo with a start {shift} years earlier: {why}"),
    "gap_undefined": N_("the projected pre-trend falls to zero or below, so a percentage gap is undefined"),
}


# Short labels of the verdict codes, for tables that compare many initiatives.
VERDICT_LABELS: dict[str, str] = {
    "distinguishable": N_("distinguishable from placebo"),
    "not_distinguishable": N_("not distinguishable from ordinary variation"),
    "fails_in_time_placebo": N_("not distinguishable (fails the in-time placebo)"),
    "poor_fit": N_("not estimable: pre-period fit too poor"),
    "no_window": N_("not estimable: no active year"),
    "no_data": N_("not estimable: data missing in the window"),
    "too_few_pre_years": N_("not estimable: too few years before"),
    "too_few_donors": N_("not estimable: too few comparison countries"),
    "no_panel": N_("not estimable: no comparison panel"),
    "too_few_points": N_("not estimable: too few data points"),
}


def say(code: str, **values) -> dict:
    return {"code": code, "text": _(TEXTS[code]).format(**values)}


def span(years: list[int]) -> str:
    years = sorted(years)
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


def year_list(years: list[int]) -> str:
    shown = ", ".join(str(y) for y in years[:6])
    return shown + (", ..." if len(years) > 6 else "")


def direction(value: float) -> str:
    """'31% below' / '12% above' for a signed percentage gap."""
    if value is None:
        return pct(None)
    key = "below" if value < 0 else "above"
    return _(TEXTS[key]).format(pct=pct(abs(value), 0))


def p_text(p: float) -> str:
    return num(p, 2)
