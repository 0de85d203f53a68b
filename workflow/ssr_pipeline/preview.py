"""Live preview: ``python -m ssr_pipeline preview [--country SLUG] [--port N]``.

Serves the reports' HTML on 127.0.0.1, watches ``inputs/``, ``templates/`` and ``config.yaml``
and, when a file changes, asks Snakemake for the preview targets of workflow/rules/preview.smk
(``results/preview/<slug>/<report>.html``, ``results/preview/synthesis.html``): Snakemake reruns
only what the change touches and never renders a PDF. The open page then reloads (keeping its
scroll position), or, when the build failed, shows an overlay with each problem as the pipeline
prints it (``file, line N, column 'x': message``) over the last good page. Saving a fix clears it.

Snakemake runs inside this process (its API, jobs in threads): its start-up and the imports of
the report code are paid once, so a narrative edit costs the DAG check and one render. The
reload script is added by this server to the pages it serves; the built reports never contain it.

Over 300 lines: the watcher, the build call, the overlay and the HTTP handler share one State
object and one life cycle (``run``); split, each part would need that state passed in.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from . import settings

PREVIEW_DIR = "results/preview"  # where workflow/rules/preview.smk writes (PREVIEW there)
WATCHED = ("inputs", "templates", "config.yaml")
POLL_SECONDS = 0.1
SETTLE_SECONDS = 0.05  # editors write a file in several steps; wait for the last one


def targets(config: dict, country: str | None = None, languages: dict | None = None) -> list[str]:
    """The preview pages of one country, or of every country and the synthesis, in each of
    their languages (``languages``: {slug: codes}, as settings.report_languages gives them)."""
    from .layout import REPORT_KINDS, SOURCE_LANGUAGE, lang_dir

    slugs = [country] if country else list(config["countries"])
    languages = languages or {}
    pages = [
        f"{PREVIEW_DIR}/{slug}/{lang_dir(lang)}{kind}.html"
        for slug in slugs
        for lang in languages.get(slug, [SOURCE_LANGUAGE])
        for kind in REPORT_KINDS
    ]
    synthesis = [f"{PREVIEW_DIR}/{lang_dir(lang)}synthesis.html" for lang in config["study"]["languages"]]
    return pages if country else pages + synthesis


# ---------------------------------------------------------------------------------------------
# Watching


def snapshot(root: Path, watched=WATCHED) -> dict[str, tuple[int, int]]:
    """(mtime_ns, size) of every watched file; editors' swap and backup files left out."""
    out = {}
    for name in watched:
        top = root / name
        if top.is_file():
            st = top.stat()
            out[name] = (st.st_mtime_ns, st.st_size)
            continue
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = [d for d in dirnames if not d.startswith(".") and d != "__pycache__"]
            for f in filenames:
                if f.startswith((".", "#")) or f.endswith(("~", ".swp", ".tmp")):
                    continue
                p = os.path.join(dirpath, f)
                try:
                    st = os.stat(p)
                except FileNotFoundError:
                    continue
                out[os.path.relpath(p, root)] = (st.st_mtime_ns, st.st_size)
    return out


def changed_files(before: dict, after: dict) -> list[str]:
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


# ---------------------------------------------------------------------------------------------
# Building


@dataclass
class BuildResult:
    ok: bool
    seconds: float
    problems: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # preview pages rewritten by this build


PROBLEM_LINE = re.compile(r"^\s+- (.+)$")


def problems_from_logs(root: Path, since: float) -> list[str]:
    """The problems the failed jobs of a build wrote to their logs, as the pipeline prints them."""
    found: list[str] = []
    logs = root / "logs"
    if not logs.is_dir():
        return found
    for path in sorted(logs.rglob("*.log")):
        try:
            if path.stat().st_mtime < since:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            continue
        if "ERROR" not in text:
            continue
        error = text[text.index("ERROR") :]
        lines = [m.group(1) for line in error.splitlines() if (m := PROBLEM_LINE.match(line))]
        if not lines:
            # Not a data problem: the last line of the error (an exception) says what happened.
            last = [line for line in error.splitlines() if line.strip()]
            lines = [f"{path.relative_to(root)}: {last[-1].strip()}"] if last else []
        found.extend(line for line in lines if line not in found)
    return found


