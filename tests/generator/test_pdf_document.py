"""The PDF edition as a document (issue #14), on the `scholarly` root built with its offline
edition and PDFs, read back with pypdf: document information and language, page count
(a one-page brief has one page), running head and page numbers, the title block with
the cite-as line, working links (inside the PDF to the references, out to the web), no
web-only artefacts, the PDF next to its page, and the same bytes from two builds.
"""

from __future__ import annotations

import re
import zipfile

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import build_project, chromium_path, prepare

pytestmark = pytest.mark.browser

ROOT = "scholarly"
BASE = "https://example.org/scholarly/"
ARTICLE_PDF, BRIEF_PDF = "articles/engine/engine.pdf", "briefs/short/short.pdf"
SETTINGS = {"offline": True, "pdf": True}


def build(folder):
    if chromium_path() is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); PDFs need it")
    built = build_project(prepare(ROOT, folder, settings=SETTINGS))
    assert built.ok, built.warnings
    assert built.warnings == []
    return built


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build(tmp_path_factory.mktemp("pdf"))


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def links(reader: PdfReader) -> tuple[list[str], list[str]]:
    """(web addresses, internal destinations) of every link annotation."""
    web, internal = [], []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A") or {}
            if action.get("/URI"):
                web.append(str(action["/URI"]))
            elif annotation.get("/Dest") is not None:
                internal.append(str(annotation["/Dest"]))
    return web, internal


def test_document_information_and_language(site):
    reader = PdfReader(site.site / ARTICLE_PDF)
    info = reader.metadata
    assert info.title == "Notes on the Analytical Engine"
    assert info.author == "Ada Lovelace; Charles Babbage"
    assert info.subject.startswith("A test article with the whole academic front matter")
    assert info["/Keywords"] == "computing, engines"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert re.fullmatch(r"D:\d{14}\+00'00'", info["/CreationDate"])
    brief = PdfReader(site.site / BRIEF_PDF).metadata
    assert (brief.title, brief.author) == ("A short brief", "Example Editors")


def test_a_one_page_brief_is_one_page(site):
    assert len(PdfReader(site.site / BRIEF_PDF).pages) == 1


def test_page_one_is_a_title_page_and_every_page_has_a_running_head_and_a_number(site):
    reader = PdfReader(site.site / ARTICLE_PDF)
    first = " ".join(reader.pages[0].extract_text().split())
    assert first.startswith("Notes on the Analytical Engine By Ada Lovelace")
    for part in ("This edition: 1 May 2024", "updated 15 June 2024", "1 Analytical Society", "2 Royal Institution",
                 "DOI https://doi.org/10.5281/zenodo.1003150", "Licence CC-BY-4.0", "ABSTRACT",
                 "The engine weaves algebraic patterns",
                 "Cite as: Lovelace, Ada, and Charles Babbage. 2024. “Notes on the Analytical Engine.” Scholarly "
                 "test site, May 1. https://doi.org/10.5281/zenodo.1003150.",
                 f"Online: {BASE}articles/engine/"):
        assert part in first, part
    count = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = " ".join(page.extract_text().split())
        assert f"Page {number} of {count}" in text
        assert "Ada Lovelace and Charles Babbage" in text and f"{BASE}articles/engine/" in text


def test_no_web_only_artefacts(site):
    for pdf in (ARTICLE_PDF, BRIEF_PDF):
        text = text_of(PdfReader(site.site / pdf))
        assert "↩" not in text                                   # footnote back links
        assert not re.search(r"·\s*$", text, re.MULTILINE), text  # a separator left by a hidden item
        for web_only in ("Cite this page", "Copy", "Download", "PDF (", "Skip to content"):
            assert web_only not in text, web_only
    assert "A footnote with its own words." in text_of(PdfReader(site.site / ARTICLE_PDF))


def test_links_lead_to_the_references_inside_and_to_the_web_outside(site):
    web, internal = links(PdfReader(site.site / ARTICLE_PDF))
    assert "/ref-doe2020book" in internal and "/fn:1" in internal
    assert {"https://orcid.org/0000-0002-1825-0097", "https://doi.org/10.5281/zenodo.1003150",
            f"{BASE}briefs/short/", "https://example.org/society"} <= set(web)
    assert not [url for url in web if url.startswith("file:")]


def test_the_pdf_is_next_to_its_page_linked_with_its_size_and_in_the_head(site):
    page = BeautifulSoup((site.site / "articles/engine/index.html").read_text(encoding="utf-8"), "lxml")
    link = page.select_one(".mx-title-block a.mx-pdf")
    assert link["href"] == "engine.pdf"
    assert re.fullmatch(r"PDF \(\d+ KB\)", link.get_text())
    assert page.select_one('meta[name="citation_pdf_url"]')["content"] == BASE + ARTICLE_PDF
    downloads = BeautifulSoup((site.site / "downloads/index.html").read_text(encoding="utf-8"), "lxml")
    hrefs = [a["href"] for a in downloads.select("article a[href$='.pdf']")]
    assert {"../articles/engine/engine.pdf", "../briefs/short/short.pdf"} <= set(hrefs)
    with zipfile.ZipFile(next((site.site / "downloads").glob("*.zip"))) as archive:
        names = {name.split("/", 1)[1] for name in archive.namelist()}
    assert {ARTICLE_PDF, BRIEF_PDF} <= names


def test_two_builds_give_the_same_pdf_bytes(site, tmp_path):
    again = build(tmp_path)
    for pdf in (ARTICLE_PDF, BRIEF_PDF):
        assert (site.site / pdf).read_bytes() == (again.site / pdf).read_bytes(), pdf
