"""HTML of a report: its model's context laid out by the Jinja templates."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .. import fmt, i18n

# Browsers get only the base and screen styles. The paged-media rules (print.css: running
# headers, bookmarks, page counters) are CSS that browsers do not know; they go to WeasyPrint
# alone, as stylesheets of the PDF render (report/pdf.py), so the HTML stays valid.
CSS = ("base", "screen")
TEMPLATES = {
    "orthodox": "orthodox.html.j2",
    "second-generation": "second-generation.html.j2",
    "synthesis": "synthesis.html.j2",
    "index": "index.html.j2",
}


_ENVS: dict[str, Environment] = {}


def make_env(templates: Path) -> Environment:
    """The Jinja environment of a templates folder, one per process.

    Compiling the report templates takes longer than rendering them; a long-lived process (the
    live preview) keeps the compiled templates, and Jinja's auto_reload recompiles a template
    whose file changed.
    """
    key = str(Path(templates).resolve())
    if key not in _ENVS:
        env = Environment(
            loader=FileSystemLoader(key),
            autoescape=True,
            auto_reload=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            extensions=["jinja2.ext.i18n"],
        )
        # Words and formats follow the language the job writes in (i18n.speaking), looked up
        # at each call, so one compiled environment serves every language.
        # {% trans %} blocks collapse their whitespace, as the extraction does (catalogs.py).
        env.policies["ext.i18n.trimmed"] = True
        env.install_gettext_callables(
            lambda s: i18n.current().gettext(s),
            lambda s, p, n: i18n.current().ngettext(s, p, n),
            newstyle=True,
        )
        env.filters.update(fmt.FILTERS)
        env.filters.update(i18n.FILTERS)
        _ENVS[key] = env
    return _ENVS[key]


def css(templates: Path, names=CSS) -> dict:
    return {name: Markup((templates / "css" / f"{name}.css").read_text(encoding="utf-8")) for name in names}


def render(templates: Path, context: dict) -> str:
    """The HTML of a report (or the landing page) from its context."""
    env = make_env(templates)
    return env.get_template(TEMPLATES[context["report"]]).render(css=css(templates), **context)