def _exception_problems(exc: BaseException) -> list[str]:
    text = str(exc).strip() or type(exc).__name__
    lines = [m.group(1) for line in text.splitlines() if (m := PROBLEM_LINE.match(line))]
    return lines or [line.strip() for line in text.splitlines() if line.strip()][:12]


def needs_reparse(edited: list[str]) -> bool:
    """Whether the Snakefile must be read again: its code reads config.yaml and the codebook, and
    lists template files, when it is parsed. Any other edit only changes what the jobs read."""
    return any(f == "config.yaml" or f.startswith(("inputs/codebook/", "inputs\\codebook\\")) for f in edited)


class Builder:
    """Runs Snakemake in this process for a fixed list of targets.

    The parsed workflow is kept between builds (reading the Snakefile and its rules costs more
    than a narrative edit's job); it is read again after a failed build, and when
    ``needs_reparse`` says an edit changes what the Snakefile computes when it is read.
    """

    def __init__(self, root: Path, pages: list[str], cores: int = 2):
        self.root = root
        self.pages = pages
        self.cores = cores
        self._stamps = self._page_stamps()
        self._api = None
        self._workflow = None

    def _page_stamps(self) -> dict[str, int | None]:
        out = {}
        for p in self.pages:
            try:
                out[p] = (self.root / p).stat().st_mtime_ns
            except FileNotFoundError:
                out[p] = None
        return out

    def close(self) -> None:
        if self._api is not None:
            cwd = os.getcwd()
            try:
                self._api.__exit__(None, None, None)
            finally:
                os.chdir(cwd)
        self._api = self._workflow = None

    def _open(self):
        from snakemake.api import SnakemakeApi
        from snakemake.settings.enums import Quietness
        from snakemake.settings.types import OutputSettings, ResourceSettings

        self.close()
        api = SnakemakeApi(
            OutputSettings(
                quiet={Quietness.RULES, Quietness.PROGRESS, Quietness.HOST, Quietness.REASON},
                show_failed_logs=False,
            )
        )
        api.__enter__()
        self._api = api
        self._workflow = api.workflow(
            resource_settings=ResourceSettings(cores=self.cores),
            snakefile=self.root / "Snakefile",
            workdir=self.root,
        )

    def build(self, reparse: bool = False) -> BuildResult:
        from snakemake.scheduling.greedy import SchedulerSettings as GreedySchedulerSettings
        from snakemake.settings.types import DAGSettings, ExecutionSettings, SchedulingSettings

        started = time.time()
        cwd = os.getcwd()
        try:
            if reparse or self._workflow is None:
                self._open()
            dag = self._workflow.dag(
                dag_settings=DAGSettings(targets=frozenset(self.pages), force_incomplete=True)
            )
            # use_threads: the preview rules' run: blocks execute here, where the report code is
            # already imported; the greedy scheduler needs no solver for a handful of jobs.
            dag.execute_workflow(
                executor="local",
                execution_settings=ExecutionSettings(use_threads=True),
                scheduling_settings=SchedulingSettings(scheduler="greedy"),
                scheduler_settings=GreedySchedulerSettings(),
            )
            ok, problems = True, []
        except Exception as exc:  # noqa: BLE001 - any failure is shown to the researcher
            ok = False
            problems = problems_from_logs(self.root, started - 1) or _exception_problems(exc)
            self.close()  # read the workflow afresh next time
        finally:
            os.chdir(cwd)
        stamps = self._page_stamps()
        changed = [p for p in self.pages if stamps[p] is not None and stamps[p] != self._stamps.get(p)]
        self._stamps = stamps
        return BuildResult(ok, time.time() - started, problems, changed)


# ---------------------------------------------------------------------------------------------
# Serving


class State:
    """What the open pages are told: a version counter, the last problems, the pages to reload."""

    def __init__(self):
        self.cond = threading.Condition()
        self.version = 0
        self.problems: list[str] = []
        self.reload: dict[str, int] = {}  # page -> version at which it last changed
        self.last_good: dict[str, bytes] = {}
        self.building = False

    def publish(self, result: BuildResult | None = None, building: bool | None = None):
        with self.cond:
            self.version += 1
            if building is not None:
                self.building = building
            if result is not None:
                self.problems = [] if result.ok else result.problems
                for page in result.changed:
                    self.reload["/" + page.removeprefix("results/")] = self.version
            self.cond.notify_all()


