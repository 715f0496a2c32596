"""PDFs of pages, printed by headless Chromium (through Playwright) from the
built site, with the print styles (`document.css`): documents, not screenshots.

- A running head and page numbers: Chromium's header and footer templates,
  rendered by the caller from our Jinja templates (escaped).
- Links: a link to another part of the same page (a citation to its reference)
  stays inside the PDF; links to other pages point to the online site
  (site_url), and with no site_url they are kept as text.
- Document information (title, authors, subject, keywords) and the language
  are written with pypdf after printing.
- Reproducible: Chromium writes the time and its DOM node numbers into every
  PDF; those bytes are replaced by the build's fixed date and by stable
  numbers, and the file identifier is derived from the content, so two builds
  give the same bytes (and the offline zip stays reproducible).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import time
from dataclasses import dataclass

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


_LINK_SCRIPT = """([siteUrl, directoryUrls]) => {
  for (const a of document.querySelectorAll('a[href]')) {
    // A link that shows its own address is not followed by it again in print (microsite.css: a.uri).
    const text = a.textContent.trim();
    if (text === a.getAttribute('href') || text === a.href) a.classList.add('uri');
    let url;
    try { url = new URL(a.getAttribute('href'), document.baseURI); }
    catch (error) { a.removeAttribute('href'); continue; }   // not a URL a PDF could open
    if (url.protocol !== 'file:') continue;
    if (url.pathname === window.location.pathname && url.hash) {   // the same page: a link inside the PDF
      a.setAttribute('href', url.hash);
      continue;
    }
    if (!siteUrl) { a.removeAttribute('href'); continue; }
    const base = window.__microsite_root;
    let path = url.pathname.startsWith(base) ? url.pathname.slice(base.length) : null;
    if (path === null) { a.removeAttribute('href'); continue; }
    if (directoryUrls) path = path.replace(/(^|\\/)index\\.html$/, '$1').replace(/\\.html$/, '/');
    a.setAttribute('href', new URL(path + url.hash, siteUrl).href);
  }
}"""

# Room for the running head and the page numbers (Chromium prints them in the margins).
MARGINS = {"top": "20mm", "bottom": "20mm", "left": "18mm", "right": "18mm"}
EMPTY_TEMPLATE = "<span></span>"        # Chromium prints its own date and title for an empty template
CREATOR = "MkDocs, Material for MkDocs and Chromium (microsite generator)"


@dataclass(frozen=True)
class DocumentInfo:
    """What a PDF says about itself (File > Properties; reference managers read it)."""

    title: str
    authors: tuple[str, ...] = ()
    subject: str | None = None
    keywords: tuple[str, ...] = ()
    language: str | None = None       # BCP 47, the document's /Lang


@dataclass(frozen=True)
class PrintJob:
    html_path: str                    # inside the site folder
    pdf_path: str                     # inside the site folder
    info: DocumentInfo | None = None
    header: str = ""                  # Chromium header template (HTML, escaped by our templates)
    footer: str = ""                  # Chromium footer template


def print_pages(site_dir: str, jobs: list[PrintJob], site_url: str | None, epoch: int,
                directory_urls: bool = True) -> list[str]:
    """Print each page to its PDF; returns the PDFs made (paths inside site_dir)."""
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
            for job in jobs:
                page.goto(root + job.html_path, wait_until="load")
                page.evaluate(f"window.__microsite_root = {json.dumps(root[len('file://'):])}")
                page.evaluate(_LINK_SCRIPT, [site_url or "", directory_urls])
                target = os.path.join(site_dir, job.pdf_path)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                data = page.pdf(format="A4", print_background=False, outline=True, tagged=True, margin=MARGINS,
                                display_header_footer=bool(job.header or job.footer),
                                header_template=job.header or EMPTY_TEMPLATE,
                                footer_template=job.footer or EMPTY_TEMPLATE)
                data = reproducible_pdf(data, epoch)
                if job.info is not None:
                    data = reproducible_pdf(with_document_info(data, job.info, epoch), epoch)
                with open(target, "wb") as handle:
                    handle.write(data)
                made.append(job.pdf_path)
        finally:
            browser.close()
    return made


def pdf_date(epoch: int) -> str:
    return "D:" + time.strftime("%Y%m%d%H%M%S", time.gmtime(epoch)) + "+00'00'"


def with_document_info(data: bytes, info: DocumentInfo, epoch: int) -> bytes:
    """The PDF with its document information and language set (pypdf keeps the pages,
    links, outline and structure tree as they are; the output depends on the input only)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    metadata = {"/Title": info.title, "/Creator": CREATOR, "/CreationDate": pdf_date(epoch),
                "/ModDate": pdf_date(epoch)}
    if info.authors:
        metadata["/Author"] = "; ".join(info.authors)
    if info.subject:
        metadata["/Subject"] = " ".join(info.subject.split())
    if info.keywords:
        metadata["/Keywords"] = ", ".join(info.keywords)
    writer.add_metadata(metadata)
    # The file identifier, from the printed content (the same pages give the same identifier).
    digest = ByteStringObject(hashlib.sha256(data).digest()[:16])
    writer._ID = ArrayObject([digest, digest])
    if info.language:
        writer._root_object[NameObject("/Lang")] = TextStringObject(info.language)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


_PDF_DATE = re.compile(rb"\(D:\d{14}[^)]*\)")
# Tagged PDFs name structure elements after Chromium's DOM node ids, which depend
# on what the page's scripts did before printing; renumber them in order of
# appearance (same width, so no byte offset moves).
_NODE_ID = re.compile(rb"\(node(\d+)\)")
# The ids' name tree (a table's header cells refer to them) lists them sorted by Chromium's
# numbers; after renumbering, a leaf is sorted again by the new ones (else its order, and the
# bytes, follow the DOM numbers, and its /Limits may not be least and greatest as PDF requires).
_ID_LEAF = re.compile(rb"/Limits \[ \(node\d+\) \(node\d+\) \]\n/Names \[ (?:\(node\d+\) \d+ \d+ R )+\]")
_ID_PAIR = re.compile(rb"\((node\d+)\) (\d+ \d+ R)")
_PDF_ID = re.compile(rb"/ID \[<([0-9A-Fa-f]+)> <([0-9A-Fa-f]+)>\]")


def _sorted_leaf(match: re.Match) -> bytes:
    """A leaf of the ids' name tree with its pairs in key order (the same bytes, permuted)."""
    pairs = sorted(_ID_PAIR.findall(match.group(0)))
    leaf = (b"/Limits [ (" + pairs[0][0] + b") (" + pairs[-1][0] + b") ]\n/Names [ "
            + b"".join(b"(" + key + b") " + ref + b" " for key, ref in pairs) + b"]")
    return leaf if len(leaf) == len(match.group(0)) else match.group(0)


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

    data = _ID_LEAF.sub(_sorted_leaf, _NODE_ID.sub(renumber, data))
    digest = hashlib.sha256(_PDF_ID.sub(b"", data)).hexdigest().upper().encode()

    def identifier(match: re.Match) -> bytes:
        first, second = match.group(1), match.group(2)
        return b"/ID [<" + digest[: len(first)].ljust(len(first), b"0") + b"> <" + \
            digest[: len(second)].ljust(len(second), b"0") + b">]"

    return _PDF_ID.sub(identifier, data)
