"""PDFs of pages, printed by headless Chromium (through Playwright) from the
built site, with the print stylesheet.

Links in a PDF point to the online site (site_url) rather than to files of
the build; with no site_url they are kept as text. Chromium writes the time
and its DOM node numbers into every PDF, so those bytes are replaced by the
build's fixed date and by stable numbers, which keeps the offline zip
reproducible.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time

CHROMIUM_ENV = "MICROSITE_CHROMIUM"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def find_chromium() -> str | None:
    candidates = [os.environ.get(CHROMIUM_ENV), shutil.which("chromium"), shutil.which("chromium-browser"),
                  shutil.which("google-chrome"), "/usr/bin/chromium"]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def tool_missing_reason() -> str | None:
    """Why PDFs cannot be made on this machine, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package 'playwright' is not installed"
    if not find_chromium():
        return (f"no Chromium browser was found (install Debian's 'chromium', or set {CHROMIUM_ENV} "
                "to a Chromium or Chrome executable)")
    return None


_LINK_SCRIPT = """(siteUrl) => {
  for (const a of document.querySelectorAll('a[href]')) {
    let url;
    try { url = new URL(a.getAttribute('href'), document.baseURI); }
    catch (error) { a.removeAttribute('href'); continue; }   // not a URL a PDF could open
    if (url.protocol !== 'file:') continue;
    if (!siteUrl) { a.removeAttribute('href'); continue; }
    const base = window.__microsite_root;
    let path = url.pathname.startsWith(base) ? url.pathname.slice(base.length) : null;
    if (path === null) { a.removeAttribute('href'); continue; }
    path = path.replace(/(^|\\/)index\\.html$/, '$1').replace(/\\.html$/, '/');
    a.setAttribute('href', new URL(path + url.hash, siteUrl).href);
  }
}"""


def print_pages(site_dir: str, pages: list[tuple[str, str]], site_url: str | None, epoch: int) -> list[str]:
    """Print each (html path inside site_dir, pdf path inside site_dir); returns the PDFs made."""
    from playwright.sync_api import sync_playwright

    made = []
    root = "file://" + os.path.abspath(site_dir).replace(os.sep, "/") + "/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            # The site must print from its own files alone.
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                          else route.abort())
            page = context.new_page()
            page.emulate_media(media="print")
            for html_path, pdf_path in pages:
                page.goto(root + html_path, wait_until="load")
                page.evaluate(f"window.__microsite_root = {json.dumps(root[len('file://'):])}")
                page.evaluate(_LINK_SCRIPT, site_url or "")
                target = os.path.join(site_dir, pdf_path)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                data = page.pdf(format="A4", print_background=False, outline=True, tagged=True,
                                margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"})
                with open(target, "wb") as handle:
                    handle.write(reproducible_pdf(data, epoch))
                made.append(pdf_path)
        finally:
            browser.close()
    return made


_PDF_DATE = re.compile(rb"\(D:\d{14}[^)]*\)")
# Tagged PDFs name structure elements after Chromium's DOM node ids, which depend
# on what the page's scripts did before printing; renumber them in order of
# appearance (same width, so no byte offset moves).
_NODE_ID = re.compile(rb"\(node(\d+)\)")
_PDF_ID = re.compile(rb"/ID \[<([0-9A-Fa-f]+)> <([0-9A-Fa-f]+)>\]")


def reproducible_pdf(data: bytes, epoch: int) -> bytes:
    """The same PDF with the build's date, stable structure ids and an /ID from its content."""
    stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(epoch)).encode()

    data = _PDF_DATE.sub(lambda match: b"(D:" + stamp + match.group(0)[17:], data)
    numbers: dict[bytes, bytes] = {}
    counters: dict[int, int] = {}

    def renumber(match: re.Match) -> bytes:
        # Numbered in order of appearance among the ids of the same width, so the new
        # number always fits (and no byte offset of the file's cross-reference table moves).
        original = match.group(1)
        if original not in numbers:
            counters[len(original)] = counters.get(len(original), 0) + 1
            numbers[original] = str(counters[len(original)]).zfill(len(original)).encode()
        return b"(node" + numbers[original] + b")"

    data = _NODE_ID.sub(renumber, data)
    digest = hashlib.sha256(_PDF_ID.sub(b"", data)).hexdigest().upper().encode()

    def identifier(match: re.Match) -> bytes:
        first, second = match.group(1), match.group(2)
        return b"/ID [<" + digest[: len(first)].ljust(len(first), b"0") + b"> <" + \
            digest[: len(second)].ljust(len(second), b"0") + b">]"

    return _PDF_ID.sub(identifier, data)