RELOAD_SCRIPT = """<script>
/* Added by the preview server (python -m ssr_pipeline preview); never part of a built report. */
(() => {
  const page = location.pathname;
  const key = "ssr-preview-scroll:" + page;
  const saved = sessionStorage.getItem(key);
  if (saved !== null) { sessionStorage.removeItem(key); window.scrollTo(0, Number(saved)); }
  let overlay = null;
  const show = (problems) => {
    if (!overlay) {
      overlay = document.createElement("section");
      overlay.id = "ssr-preview-overlay";
      overlay.setAttribute("role", "alert");
      overlay.setAttribute("aria-label", "Preview build failed");
      overlay.style.cssText = "position:fixed;left:1rem;right:1rem;bottom:1rem;max-height:60vh;overflow:auto;" +
        "z-index:2147483647;background:#fff8f5;color:#1a1a1a;border:3px solid #b3261e;border-radius:6px;" +
        "padding:0.8rem 1rem;box-shadow:0 4px 24px rgba(0,0,0,.35);font:14px/1.45 system-ui,sans-serif";
      document.body.appendChild(overlay);
    }
    overlay.replaceChildren();
    const h = document.createElement("h2");
    h.textContent = "The preview could not be rebuilt";
    h.style.cssText = "margin:0 0 .4rem;font-size:1.05rem;color:#b3261e";
    const list = document.createElement("ul");
    list.style.cssText = "margin:0 0 .5rem;padding-left:1.2rem;font:13px/1.45 ui-monospace,monospace";
    for (const p of problems) { const li = document.createElement("li"); li.textContent = p; list.appendChild(li); }
    const note = document.createElement("p");
    note.textContent = "Below is the last good version of this page. Fix the file and save: this message clears by itself.";
    note.style.cssText = "margin:0;color:#4d4d4d";
    overlay.append(h, list, note);
  };
  const hide = () => { if (overlay) { overlay.remove(); overlay = null; } };
  const events = new EventSource("/__events?page=" + encodeURIComponent(page));
  events.addEventListener("problems", (e) => show(JSON.parse(e.data)));
  events.addEventListener("ok", hide);
  events.addEventListener("reload", () => { sessionStorage.setItem(key, String(window.scrollY)); location.reload(); });
})();
</script>
"""


def with_reload_script(html: bytes) -> bytes:
    text = html.decode("utf-8")
    i = text.rfind("</body>")
    return (text[:i] + RELOAD_SCRIPT + text[i:] if i >= 0 else text + RELOAD_SCRIPT).encode("utf-8")


def index_page(pages: list[str]) -> bytes:
    items = "\n".join(
        f'<li><a href="/{p.removeprefix("results/")}">{p.removeprefix(PREVIEW_DIR + "/")}</a></li>'
        for p in pages
    )
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>SSR reports: preview</title>'
        f"</head><body><main><h1>Preview</h1><p>Pages rebuild and reload when a file under inputs/ or "
        f"templates/ is saved.</p><ul>{items}</ul></main></body></html>"
    ).encode()


