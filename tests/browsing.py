"""Browser helpers shared by the generator's and the site's browser tests:
Material's search box, pages that record errors and block outside requests,
and the pages of a built site a test can use whatever its content."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

TOOLTIP = ".md-tooltip2--active, .md-tooltip--active"


def record_errors(page, errors: list):
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def new_page(browser, errors: list):
    return record_errors(browser.new_page(), errors)


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
    return context, record_errors(context.new_page(), errors)


def search(page, query: str):
    page.click("input.md-search__input")
    page.locator("input.md-search__input").press_sequentially(query, delay=20)   # Material listens to keyup
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    return page.query_selector_all(".md-search-result__item > a.md-search-result__link")


def paths(results) -> list[str]:
    """The page paths of search results (Material adds ?h=<query> for highlighting)."""
    return [urlsplit(result.get_attribute("href")).path for result in results]


# -- a built site, whatever its content ------------------------------------------------------------

def pages_in(site: Path, folder: str) -> list[str]:
    """The pages of a section of a site built with directory URLs, e.g. ["articles/x/"]."""
    return [path.parent.relative_to(site).as_posix() + "/" for path in sorted((site / folder).glob("*/index.html"))]


def heading(site: Path, page: str) -> str:
    soup = BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "lxml")
    return soup.select_one("article h1").get_text(" ", strip=True)


def searchable_word(site: Path, page: str) -> str:
    """A word of the page's title that search finds: its longest word of five letters or more."""
    words = re.findall(r"[^\W\d_]{5,}", heading(site, page))
    assert words, f"{page}: no word of five letters in its title to search for"
    return max(words, key=len)


def unzip_offline_edition(site: Path, target: Path) -> Path:
    """The offline edition's folder, unzipped from site/downloads/ into `target`."""
    (archive,) = (site / "downloads").glob("*.zip")
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(target)
    (folder,) = [path for path in target.iterdir() if path.is_dir()]
    return folder
