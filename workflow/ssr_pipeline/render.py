"""Report context, HTML through Jinja templates, PDF through WeasyPrint."""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import citations, fmt, narrative
from .errors import InputError, ProblemList
from .inputs import split_keys
from .io import write_text_atomic

REPORTS = {
    "orthodox": {
        "title": "Orthodox security sector reform in {name}",
        "question": "How far did security sector reform in {name} follow the orthodox OECD-DAC model, "
                    "and why did it succeed or fail?",
        "rq": "RQ1",
        "template": "orthodox.html.j2",
    },
    "second-generation": {
        "title": "Second-generation entry points for security and justice in {name}",
        "question": "Which alternative entry points for security and justice programming exist in {name}, "
                    "are they used, how, and if not, why?",
        "rq": "RQ2",
        "template": "second-generation.html.j2",
    },
}

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def nice_date(value: str | None) -> str:
    if not value:
        return ""
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"


def make_env(templates: Path) -> Environment:
    env = Environment(loader=FileSystemLoader(str(templates)), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters.update(fmt.FILTERS)
    env.filters["date"] = nice_date
    return env


def _css(templates: Path) -> dict:
    return {name: Markup((templates / "css" / f"{name}.css").read_text(encoding="utf-8"))
            for name in ("base", "screen", "print")}


def _strip_svg(svg: str) -> Markup:
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.DOTALL)
    svg = re.sub(r"\n\s*\n", "\n", svg)
    return Markup(svg.strip())


def _settle_claims(claims: list[dict], problems: ProblemList, on_failure: str, warnings: list[str]) -> None:
    for c in claims:
        if not c["ok"]:
            if on_failure == "warn":
                warnings.append(f"{c['file']}, line {c['line']}: {narrative.claim_problem(c)}")
            else:
                problems.add(c["file"], c["line"], None, narrative.claim_problem(c))


def country_fragment(text: str, display: str, bundle: dict, ind: dict, on_failure: str = "error",
                     warnings: list | None = None) -> dict:
    """Check and render a country narrative; raise InputError listing every problem.

    A checked claim outside its tolerance is a problem too, or only a warning when
    ``on_failure`` is "warn" (the report then flags the claim).
    """
    refs = bundle["references"]
    problems = ProblemList()
    claims: list[dict] = []
    html, toc, cited = narrative.render(text, ind, refs, citations.labels(refs, refs.keys()), display, problems,
                                        claims=claims)
    _settle_claims(claims, problems, on_failure, warnings if warnings is not None else [])
    problems.raise_if_any()
    return {"html": html, "toc": toc, "cited": cited, "claims": claims}


def synthesis_fragment(text: str, display: str, comparative: dict, inds: list[dict], refs: dict,
                       on_failure: str = "error", warnings: list | None = None) -> dict:
    problems = ProblemList()
    claims: list[dict] = []
    ns = narrative.synthesis_namespace(comparative["study"], inds)
    html, toc, cited = narrative.render(text, None, refs, citations.labels(refs, refs.keys()), display,
                                        problems, ns=ns, claims=claims)
    _settle_claims(claims, problems, on_failure, warnings if warnings is not None else [])
    problems.raise_if_any()
    return {"html": html, "toc": toc, "cited": cited, "claims": claims}


