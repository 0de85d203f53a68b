"""The nine PDFs read like publications: sane length, every contents entry and figure present,
fonts embedded, first pages rendered to PNG for review (results/pdf-pages/).

Runs against the project's own results/ (built here with snakemake if a report is missing) and
needs poppler-utils (pdfinfo, pdftotext, pdffonts, pdftoppm; installed by workflow/bootstrap.sh).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "results"
PAGES_DIR = RESULTS / "pdf-pages"
SLUGS = ["el-salvador", "bosnia-herzegovina", "sierra-leone", "timor-leste"]
REPORTS = {
    f"{slug}-{report}": f"reports/{slug}/{report}"
    for slug in SLUGS
    for report in ("orthodox", "second-generation")
}
REPORTS["synthesis"] = "reports/synthesis"
# The reports in the cases' own languages pass the same checks, in their words.
TRANSLATED = {"el-salvador": "es", "timor-leste": "pt"}
for _slug, _lang in TRANSLATED.items():
    for _report in ("orthodox", "second-generation"):
        REPORTS[f"{_slug}-{_report}-{_lang}"] = f"reports/{_slug}/{_lang}/{_report}"


def words(name: str) -> dict:
    """The page furniture the checks look for, in the report's language (from its catalog)."""
    lang = name.rsplit("-", 1)[-1] if name.rsplit("-", 1)[-1] in TRANSLATED.values() else "en"
    if lang == "en":
        tr = {}
    else:
        sys.path.insert(0, str(ROOT / "workflow"))
        from ssr_pipeline.i18n import catalog_path, load_catalog

        tr = load_catalog(catalog_path(lang, ROOT / "templates" / "locale"))
    return {k: tr.get(k, k) for k in ("Page {page} of {pages}", "Contents")}


MIN_PAGES, MAX_PAGES = 5, 80
POPPLER = ("pdfinfo", "pdftotext", "pdffonts", "pdftoppm")


@pytest.fixture(scope="module")
def results_dir() -> Path:
    missing = [t for t in POPPLER if shutil.which(t) is None]
    if missing:
        reason = f"poppler-utils missing ({', '.join(missing)}); workflow/bootstrap.sh installs it"
        if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    if not all((RESULTS / f"{p}.{ext}").is_file() for p in REPORTS.values() for ext in ("html", "pdf")):
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


def run(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def normal(text: str) -> str:
    """Compare text as a reader sees it: ligatures unfolded, any whitespace run one space."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    return re.sub(r"\s+", " ", text).strip()


class _TocParser(HTMLParser):
    """Link texts of the main contents list (<nav class="toc"> ... <ol class="toc-main">)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_nav = self.in_list = self.in_a = False
        self.entries: list[str] = []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "nav" and "toc" in classes:
            self.in_nav = True
        elif self.in_nav and tag == "ol" and "toc-main" in classes:
            self.in_list = True
        elif self.in_list and tag == "a":
            self.in_a = True
            self.entries.append("")

    def handle_endtag(self, tag):
        if tag == "a":
            self.in_a = False
        elif tag == "ol":
            self.in_list = False
        elif tag == "nav":
            self.in_nav = False

    def handle_data(self, data):
        if self.in_a:
            self.entries[-1] += data


def toc_entries(html_text: str) -> list[str]:
    p = _TocParser()
    p.feed(html_text)
    return [normal(e) for e in p.entries if e.strip()]


def page_count(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(pdf)), re.MULTILINE).group(1))


@pytest.mark.slow
@pytest.mark.parametrize("name", list(REPORTS))
def test_pdf_length_contents_and_figures(results_dir, name):
    base = results_dir / REPORTS[name]
    pdf = base.with_suffix(".pdf")
    n = page_count(pdf)
    assert MIN_PAGES <= n <= MAX_PAGES, f"{name}: {n} pages"
    raw = run("pdftotext", "-enc", "UTF-8", str(pdf), "-")
    pages = [normal(p) for p in raw.split("\f")]
    text = normal(raw)
    # The footer says "Page X of Y" with the real page count.
    w = words(name)
    page_of = w["Page {page} of {pages}"]
    assert page_of.format(page=2, pages=n) in text and page_of.format(page=n, pages=n) in text

    page_html = base.with_suffix(".html").read_text(encoding="utf-8")
    entries = toc_entries(page_html)
    assert len(entries) >= 5, f"{name}: contents list not found in the HTML"
    assert w["Contents"] in pages[1][:200], f"{name}: page 2 is not the contents"
    for entry in entries:
        # Listed on the contents page (page 2), and present as a heading in the body after it.
        assert entry in pages[1], f"{name}: {entry!r} missing from the PDF's contents page"
        assert any(entry in p for p in pages[2:]), (
            f"{name}: section heading {entry!r} missing from the PDF body"
        )

    labels = sorted(
        set(re.findall(r'<figcaption[^>]*><span class="label">([^<]+ \d+\.)</span>', page_html)),
        key=lambda s: int(re.search(r"\d+", s).group()),
    )
    assert labels, f"{name}: no numbered figure in the HTML"
    for label in labels + sorted(
        set(re.findall(r'<caption[^>]*><span class="label">([^<]+ \d+\.)</span>', page_html))
    ):
        assert label in text, f"{name}: caption label {label!r} missing from the PDF"


@pytest.mark.slow
@pytest.mark.parametrize("name", list(REPORTS))
def test_pdf_fonts_are_embedded(results_dir, name):
    out = run("pdffonts", str((results_dir / REPORTS[name]).with_suffix(".pdf"))).splitlines()
    dashes = next(i for i, line in enumerate(out) if line.startswith("---"))
    header, rows = out[dashes - 1], [r for r in out[dashes + 1 :] if r.strip()]
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", out[dashes])]
    cols = [header[a : b + 1].strip() for a, b in spans]
    emb = cols.index("emb")
    assert rows, f"{name}: no fonts listed"
    not_embedded = [r for r in rows if r[spans[emb][0] : spans[emb][1] + 1].strip() != "yes"]
    assert not not_embedded, f"{name}: fonts not embedded:\n" + "\n".join(not_embedded)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(REPORTS))
def test_first_pages_render_for_review(results_dir, name):
    PAGES_DIR.mkdir(parents=True, exist_ok=True)
    for old in PAGES_DIR.glob(f"{name}-*.png"):
        old.unlink()
    prefix = PAGES_DIR / name
    run(
        "pdftoppm",
        "-r",
        "80",
        "-png",
        "-f",
        "1",
        "-l",
        "2",
        str((results_dir / REPORTS[name]).with_suffix(".pdf")),
        str(prefix),
    )
    pngs = sorted(PAGES_DIR.glob(f"{name}-*.png"))
    assert len(pngs) == 2, pngs
    for png in pngs:
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5_000, png


def test_html_unescapes_like_the_pdf():
    """The contents parser reads entities the way a reader would."""
    assert toc_entries(
        '<nav class="toc"><ol class="toc-main"><li><a href="#x">Why &amp; how</a></li></ol></nav>'
    ) == ["Why & how"]
    assert normal(html.unescape("ﬁrst\n  part")) == "first part"
