"""Checks every site should pass, run on this repository's site whatever its
content (`real_site` builds it): every source in bib/ is cited (or the site
publishes its whole library), every `see_also` leads to its entry, every page
written in docs/ can be reached from the home page, and every link inside the
site lands.

Each check names what is wrong and where; each is also run on a small site
with the mistake in it, so that a check that passes everything fails here.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from collections import deque
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import REPO, build_project, prepare
from microsite.model.sources import slug_for

ENTRY = re.compile(r"^\s*@\s*(\w+)\s*[{(]\s*([^,\s]+)\s*,", re.MULTILINE)
NOT_ENTRIES = {"string", "preamble", "comment"}


# -- the checks: each returns a list of located problems ------------------------------------------

def options(project: Path) -> dict:
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = yaml.load(text, Loader=_Loader)
    return ((config or {}).get("extra") or {}).get("microsite") or {}


class _Loader(yaml.SafeLoader):
    """mkdocs.yml may use MkDocs' tags (!ENV, !relative); their values do not matter here."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def bib_entries(project: Path) -> list[tuple[str, str, str]]:
    """(key, "bib/file.bib:line", the entry's text) of every entry in the site's bib folder."""
    folder = project / options(project).get("bib_dir", "bib")
    entries = []
    for path in sorted(folder.rglob("*.bib")):
        text = path.read_text(encoding="utf-8")
        matches = list(ENTRY.finditer(text))
        for index, match in enumerate(matches):
            if match.group(1).lower() not in NOT_ENTRIES:
                line = text.count("\n", 0, match.start(2)) + 1
                end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
                entries.append((match.group(2), f"{path.relative_to(project).as_posix()}:{line}",
                                text[match.start():end]))
    return entries


def bib_keys(project: Path) -> list[tuple[str, str]]:
    """(key, "bib/file.bib:line") of every entry in the site's bib folder."""
    return [(key, where) for key, where, _ in bib_entries(project)]


CROSSREF = re.compile(r"\bcrossref\s*=\s*[{\"]\s*([^}\"\s]+)", re.IGNORECASE)


def uncited_sources(project: Path, site: Path) -> list[str]:
    """Entries neither listed in the bibliography nor the `crossref` parent of one that is
    (a cited chapter needs its book's entry, which the style folds into the chapter's)."""
    if options(project).get("bibliography_include", "cited") == "all":
        return []
    index = site / "bibliography" / "index.html"
    listed = set()
    if index.is_file():
        soup = BeautifulSoup(index.read_text(encoding="utf-8"), "lxml")
        listed = {item["id"] for item in soup.select("ul.mx-bibliography > li[id]")}
    entries = bib_entries(project)
    parents = {slug_for(parent) for key, _, text in entries if slug_for(key) in listed
               for parent in CROSSREF.findall(text)}
    return [f"{where}: '{key}' is not cited on any page. Cite it, remove it, or set "
            "`bibliography_include: all` under extra: microsite: in mkdocs.yml"
            for key, where, _ in entries if slug_for(key) not in listed | parents]


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return {}
    return yaml.safe_load(text.split("---", 2)[1]) or {}


def unresolved_see_also(project: Path, site: Path) -> list[str]:
    problems = []
    for source in sorted((project / "docs" / "glossary").glob("*.md")):
        if source.name == "index.md":
            continue
        page = site / "glossary" / source.stem / "index.html"
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml") if page.is_file() else None
        links = {posixpath.normpath(posixpath.join(f"glossary/{source.stem}/", a["href"]))
                 for a in soup.select("ul.mx-see-also a[href]")} if soup else set()
        for slug in front_matter(source).get("see_also") or []:
            if f"glossary/{slug}" not in links:
                problems.append(f"{source.relative_to(project).as_posix()}: see_also '{slug}' does not lead to "
                                f"glossary/{slug}/. Write the slug of an entry (its file name in docs/glossary/)")
    return problems


def html_pages(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*.html")
            if not path.relative_to(site).as_posix().startswith(("assets/", "downloads/pdf/"))} - {"404.html"}


def internal_links(site: Path, page: str):
    """(target page, fragment, href) of every link from `page` to a page of the site."""
    soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "lxml")
    for anchor in soup.select("a[href]"):
        href = anchor["href"]
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith(("mailto:", "#", "javascript:")):
            continue
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
        if parts.path.endswith("/") or (site / target).is_dir():
            target = posixpath.join(target, "index.html")
        yield target, parts.fragment, href


def authored_pages(project: Path, site: Path) -> dict[str, str]:
    """The built page of each Markdown file in docs/ -> that file (directory or .html URLs)."""
    pages = {}
    for source in sorted((project / "docs").rglob("*.md")):
        stem = source.relative_to(project / "docs").with_suffix("").as_posix()
        folder = stem[:-len("index")] if stem == "index" or stem.endswith("/index") else stem + "/"
        for built in (folder + "index.html", stem + ".html"):
            if (site / built).is_file():
                pages[built] = source.relative_to(project).as_posix()
    return pages


