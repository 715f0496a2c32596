"""The judges of a built site, shared by tests/generator/test_judges.py and
`make audit` (tests/audit.py):

- the W3C Nu HTML checker (npm `vnu-jar`, run with Java) on HTML files;
- axe-core (axe-playwright-python) in a Playwright page, light and dark;
- Lighthouse (npm `lighthouse`, its default mobile run) on a URL;
- an HTTP server that serves a folder gzip-compressed, as GitHub Pages does;
- which page of a built site stands for each kind of page the generator makes.

Nothing here filters what the tools report: callers decide what fails.
"""

from __future__ import annotations

import contextlib
import gzip
import http.server
import io
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
NODE_MODULES = REPO / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"

# Chromium's flags on this machine (Playwright adds its own headless flag; Lighthouse gets --headless=new).
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"]

# What is judged: no axe violation of these impacts, these Lighthouse categories at 100.
FAILING_IMPACTS = ("serious", "critical")
JUDGED_CATEGORIES = ("accessibility", "best-practices", "seo")
PALETTES = ("light", "dark")                 # emulated prefers-color-scheme
SCHEMES = {"light": "default", "dark": "slate"}   # what Material must then apply


def find_chromium() -> str | None:
    """Debian's Chromium (or MICROSITE_CHROMIUM), as the browser tests find it."""
    for candidate in (os.environ.get("MICROSITE_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


# -- which pages to judge ----------------------------------------------------------

@dataclass(frozen=True)
class PageKind:
    name: str
    path: str               # address relative to the site root ("" is the landing page)
    search: bool = False    # judged with the search dialog open, showing results
    query: str = ""


KIND_NAMES = ("landing", "article", "brief", "glossary index", "glossary entry", "bibliography index",
              "source page", "downloads", "search open", "timeline", "concept map")
# Pages of their own kind at fixed addresses, never taken for a glossary entry.
SPECIAL_PAGES = {"timeline": "timeline", "concept map": "glossary/map"}


def page_kinds(site: Path) -> list[PageKind]:
    """One page of each kind the generator makes, found in any built site (a kind
    the site lacks is left out). Of several pages of a kind the largest is
    judged: it holds the most of the markup that kind can contain. The
    timeline and the concept map are kinds of their own, when the site has them."""

    special = {site / folder / "index.html" for folder in SPECIAL_PAGES.values()}

    def largest(folder: str) -> str | None:
        candidates = sorted(set((site / folder).glob("*/index.html")) - special)
        if not candidates:
            return None
        best = max(candidates, key=lambda path: path.stat().st_size)
        return best.parent.relative_to(site).as_posix() + "/"

    def index(folder: str) -> str | None:
        return f"{folder}/" if (site / folder / "index.html").is_file() else None

    paths = {"landing": "", "article": largest("articles"), "brief": largest("briefs"),
             "glossary index": index("glossary"), "glossary entry": largest("glossary"),
             "bibliography index": index("bibliography"), "source page": largest("bibliography"),
             "downloads": index("downloads")}
    kinds = [PageKind(name, path) for name, path in paths.items() if path is not None]
    kinds.append(PageKind("search open", "", search=True, query=search_query(site, paths["article"])))
    kinds += [PageKind(name, index(folder)) for name, folder in SPECIAL_PAGES.items() if index(folder)]
    return kinds


def search_query(site: Path, article: str | None) -> str:
    """A word the site's search finds: the first long word of the article's
    title (or of the landing page's)."""
    from bs4 import BeautifulSoup

    page = site / (article or "") / "index.html"
    heading = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml").select_one("article h1")
    words = re.findall(r"[^\W\d_]{5,}", heading.get_text() if heading else "")
    return words[0] if words else "the"


def url_of(base: str, kind: PageKind) -> str:
    """The kind's address; "search open" adds Material's `?q=` parameter, which
    opens the search dialog with that query (a shared search's address), so
    that axe and Lighthouse judge the same state."""
    return base + kind.path + (f"?q={quote(kind.query)}" if kind.search else "")


# -- the W3C Nu HTML checker ---------------------------------------------------------

def vnu_missing() -> str | None:
    """Why the checker cannot run here, or None."""
    if not VNU_JAR.is_file():
        return f"the W3C checker is not installed ({VNU_JAR.relative_to(REPO)}): run `npm ci` (make test does)"
    if shutil.which("java") is None:
        return "Java is not installed (apt-get install default-jre-headless); the W3C checker needs Java >= 11"
    return None


def run_vnu(paths: list[Path]) -> list[dict]:
    """Every message of the checker (errors, warnings, info) on these HTML files
    and on the .html files in these folders. Each message has `url` (file:),
    `type` ("error", "info" with `subType` "warning", "non-document-error"),
    `message`, `extract`, `lastLine`."""
    command = ["java", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", "--skip-non-html",
               *map(str, paths)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        raise RuntimeError(f"the W3C checker failed to run: {result.stderr[-2000:]}")
    return json.loads(result.stderr)["messages"]      # the checker reports on stderr


def vnu_errors(messages: list[dict]) -> list[dict]:
    # "non-document-error": the checker could not read a file, which is an error too.
    return [m for m in messages if m["type"] in ("error", "non-document-error")]


def describe_vnu(message: dict, site: Path | None = None) -> str:
    where = message.get("url", "")
    if site is not None:
        where = where.replace(site.resolve().as_uri() + "/", "")
    extract = " ".join(message.get("extract", "").split())
    return f"{where}:{message.get('lastLine', '?')}: {message['message']} [{extract}]"


# -- axe-core -------------------------------------------------------------------------

def open_page(browser, base: str, kind: PageKind, palette: str):
    """A new page showing the kind in the light or dark palette (emulated
    prefers-color-scheme, which Material's palette entries follow), with its
    search results shown if the kind asks for them. Returns (context, page, the
    colour scheme Material applied: "default" or "slate")."""
    context = browser.new_context(color_scheme=palette)
    page = context.new_page()
    page.goto(url_of(base, kind), wait_until="load")
    if kind.search:
        page.wait_for_selector(".md-search-result__item", timeout=15000)
    page.evaluate(SETTLED)
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    return context, page, scheme


# Material fades colours in (CSS transitions on the palette and the search results):
# a colour measured mid-transition is a blend of two (4.42:1 seen once, 4.5:1 once
# settled). Wait two frames, so that transitions just triggered exist, then for every
# finite animation and transition to end (at most 3 s).
SETTLED = """() => new Promise(frame => requestAnimationFrame(() => requestAnimationFrame(frame)))
  .then(() => Promise.race([
    Promise.all(document.getAnimations()
      .filter(animation => animation.effect && animation.effect.getComputedTiming().endTime !== Infinity)
      .map(animation => animation.finished.catch(() => null))),
    new Promise(done => setTimeout(done, 3000))]))"""


def run_axe(page) -> list[dict]:
    """axe-core's violations (every impact) on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page).response["violations"]


def failing(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in FAILING_IMPACTS]


def describe_axe(violation: dict, limit: int = 3) -> str:
    def node(found: dict) -> str:
        summary = (found.get("failureSummary") or "").splitlines()
        return f"{' '.join(map(str, found['target']))}: {summary[-1].strip() if summary else ''}"

    nodes = violation["nodes"]
    more = f" (+{len(nodes) - limit} more)" if len(nodes) > limit else ""
    return (f"{violation['id']} ({violation['impact']}, {len(nodes)} elements): {violation['help']}: "
            + "; ".join(node(found) for found in nodes[:limit]) + more)


# -- Lighthouse -------------------------------------------------------------------------

def lighthouse_missing(chromium: str | None) -> str | None:
    if not LIGHTHOUSE.exists():
        return f"Lighthouse is not installed ({LIGHTHOUSE.relative_to(REPO)}): run `npm ci` (make test does)"
    if shutil.which("node") is None:
        return "Node.js is not installed (apt-get install nodejs npm); Lighthouse 12 needs Node >= 18.16"
    if chromium is None:
        return "Debian's chromium is not installed (apt-get install chromium); Lighthouse drives it"
    return None


@dataclass
class LighthouseResult:
    scores: dict[str, int]            # category id -> 0..100
    failed: dict[str, list[str]]      # category id -> titles of its scored audits that did not pass
    seconds: float


def run_lighthouse(url: str, chromium: str, categories: tuple[str, ...] = JUDGED_CATEGORIES) -> LighthouseResult:
    """Lighthouse's default run (mobile: emulated phone, simulated slow 4G and
    CPU) of these categories on one URL, in a Chromium of its own."""
    started = time.monotonic()
    command = [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
               f"--only-categories={','.join(categories)}", "--disable-full-page-screenshot",
               f"--chrome-flags={' '.join(['--headless=new', *CHROMIUM_FLAGS])}"]
    # In a process group of its own: on a timeout the Chromium it launched goes too.
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=dict(os.environ, CHROME_PATH=chromium), start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise RuntimeError(f"Lighthouse did not finish on {url} in 300 s") from None
    if process.returncode != 0:
        raise RuntimeError(f"Lighthouse failed on {url}: {stderr[-2000:]}")
    report = json.loads(stdout)
    if report.get("runtimeError"):
        raise RuntimeError(f"Lighthouse could not audit {url}: {report['runtimeError']}")
    audits = report["audits"]
    scores, failed = {}, {}
    for category_id, category in report["categories"].items():
        scores[category_id] = round((category["score"] or 0) * 100)
        failed[category_id] = [audits[ref["id"]]["title"] for ref in category["auditRefs"]
                               if ref["weight"] > 0 and audits[ref["id"]]["score"] is not None
                               and audits[ref["id"]]["score"] < 1]
    return LighthouseResult(scores, failed, time.monotonic() - started)


# -- serving a folder as GitHub Pages does ------------------------------------------------

# GitHub Pages compresses text (and leaves images, zips and PDFs as they are).
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, text with `Content-Encoding: gzip` when the client accepts
    it, a folder's index.html at its address, 404.html for a missing file."""

    def send_head(self):
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()            # redirects to the address with a slash
            target = target / "index.html"
        status = http.server.HTTPStatus.OK
        if not target.is_file():
            status, target = http.server.HTTPStatus.NOT_FOUND, Path(self.directory) / "404.html"
            if not target.is_file():
                self.send_error(status)
                return None
        body = target.read_bytes()
        content_type = self.guess_type(str(target))
        self.send_response(status)
        if content_type.startswith(COMPRESSED_TYPES) and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, mtime=0)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")      # as GitHub Pages sends
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


@contextlib.contextmanager
def serve_gzip(folder: Path):
    """Serve a folder on 127.0.0.1 (a free port) with gzip; yields the base URL."""

    def handler(*args, **kwargs):
        return _GzipHandler(*args, directory=str(folder), **kwargs)

    with _Server(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()