def build_context(bundle: dict, ind: dict, figs: dict, report: str, config: dict,
                  problems: ProblemList) -> dict:
    spec = REPORTS[report]
    country = bundle["country"]
    refs = bundle["references"]
    labels = citations.labels(refs, refs.keys())
    study = {"series_title": "Comparative study of security sector reform",
             "organisation": "SSR comparative study", "language": "en", **config.get("study", {})}

    frag = bundle.get("fragments", {}).get(report)
    if frag is None:
        nar = bundle["narratives"][report]
        frag = country_fragment(nar["text"], nar["file"], bundle, ind)
    body, toc, cited = frag["html"], frag["toc"], frag["cited"]
    claims = frag.get("claims", [])

    used_keys: list[str] = []

    def use(keys):
        for k in keys:
            if k in refs and k not in used_keys:
                used_keys.append(k)

    use(cited)
    paper_key = (country.get("case_papers") or {}).get(
        "orthodox" if report == "orthodox" else "second_generation")
    if paper_key:
        use([paper_key])

    series_rows = []
    for code, s in ind["series"].items():
        keys = split_keys(s["source"])
        use(keys)
        years = [int(y) for y in s["values"]]
        series_rows.append({
            "code": code, "name": s["name"], "unit": s["unit"], "sources": keys,
            "first": years[0], "last": years[-1], "n": len(years),
            "gaps": len(range(years[0], years[-1] + 1)) - len(years),
        })

    events = []
    for e in bundle["events"]:
        keys = split_keys(e["sources"])
        use(keys)
        events.append({**e, "sources": keys})

    figures, tables = [], []

    def add_figure(key, caption, sources):
        f = figs.get(key)
        if not f:
            return None
        use(sources)
        figures.append({"key": key, "n": len(figures) + 1, "id": f"fig-{len(figures) + 1}",
                        "svg": _strip_svg(f["svg"]), "alt": f["alt"], "caption": caption,
                        "sources": sources, "events": f.get("events", [])})
        return figures[-1]

    def add_table(key, caption):
        tables.append({"key": key, "n": len(tables) + 1, "id": f"tab-{len(tables) + 1}", "caption": caption})
        return tables[-1]

    eff_code = config.get("effect", {}).get("indicator", "homicide_rate")
    homicide_src = split_keys(ind["series"][eff_code]["source"]) if eff_code in ind["series"] else []
    ihme_src = split_keys(ind["series"]["homicide_rate_ihme"]["source"]) \
        if "homicide_rate_ihme" in ind["series"] else []
    gov_src = []
    for code in config.get("figures", {}).get("governance_indicators", []) + ["vdem_clphy", "vdem_rule"]:
        if code in ind["series"]:
            for k in split_keys(ind["series"][code]["source"]):
                if k not in gov_src:
                    gov_src.append(k)

    ctx_tables = {}
    if report == "orthodox":
        add_figure("homicide", f"Homicide rate in {country['name']}, with key events", homicide_src + ihme_src)
        add_figure("rq1_scores", "Orthodox SSR dimensions: design against practice (0-4)", [])
        add_figure("governance", f"Governance indicators for {country['name']}", gov_src)
        coding = []
        dims = {d["id"]: d for d in bundle["codebook"]["dimensions"]}
        for row, d in zip(bundle["orthodox"], ind["rq1"]["dimensions"]):
            keys = split_keys(row["sources"])
            use(keys)
            coding.append({**row, "name": d["name"], "gap": d["gap"], "sources": keys,
                           "principle": dims[row["dimension"]]["principle"]})
        ctx_tables["coding"] = add_table("coding", "RQ1 coding: design and practice scores with evidence")
        ctx_tables["rubric"] = add_table("rubric", "Scoring rubric (codebook)")
        extra = {"coding": coding, "dimensions": bundle["codebook"]["dimensions"],
                 "score_scale": bundle["codebook"]["score_scale"]}
    else:
        add_figure("homicide_initiatives",
                   f"Homicide rate in {country['name']}, with initiative windows shaded", homicide_src + ihme_src)
        add_figure("rq2_timeline", "Second-generation initiatives by entry-point type", [])
        inventory = []
        by_id = {i["id"]: i for i in ind["rq2"]["initiatives"]}
        for row in bundle["initiatives"]:
            keys = split_keys(row["sources"])
            use(keys)
            inventory.append({**row, **{k: by_id[row["id"]][k] for k in
                                        ("active_years", "effect", "effect_note", "entry_point_name")},
                              "sources": keys})
        ctx_tables["inventory"] = add_table("inventory", "Inventory of second-generation initiatives")
        ctx_tables["effects"] = add_table(
            "effects", f"Change in the {ind['series'].get(eff_code, {}).get('short_name', eff_code).lower()} "
                       "during each initiative against the years before")
        ctx_tables["not_used"] = add_table("not_used", "Entry points not used or only partly used, and why")
        extra = {"inventory": inventory, "entry_points": bundle["codebook"]["entry_points"]}
        use(homicide_src)
    ctx_tables["events"] = add_table("events", f"Timeline of {country['name']}")
    ctx_tables["series"] = add_table("series", "Data series used in this report")

    bib = [citations.bib_entry(refs[k], labels[k]) for k in used_keys]
    bib.sort(key=lambda b: (b["label"].casefold(), b["id"]))

    sections = [{"id": "key-figures", "title": "Key figures", "level": 2}] + toc + [
        {"id": "figures", "title": "Figures", "level": 2} if figures else None,
        {"id": "tables", "title": "Tables", "level": 2},
        {"id": "timeline", "title": "Timeline", "level": 2},
        {"id": "acronyms", "title": "Acronyms", "level": 2} if bundle["acronyms"] else None,
        {"id": "data", "title": "Data appendix", "level": 2},
        {"id": "claims", "title": "Checked claims", "level": 2} if claims else None,
        {"id": "references", "title": "References", "level": 2},
    ]
    title = spec["title"].format(name=country["name"])
    return {
        "report": report,
        "rq": spec["rq"],
        "title": title,
        "question": spec["question"].format(name=country["name"]),
        "study": study,
        "country": country,
        "authors": country["authors"],
        "ind": ind,
        "narrative": Markup(body),
        "sections": [s for s in sections if s],
        "figures": figures,
        "fig": {f["key"]: f for f in figures},
        "tables": ctx_tables,
        "events": events,
        "acronyms": bundle["acronyms"],
        "series_rows": series_rows,
        "bibliography": bib,
        "claims": claims,
        "cite": labels,
        "effect_code": eff_code,
        "effect_series": ind["series"].get(eff_code),
        "pdf_name": f"{report}.pdf",
        "other_report": "second-generation" if report == "orthodox" else "orthodox",
        **extra,
    }


