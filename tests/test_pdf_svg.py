"""A figure reaches WeasyPrint cheaper to draw (pdf_svg), and the PDF is the same bytes."""

import contextlib
import re
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from ssr_pipeline import figures
from ssr_pipeline.report import pdf
from ssr_pipeline.report.pdf_svg import figures_released_once_drawn, styles_as_attributes

ROOT = Path(__file__).resolve().parent.parent


def _matplotlib_figure() -> str:
    """A figure with what the reports draw: text at angles and anchors, markers, a legend,
    transparency, hatching, clipped lines and a filled band."""
    with matplotlib.rc_context(figures.BASE_RC):
        fig, ax = plt.subplots(figsize=(4, 2.5))
        x = np.arange(1995, 2011)
        ax.plot(x, np.sin(x / 3) * 10 + 50, marker="o", ms=3, label="Homicides & more <per 100k>")
        ax.fill_between(x, 40, 45, alpha=0.3, hatch="//", label="Band")
        ax.axvline(2001, ls="--", color="#D55E00")
        ax.text(2003, 55, "1 Peace accords", rotation=90, ha="center", va="bottom")
        ax.set_ylim(42, 58)  # the line runs outside the axes and is clipped
        ax.set_xlabel("Year")
        ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    return figures._svg(fig, "t-1")


def _page(svg: str, copies: int = 1) -> str:
    plot = (
        f'<div class="figure-svg" role="img" aria-label="A chart">\n{svg}\n</div>\n'
        '<ul class="figure-marks screen-only"><li>1995: 3</li></ul>'
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><title>T</title></head><body><main>'
        + "".join(f'<figure><div class="figure-plot">{plot}</div></figure>' for _ in range(copies))
        + "</main></body></html>"
    )


def _pdf_bytes(tmp_path, html: str, name: str) -> bytes:
    page = tmp_path / f"{name}.html"
    page.write_text(html, encoding="utf-8")
    pdf.write_pdf(page, tmp_path / f"{name}.pdf", ROOT)
    return (tmp_path / f"{name}.pdf").read_bytes()


def test_styles_become_attributes_with_the_cascade_kept():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg"><defs>'
        '<style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style></defs>'
        '<g style="stroke: red"><path d="M 0 0\nL 1 1" stroke="blue" stroke-linecap="square" '
        'style="Stroke: green ; fill:none;-moz-x: 1"/></g>'
        '<text x="1" style="font: 9px \'SSR Sans\'; text-anchor: middle">a; b: c</text></svg>'
    )
    flat = styles_as_attributes(svg)
    assert "<style" not in flat and " style=" not in flat
    # The element's own style wins over its attribute; matplotlib's `*` rule outranks an
    # attribute but not a style declaration; names starting with '-' are ignored, as by WeasyPrint.
    assert (
        '<path d="M 0 0\nL 1 1" stroke="green" stroke-linecap="butt" stroke-linejoin="round" fill="none"/>'
        in flat
    )
    assert '<g stroke-linejoin="round" stroke-linecap="butt" stroke="red">' in flat
    assert (
        '<text x="1" stroke-linejoin="round" stroke-linecap="butt" font="9px \'SSR Sans\'" '
        'text-anchor="middle">a; b: c</text>'
    ) in flat


@pytest.mark.parametrize(
    "svg",
    [
        '<svg><defs><style>path{fill:red}</style></defs><path style="fill: blue"/></svg>',
        '<svg><path style="fill: blue !important"/></svg>',
        "<svg><path style='fill: blue'/></svg>",  # a quoting this does not read
    ],
)
def test_an_svg_it_cannot_rewrite_faithfully_is_left_as_it_is(svg):
    assert styles_as_attributes(svg) == svg


def test_a_matplotlib_figure_draws_to_the_same_pdf_bytes(tmp_path, monkeypatch):
    svg = _matplotlib_figure()
    flat = styles_as_attributes(svg)
    assert svg.count(" style=") > 20 and " style=" not in flat and "<style" not in flat

    html = _page(svg, copies=2)
    cheap = _pdf_bytes(tmp_path, html, "cheap")
    monkeypatch.setattr(pdf, "styles_as_attributes", lambda text: text)
    monkeypatch.setattr(pdf, "figures_released_once_drawn", lambda scheme: contextlib.nullcontext())
    plain = _pdf_bytes(tmp_path, html, "plain")
    assert len(re.findall(rb"/Subtype /Image|/Subtype /Form", plain)) >= 2
    assert cheap == plain


def test_a_figure_drawn_twice_is_drawn_alike_after_its_tree_is_released(tmp_path, monkeypatch):
    """Each figure has its own address, so none is drawn twice; were one to be, its released
    tree is built again and draws the same. The tree released is the one WeasyPrint keeps."""
    from weasyprint import images

    draw = images.SVGImage.draw
    drawn = []

    def spy(self, *args, **kwargs):
        draw(self, *args, **kwargs)
        assert isinstance(self._svg.tree._children, list)  # what WeasyPrint keeps once drawn
        drawn.append(self)

    monkeypatch.setattr(images.SVGImage, "draw", spy)
    html = _page(_matplotlib_figure()).replace(
        "</main>",
        '<p><img src="ssr-figure:1.svg" alt="Again"></p><p><img src="ssr-figure:1.svg" alt="x"></p></main>',
    )
    released = _pdf_bytes(tmp_path, html, "released")
    assert images.SVGImage.draw is spy
    assert len(drawn) == 3 and len(set(map(id, drawn))) == 1
    assert drawn[0]._svg.tree._children is None
    monkeypatch.setattr(pdf, "figures_released_once_drawn", lambda scheme: contextlib.nullcontext())
    assert released == _pdf_bytes(tmp_path, html, "kept")


def test_only_the_scheme_s_figures_are_released(tmp_path):
    from weasyprint import images

    seen = {}
    draw = images.SVGImage.draw

    def spy(self, *args, **kwargs):
        draw(self, *args, **kwargs)

    images.SVGImage.draw = spy
    try:
        with figures_released_once_drawn("ssr-figure"):
            for url in ("ssr-figure:1.svg", "other:1.svg"):
                image = images.SVGImage.__new__(images.SVGImage)
                image._base_url = url
                image._svg = type("S", (), {})()
                image._svg.tree = type("T", (), {"_children": ["drawn"]})()
                image._svg.draw = lambda *a: None
                images.SVGImage.draw(image, None, 1, 1, None)
                seen[url] = image._svg.tree._children
        assert images.SVGImage.draw is spy
    finally:
        images.SVGImage.draw = draw
    assert seen == {"ssr-figure:1.svg": None, "other:1.svg": ["drawn"]}
