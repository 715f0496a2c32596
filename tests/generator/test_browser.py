"""In a real browser (Debian Chromium through Playwright): search, hover and
focus previews, search ranking, and the offline edition from file://."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import build_project, build_real_site, prepare, serve

pytestmark = pytest.mark.browser
TOOLTIP = ".md-tooltip2--active, .md-tooltip--active"


@pytest.fixture(scope="module")
def basic_site(tmp_path_factory):
    built = build_project(prepare("basic", tmp_path_factory.mktemp("browser")))
    assert built.ok, built.messages
    return built.site


def _record_errors(page, errors: list):
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def new_page(browser, errors: list):
    return _record_errors(browser.new_page(), errors)


def guarded_page(browser, allowed: str, errors: list, outside: list):
    """A page in a new context where every request not starting with `allowed` is
    recorded in `outside` and aborted. Returns (context, page)."""
    context = browser.new_context()

    def guard(route):
        if route.request.url.startswith(allowed):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    return context, _record_errors(context.new_page(), errors)


def search(page, query: str):
    page.click("input.md-search__input")
    page.locator("input.md-search__input").press_sequentially(query, delay=20)   # Material listens to keyup
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    return page.query_selector_all(".md-search-result__item > a.md-search-result__link")


def paths(results) -> list[str]:
    """The page paths of search results (Material adds ?h=<query> for highlighting)."""
    return [urlsplit(result.get_attribute("href")).path for result in results]


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


@pytest.mark.parametrize("query, entry", [("CSTO", "glossary/csto/"), ("BRI", "glossary/bri/"),
                                          ("Belt and Road", "glossary/bri/")])
def test_search_puts_the_glossary_entry_first(browser, real_site, query, entry):
    with serve(real_site) as base:
        page = browser.new_page()
        page.goto(base)
        results = search(page, query)
        assert paths(results)[0].endswith(entry), paths(results)


def test_online_site_makes_zero_outside_requests_and_search_clicks_through(browser, real_site):
    errors: list[str] = []
    outside: list[str] = []
    with serve(real_site) as base:
        context, page = guarded_page(browser, base, errors, outside)
        page.goto(base)
        results = search(page, "CSTO")
        found = paths(results)
        assert found[0] == "/glossary/csto/", found
        assert "/articles/authoritarian-axis/" in found, found
        article = next(r for r in results if urlsplit(r.get_attribute("href")).path == "/articles/authoritarian-axis/")
        article.click()
        page.wait_for_url(re.compile(r"/articles/authoritarian-axis/"))
        assert "Authoritarian Axis" in page.inner_text("h1")
        page.hover("a.mx-term")
        assert page.wait_for_selector(TOOLTIP, timeout=5000).inner_text()
        context.close()
    assert outside == []
    assert errors == []


@pytest.mark.parametrize("query", ["Deyermond", "Routledge Handbook", "2018"])
def test_bibliography_is_searchable_by_author_title_and_year(browser, real_site, query):
    with serve(real_site) as base:
        page = browser.new_page()
        page.goto(base)
        found = paths(search(page, query))
        assert any(path.startswith("/bibliography/") for path in found), found


def test_source_page_offers_a_copy_button_for_its_bibtex(browser, real_site):
    with serve(real_site) as base:
        page = browser.new_page()
        page.goto(base + "bibliography/deyermond2018csto/")
        button = page.wait_for_selector('pre.mx-source__bibtex button[data-md-type="copy"]', state="attached",
                                        timeout=5000)
        assert button.get_attribute("title") == "Copy to clipboard"


@pytest.fixture(scope="session")
def offline_folder(real_site, tmp_path_factory) -> Path:
    archives = list((real_site / "downloads").glob("*-offline.zip"))
    assert len(archives) == 1
    target = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(archives[0]) as archive:
        archive.extractall(target)
    (folder,) = [p for p in target.iterdir() if p.is_dir()]
    return folder


def test_offline_edition_has_index_readme_and_pdfs(browser, offline_folder):   # PDFs need Chromium
    assert (offline_folder / "index.html").is_file()
    assert "Open index.html" in (offline_folder / "README.txt").read_text()
    pdfs = sorted(p.relative_to(offline_folder).as_posix() for p in offline_folder.rglob("*.pdf"))
    assert "downloads/pdf/articles/authoritarian-axis.pdf" in pdfs
    assert len(pdfs) >= 6
    assert (offline_folder / "search" / "search_index.js").is_file()


def test_offline_edition_works_from_file_urls_with_zero_outside_requests(browser, offline_folder):
    errors: list[str] = []
    outside: list[str] = []
    root = offline_folder.as_uri() + "/"
    context, page = guarded_page(browser, root, errors, outside)
    page.goto(root + "index.html")
    # navigation
    page.click("a.md-tabs__link:has-text('Article')")
    page.wait_for_url(re.compile(r"articles/authoritarian-axis\.html$"))
    # a citation preview and a glossary preview
    page.hover("span.citation a.citation__ref")
    assert "Bellacqua" in page.wait_for_selector(TOOLTIP, timeout=5000).inner_text()
    page.mouse.move(0, 0)
    page.hover("a.mx-term")
    assert ":" in page.wait_for_selector(TOOLTIP, timeout=5000).inner_text()
    # search: results, then clicking through
    results = search(page, "CSTO")
    hrefs = paths(results)
    assert hrefs[0].endswith("glossary/csto.html"), hrefs
    assert any("articles/authoritarian-axis.html" in h for h in hrefs), hrefs
    results[0].click()
    page.wait_for_url(re.compile(r"glossary/csto\.html"))
    assert "Collective Security Treaty" in page.inner_text("h1")
    # a bibliography page and its download
    page.goto(root + "bibliography/index.html")
    page.click("a.mx-bibliography__details >> nth=0")
    page.wait_for_selector("table.mx-source__fields")
    link = page.query_selector("p.mx-source__downloads a")
    target = (Path(page.url[len("file://"):]).parent / link.get_attribute("href")).resolve()
    assert target.is_file() and target.read_text().startswith("@")
    context.close()
    assert outside == []
    assert errors == []


def test_online_site_links_the_offline_edition_with_its_size(real_site):
    from bs4 import BeautifulSoup

    for page in ("index.html", "articles/authoritarian-axis/index.html", "glossary/csto/index.html"):
        soup = BeautifulSoup((real_site / page).read_text(), "lxml")
        link = soup.select_one(".mx-download a")
        assert re.fullmatch(r"Download the offline edition \(\d+(\.\d)? (KB|MB), zip\)", link.get_text(strip=True))
        assert (real_site / page).parent.joinpath(link["href"]).resolve().is_file()


def test_two_builds_give_a_byte_identical_zip_and_html(real_site, tmp_path):
    again = build_real_site(tmp_path / "again")
    first = next((real_site / "downloads").glob("*.zip")).read_bytes()
    second = next((again / "downloads").glob("*.zip")).read_bytes()
    assert first == second
    for html in real_site.rglob("*.html"):
        assert html.read_bytes() == (again / html.relative_to(real_site)).read_bytes(), html
