"""This site's content in a real browser: what its readers search for finds
the right entry first, online and in the offline edition. (The generator's
browser behaviour on any site: tests/generator/test_browser.py.)"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from browsing import TOOLTIP, guarded_page, paths, search, unzip_offline_edition
from conftest import serve

pytestmark = pytest.mark.browser
ARTICLE = "articles/authoritarian-axis/"


@pytest.mark.parametrize("query, entry", [("CSTO", "glossary/csto/"), ("BRI", "glossary/bri/"),
                                          ("Belt and Road", "glossary/bri/")])
def test_search_puts_the_glossary_entry_first(browser, real_site, query, entry):
    with serve(real_site) as base:
        page = browser.new_page()
        page.goto(base)
        found = paths(search(page, query))
        assert found[0].endswith(entry), found


def test_csto_finds_its_entry_then_the_article(browser, real_site):
    errors: list[str] = []
    outside: list[str] = []
    with serve(real_site) as base:
        context, page = guarded_page(browser, base, errors, outside)
        page.goto(base)
        results = search(page, "CSTO")
        found = paths(results)
        assert found[0] == "/glossary/csto/", found
        assert "/" + ARTICLE in found, found
        next(r for r in results if urlsplit(r.get_attribute("href")).path == "/" + ARTICLE).click()
        page.wait_for_url(re.compile(ARTICLE))
        assert "Authoritarian Axis" in page.inner_text("h1")
        context.close()
    assert outside == [] and errors == []


@pytest.mark.parametrize("query", ["Deyermond", "Routledge Handbook", "2018"])
def test_the_sources_are_searchable_by_author_title_and_year(browser, real_site, query):
    with serve(real_site) as base:
        page = browser.new_page()
        page.goto(base)
        found = paths(search(page, query))
        assert any(path.startswith("/bibliography/") for path in found), found


def test_offline_edition_has_the_article_and_every_brief_as_pdf(browser, real_site, tmp_path):
    folder = unzip_offline_edition(real_site, tmp_path)
    pdfs = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.pdf"))
    assert "articles/authoritarian-axis/authoritarian-axis.pdf" in pdfs
    assert len(pdfs) >= 6


def test_offline_edition_tabs_previews_and_csto_from_file_urls(browser, real_site, tmp_path):
    root = unzip_offline_edition(real_site, tmp_path).as_uri() + "/"
    errors: list[str] = []
    outside: list[str] = []
    context, page = guarded_page(browser, root, errors, outside)
    page.goto(root + "index.html")
    page.click("a.md-tabs__link:has-text('Article')")
    page.wait_for_url(re.compile(r"articles/authoritarian-axis\.html$"))
    page.hover("span.citation a.citation__ref")
    assert "Bellacqua" in page.wait_for_selector(TOOLTIP, timeout=5000).inner_text()
    page.mouse.move(0, 0)
    results = search(page, "CSTO")
    hrefs = paths(results)
    assert hrefs[0].endswith("glossary/csto.html"), hrefs
    assert any("articles/authoritarian-axis.html" in h for h in hrefs), hrefs
    results[0].click()
    page.wait_for_url(re.compile(r"glossary/csto\.html"))
    assert "Collective Security Treaty" in page.inner_text("h1")
    context.close()
    assert outside == [] and errors == []