def unreachable_pages(project: Path, site: Path) -> list[str]:
    """Pages written in docs/ that no chain of links from the home page reaches. (Where the
    generated pages are linked from is the generator's business, tested on its own.)"""
    pages, seen, queue = html_pages(site), {"index.html"}, deque(["index.html"])
    while queue:
        for target, _, _ in internal_links(site, queue.popleft()):
            if target in pages and target not in seen:
                seen.add(target)
                queue.append(target)
    authored = authored_pages(project, site)
    return [f"{authored[page]}: no link leads to this page from the home page. Add it to `nav` in mkdocs.yml or "
            "link it from a page that is reached" for page in sorted(set(authored) - seen)]


def broken_links(site: Path) -> list[str]:
    ids: dict[str, set[str]] = {}

    def ids_of(page: str) -> set[str]:
        if page not in ids:
            soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "lxml")
            ids[page] = {element["id"] for element in soup.select("[id]")}
        return ids[page]

    problems = []
    for page in sorted(html_pages(site)):
        for target, fragment, href in internal_links(site, page):
            if not (site / target).is_file():
                problems.append(f"{page}: link {href} leads to no file")
            elif fragment and target.endswith(".html") and unquote(fragment) not in ids_of(target):
                problems.append(f"{page}: link {href} leads to no heading or element #{fragment}")
    return problems


# -- on this repository's site ------------------------------------------------------------------------

def test_every_source_is_cited_or_the_whole_library_is_published(real_site):
    assert bib_keys(REPO) or not list((REPO / "bib").rglob("*.bib")), "entries in bib/ are read"
    assert uncited_sources(REPO, real_site) == []


def test_every_see_also_leads_to_its_entry(real_site):
    assert unresolved_see_also(REPO, real_site) == []


def test_every_page_can_be_reached_from_the_home_page(real_site):
    assert unreachable_pages(REPO, real_site) == []


def test_every_link_inside_the_site_lands(real_site):
    assert broken_links(real_site) == []


# -- the checks find what they look for ----------------------------------------------------------------

@pytest.fixture(scope="module")
def flawed(tmp_path_factory):
    """The basic root with one of each mistake the build itself lets through."""
    project = prepare("basic", tmp_path_factory.mktemp("flawed"), files={
        "bib/extra.bib": "@string{press = {Press}}\n\n@book{roe2021,\n  author = {Roe, Richard},\n"
                         "  title = {Never Cited},\n  publisher = press,\n  year = {2021},\n}\n",
        "docs/orphan.md": "# An orphan\n\nNothing links here. A [broken anchor](index.md#nowhere).\n",
    }, config={"nav": ["index.md", "articles/one.md"], "validation": {"anchors": "info"}})
    built = build_project(project)
    assert built.ok, built.warnings
    return project, built.site


def test_the_checks_find_an_uncited_source_an_orphan_and_a_broken_anchor(flawed):
    project, site = flawed
    assert uncited_sources(project, site) == [
        "bib/extra.bib:3: 'roe2021' is not cited on any page. Cite it, remove it, or set "
        "`bibliography_include: all` under extra: microsite: in mkdocs.yml"]
    assert unreachable_pages(project, site) == [
        "docs/orphan.md: no link leads to this page from the home page. Add it to `nav` in mkdocs.yml or link it "
        "from a page that is reached"]
    assert "orphan/index.html: link ../#nowhere leads to no heading or element #nowhere" in broken_links(site)
    assert unresolved_see_also(project, site) == []


def test_the_see_also_check_finds_an_entry_that_lost_its_link(flawed, tmp_path):
    project, built = flawed
    site = Path(shutil.copytree(built, tmp_path / "site"))
    page = site / "glossary" / "bri" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace('class="mx-see-also"', 'class="other"'),
                    encoding="utf-8")
    assert unresolved_see_also(project, site) == [
        "docs/glossary/bri.md: see_also 'greater-eurasia' does not lead to glossary/greater-eurasia/. "
        "Write the slug of an entry (its file name in docs/glossary/)"]


def test_with_the_whole_library_published_nothing_need_be_cited(flawed, tmp_path):
    project, site = flawed
    config = project / "mkdocs.yml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["extra"]["microsite"]["bibliography_include"] = "all"
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "mkdocs.yml").write_text(yaml.safe_dump(data), encoding="utf-8")
    (copy / "bib").symlink_to(project / "bib")
    assert uncited_sources(copy, site) == []


def test_a_crossref_parent_of_a_cited_source_need_not_be_cited(flawed, tmp_path):
    """A cited chapter needs its book's entry (`crossref`): the book is in use though no page cites it."""
    project, site = flawed
    cited = next(key for key, _ in bib_keys(project) if key != "roe2021")
    copy = tmp_path / "copy"
    (copy / "bib").mkdir(parents=True)
    shutil.copy(project / "mkdocs.yml", copy / "mkdocs.yml")
    (copy / "bib" / "a.bib").write_text(
        f"@incollection{{{cited}, title = {{A Chapter}}, CrossRef = {{parent2020}}}}\n"
        "@book{parent2020, title = {The Book}}\n@book{orphan2020, title = {Never Cited}}\n", encoding="utf-8")
    assert uncited_sources(copy, site) == [
        "bib/a.bib:3: 'orphan2020' is not cited on any page. Cite it, remove it, or set "
        "`bibliography_include: all` under extra: microsite: in mkdocs.yml"]