def render_html(templates: Path, context: dict) -> str:
    env = make_env(templates)
    css = _css(templates)
    tpl = env.get_template(REPORTS[context["report"]]["template"])
    return tpl.render(css=css, **context)


def report_html(bundle, ind, figs, report, config, templates: Path) -> str:
    problems = ProblemList()
    ctx = build_context(bundle, ind, figs, report, config, problems)
    problems.raise_if_any()
    return render_html(templates, ctx)


# --------------------------------------------------------------------------- PDF

class BlockedFetch(ValueError):
    pass


def make_fetcher(allowed_dirs: list[Path], allowed_files: list[Path]):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    dirs = [d.resolve() for d in allowed_dirs]
    files = {f.resolve() for f in allowed_files}

    class ProjectFetcher(URLFetcher):
        """Serves only files inside the allowed folders (and the bundled fonts)."""

        def __init__(self):
            super().__init__(allowed_protocols=("file",))
            self.fetched: list[str] = []
            self.blocked: list[str] = []

        def fetch(self, url, headers=None):
            from urllib.parse import unquote, urlsplit
            from urllib.request import url2pathname

            parts = urlsplit(url)
            if parts.scheme == "data":
                self.blocked.append(url[:60])
                raise BlockedFetch("data: URLs are not used by the reports")
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                self.blocked.append(url)
                raise BlockedFetch(f"blocked fetch of {url}: only project files may be read")
            path = Path(url2pathname(unquote(parts.path))).resolve()
            if (path in files or any(path.is_relative_to(d) for d in dirs)) and path.is_file():
                self.fetched.append(str(path))
                return URLFetcherResponse(url, body=path.read_bytes())
            self.blocked.append(url)
            raise BlockedFetch(f"blocked fetch of {url}: outside the project's templates and results")

    return ProjectFetcher()


def font_files() -> dict:
    import matplotlib

    base = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return {
        ("SSR Serif", "normal", "normal"): base / "DejaVuSerif.ttf",
        ("SSR Serif", "bold", "normal"): base / "DejaVuSerif-Bold.ttf",
        ("SSR Serif", "normal", "italic"): base / "DejaVuSerif-Italic.ttf",
        ("SSR Serif", "bold", "italic"): base / "DejaVuSerif-BoldItalic.ttf",
        ("SSR Sans", "normal", "normal"): base / "DejaVuSans.ttf",
        ("SSR Sans", "bold", "normal"): base / "DejaVuSans-Bold.ttf",
        ("SSR Sans", "normal", "italic"): base / "DejaVuSans-Oblique.ttf",
        ("SSR Sans", "bold", "italic"): base / "DejaVuSans-BoldOblique.ttf",
        ("SSR Mono", "normal", "normal"): base / "DejaVuSansMono.ttf",
    }


