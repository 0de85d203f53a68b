"""The PDF renderer may read project files and the bundled fonts, nothing else."""

import re
import zlib
from pathlib import Path

import pytest
from ssr_pipeline.report.pdf import BlockedFetch, font_files, make_fetcher


def test_fetcher_allows_only_project_files(tmp_path):
    (tmp_path / "results").mkdir()
    ok = tmp_path / "results" / "a.css"
    ok.write_text("p{}")
    fetcher = make_fetcher([tmp_path / "results"], list(font_files().values()))
    assert fetcher.fetch(ok.as_uri()).read() == b"p{}"
    font = next(iter(font_files().values()))
    assert fetcher.fetch(font.as_uri()).read()[:4] in (b"\x00\x01\x00\x00", b"true", b"OTTO")
    for url in (
        "file:///etc/passwd",
        "http://example.org/x.png",
        "https://example.org/a.css",
        (tmp_path / "results" / ".." / "secret").as_uri(),
        "ftp://example.org/x",
    ):
        with pytest.raises(BlockedFetch):
            fetcher.fetch(url)
    assert "file:///etc/passwd" in fetcher.blocked
    assert len(fetcher.fetched) == 2


def test_weasyprint_uses_the_fetcher_for_css_urls(tmp_path):
    from weasyprint import HTML

    (tmp_path / "results").mkdir()
    fetcher = make_fetcher([tmp_path / "results"], [])
    html = (
        '<html><head><style>body{background:url("http://127.0.0.1:9/x.png")}</style></head>'
        '<body><img src="file:///etc/passwd"><p>x</p></body></html>'
    )
    HTML(string=html, base_url=str(tmp_path / "results") + "/", url_fetcher=fetcher).write_pdf(
        tmp_path / "results" / "out.pdf"
    )
    assert Path(tmp_path / "results" / "out.pdf").stat().st_size > 500
    assert "file:///etc/passwd" in fetcher.blocked
    assert any(u.startswith("http://127.0.0.1:9") for u in fetcher.blocked)
    assert fetcher.fetched == []


FIGURE = (
    '<div class="figure-svg" role="img" aria-label="Line chart of A &amp; B">\n'
    '<svg xmlns="http://www.w3.org/2000/svg" width="40pt" height="20pt" viewBox="0 0 40 20">'
    '<rect width="40" height="20" fill="#123456"/></svg>\n</div>\n'
    '<ul class="figure-marks screen-only" aria-label="Values"><li tabindex="0">1995: 3.1</li></ul>\n'
    '<figcaption>Figure 1. <a class="figure-data screen-only" href="data:text/csv,x" download="f.csv">CSV</a>'
    "</figcaption>"
)


def test_figures_reach_the_pdf_as_images_served_from_memory(tmp_path):
    from ssr_pipeline.report.pdf import figures_as_images, without_screen_only

    html, images = figures_as_images(without_screen_only(FIGURE + FIGURE.replace("A &amp; B", "C")))
    assert list(images) == ["ssr-figure:1.svg", "ssr-figure:2.svg"]
    assert images["ssr-figure:1.svg"].startswith(b"<svg") and images["ssr-figure:1.svg"].endswith(b"</svg>")
    assert '<img src="ssr-figure:1.svg" alt="Line chart of A &amp; B">' in html
    assert '<img src="ssr-figure:2.svg" alt="Line chart of C">' in html
    assert "<svg" not in html and "figure-marks" not in html and "data:text/csv" not in html
    assert html.count("<figcaption>Figure 1.</figcaption>") == 2

    fetcher = make_fetcher([tmp_path], [], images)
    response = fetcher.fetch("ssr-figure:2.svg")
    assert response.read() == images["ssr-figure:2.svg"]
    assert response.content_type == "image/svg+xml"
    with pytest.raises(BlockedFetch):  # only this document's own figures
        fetcher.fetch("ssr-figure:3.svg")


def _render_figure(tmp_path, figure: str):
    """A one-figure page laid out by the report renderer: (its fetcher, the PDF's bytes with
    every stream decompressed)."""
    from ssr_pipeline.report.pdf import write_pdf

    page = tmp_path / "r.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>T</title></head><body><main>'
        f'<figure class="figure"><div class="figure-graphic"><div class="figure-plot">{figure}'
        "</div></div></figure></main></body></html>",
        encoding="utf-8",
    )
    fetcher = write_pdf(page, tmp_path / "r.pdf", Path(__file__).resolve().parent.parent)
    data = (tmp_path / "r.pdf").read_bytes()
    streams = [
        zlib.decompress(m.group(1)) for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.DOTALL)
    ]
    return fetcher, data + b"".join(streams)


def test_a_figure_is_drawn_in_the_pdf_with_its_alt_text(tmp_path):
    fetcher, content = _render_figure(tmp_path, FIGURE)
    assert fetcher.blocked == []
    assert b"/Alt (Line chart of A & B)" in content
    assert re.search(rb"0?\.0705\d* 0?\.2039\d* 0?\.3372\d* rg", content), (
        "the figure's rectangle is not drawn"
    )


def test_figure_text_is_set_in_the_bundled_font(tmp_path):
    from ssr_pipeline.report.pdf import figures_as_images

    text_figure = FIGURE.replace(
        '<rect width="40" height="20" fill="#123456"/>',
        '<text style="font-size: 9px; font-family: \'DejaVu Sans\', sans-serif" x="2" y="12">Zq</text>',
    )
    _, images = figures_as_images(text_figure)
    assert b"font-family=\"'SSR Sans', sans-serif\"" in images["ssr-figure:1.svg"]

    _, content = _render_figure(tmp_path, text_figure)
    fonts = set(re.findall(rb"/BaseFont /(?:[A-Z]{6}\+)?([\w-]+)", content))
    # The system's DejaVu would differ from machine to machine; the bundled copy does not.
    assert b"SSR-Sans" in fonts and not any(b"DejaVu" in f for f in fonts), fonts


def test_each_document_s_renderer_warnings_go_to_its_own_log_only(tmp_path):
    """A warm worker lays out many documents in one process: the renderer's warnings about one
    go to that job's log, not to the logs of the jobs before it, and nothing is left attached."""
    import logging

    import weasyprint  # noqa: F401  (it adds a handler of its own on import)
    from ssr_pipeline.report.pdf import write_pdf

    weasy = logging.getLogger("weasyprint")
    before = (list(weasy.handlers), list(weasy.filters), weasy.level)
    logs = []
    for k, prop in enumerate(("colr", "bordr")):
        page = tmp_path / f"r{k}.html"
        page.write_text(
            '<!DOCTYPE html><html lang="en"><head><title>T</title></head>'
            f'<body><main><p style="{prop}: red">Text</p></main></body></html>',
            encoding="utf-8",
        )
        log = logging.getLogger(f"test-job-{k}")
        handler = logging.FileHandler(tmp_path / f"job{k}.log", mode="w", encoding="utf-8")
        log.addHandler(handler)
        try:
            write_pdf(page, tmp_path / f"r{k}.pdf", Path(__file__).resolve().parent.parent, log)
        finally:
            log.removeHandler(handler)
            handler.close()
        logs.append(tmp_path / f"job{k}.log")
    first, second = (p.read_text(encoding="utf-8") for p in logs)
    assert "colr" in first and "bordr" not in first
    assert "bordr" in second and "colr" not in second
    assert (list(weasy.handlers), list(weasy.filters), weasy.level) == before
