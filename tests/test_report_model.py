"""The report model: numbering after selection, cross-references, and labels from the codebook."""

import copy
import re
from pathlib import Path

import pytest
from conftest import shipped_panel, svg_texts
from report_checks import assert_links_resolve, assert_numbered_without_gaps
from ssr_pipeline import compare, settings, synthesis_figures
from ssr_pipeline.errors import ProblemList
from ssr_pipeline.figures import build_all
from ssr_pipeline.indicators import compute
from ssr_pipeline.inputs import load_codebook, load_country
from ssr_pipeline.narrative import country_fragment, synthesis_fragment
from ssr_pipeline.report import country, html, synthesis
from ssr_pipeline.report.model import Report, Section, Sources, figure, table

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
SLUGS = ["el-salvador", "bosnia-herzegovina", "sierra-leone", "timor-leste"]
NEUTRAL = "## Overview\n\nThis case is described in the data [@wgi-2023].\n"


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
    return copy.deepcopy(b)


def render(bundle, kind, config):
    panel = shipped_panel() if config["effect"]["indicator"] == "homicide_rate" else None
    ind = compute(bundle, config, panel)
    figs = build_all(ind, config)
    frag = country_fragment(NEUTRAL, "narrative.md", bundle, ind)
    return ind, figs, html.render(TEMPLATES, country.build(kind, bundle, ind, figs, frag, config))


def test_numbers_are_given_after_selection_in_document_order():
    r = Report("test", Sources({}))
    drawn = {"svg": "<svg></svg>", "alt": "a"}
    r.add(
        Section("figures", "Figures", "figures"),
        figure("a", drawn, "A"),
        figure("b", None, "B"),
        figure("c", drawn, "C"),
    )
    r.add(Section("tables", "Tables", "tables"), table("x", "X", []), table("y", "Y", [{"v": 1}]))
    r.add(Section("more", "More", "more"), table("z", "Z", [{"v": 2}]))
    ctx = r.finish()
    assert [(f["key"], f["n"], f["id"]) for f in ctx["figures"]] == [("a", 1, "fig-1"), ("c", 2, "fig-2")]
    assert [(t["key"], t["n"]) for t in ctx["tables"]] == [("y", 1), ("z", 2)]
    assert ctx["refs"] == {
        "a": {"kind": "figure", "n": 1, "id": "fig-1"},
        "c": {"kind": "figure", "n": 2, "id": "fig-2"},
        "y": {"kind": "table", "n": 1, "id": "tab-1"},
        "z": {"kind": "table", "n": 2, "id": "tab-2"},
    }
    assert "x" not in ctx["refs"] and "b" not in ctx["refs"]


@pytest.mark.parametrize("kind", ["orthodox", "second-generation"])
def test_a_new_country_without_events_coding_or_inventory_is_numbered_without_gaps(codebook, kind):
    b = bundle_for("timor-leste", codebook)
    b["events"], b["initiatives"], b["orthodox"] = [], [], []
    _, _, page = render(b, kind, settings.load(ROOT))
    got = assert_numbered_without_gaps(page)
    assert_links_resolve(page)
    assert got["tables"], got
    if kind == "orthodox":
        # The rubric and the data appendix remain; neither the empty coding nor the timeline is numbered.
        assert len(got["tables"]) == 2
        assert "no dimension is coded yet" in page and "no dated events are recorded" in page
    else:
        assert len(got["tables"]) == 1
        assert "no initiatives or entry points are recorded" in page


@pytest.mark.slow  # computes and renders every shipped report
@pytest.mark.parametrize("slug", SLUGS)
def test_shipped_reports_are_numbered_and_their_links_resolve(codebook, slug):
    b = bundle_for(slug, codebook)
    for kind in ("orthodox", "second-generation"):
        _, _, page = render(b, kind, settings.load(ROOT))
        assert_numbered_without_gaps(page)
        assert_links_resolve(page)


def _labels(page: str) -> str:
    """The text the pipeline writes around the data: captions, headers, key figures, notes."""
    parts = re.findall(
        r"<figcaption.*?</figcaption>|<caption.*?</caption>|<dt>.*?</dt>|"
        r'<th scope="col".*?</th>|<p class="kpi-note">.*?</p>|aria-label="[^"]*"',
        page,
        re.DOTALL,
    )
    return re.sub(r"<[^>]+>", " ", " ".join(parts))


def _svg_texts(figs: dict) -> str:
    """Titles, axis labels and legends: with svg.fonttype=none each is a <text> element."""
    out = []
    for f in figs.values():
        for drawn in f if isinstance(f, list) else (f.values() if f and "svg" not in f else [f]):
            if drawn:
                out += svg_texts(drawn["svg"]) + [drawn["alt"]]
    return " ".join(out)


@pytest.mark.slow  # renders every shipped report twice
def test_switching_the_effect_indicator_renames_every_label(codebook):
    config = settings.load(ROOT)
    config["effect"]["indicator"] = "vdem_clphy"
    config["comparative"]["outcome_indicators"] = ["wgi_rl", "wgi_ge"]
    inds, labels, svgs = [], [], []
    for slug in SLUGS:
        b = bundle_for(slug, codebook)
        for kind in ("orthodox", "second-generation"):
            ind, figs, page = render(b, kind, config)
            labels.append(_labels(page))
            svgs.append(_svg_texts(figs))
        inds.append(ind)
    refs = {k: v for ind_slug in SLUGS for k, v in bundle_for(ind_slug, codebook)["references"].items()}
    comp = compare.build(inds, codebook, refs, config)
    figs = synthesis_figures.build_all(inds, comp, comp["codebook"], config)
    frag = synthesis_fragment("## Overview\n\nThe cases [@oecd-2007].\n", "n.md", comp, inds, refs)
    page = html.render(TEMPLATES, synthesis.build(comp, inds, figs, codebook, refs, frag, config))
    labels.append(_labels(page))
    svgs.append(_svg_texts(figs))
    text = " ".join(labels + svgs)
    assert "homicide" not in text.lower()
    assert "V-Dem physical violence in El Salvador, with key events" in text
    assert "V-Dem physical violence per country on a shared time axis" in text
    assert "Line chart of the V-Dem physical violence in El Salvador" in text
    assert "index 0-1" in " ".join(svgs)  # the y axis of the outcome figure carries the codebook's unit
    assert [c["name"] for c in comp["columns"] if c["name"].endswith("_latest")] == [
        "vdem_physical_violence_latest",
        "wgi_rule_of_law_latest",
        "wgi_government_effectiveness_latest",
    ]