def font_css() -> str:
    rules = []
    for (family, weight, style), path in font_files().items():
        rules.append(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
                     f'font-style: {style}; src: url("{path.resolve().as_uri()}"); }}')
    return "\n".join(rules)


class _SvgStyleNoise(logging.Filter):
    """Drop warnings about SVG presentation properties met by the HTML CSS parser."""

    def filter(self, record):
        msg = record.getMessage()
        if "Relative URI reference without a base URI" in msg:
            return False
        return not ("unknown property" in msg and any(
            p in msg for p in ("`fill", "`stroke", "`clip-path", "`font-family: 'DejaVu")))


def write_pdf(html_path: Path, pdf_path: Path, project_root: Path, log: logging.Logger | None = None):
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    logger = logging.getLogger("weasyprint")
    logger.addFilter(_SvgStyleNoise())
    if log is not None:
        for h in log.handlers:
            logger.addHandler(h)
        logger.setLevel(logging.WARNING)
    started = time.perf_counter()
    fetcher = make_fetcher([project_root / "templates", project_root / "results"],
                           list(font_files().values()))
    # No base URL: links between reports stay out of the PDF instead of turning into
    # absolute file:// paths of this machine (which would also break byte-identical builds).
    html = HTML(string=html_path.read_text(encoding="utf-8"), base_url=None, url_fetcher=fetcher,
                media_type="print")
    font_config = FontConfiguration()
    fonts = CSS(string=font_css(), url_fetcher=fetcher, font_config=font_config)
    tmp = pdf_path.with_suffix(".pdf.tmp")
    # PDF/UA-1: tagged structure, title and language in the metadata, for screen readers.
    html.write_pdf(str(tmp), stylesheets=[fonts], font_config=font_config, pdf_variant="pdf/ua-1",
                   uncompressed_pdf=False)
    tmp.replace(pdf_path)
    fetcher.seconds = time.perf_counter() - started  # rendering alone, imports excluded
    return fetcher


def write_report(html: str, html_path: Path, pdf_path: Path, project_root: Path, log: logging.Logger) -> None:
    """Write a report's HTML, then its PDF from that file, logging what the renderer fetched."""
    write_text_atomic(html_path, html)
    log.info("wrote %s", html_path)
    fetcher = write_pdf(html_path, pdf_path, project_root, log)
    log.info("PDF rendered in %.2f s", fetcher.seconds)
    for path in fetcher.fetched:
        log.info("fetched: %s", path)
    for url in fetcher.blocked:
        log.warning("blocked fetch: %s", url)
    log.info("wrote %s", pdf_path)


# --------------------------------------------------------------------------- synthesis

