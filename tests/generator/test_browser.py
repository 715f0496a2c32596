"""In a real browser (Debian Chromium through Playwright): search, hover and
focus previews, search ranking, and the offline edition from file://.

The tests on `real_site` work on any site that follows the README: they find an
article, its title and the site's sources in the build itself. What this site's
own content must give (a given entry first for a given word) is tested in
tests/site/test_site_browser.py.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from browsing import (TOOLTIP, guarded_page, new_page, pages_in, paths, search, searchable_word,
                      unzip_offline_edition)
from conftest import REPO, build_project, build_real_site, prepare, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def basic_site(tmp_path_factory):
    built = build_project(prepare("basic", tmp_path_factory.mktemp("browser")))
    assert built.ok, built.messages
    return built.site


@pytest.fixture(scope="module")
def real_article(real_site) -> str:
    articles = pages_in(real_site, "articles")
    if not articles:
        pytest.skip("the site has no article in docs/articles/")
    return articles[0]


# -- the generator, on a test root ------------------------------------------------------------------

def test_search_finds_a_page(browser, basic_site):
    errors: list[str] = []
    with serve(basic_site) as base:
        page = new_page(browser, errors)
        page.goto(base)
        results = search(page, "Greater")
        hrefs = paths(results)
        assert any("articles/one/" in href for href in hrefs), hrefs
        assert any("glossary/greater-eurasia/" in href for href in hrefs), hrefs
    assert errors == []


@pytest.mark.parametrize("selector, expected", [
    ("span.citation a.citation__ref", "Doe, Jane. 2020. A Book about Things. University Press."),
    ("a.mx-term[href*='greater-eurasia']", "Greater Eurasia: A Russian concept of continental integration"),
])
def test_hover_and_keyboard_focus_show_previews(browser, basic_site, selector, expected):
    errors: list[str] = []
    with serve(basic_site) as base:
        page = new_page(browser, errors)
        page.goto(base + "articles/one/")
        page.hover(selector)
        tooltip = page.wait_for_selector(TOOLTIP, timeout=5000)
        assert expected in tooltip.inner_text()
        page.mouse.move(0, 0)
        page.wait_for_selector(TOOLTIP, state="detached", timeout=5000)
        page.focus(selector)                          # keyboard users get the same preview
        tooltip = page.wait_for_selector(TOOLTIP, timeout=5000)
        assert expected in tooltip.inner_text()
    assert errors == []


@pytest.mark.parametrize("query, entry", [("BRI", "glossary/bri/"), ("Belt and Road", "glossary/bri/"),
                                          ("NATO", "glossary/nato/")])
def test_search_puts_the_glossary_entry_first(browser, basic_site, query, entry):
    """A term or alias ranks its entry above every page that mentions it."""
    with serve(basic_site) as base:
        page = browser.new_page()
        page.goto(base)
        found = paths(search(page, query))
        assert found[0].endswith(entry), found
        assert len(found) > 1, "pages that mention the term are found too"


@pytest.mark.parametrize("query", ["Doe", "Things", "2020"])
def test_bibliography_is_searchable_by_author_title_and_year(browser, basic_site, query):
    with serve(basic_site) as base:
        page = browser.new_page()
        page.goto(base)
        found = paths(search(page, query))
        assert any(path.startswith("/bibliography/") for path in found), found


def test_source_page_offers_a_copy_button_for_its_bibtex(browser, tmp_path):
    theme = {"name": "material", "font": False, "features": ["content.code.copy"]}
    built = build_project(prepare("basic", tmp_path, config={"theme": theme}))
    assert built.ok, built.warnings
    with serve(built.site) as base:
        page = browser.new_page()
        page.goto(base + "bibliography/doe2020book/")
        button = page.wait_for_selector('pre.mx-source__bibtex button[data-md-type="copy"]', state="attached",
                                        timeout=5000)
        assert button.get_attribute("title") == "Copy to clipboard"


# -- this repository's site, whatever its content --------------------------------------------------

def test_online_site_makes_zero_outside_requests_and_search_clicks_through(browser, real_site, real_article):
    word = searchable_word(real_site, real_article)
    errors: list[str] = []
    outside: list[str] = []
    with serve(real_site) as base:
        context, page = guarded_page(browser, base, errors, outside)
        page.goto(base)
        results = search(page, word)
        assert "/" + real_article in paths(results), paths(results)
        next(r for r in results if urlsplit(r.get_attribute("href")).path == "/" + real_article).click()
        page.wait_for_url(re.compile(re.escape(real_article)))
        assert word in page.inner_text("h1")
        for preview in ("span.citation a.citation__ref", "a.mx-term"):
            if page.query_selector(preview):
                page.hover(preview)
                assert page.wait_for_selector(TOOLTIP, timeout=5000).inner_text()
                page.mouse.move(0, 0)
        context.close()
    assert outside == []
    assert errors == []


@pytest.fixture(scope="session")
def offline_folder(real_site, tmp_path_factory) -> Path:
    return unzip_offline_edition(real_site, tmp_path_factory.mktemp("unzipped"))


def test_offline_edition_has_index_readme_and_pdfs(browser, offline_folder, real_site):   # PDFs need Chromium
    assert (offline_folder / "index.html").is_file()
    assert "Open index.html" in (offline_folder / "README.txt").read_text()
    assert (offline_folder / "search" / "search_index.js").is_file()
    pdfs = {p.relative_to(offline_folder).as_posix() for p in offline_folder.rglob("*.pdf")}
    online = {p.relative_to(real_site).as_posix() for p in real_site.rglob("*.pdf")}
    assert pdfs == online
    for folder in ("articles", "briefs"):
        for source in sorted((REPO / "docs" / folder).glob("*.md")):
            if source.name != "index.md":         # each PDF next to its page (citation_pdf_url)
                assert f"{folder}/{source.stem}/{source.stem}.pdf" in pdfs, source


def test_offline_edition_works_from_file_urls_with_zero_outside_requests(browser, offline_folder, real_site,
                                                                        real_article):
    article_html = real_article.rstrip("/") + ".html"
    word = searchable_word(real_site, real_article)
    errors: list[str] = []
    outside: list[str] = []
    root = offline_folder.as_uri() + "/"
    context, page = guarded_page(browser, root, errors, outside)
    page.goto(root + "index.html")
    # navigation: the first link to the article, as a reader would follow it
    page.click(f"a[href$='{article_html}'] >> nth=0")
    page.wait_for_url(re.compile(re.escape(article_html) + "$"))
    # a citation preview and a glossary preview, where the article has them
    for preview in ("span.citation a.citation__ref", "a.mx-term"):
        if page.query_selector(preview):
            page.hover(preview)
            assert page.wait_for_selector(TOOLTIP, timeout=5000).inner_text()
            page.mouse.move(0, 0)
    # search: results, then clicking through
    results = search(page, word)
    hrefs = paths(results)
    assert any(h.endswith(article_html) for h in hrefs), hrefs
    results[0].click()
    page.wait_for_url(re.compile(re.escape(Path(hrefs[0]).name) + r"(\?[^#]*)?(#.*)?$"))
    # a bibliography page and its download
    page.goto(root + "bibliography/index.html")
    if page.query_selector("a.mx-bibliography__details"):
        page.click("a.mx-bibliography__details >> nth=0")
        page.wait_for_selector("table.mx-source__fields")
        link = page.query_selector("p.mx-source__downloads a")
        target = (Path(page.url[len("file://"):]).parent / link.get_attribute("href")).resolve()
        assert target.is_file() and target.read_text().startswith("@")
    context.close()
    assert outside == []
    assert errors == []


def test_online_site_links_the_offline_edition_with_its_size(real_site, real_article):
    pages = ["index.html", real_article + "index.html"] + [entry + "index.html"
                                                           for entry in pages_in(real_site, "glossary")[:1]]
    for page in pages:
        soup = BeautifulSoup((real_site / page).read_text(), "lxml")
        link = soup.select_one(".mx-download a")
        assert re.fullmatch(r"Download the offline edition \(\d+(\.\d)? (KB|MB), zip\)", link.get_text(strip=True))
        assert (real_site / page).parent.joinpath(link["href"]).resolve().is_file()


def test_two_builds_give_a_byte_identical_zip_and_html(real_site, tmp_path):
    again = build_real_site(tmp_path / "again")
    # Compared by digest and named member by member: pytest's diff of two zips' bytes takes minutes.
    def digests(site: Path) -> dict[str, str]:
        return {path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
                for path in sorted(site.rglob("*")) if path.is_file()}

    def members(site: Path) -> dict[str, str]:
        with zipfile.ZipFile(next((site / "downloads").glob("*.zip"))) as archive:
            return {info.filename: f"{hashlib.sha256(archive.read(info)).hexdigest()} {info.date_time}"
                    for info in archive.infolist()}
    first, second = digests(real_site), digests(again)
    assert [name for name in first.keys() | second.keys() if first.get(name) != second.get(name)
            and not name.endswith(".zip")] == []
    inside_first, inside_second = members(real_site), members(again)
    assert [name for name in inside_first.keys() | inside_second.keys()
            if inside_first.get(name) != inside_second.get(name)] == []
    assert first == second                                           # the zip itself, byte for byte
