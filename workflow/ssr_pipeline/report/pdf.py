"""PDF of a report through WeasyPrint, reading nothing but the project's own files."""

from __future__ import annotations

import contextlib
import logging
import re
import time
from pathlib import Path

from ..i18n import _
from ..io import remove_tmp, replace, write_text_atomic
from .pdf_svg import figures_released_once_drawn, styles_as_attributes


class BlockedFetch(ValueError):
    pass


def make_fetcher(
    allowed_dirs: list[Path], allowed_files: list[Path], figures: dict[str, bytes] | None = None
):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    dirs = [d.resolve() for d in allowed_dirs]
    files = {f.resolve() for f in allowed_files}
    figures = figures or {}

    class ProjectFetcher(URLFetcher):
        """Serves only files inside the allowed folders (and the bundled fonts), and the
        report's own figures from memory (figures_as_images)."""

        def __init__(self):
            super().__init__(allowed_protocols=("file",))
            self.fetched: list[str] = []
            self.blocked: list[str] = []

        def fetch(self, url, headers=None):
            from urllib.parse import unquote, urlsplit
            from urllib.request import url2pathname

            if url in figures:
                return URLFetcherResponse(url, body=figures[url], headers={"Content-Type": "image/svg+xml"})
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
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
            f'font-style: {style}; src: url("{path.resolve().as_uri()}"); }}'
        )
    return "\n".join(rules)


# The stylesheets of the PDF, in cascade order: the shared base, then the paged-media rules
# (running headers, bookmarks, page counters, leaders) that only WeasyPrint reads. Browsers get
# base and screen inline in the HTML file (report/html.py); print.css never reaches them.
PDF_CSS = ("base", "print")


def html_for_pdf(html: str, project_root: Path) -> str:
    """The document WeasyPrint renders: the report's HTML with the PDF's stylesheets as its styles.

    The browser styles of the head are replaced by PDF_CSS. They go in as the document's own
    (author) styles rather than as WeasyPrint's ``stylesheets=`` argument, because WeasyPrint
    ranks those below the document's own and below the width and height attributes of an inline
    <svg>, which would undo ``width: 100%`` on the figures; this way the cascade is the one the
    PDFs always had.
    """
    head, sep, body = html.partition("</head>")
    if not sep:
        raise ValueError("the report's HTML has no </head>")
    head = re.sub(r"<style\b[^>]*>.*?</style>\n?", "", head, flags=re.DOTALL)
    css = [
        (project_root / "templates" / "css" / f"{name}.css").read_text(encoding="utf-8") for name in PDF_CSS
    ]
    css.append(page_words_css())
    return head + "".join(f"<style>{text}</style>\n" for text in css) + sep + body


# A figure as the report model writes it (templates/macros.html.j2): the alt text, then the SVG.
_FIGURE_SVG = re.compile(
    r'(<div class="figure-svg" role="img" aria-label="([^"]*)">\s*)(<svg\b.*?</svg>)', re.DOTALL
)
FIGURE_SCHEME = "ssr-figure"


# What print.css hides anyway (`.screen-only`) and is large: the list of every value a figure
# draws and the figure's data as a CSV data: URL. WeasyPrint would still parse and style it.
_SCREEN_ONLY = re.compile(
    r'<ul class="figure-marks screen-only"[^>]*>.*?</ul>\n?|\s?<a class="figure-data screen-only" [^>]*>.*?</a>',
    re.DOTALL,
)


def without_screen_only(html: str) -> str:
    return _SCREEN_ONLY.sub("", html)


_SVG_FONT = "font-family: 'DejaVu Sans'"


def figures_as_images(html: str) -> tuple[str, dict[str, bytes]]:
    """Each inline SVG figure as an <img> of the same SVG, which the fetcher serves from memory.

    WeasyPrint styles every element of an inline SVG as part of the document: tens of
    thousands of glyph and marker references in a large synthesis, and most of its memory.
    As an image the SVG is only drawn. The page looks the same (a figure taller than wide
    now keeps its aspect ratio), and the figure's alt text reaches the tagged PDF. Its styles
    are written as attributes, which WeasyPrint reads without a CSS parser (pdf_svg).
    """
    images: dict[str, bytes] = {}

    def swap(m: re.Match) -> str:
        url = f"{FIGURE_SCHEME}:{len(images) + 1}.svg"
        # Matplotlib names the system's DejaVu Sans; the PDF embeds the project's own copy.
        svg = styles_as_attributes(m.group(3).replace(_SVG_FONT, "font-family: 'SSR Sans'"))
        images[url] = svg.encode("utf-8")
        return f'{m.group(1)}<img src="{url}" alt="{m.group(2)}">'

    return _FIGURE_SVG.sub(swap, html), images


