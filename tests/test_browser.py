"""Every built report in a real browser: Debian's Chromium driven by Playwright, checked with axe-core.

Runs against the project's own results/ (CI runs it after the build; if results/ is missing the
fixture builds it). Needs /usr/bin/chromium (Debian package `chromium`), the Python package
`playwright` (requirements.txt) and axe-core from tests/browser/node_modules (`npm ci` there);
`bash .ci/browser-setup.sh` installs what is missing. Without them the tests skip, except under
CI=true, where a missing piece is a failure. No browser is ever downloaded.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

# Builds the workflow (or drives a browser): the slow tier, skipped by `pytest -m "not slow"`.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "results"
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "tests/browser/node_modules/axe-core/axe.min.js"
SHOTS = RESULTS / "screenshots"
SLUGS = ["el-salvador", "bosnia-herzegovina", "sierra-leone", "timor-leste"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}

# name -> path under results/
PAGES = {
    f"{slug}-{report}": f"reports/{slug}/{report}.html"
    for slug in SLUGS
    for report in ("orthodox", "second-generation")
}
PAGES["synthesis"] = "reports/synthesis.html"
PAGES["index"] = "index.html"
# The reports in the cases' own languages pass the same checks.
PAGES.update(
    {
        f"{slug}-{report}-{lang}": f"reports/{slug}/{lang}/{report}.html"
        for slug, lang in (("el-salvador", "es"), ("timor-leste", "pt"))
        for report in ("orthodox", "second-generation")
    }
)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def missing(reason: str):
    """Skip on a developer machine without the browser tools; fail in CI, where they must exist."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: run `bash .ci/browser-setup.sh` before the tests)", pytrace=False)
    pytest.skip(f"{reason}; run `bash .ci/browser-setup.sh` to install it")


