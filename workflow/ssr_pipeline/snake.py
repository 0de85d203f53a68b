"""Glue for Snakemake scripts: logging to the rule's log, clean errors for data problems."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import traceback
from pathlib import Path

from . import i18n, layout
from .errors import InputError, OutputError


def _stop(signum, frame):
    # SIGTERM ends the process without running `finally` blocks; as an exception it runs
    # them, so a job stopped this way removes its temporary files like a failing one.
    raise SystemExit(128 + signum)


def run(snakemake, func) -> None:
    """Run a script's `main` with its log open; a worker process runs many of these (warm.py)."""
    log_path = Path(snakemake.log[0]) if snakemake.log else None
    logger = logging.getLogger("ssr_pipeline")
    logger.setLevel(logging.INFO)
    handler = None
    if log_path:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(log_path, mode="w", encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)
    logger.info("process %d", os.getpid())
    try:
        with i18n.speaking(language(snakemake)):
            func(snakemake, logger)
    except (InputError, OutputError, i18n.MissingTranslation) as exc:
        # A researcher's data error, or a file in the way: say what and where, without a traceback.
        report = exc.report() if hasattr(exc, "report") else str(exc)
        logger.error(report)
        print(report, file=sys.stderr)
        sys.exit(1)
    except Exception:
        logger.error(traceback.format_exc())
        raise
    finally:
        if handler:
            logger.removeHandler(handler)
            handler.close()


def settings(snakemake) -> dict:
    """The run's settings: config.yaml checked with its defaults applied (workflow/rules/common.smk).

    Rules also name the sections they read as params, so that Snakemake reruns them when
    those sections change.
    """
    return snakemake.config


def project_root(snakemake) -> Path:
    return Path(snakemake.scriptdir).resolve().parent.parent


def language(snakemake) -> i18n.Language:
    """The language a job writes in: its `lang` wildcard ('' for English, 'es/' for Spanish)."""
    code = layout.lang_of(getattr(getattr(snakemake, "wildcards", None), "lang", "") or "")
    return i18n.language(code, snakemake.config)


def bundle(path) -> dict:
    """A validated bundle (results/build/validated/<slug>.json) in the job's language."""
    from .io import read_json
    from .translations import localize_bundle

    return localize_bundle(read_json(path), i18n.current().code)