# Long on purpose: the request handler class, defined in a closure over the server's state; its methods are
# short.
def make_handler(root: Path, state: State, pages: list[str]):
    results = root / "results"

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # quiet: the terminal shows builds and problems
            pass

        def _send(self, body: bytes, ctype: str, status: int = 200):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            url = urlsplit(self.path)
            path = unquote(url.path)
            if path == "/__events":
                return self._events(parse_qs(url.query).get("page", ["/"])[0])
            if path in ("/", "/index.html"):
                return self._send(with_reload_script(index_page(pages)), "text/html; charset=utf-8")
            if path.startswith("/preview/") and path.endswith(".pdf"):
                # No PDF in the preview: the report's PDF link opens the last full build's.
                self.send_response(302)
                self.send_header("Location", "/reports/" + path.removeprefix("/preview/"))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            file = (results / path.lstrip("/")).resolve()
            if not file.is_relative_to(results.resolve()):
                return self._send(b"not found", "text/plain", 404)
            if path.startswith("/preview/") and path.endswith(".html"):
                try:
                    body = file.read_bytes()
                    state.last_good[path] = body
                except (FileNotFoundError, IsADirectoryError):
                    # A failed build deletes the page; the last good one stays on show.
                    body = state.last_good.get(path)
                    if body is None:
                        body = (
                            b'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Building'
                            b"</title></head><body><main><h1>Not built yet</h1><p>The page appears when its "
                            b"build succeeds.</p></main></body></html>"
                        )
                return self._send(with_reload_script(body), "text/html; charset=utf-8")
            if file.is_file():
                ctype = {
                    ".html": "text/html; charset=utf-8",
                    ".pdf": "application/pdf",
                    ".svg": "image/svg+xml",
                    ".csv": "text/csv; charset=utf-8",
                    ".json": "application/json",
                    ".png": "image/png",
                }.get(file.suffix, "application/octet-stream")
                return self._send(file.read_bytes(), ctype)
            return self._send(b"not found", "text/plain", 404)

        def _events(self, page: str):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            seen = state.version
            seen_reload = state.reload.get(page, 0)

            def send(event: str, data) -> None:
                self.wfile.write(f"event: {event}\ndata: {json.dumps(data)}\n\n".encode())
                self.wfile.flush()

            try:
                send("problems" if state.problems else "ok", state.problems)
                while True:
                    with state.cond:
                        state.cond.wait_for(lambda seen=seen: state.version != seen, timeout=15)
                        version, problems, changed = (
                            state.version,
                            list(state.problems),
                            state.reload.get(page, 0),
                        )
                    if version == seen:
                        self.wfile.write(b": keep-alive\n\n")
                        self.wfile.flush()
                        continue
                    seen = version
                    if changed != seen_reload and not problems:
                        seen_reload = changed
                        send("reload", True)
                    elif problems:
                        send("problems", problems)
                    else:
                        send("ok", [])
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


# ---------------------------------------------------------------------------------------------
# The command


# Long on purpose: the preview's life cycle (first build, server thread, watch loop, clean stop) in order.
def run(root: Path, country: str | None = None, port: int = 8765, cores: int = 2, once: bool = False) -> int:
    config = settings.load(root)
    if country and country not in config["countries"]:
        print(
            f"unknown country '{country}'; config.yaml lists: {', '.join(config['countries'])}",
            file=sys.stderr,
        )
        return 2
    pages = targets(config, country, settings.report_languages(config, root))
    state = State()
    httpd = Server(("127.0.0.1", port), make_handler(root, state, pages))
    url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    first = "/" + pages[0].removeprefix("results/")
    print(
        f"preview: serving {url} (open {url.rstrip('/')}{first}); watching "
        f"{', '.join(WATCHED)}; Ctrl-C stops",
        flush=True,
    )
    builder = Builder(root, pages, cores)

    def stop(signum, frame):
        raise KeyboardInterrupt

    def build(reason: str, reparse: bool = False) -> BuildResult:
        state.publish(building=True)
        result = builder.build(reparse)
        state.publish(result, building=False)
        signal.signal(signal.SIGTERM, stop)  # Snakemake installs its own handler while it runs
        if result.ok:
            print(
                f"preview: {reason}: built in {result.seconds:.2f} s"
                + (f", reloading {', '.join(result.changed)}" if result.changed else ""),
                flush=True,
            )
        else:
            print(
                f"preview: {reason}: build failed after {result.seconds:.2f} s:\n"
                + "\n".join(f"  - {p}" for p in result.problems),
                flush=True,
            )
        return result

    signal.signal(signal.SIGTERM, stop)
    try:
        before = snapshot(root)
        build("start")
        if once:
            return 0
        while True:
            time.sleep(POLL_SECONDS)
            now = snapshot(root)
            if now == before:
                continue
            time.sleep(SETTLE_SECONDS)
            now = snapshot(root)
            edited = changed_files(before, now)
            added_or_removed = set(before) ^ set(now)
            saved = max((now[f][0] for f in edited if f in now), default=time.time_ns()) / 1e9
            before = now
            build(
                "changed "
                + ", ".join(edited[:3])
                + (" ..." if len(edited) > 3 else "")
                + f" (noticed {max(0.0, time.time() - saved):.2f} s after the save)",
                reparse=needs_reparse(edited) or bool(added_or_removed),
            )
    except KeyboardInterrupt:
        print("preview: stopped", flush=True)
        return 0
    finally:
        builder.close()
        httpd.shutdown()
        httpd.server_close()