def synthesis_context(comparative: dict, inds: list[dict], figs: dict, codebook: dict, refs: dict,
                      fragment: dict, config: dict) -> dict:
    study = {"series_title": "Comparative study of security sector reform",
             "organisation": "SSR comparative study", "language": "en", **config.get("study", {})}
    labels = citations.labels(refs, refs.keys())
    body, toc, cited = fragment["html"], fragment["toc"], fragment["cited"]
    used_keys = list(cited)

    def use(keys):
        for k in keys:
            if k in refs and k not in used_keys:
                used_keys.append(k)

    figures = []

    def add(key, f, caption, sources=()):
        if not f:
            return
        use(sources)
        n = len(figures) + 1
        figures.append({"key": key, "n": n, "id": f"fig-{n}", "svg": _strip_svg(f["svg"]), "alt": f["alt"],
                        "caption": caption, "sources": list(sources), "events": []})

    eff = config.get("effect", {}).get("indicator", "homicide_rate")
    hom_src = []
    gov_src = []
    for ind in inds:
        for code, bucket in ((eff, hom_src), ("wgi_rl", gov_src), ("wgi_ge", gov_src), ("vdem_clphy", gov_src)):
            if code in ind["series"]:
                for k in split_keys(ind["series"][code]["source"]):
                    if k not in bucket:
                        bucket.append(k)
    pages = figs["small_multiples"]
    for p, f in enumerate(pages):
        part = f" (part {p + 1} of {len(pages)})" if len(pages) > 1 else ""
        note = (f"; no homicide series for {', '.join(f['missing'])}" if f.get("missing") else "")
        add(f"small_multiples_{p + 1}", f, f"Homicide rate per country on a shared time axis, key events dotted"
            f"{part}{note}", hom_src)
    for p, f in enumerate(figs["heatmap"]):
        part = f" (part {p + 1})" if len(figs["heatmap"]) > 1 else ""
        add(f"heatmap_{p + 1}", f, f"Orthodox SSR dimension scores by country, design and practice{part}")
    add("gaps", figs["gaps"], "Design and practice indices per country: the conceptual-contextual gap")
    for p, f in enumerate(figs["entry_points"]):
        part = f" (part {p + 1})" if len(figs["entry_points"]) > 1 else ""
        add(f"entry_points_{p + 1}", f, f"Second-generation entry points by country: used and not used{part}")
    add("governance", figs["governance"], "Governance trajectories side by side", gov_src)

    tables = {}
    for key, caption in (
        ("rq1", "RQ1 indices and the widest gap per country"),
        ("dims", "Dimension scores per country (design / practice)"),
        ("outcomes", "Outcome trajectories from reform start to the latest year"),
        ("rq2", "Second-generation initiatives per country: used, partly used, not used"),
        ("types", "Entry-point types per country (initiatives recorded / fully used)"),
        ("effects", "Measured changes in the homicide rate during initiatives"),
        ("sources", "Data sources"),
    ):
        tables[key] = {"key": key, "n": len(tables) + 1, "id": f"tab-{len(tables) + 1}", "caption": caption}

    measured = []
    for ind in inds:
        for i in ind["rq2"]["initiatives"]:
            if i["effect"]:
                measured.append({"country": ind["country"]["name"], **i})
    data_sources = []
    for ind in inds:
        for code, s in ind["series"].items():
            for k in split_keys(s["source"]):
                use([k])
                if not any(d["key"] == k for d in data_sources):
                    data_sources.append({"key": k, "codes": []})
                entry = next(d for d in data_sources if d["key"] == k)
                if code not in entry["codes"]:
                    entry["codes"].append(code)
    bib = [citations.bib_entry(refs[k], labels[k]) for k in used_keys]
    bib.sort(key=lambda b: (b["label"].casefold(), b["id"]))
    n = comparative["study"]["n_countries"]
    title = f"From first- to second-generation security sector reform: a synthesis of {n} cases"
    sections = [{"id": "key-figures", "title": "Key figures", "level": 2}] + toc + [
        {"id": "figures", "title": "Figures", "level": 2},
        {"id": "tables", "title": "Comparative tables", "level": 2},
    ] + ([{"id": "claims", "title": "Checked claims", "level": 2}] if fragment.get("claims") else []) + [
        {"id": "references", "title": "References", "level": 2},
    ]
    return {
        "report": "synthesis", "rq": "RQ1 and RQ2", "title": title,
        "question": "Across the cases, how far did security sector reform follow the orthodox model, and which "
                    "second-generation entry points exist, are used, and with what effect?",
        "study": study, "authors": ["Comparative SSR study team"],
        "comparative": comparative, "rows": comparative["rows"], "summary": comparative["study"],
        "inds": inds, "dimensions": codebook["dimensions"], "entry_points": codebook["entry_points"],
        "narrative": Markup(body), "sections": sections, "figures": figures, "tables": tables,
        "measured": measured, "data_sources": data_sources, "bibliography": bib, "cite": labels,
        "claims": fragment.get("claims", []),
        "effect_code": eff, "data_vintage": comparative["data_vintage"],
    }


def synthesis_html(templates: Path, context: dict) -> str:
    env = make_env(templates)
    return env.get_template("synthesis.html.j2").render(css=_css(templates), **context)


def landing_html(templates: Path, context: dict) -> str:
    env = make_env(templates)
    return env.get_template("index.html.j2").render(css=_css(templates), **context)


__all__ = ["REPORTS", "InputError", "build_context", "render_html", "report_html", "write_pdf", "write_report"]