@pytest.fixture(scope="module")
def results_dir() -> Path:
    """The project's built results/; built here with snakemake if any report is missing."""
    if not all((RESULTS / p).is_file() for p in PAGES.values()):
        snakemake = Path(sys.executable).parent / "snakemake"
        res = subprocess.run(
            [str(snakemake), "--cores", "2"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
        assert res.returncode == 0, res.stderr[-3000:]
    return RESULTS


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def server(results_dir):
    """A static file server for results/ on 127.0.0.1 (a free port), stopped after the module."""
    handler = functools.partial(_QuietHandler, directory=str(results_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        missing(f"{CHROMIUM} not found (Debian package `chromium`)")
    if not AXE.is_file():
        missing(f"{AXE.relative_to(ROOT)} not found (`npm ci` in tests/browser)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the Python package playwright is not installed (requirements.txt)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:3]]
        lines.append(
            f"- {v['id']} ({v['impact']}): {v['help']} [{len(v['nodes'])} nodes] e.g. {targets}\n"
            f"  {v['nodes'][0].get('failureSummary', '').strip()[:300]}"
        )
    return "\n".join(lines)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("name", list(PAGES))
def test_page_in_chromium(browser, server, results_dir, name, viewport):
    url = server + PAGES[name]
    context = browser.new_context(
        viewport=VIEWPORTS[viewport], device_scale_factor=1, reduced_motion="reduce", java_script_enabled=True
    )
    errors: list[str] = []
    failed: list[str] = []

    # The reports are self-contained: anything that is not our local server is a failure
    # (and is never sent anywhere).
    def route(r):
        if r.request.url.startswith(server):
            r.continue_()
        else:
            failed.append(f"external request {r.request.url}")
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: failed.append(f"{r.url}: {r.failure}"))
    page.on("response", lambda r: failed.append(f"{r.url}: HTTP {r.status}") if r.status >= 400 else None)
    try:
        response = page.goto(url, wait_until="load")
        assert response is not None and response.ok, f"{url} did not load"
        page.wait_for_load_state("networkidle")

        # Responsive: nothing wider than the viewport (wide tables scroll inside their own box).
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {viewport} width"

        # Landmarks every page needs.
        for selector in ("header", "nav", "main", "h1"):
            assert page.locator(selector).count() >= 1, f"{name}: no <{selector}>"

        page.add_script_tag(path=str(AXE))
        result = page.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return {violations: r.violations, version: axe.version};
        }""")
        violations = result["violations"]

        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}-{viewport}.png"), full_page=True, animations="disabled")

        assert not errors, "\n".join(errors)
        assert not failed, "\n".join(failed)
        assert not violations, f"axe-core {result['version']} on {name} at {viewport} width:\n" + describe(
            violations
        )
    finally:
        context.close()


def test_reports_link_their_pdf(browser, server, results_dir):
    """Each report's HTML links its own PDF, and the link resolves."""
    context = browser.new_context()
    page = context.new_page()
    try:
        for name, path in PAGES.items():
            if name == "index":
                continue
            page.goto(server + path)
            hrefs = page.eval_on_selector_all("a[href$='.pdf']", "els => els.map(e => e.href)")
            own = server + path[: -len(".html")] + ".pdf"
            assert own in hrefs, f"{name} does not link {own}"
            assert context.request.get(own).ok, own
    finally:
        context.close()


def test_figures_answer_back(browser, server, results_dir):
    """Every value drawn shows its value, year and source on hover and on keyboard focus, placed
    on the point it describes; each figure's Data link downloads the numbers drawn as CSV."""
    import csv
    import re

    for name, path in PAGES.items():
        html = (results_dir / path).read_text(encoding="utf-8")
        n_fig = html.count('<figure class="figure"')
        assert html.count('class="figure-marks') == n_fig, f"{name}: a figure without its values"
        assert html.count('class="figure-data') == n_fig, f"{name}: a figure without its Data link"

    context = browser.new_context(viewport=VIEWPORTS["desktop"], accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(server + PAGES["el-salvador-second-generation"])
        marks = page.locator("#fig-1 .figure-marks li")
        n = marks.count()
        assert n > 30

        # Placed on the drawn points: the first items are the homicide-rate markers, in order.
        offsets = page.evaluate("""() => {
            const c = r => [r.x + r.width / 2, r.y + r.height / 2];
            const dots = [...document.querySelectorAll('#fig-1 g[id$="-line-homicide_rate"] use')]
                .map(u => c(u.getBoundingClientRect()));
            const items = [...document.querySelectorAll('#fig-1 .figure-marks li')].slice(0, dots.length)
                .map(li => c(li.getBoundingClientRect()));
            return dots.map((d, i) => Math.hypot(d[0] - items[i][0], d[1] - items[i][1]));
        }""")
        assert len(offsets) > 20 and max(offsets) < 2, (
            f"values placed off their points by up to {max(offsets):.1f}px"
        )

        tip = marks.nth(0).locator(".tip")
        assert tip.bounding_box()["width"] <= 2, "a tip shows before hover or focus"
        # Keyboard: Tab reaches the values; the focused one shows its tip.
        page.locator("#fig-1").scroll_into_view_if_needed()
        page.focus("#fig-1 .figure-marks li >> nth=0")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent")
        assert re.fullmatch(
            r"Homicide rate, 1995: [\d.]+ per 100,000 people\. Source: UNODC 2025", focused
        ), focused
        box = marks.nth(1).locator(".tip").bounding_box()
        assert box["width"] > 60 and box["height"] > 10, "the focused value's tip is not shown"
        # Hover shows the tip of the value under the pointer.
        page.locator("h1").focus()
        marks.nth(10).hover(force=True)  # the comparator's value may lie on top of it
        hovered = page.locator("#fig-1 .figure-marks li:hover")
        assert hovered.count() == 1
        box = hovered.locator(".tip").bounding_box()
        assert box["width"] > 60 and "Source:" in hovered.inner_text()

        with page.expect_download() as info:
            page.click("#fig-1 a.figure-data")
        download = info.value
        assert download.suggested_filename == "el-salvador-second-generation-figure-1.csv"
        with open(download.path(), encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        assert list(rows[0]) == ["series", "code", "year", "value", "unit", "source"]
        hom = [r for r in rows if r["code"] == "homicide_rate"]
        assert hom[0]["unit"] == "per 100,000 people" and hom[0]["source"] == "UNODC 2025"
        assert len(rows) == n
    finally:
        context.close()
