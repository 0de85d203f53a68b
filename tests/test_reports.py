"""Reports rendered through the package API, including countries with sparse data."""

import copy
import re
from pathlib import Path

import pytest
from conftest import shipped_panel
from ssr_pipeline import settings
from ssr_pipeline.errors import InputError, ProblemList
from ssr_pipeline.figures import build_all
from ssr_pipeline.indicators import compute
from ssr_pipeline.inputs import load_codebook, load_country
from ssr_pipeline.narrative import country_fragment
from ssr_pipeline.report import country, html

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow  # computes and renders the shipped reports (HTML), several seconds each
CONFIG = settings.load(ROOT)  # the shipped settings: its languages are those the inputs declare


@pytest.fixture(scope="module")
def codebook():
    problems = ProblemList()
    cb = load_codebook(ROOT / "inputs", ROOT, problems)
    assert not problems
    return cb


def bundle_for(slug, codebook):
    problems = ProblemList()
    b = load_country(ROOT / "inputs", slug, codebook, ROOT, problems)
    assert not problems
    return b


def build(bundle, report, config=CONFIG):
    ind = compute(bundle, config, shipped_panel())
    figs = build_all(ind, config)
    nar = bundle["narratives"][report]
    frag = country_fragment(nar["text"], nar["file"], bundle, ind)
    return ind, figs, html.render(ROOT / "templates", country.build(report, bundle, ind, figs, frag, config))


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def neutral_narrative(bundle):
    for r in bundle["narratives"].values():
        r["text"] = "## Overview\n\nThis case has little data [@wgi-2023].\n"


def test_country_without_homicide_series_says_so(codebook):
    b = copy.deepcopy(bundle_for("timor-leste", codebook))
    b["indicators"] = [
        r for r in b["indicators"] if r["indicator"] not in ("homicide_rate", "homicide_rate_ihme")
    ]
    neutral_narrative(b)
    ind, figs, html = build(b, "orthodox")
    assert "homicide_rate" not in ind["series"]
    assert figs["outcome"] is None
    text = text_of(html)
    assert "No homicide rate series is available for this country" in text
    assert "Homicide rate in Timor-Leste, with key events" not in text
    _, _, html2 = build(b, "second-generation")
    assert "not computed: no homicide_rate data" in text_of(html2)


def test_one_point_series_gives_no_chart_but_a_row(codebook):
    b = copy.deepcopy(bundle_for("sierra-leone", codebook))
    hom = [r for r in b["indicators"] if r["indicator"] == "homicide_rate"]
    keep = hom[0]
    b["indicators"] = [r for r in b["indicators"] if r["indicator"] not in ("homicide_rate",)] + [keep]
    b["indicators"] = [r for r in b["indicators"] if not r["indicator"].startswith(("wgi_", "vdem_"))]
    neutral_narrative(b)
    ind, figs, html = build(b, "orthodox")
    t = ind["series"]["homicide_rate"]["trajectory"]
    assert t["n_years"] == 1 and t["change_since_reform_start"] is None
    assert figs["outcome"] is None and figs["governance"] is None
    text = text_of(html)
    assert f"{keep['year']}–{keep['year']}" in text  # data appendix row
    assert "Governance indicators for Sierra Leone" not in text


def test_bosnia_prison_series_are_labelled_sub_national(codebook):
    b = bundle_for("bosnia-herzegovina", codebook)
    ind, _, html = build(b, "orthodox")
    assert "prison_rate" not in ind["series"]
    assert "Federation of BiH entity only" in text_of(html)


def test_timor_leste_has_no_conflict_deaths_rows(codebook):
    b = bundle_for("timor-leste", codebook)
    assert not [r for r in b["indicators"] if r["indicator"] == "conflict_deaths"]
    ind, _, _ = build(b, "orthodox")
    assert "conflict_deaths" not in ind["series"]


def test_unknown_live_figure_stops_rendering(codebook):
    b = copy.deepcopy(bundle_for("el-salvador", codebook))
    b["narratives"]["orthodox"]["text"] += "\n\nRate {{ series.homicide_rate.lates.value }}\n"
    with pytest.raises(InputError) as exc:
        build(b, "orthodox")
    assert "inputs/el-salvador/narrative/orthodox.md" in str(exc.value)
    assert "did you mean" in str(exc.value)


def test_el_salvador_reports_state_the_truce_effect(codebook):
    b = bundle_for("el-salvador", codebook)
    ind, _, html = build(b, "second-generation")
    truce = next(i for i in ind["rq2"]["initiatives"] if i["id"] == "gang-truce")
    assert truce["active_years"] == [2012, 2013]
    pct = f"{abs(truce['effect']['change_pct']):.1f}%"
    assert pct in text_of(html)
    # Every citation link points at a bibliography entry.
    targets = set(re.findall(r'href="#(ref-[^"]+)"', html))
    ids = set(re.findall(r'id="(ref-[^"]+)"', html))
    assert targets and targets <= ids
