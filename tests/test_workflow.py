"""End to end: the real workflow on a temporary copy of the project."""

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import copy_project, job_process, run_snakemake
from report_checks import assert_links_resolve, assert_numbered_without_gaps, assert_pdf_numbered

# Builds the workflow (or drives a browser): the slow tier, skipped by `pytest -m "not slow"`.
pytestmark = pytest.mark.slow

SLUGS = ["el-salvador", "bosnia-herzegovina", "sierra-leone", "timor-leste"]
ROOT = Path(__file__).resolve().parent.parent


def pdftext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("project"))
    res = run_snakemake(project)
    assert res.returncode == 0, res.stderr[-3000:]
    return project


def test_every_contract_output_exists(built):
    for slug in SLUGS:
        assert (built / f"results/indicators/{slug}.json").is_file()
        for report in ("orthodox", "second-generation"):
            for ext in ("html", "pdf"):
                assert (built / f"results/reports/{slug}/{report}.{ext}").stat().st_size > 10_000


def test_jobs_ran_in_a_few_warm_workers(built):
    # Each job's log names the process that ran it (ssr_pipeline/warm.py): with 2 cores, the
    # 32 jobs of the four cases ran in 2 workers (each is replaced after 40 jobs), and none in
    # Snakemake's own process or in a process of its own.
    pids = {}
    for log in (built / "logs").rglob("*.log"):
        pid = job_process(log)
        assert pid, f"{log} does not name its process"
        pids.setdefault(pid, []).append(log)
    jobs = sum(len(logs) for logs in pids.values())
    assert jobs >= 30
    assert 2 <= len(pids) <= 2 + 2 * (jobs // 40), sorted(pids)


def test_indicator_json_follows_the_contract(built):
    d = json.loads((built / "results/indicators/el-salvador.json").read_text(encoding="utf-8"))
    assert d["country"] == {**d["country"], "slug": "el-salvador", "name": "El Salvador", "iso3": "SLV"}
    hom = d["series"]["homicide_rate"]
    assert hom["unit"] == "per 100,000 people" and hom["sources"] == ["unodc-homicide-wdi-2025"]
    assert hom["source"] == "unodc-homicide-wdi-2025"  # the joined form kept for outside readers
    assert hom["values"]["2015"] > 100
    assert {"id", "design", "practice", "gap"} <= set(d["rq1"]["dimensions"][0])
    assert d["rq1"]["gap_index"] == pytest.approx(d["rq1"]["design_index"] - d["rq1"]["practice_index"])
    truce = next(i for i in d["rq2"]["initiatives"] if i["id"] == "gang-truce")
    assert {"id", "name", "entry_point", "start", "end", "used", "effect"} <= set(truce)
    e = truce["effect"]
    v = hom["values"]
    assert e["baseline"] == pytest.approx((v["2010"] + v["2011"]) / 2)
    assert e["during"] == pytest.approx((v["2012"] + v["2013"]) / 2)
    assert -45 < e["change_pct"] < -35


def test_snapshot_records_the_checksum_of_every_input_file(built):
    snap = json.loads((built / "results/snapshot.json").read_text(encoding="utf-8"))
    prov = snap["provenance"]
    assert prov["code_version"] is None  # the copy is not a git checkout
    expected = [
        "config.yaml",
        "inputs/codebook/indicators.csv",
        "inputs/codebook/references.yaml",
        "inputs/synthesis/narrative.md",
        "inputs/synthesis/references.yaml",
        "inputs/panels/homicide_rate.csv",
    ]
    for slug in SLUGS:
        expected += [
            f"inputs/{slug}/{name}"
            for name in (
                "country.yaml",
                "indicators.csv",
                "events.csv",
                "orthodox.csv",
                "initiatives.csv",
                "acronyms.csv",
                "references.yaml",
                "narrative/orthodox.md",
                "narrative/second-generation.md",
            )
        ]
    expected += [
        "inputs/codebook/translations/es.yaml",
        "inputs/el-salvador/translations/es.yaml",
        "inputs/el-salvador/narrative/orthodox.es.md",
        "inputs/timor-leste/narrative/second-generation.pt.md",
    ]
    assert set(expected) <= set(prov["inputs"])
    for path, digest in prov["inputs"].items():
        assert digest == hashlib.sha256((built / path).read_bytes()).hexdigest(), path


def test_html_reports_read_right(built):
    html = (built / "results/reports/el-salvador/second-generation.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    assert "<script" not in html
    assert "Sánchez Cerén" in html
    assert re.search(r"Figure 1\.</span>", html) and re.search(r"Table 1\.</span>", html)
    # Figures are inline and carry alt text.
    assert html.count("<svg") >= 2 and 'role="img" aria-label="' in html
    assert "<link" not in html  # self-contained: no external stylesheet


def test_pdfs_have_contents_with_page_numbers_and_accents(built):
    text = pdftext(built / "results/reports/el-salvador/orthodox.pdf")
    assert "Contents" in text
    assert re.search(r"Key figures\s*\.{3,}\s*\d+", text)
    assert re.search(r"References\s*\.{3,}\s*\d+", text)
    assert "Policía Nacional Civil" in text
    assert re.search(r"Page \d+ of \d+", text)
    text2 = pdftext(built / "results/reports/el-salvador/second-generation.pdf")
    assert "Sánchez Cerén" in text2
    info = subprocess.run(
        ["pdfinfo", str(built / "results/reports/el-salvador/orthodox.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Orthodox security sector reform in El Salvador" in info


def test_sparse_cases_say_no_data_honestly(built):
    tl = (built / "results/reports/timor-leste/second-generation.html").read_text(encoding="utf-8")
    assert "not computed: no homicide_rate data" in tl
    assert "Verdict: not estimable: no data for" in re.sub(r"<[^>]+>", "", tl)


def test_second_run_does_nothing(built):
    res = run_snakemake(built, "--dry-run")
    assert res.returncode == 0
    assert "Nothing to be done" in res.stdout + res.stderr


def test_bad_input_stops_before_reports_are_rewritten(built):
    pdf = built / "results/reports/el-salvador/orthodox.pdf"
    before = pdf.read_bytes()
    path = built / "inputs/el-salvador/orthodox.csv"
    good = path.read_text(encoding="utf-8")
    lines = good.split("\n")
    cells = lines[1].split(",")
    lines[1] = ",".join([cells[0], "9"] + cells[2:])
    path.write_text("\n".join(lines), encoding="utf-8")
    try:
        res = run_snakemake(built)
        assert res.returncode != 0
        out = res.stdout + res.stderr
        assert "inputs/el-salvador/orthodox.csv, line 2, column 'design'" in out
        assert "Traceback" not in out
        assert pdf.read_bytes() == before
    finally:
        path.write_text(good, encoding="utf-8")


def test_synthesis_report_and_data_package(built):
    for ext in ("html", "pdf"):
        assert (built / f"results/reports/synthesis.{ext}").stat().st_size > 10_000
    text = pdftext(built / "results/reports/synthesis.pdf")
    assert re.search(r"Contents", text) and re.search(r"Comparative tables\s*\.{3,}\s*\d+", text)
    assert re.search(r"References\s*\.{3,}\s*\d+", text)
    for n in range(1, 6):
        assert f"Figure {n}." in text
    for n in range(1, 8):
        assert f"Table {n}." in text
    html = (built / "results/reports/synthesis.html").read_text(encoding="utf-8")
    captions = re.findall(r'<figure class="figure" id="fig-\d+"', html)
    alts = re.findall(r'role="img" aria-label="([^"]{40,})"', html)
    assert len(captions) == len(alts) >= 5
    for slug in SLUGS:
        assert f'href="{slug}/orthodox.html"' in html
    frictionless = Path(sys.executable).parent / "frictionless"
    res = subprocess.run(
        [str(frictionless), "validate", "results/indicators/datapackage.json"],
        check=False,
        cwd=built,
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stdout[-2000:]
    csv_text = (built / "results/indicators/comparative.csv").read_text(encoding="utf-8")
    assert [line.split(",")[0] for line in csv_text.splitlines()[1:]] == SLUGS


def test_landing_page_links_resolve(built):
    index = built / "results/index.html"
    html = index.read_text(encoding="utf-8")
    links = re.findall(r'href="([^"#]+)"', html)
    assert len(links) >= 4 * 5 + 4
    for link in links:
        assert (index.parent / link).is_file(), link
    assert "synthesis.html" in html and "datapackage.json" in html
    assert "Data vintage" in html


def planned_jobs(project: Path) -> list[str]:
    res = run_snakemake(project, "--dry-run", "--quiet", "rules")
    assert res.returncode == 0, res.stderr[-2000:]
    jobs = []
    for line in (res.stdout + res.stderr).splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit() and parts[0] not in ("total", "job"):
            jobs.append(parts[0])
    return jobs


def test_importing_a_revised_release_reruns_only_that_country(built, tmp_path):
    fixture = Path(__file__).resolve().parent / "fixtures" / "wdi_milex_sample.csv"
    text = fixture.read_bytes().decode("utf-8-sig")
    line = next(x for x in text.split("\r\n") if x.startswith('"El Salvador"'))
    cells = line.split(",")
    old = cells[4 + 2012 - 1960].strip('"')
    cells[4 + 2012 - 1960] = '"123456789"'
    release = tmp_path / "wdi_milex_revised.csv"
    release.write_bytes(b"\xef\xbb\xbf" + text.replace(line, ",".join(cells)).encode("utf-8"))
    ind = built / "inputs/el-salvador/indicators.csv"
    saved = {
        p: p.read_bytes()
        for p in (ind, built / "inputs/el-salvador/PROVENANCE.md", built / "inputs/el-salvador/imports.yaml")
    }
    try:
        res = subprocess.run(
            [
                sys.executable,
                "-m",
                "ssr_pipeline",
                "import",
                str(release),
                "--country",
                "el-salvador",
                "--country",
                "timor-leste",
            ],
            cwd=built,
            capture_output=True,
            text=True,
            check=False,
        )
        assert res.returncode == 0, res.stderr
        assert f"revised milex_usd 2012: {old} -> 123456789" in res.stdout
        # The release also carries 1960-1989, which the shipped series (from 1990) lacks.
        assert "SLV: 30 new, 1 revised" in res.stdout and "new milex_usd: 1960-1989" in res.stdout
        assert "TLS: 0 new, 0 revised" in res.stdout
        entry = yaml.safe_load((built / "inputs/el-salvador/imports.yaml").read_text(encoding="utf-8"))[-1]
        assert (
            entry["file"] == release.name
            and entry["sha256"] == hashlib.sha256(release.read_bytes()).hexdigest()
        )
        assert entry["rows"]["new"] == 30 and entry["rows"]["revised"] == 1
        jobs = planned_jobs(built)
        languages = 2  # El Salvador's reports are in English and Spanish
        per_country = {
            "validate_inputs": 1,
            "country_indicators": languages,
            "render_report": 2 * languages,
        }
        cross_case = {
            "comparative_indicators": 1,
            "synthesis_figures": 1,
            "synthesis_narrative": 1,
            "change_summary": 1,
            "check_claims": 1,
            "render_synthesis": 1,
            "landing_page": 1,
            "build_manifest": 1,
            "publish": 1,
            "all": 1,
        }
        res = run_snakemake(built, "--dry-run", "--quiet", "rules")
        counts = {}
        for line in (res.stdout + res.stderr).splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[1].isdigit():
                counts[parts[0]] = int(parts[1])
        counts.pop("total", None)
        assert counts == {**per_country, **cross_case}, counts
        assert set(jobs) == set(counts)
        detail = run_snakemake(built, "--dry-run")
        planned_wildcards = re.findall(r"wildcards: country=([a-z-]+)", detail.stdout + detail.stderr)
        assert set(planned_wildcards) == {"el-salvador"}
    finally:
        for p, data in saved.items():
            p.write_bytes(data)


def test_editing_a_template_reruns_only_the_reports_that_use_it(built):
    # Earlier tests leave a failed validation behind; bring the project up to date first.
    assert run_snakemake(built).returncode == 0
    template = built / "templates/orthodox.html.j2"
    saved = template.read_bytes()
    try:
        template.write_bytes(saved + b"{# a researcher's edit #}\n")
        detail = run_snakemake(built, "--dry-run")
        out = detail.stdout + detail.stderr
        assert detail.returncode == 0, out[-2000:]
        # Each report's job writes its narrative's fragment again (the same bytes), which the
        # claims check and the change summary read.
        assert sorted(set(planned_jobs(built))) == [
            "all",
            "build_manifest",
            "change_summary",
            "check_claims",
            "landing_page",
            "publish",
            "render_report",
        ]
        planned = re.findall(r"wildcards: country=([a-z-]+), lang=([a-z/]*), report=([a-z-]+)", out)
        versions = {"el-salvador": ["", "es/"], "timor-leste": ["", "pt/"]}
        expected = [(c, lang, "orthodox") for c in SLUGS for lang in versions.get(c, [""])]
        assert sorted(planned) == sorted(expected), planned
    finally:
        template.write_bytes(saved)
    assert "Nothing to be done" in (run_snakemake(built, "--dry-run").stdout)


def test_scaffolded_country_gets_reports_and_a_comparative_row(built):
    fixtures = Path(__file__).resolve().parent / "fixtures"
    config = built / "config.yaml"
    saved = config.read_bytes()
    try:
        res = subprocess.run(
            [
                sys.executable,
                "-m",
                "ssr_pipeline",
                "scaffold",
                "LBR",
                "--region",
                "West Africa",
                "--reform-start",
                "2003",
                "--import",
                str(fixtures / "wgi_sample.csv"),
                str(fixtures / "vdem_sample.csv"),
                str(fixtures / "homicide_long_sample.csv"),
            ],
            cwd=built,
            capture_output=True,
            text=True,
            check=False,
        )
        assert res.returncode == 0, res.stderr
        assert "created inputs/liberia" in res.stdout and "LBR:" in res.stdout
        assert "  - liberia" in config.read_text(encoding="utf-8")
        run = run_snakemake(built)
        assert run.returncode == 0, run.stderr[-3000:]
        for report in ("orthodox", "second-generation"):
            pdf = built / f"results/reports/liberia/{report}.pdf"
            assert pdf.stat().st_size > 5_000
            html = (built / f"results/reports/liberia/{report}.html").read_text(encoding="utf-8")
            assert "Liberia" in html
            # Empty events, coding and inventory: what is shown is numbered 1..n, in HTML and PDF.
            got = assert_numbered_without_gaps(html)
            assert got["tables"] and got["figures"], got
            assert_links_resolve(html)
            assert_pdf_numbered(pdftext(pdf), got)
        rows = (built / "results/indicators/comparative.csv").read_text(encoding="utf-8").splitlines()
        assert rows[-1].startswith("liberia,Liberia,LBR,West Africa,")
        assert "reports/liberia/orthodox.html" in (built / "results/index.html").read_text(encoding="utf-8")
    finally:
        config.write_bytes(saved)
        shutil.rmtree(built / "inputs/liberia", ignore_errors=True)


def test_editing_a_value_produces_the_change_summary(built):
    assert (
        "First build" in (built / "results/changes.md").read_text(encoding="utf-8")
        or (built / "results/changes.md").exists()
    )
    ind = built / "inputs/el-salvador/indicators.csv"
    saved = ind.read_bytes()
    text = saved.decode("utf-8")
    line = next(x for x in text.split("\n") if x.startswith("homicide_rate,2012,"))
    cells = line.split(",")
    cells[2] = "43.5"
    try:
        ind.write_text(text.replace(line, ",".join(cells)), encoding="utf-8")
        res = run_snakemake(built)
        assert res.returncode == 0, res.stderr[-3000:]
        md = (built / "results/changes.md").read_text(encoding="utf-8")
        assert "Revised: El Salvador, `homicide_rate` 2012: 42.43 -> 43.5 (+2.5%)" in md
        assert "Claim moved: inputs/el-salvador/narrative/second-generation.md" in md
        assert "about 40 percent" in md
        changes = json.loads((built / "results/changes.json").read_text(encoding="utf-8"))
        assert changes["first_build"] is False
        snap = json.loads((built / "results/snapshot.json").read_text(encoding="utf-8"))
        assert (
            snap["provenance"]["inputs"]["inputs/el-salvador/indicators.csv"]
            == hashlib.sha256(ind.read_bytes()).hexdigest()
        )
        assert "What changed" in (built / "results/index.html").read_text(encoding="utf-8")
    finally:
        ind.write_bytes(saved)
        run_snakemake(built)


def test_a_revision_that_breaks_a_claim_is_explained_in_the_change_summary(built):
    """Revising El Salvador's 2012-2013 homicide rates moves the truce's descriptive change out of
    the narrative's claimed "about 40 percent": the build stops, and the change summary still says
    which values moved, next to the failing claim."""
    assert run_snakemake(built).returncode == 0
    ind = built / "inputs/el-salvador/indicators.csv"
    report = built / "results/reports/el-salvador/second-generation.html"
    saved, before = ind.read_bytes(), report.read_bytes()
    text = saved.decode("utf-8")
    rows = {y: next(x for x in text.split("\n") if x.startswith(f"homicide_rate,{y},")) for y in (2012, 2013)}
    try:
        for y, line in rows.items():
            cells = line.split(",")
            cells[2] = "60.0"
            text = text.replace(line, ",".join(cells))
        ind.write_text(text, encoding="utf-8")
        res = run_snakemake(built)
        out = res.stdout + res.stderr
        assert res.returncode != 0
        assert "inputs/el-salvador/narrative/second-generation.md, line" in out
        assert "claim 'about 40 percent'" in out
        assert "revised: El Salvador, `homicide_rate` 2012:" in out
        assert "Traceback (most recent call last)" not in out
        md = (built / "results/changes.md").read_text(encoding="utf-8")
        failing = md[md.index("Claims outside their tolerance") :]
        assert '"about 40 percent"' in failing
        for y in (2012, 2013):
            assert f"revised: El Salvador, `homicide_rate` {y}: " in failing and "-> 60 (" in failing
        changes = json.loads((built / "results/changes.json").read_text(encoding="utf-8"))
        claim = next(c for c in changes["claims_failing"] if c["text"] == "about 40 percent")
        assert sorted(r["year"] for r in claim["revisions"]) == [2012, 2013]
        assert report.read_bytes() == before  # no report was rewritten
    finally:
        ind.write_bytes(saved)
        assert run_snakemake(built).returncode == 0


def test_pdfs_are_tagged_pdf_ua_with_title_and_language(built):
    pdf = built / "results/reports/el-salvador/orthodox.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    meta = subprocess.run(["pdfinfo", "-meta", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert 'pdfuaid:part="1"' in meta and "Orthodox security sector reform in El Salvador" in meta
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "SSR-Serif" in fonts and "SSR-Sans" in fonts


# The reports in the cases' own languages.
TRANSLATED = {"el-salvador": "es", "timor-leste": "pt"}


def visible_text(html: str) -> str:
    """A page's text as a reader sees it, minus the bibliography (its titles keep their language)."""
    import html as html_lib

    html = re.sub(r'<section id="references".*?</section>', " ", html, flags=re.DOTALL)
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.DOTALL)
    html = re.sub(r"<svg\b.*?</svg>", " ", html, flags=re.DOTALL)
    html = re.sub(r'(aria-label|title|alt)="([^"]*)"', r"> \2 <", html)
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", html)))


def test_reports_exist_in_the_cases_languages_and_link_to_each_other(built):
    for slug, lang in TRANSLATED.items():
        for report in ("orthodox", "second-generation"):
            for ext in ("html", "pdf"):
                assert (built / f"results/reports/{slug}/{lang}/{report}.{ext}").stat().st_size > 10_000
            page = (built / f"results/reports/{slug}/{lang}/{report}.html").read_text(encoding="utf-8")
            assert f'<html lang="{lang}">' in page
            assert f'href="../{report}.html" hreflang="en"' in page and 'href="../../../index.html"' in page
            english = (built / f"results/reports/{slug}/{report}.html").read_text(encoding="utf-8")
            assert f'href="{lang}/{report}.html" hreflang="{lang}"' in english
    index = (built / "results/index.html").read_text(encoding="utf-8")
    assert (
        'href="reports/el-salvador/es/orthodox.pdf"' in index
        and 'href="reports/timor-leste/pt/second-generation.html"' in index
    )
    assert not (built / "results/reports/sierra-leone/es").exists()


def translated(lang: str, msgid: str) -> str:
    sys.path.insert(0, str(ROOT / "workflow"))
    from ssr_pipeline.i18n import catalog_path, load_catalog

    return load_catalog(catalog_path(lang, ROOT / "templates" / "locale"))[msgid]


def test_the_spanish_report_reads_spanish(built):
    page = (built / "results/reports/el-salvador/es/orthodox.html").read_text(encoding="utf-8")
    text = visible_text(page)
    key_figures = translated("es", "Key figures")
    for phrase in (
        key_figures,
        "Policía Nacional Civil",
        "Acuerdos de Paz de Chapultepec",
        "16 de enero de 1992",
    ):
        assert phrase in text, phrase
    assert re.search(r"\d\s%", text), "no Spanish percentage (70 %, spaced) in the page"
    pdf = built / "results/reports/el-salvador/es/orthodox.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    ptext = pdftext(pdf)
    page_of = translated("es", "Page {page} of {pages}").format(page=r"\d+", pages=r"\d+")
    assert re.search(page_of, ptext) and translated("es", " (p. {page})").split("{")[0] in ptext
    assert re.search(re.escape(key_figures) + r"\s*\.{3,}\s*\d+", ptext)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "SSR-Serif" in fonts and " no " not in fonts.split("\n", 2)[-1].replace("yes no", "")


def test_the_portuguese_report_reads_portuguese(built):
    text = visible_text(
        (built / "results/reports/timor-leste/pt/second-generation.html").read_text(encoding="utf-8")
    )
    for phrase in ("Polícia Nacional de Timor-Leste", "tara bandu", translated("pt", "Key figures")):
        assert phrase in text, phrase
    page_of = translated("pt", "Page {page} of {pages}").format(page=r"\d+", pages=r"\d+")
    assert re.search(page_of, pdftext(built / "results/reports/timor-leste/pt/orthodox.pdf"))


def test_no_english_template_string_is_left_in_a_translated_page(built):
    """Every catalog string whose translation differs from the English must not appear in
    English on the Spanish and Portuguese pages (the bibliography excepted)."""
    sys.path.insert(0, str(ROOT / "workflow"))
    from ssr_pipeline.i18n import catalog_path, load_catalog

    for slug, lang in TRANSLATED.items():
        catalog = load_catalog(catalog_path(lang, ROOT / "templates" / "locale"))
        pieces = set()
        for msgid, text in catalog.items():
            if text == msgid:
                continue
            for piece in re.split(r"%\(\w+\)s|\{\w+\}|<[^>]+>", msgid.replace("%%", "%")):
                piece = piece.strip(" .,:;()")
                # Single words (yes, no) and notation ("p =") can be shared by both languages.
                if sum(any(ch.isalpha() for ch in w) for w in piece.split()) >= 2:
                    pieces.add(piece)
        for report in ("orthodox", "second-generation"):
            text = visible_text(
                (built / f"results/reports/{slug}/{lang}/{report}.html").read_text(encoding="utf-8")
            )
            left = sorted(p for p in pieces if p in text)
            assert left == [], f"{slug}/{lang}/{report}: English left: {left[:10]}"


def test_claims_are_checked_in_every_language(built):
    claims = json.loads((built / "results/build/narrative/claims.json").read_text(encoding="utf-8"))
    files = {c["file"] for c in claims}
    assert "inputs/el-salvador/narrative/second-generation.es.md" in files
    assert "inputs/el-salvador/narrative/second-generation.md" in files
    es = (built / "results/reports/el-salvador/es/second-generation.html").read_text(encoding="utf-8")
    assert 'class="claim"' in es