def _content(text: str, **counters: str) -> str:
    """A CSS `content` value from a translated string: 'Página {page} de {pages}' becomes
    '"Página " counter(page) " de " counter(pages)'."""
    parts = re.split(r"\{(\w+)\}", text)
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(counters[part])
        elif part:
            out.append('"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return " ".join(out)


def page_words_css() -> str:
    """print.css's words (page numbers, the contents' running head, cross-reference pages) in
    the language of the report."""
    page = _content(_("Page {page} of {pages}"), page="counter(page)", pages="counter(pages)")
    xref = _content(_(" (p. {page})"), page="target-counter(attr(href), page)")
    contents = _content(_("Contents"))
    return (
        f"@page {{ @bottom-right {{ content: {page}; }} }}\n"
        f"@page :left {{ @bottom-left {{ content: {page}; }} }}\n"
        f"@page contents {{ @top-right {{ content: {contents}; }} }}\n"
        f"a.xref::after {{ content: {xref}; }}\n"
    )


class _SvgStyleNoise(logging.Filter):
    """Drop warnings about SVG presentation properties met by the HTML CSS parser."""

    def filter(self, record):
        msg = record.getMessage()
        if "Relative URI reference without a base URI" in msg:
            return False
        return not (
            "unknown property" in msg
            and any(p in msg for p in ("`fill", "`stroke", "`clip-path", "`font-family: 'DejaVu"))
        )


def write_pdf(html_path: Path, pdf_path: Path, project_root: Path, log: logging.Logger | None = None):
    with _weasyprint_log(log):
        return _write_pdf(html_path, pdf_path, project_root)


@contextlib.contextmanager
def _weasyprint_log(log: logging.Logger | None):
    """WeasyPrint's warnings go to the job's log while this document is laid out, and only then.

    A warm worker lays out many documents: handlers left on WeasyPrint's logger would pile up,
    one per job, and each later warning would go to every earlier job's (closed) log file.
    """
    logger = logging.getLogger("weasyprint")
    noise = _SvgStyleNoise()
    handlers = list(log.handlers) if log is not None else []
    level = logger.level
    logger.addFilter(noise)
    for h in handlers:
        logger.addHandler(h)
    if log is not None:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.removeFilter(noise)
        for h in handlers:
            logger.removeHandler(h)
        logger.setLevel(level)


def _write_pdf(html_path: Path, pdf_path: Path, project_root: Path):
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    started = time.perf_counter()
    document, figures = figures_as_images(
        without_screen_only(html_for_pdf(html_path.read_text(encoding="utf-8"), project_root))
    )
    fetcher = make_fetcher(
        [project_root / "templates", project_root / "results"], list(font_files().values()), figures
    )
    # No base URL: links between reports stay out of the PDF instead of turning into
    # absolute file:// paths of this machine (which would also break byte-identical builds).
    html = HTML(
        string=document,
        base_url=None,
        url_fetcher=fetcher,
        media_type="print",
    )
    font_config = FontConfiguration()
    fonts = CSS(string=font_css(), url_fetcher=fetcher, font_config=font_config)
    tmp = pdf_path.with_name(pdf_path.name + ".tmp")
    try:
        # PDF/UA-1: tagged structure, title and language in the metadata, for screen readers.
        with figures_released_once_drawn(FIGURE_SCHEME):
            html.write_pdf(
                str(tmp),
                stylesheets=[fonts],
                font_config=font_config,
                pdf_variant="pdf/ua-1",
                uncompressed_pdf=False,
            )
        replace(tmp, pdf_path)
    finally:
        remove_tmp(tmp)
    fetcher.seconds = time.perf_counter() - started  # rendering alone, imports excluded
    return fetcher


def write_report(html: str, html_path: Path, pdf_path: Path, project_root: Path, log: logging.Logger) -> None:
    """Write a report's HTML, then its PDF from that file, logging what the renderer fetched."""
    write_text_atomic(html_path, html)
    log.info("wrote %s", html_path)
    del html  # the PDF is made from the file; a large synthesis need not be held twice
    fetcher = write_pdf(html_path, pdf_path, project_root, log)
    log.info("PDF rendered in %.2f s", fetcher.seconds)
    for path in fetcher.fetched:
        log.info("fetched: %s", path)
    for url in fetcher.blocked:
        log.warning("blocked fetch: %s", url)
    log.info("wrote %s", pdf_path)
