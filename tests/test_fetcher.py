"""The PDF renderer may read project files and the bundled fonts, nothing else."""

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
