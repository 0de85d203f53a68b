"""Every HTML file under results/ passes the W3C Nu HTML checker (vnu) with no error.

vnu.jar comes from the npm package `vnu-jar`, pinned in tests/browser/package.json (installed by
`npm ci --ignore-scripts` there: its install script would download a Java of its own) and runs on
Debian's Java (`default-jre-headless`). `bash .ci/browser-setup.sh`, which workflow/bootstrap.sh
runs, installs both. Without them the test skips, except under CI=true, where it fails.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from test_browser import (
    PAGES,
    RESULTS,
    ROOT,
    in_ci,
    results_dir,  # noqa: F401  (fixture: builds results/ if a page is missing)
)

pytestmark = pytest.mark.slow  # runs the W3C checker (Java) over every built report

VNU = ROOT / "tests/browser/node_modules/vnu-jar/build/dist/vnu.jar"


def _missing(reason: str):
    if in_ci():
        pytest.fail(f"{reason} (CI=true: run `bash .ci/browser-setup.sh` before the tests)", pytrace=False)
    pytest.skip(f"{reason}; run `bash .ci/browser-setup.sh` to install it")


def vnu_errors(files: list[Path]) -> list[dict]:
    """vnu's error messages for these files (warnings and info left out)."""
    java = shutil.which("java")
    if java is None:
        _missing("java not found (Debian package `default-jre-headless`)")
    if not VNU.is_file():
        _missing(f"{VNU.relative_to(ROOT)} not found (`npm ci --ignore-scripts` in tests/browser)")
    res = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    # vnu writes its JSON report to stderr and exits 1 when it found errors.
    report = json.loads(res.stderr)
    return [
        m for m in report["messages"] if m.get("type") == "error" or (m.get("type") == "non-document-error")
    ]


def test_every_report_and_the_landing_page_is_valid_html(results_dir):  # noqa: F811
    files = sorted(results_dir.rglob("*.html"))
    for path in PAGES.values():
        assert results_dir / path in files, f"{path} was not built"
    errors = vnu_errors(files)
    lines = [
        f"{m.get('url', '').replace(RESULTS.as_uri() + '/', '')}:{m.get('lastLine', '?')}: {m['message']}"
        for m in errors
    ]
    assert not errors, f"vnu found {len(errors)} errors in {len(files)} files:\n" + "\n".join(lines[:60])


def test_vnu_reports_what_it_should(tmp_path):
    """The checker itself works here: paged-media CSS and RDF metadata in inline SVG are errors."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title>'
        "<style>h2 { string-set: section content(); }</style></head><body>"
        '<svg xmlns="http://www.w3.org/2000/svg"><metadata><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF></metadata></svg>'
        "</body></html>",
        encoding="utf-8",
    )
    messages = " ".join(m["message"] for m in vnu_errors([bad]))
    assert "string-set" in messages and "rdf:rdf" in messages.lower()


def test_paged_media_css_reaches_only_weasyprint(results_dir):  # noqa: F811
    """Browsers get base and screen CSS; the PDF's document gets base and print CSS instead."""
    from ssr_pipeline.report.pdf import html_for_pdf

    page = (results_dir / PAGES["el-salvador-orthodox"]).read_text(encoding="utf-8")
    head = page.split("</head>")[0]
    for paged in ("string-set", "bookmark-level", "string(section)", "@page", "target-counter"):
        assert paged not in head, f"{paged} reaches the browser"
    assert "<metadata" not in page and "rdf:RDF" not in page
    printed = html_for_pdf(page, ROOT)
    assert "string-set" in printed and "@page" in printed
    assert "max-width: 54rem" not in printed  # no screen rules in the PDF's document
    assert printed.split("</head>")[1] == page.split("</head>")[1]  # same body as the browser's
