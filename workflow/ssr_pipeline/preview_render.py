"""The preview's jobs (workflow/rules/preview.smk): check a narrative and render its report's HTML.

One job does what render_report does for the normal build, minus the PDF:
the narrative's live figures, citations and checked claims are checked, then the page is
rendered. Only Jinja, Markdown and the report model are imported (no matplotlib, no
WeasyPrint). A problem is written to the job's log as the pipeline prints it everywhere
(``file, line N, column 'x': message``), where the preview server reads it for its overlay.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path

from . import i18n, layout
from .changes import settle_claims
from .errors import InputError, ProblemList
from .io import read_json, read_text, write_text_atomic
from .narrative import read_country_fragment, synthesis_fragment
from .references import synthesis_references
from .report import country, html, synthesis
from .translations import localize_bundle


class PreviewJobError(RuntimeError):
    """A preview job failed on a problem in the inputs; the message is the problem report."""


@contextmanager
def job_log(path: str):
    """The job's log file: INFO lines, and the problem report when the inputs are wrong."""
    log = logging.getLogger(f"ssr_pipeline.preview.{path}")
    log.propagate = False
    log.setLevel(logging.INFO)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    try:
        yield log
    except (InputError, i18n.MissingTranslation) as exc:
        report = exc.report() if isinstance(exc, InputError) else str(exc)
        log.error(report)
        raise PreviewJobError(report) from None
    finally:
        log.removeHandler(handler)
        handler.close()


def _settle(log, frag: dict, config: dict) -> None:
    """A claim outside its tolerance stops the preview too (or only warns, as configured)."""
    problems, warnings = settle_claims(
        [c for c in frag["claims"] if not c["ok"]], config["claims"]["on_failure"]
    )
    for w in warnings:
        log.warning(w)
    problems.raise_if_any()


def _speaking(lang_dir: str, config: dict):
    code = layout.lang_of(lang_dir)
    return i18n.speaking(i18n.language(code, config))


def country_report(inp, out, report: str, lang_dir: str, config: dict, root: Path, log_path: str) -> None:
    with job_log(log_path) as log, _speaking(lang_dir, config):
        display = str(inp.narrative)
        bundle = localize_bundle(read_json(inp.bundle), i18n.current().code)
        ind = read_json(inp.indicators)
        frag = read_country_fragment(Path(root) / inp.narrative, display, bundle, ind)
        _settle(log, frag, config)
        context = country.build(report, bundle, ind, read_json(inp.figures), frag, config)
        write_text_atomic(out.html, html.render(Path(root) / "templates", context))
        log.info("wrote %s", out.html)


def synthesis_report(inp, out, lang_dir: str, config: dict, root: Path, log_path: str) -> None:
    with job_log(log_path) as log, _speaking(lang_dir, config):
        problems = ProblemList()
        refs = synthesis_references(inp.bundles, inp.references, root, problems)
        display = str(inp.narrative)
        text = read_text(Path(root) / inp.narrative, problems, display)
        problems.raise_if_any()
        comparative = read_json(inp.comparative)
        inds = [read_json(p) for p in inp.indicators]
        frag = synthesis_fragment(text, display, comparative, inds, refs)
        _settle(log, frag, config)
        context = synthesis.build(
            comparative,
            inds,
            read_json(inp.figures),
            localize_bundle(read_json(inp.bundles[0]), i18n.current().code)["codebook"],
            refs,
            frag,
            config,
        )
        write_text_atomic(out.html, html.render(Path(root) / "templates", context))
        log.info("wrote %s", out.html)
