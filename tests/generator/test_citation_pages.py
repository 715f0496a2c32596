"""Built pages against the oracle, pandoc itself: for each style, a site whose
articles are the oracle pages of test_citeproc_oracle.py is built with that
style; every citation the page shows (in the text, in the author's footnotes,
or as a footnote of its own with a note style) and every entry of its
References must be what `pandoc --citeproc` renders for the same Markdown,
style and bib files. Footnotes are numbered as pandoc numbers them."""

from __future__ import annotations

import re
import shutil

import pytest
from bs4 import BeautifulSoup

from conftest import build_project, prepare
from microsite.model.sources import slug_for
from test_citeproc_oracle import PAGES, STYLES, SYNTHETIC_BIB, links, oracle, shown

STYLES_BUILT = ["chicago-author-date", "apa", "ieee", "chicago-notes-bibliography",
                "chicago-notes-bibliography-subsequent-ibid"]
ORACLE_BIB = "tests/data/oracle/policy-article-sources.bib"     # the sources of a real site


@pytest.fixture(scope="module", params=STYLES_BUILT)
def built(request, tmp_path_factory):
    from conftest import DATA, REPO

    style = STYLES[request.param]
    files = {"bib/synthetic.bib": SYNTHETIC_BIB,
             "bib/biblatex-examples.bib": (DATA / "biblatex-examples.bib").read_text(encoding="utf-8")}
    files["bib/policy-article-sources.bib"] = (REPO / ORACLE_BIB).read_text(encoding="utf-8")
    for page, markdown in PAGES.items():
        files[f"docs/articles/{page}.md"] = (f"---\ntitle: {page}\nauthors: [Test Author]\nsummary: Oracle page.\n"
                                             f"---\n\n{markdown}")
    project = prepare("biblatex", tmp_path_factory.mktemp(request.param),
                      settings={"csl_file": "style.csl", "bibliography_include": "cited"},
                      config={"markdown_extensions": ["footnotes", {"toc": {"permalink": True}}]}, files=files)
    shutil.copy(style, project / "style.csl")
    result = build_project(project)
    assert result.ok, result.warnings
    return request.param, style, project, result


def page_clusters(article) -> list:
    """The citations a reader meets, in reading order: in the text, and at each
    footnote mark the citations of that note (with a note style, a citation's
    own note is its text)."""
    notes = {item["id"]: item for item in article.select("div.footnote li[id]")}
    found = []
    for element in article.find_all(["span", "a"]):
        if element.find_parent("div", class_="footnote"):
            continue
        classes = element.get("class", [])
        if element.name == "span" and "citation" in classes:
            found.append(element)
        elif element.name == "a" and "footnote-ref" in classes:
            found.extend(notes[element["href"][1:]].select("span.citation"))
    return found


def ours(node) -> str:
    node = BeautifulSoup(str(node), "html.parser")
    for extra in node.select("a.mx-references__details, a.footnote-backref"):
        extra.decompose()
    return shown(node)


def oracle_links(node) -> list[str]:
    return [href if not href.startswith("#ref-") else "#ref-" + slug_for(href[len("#ref-"):])
            for href in links(node)]


@pytest.mark.parametrize("page", list(PAGES))
def test_the_page_shows_what_pandoc_renders(built, page):
    name, style, project, result = built
    bib_files = sorted((project / "bib").glob("*.bib"))
    clusters, references = oracle(PAGES[page], bib_files, style)
    article = result.article(f"articles/{page}/")
    shown_clusters = page_clusters(article)
    assert len(shown_clusters) == len(clusters), f"{name}/{page}"
    for index, (mine, theirs) in enumerate(zip(shown_clusters, clusters)):
        assert ours(mine) == shown(theirs), f"{name}/{page}: citation {index + 1}"
        assert links(mine) == oracle_links(theirs), f"{name}/{page}: citation {index + 1}"
    entries = article.select("ul.mx-references > li")
    assert [entry["id"] for entry in entries] == ["ref-" + slug_for(key) for key, _ in references], name
    for entry, (key, theirs) in zip(entries, references):
        assert ours(entry) == shown(theirs), f"{name}/{page}: reference {key}"


def test_footnotes_are_numbered_as_pandoc_numbers_them(built):
    name, style, project, result = built
    article = result.article("articles/site/")
    marks = [a.get_text() for a in article.find_all("a", class_="footnote-ref")]
    assert marks == [str(number) for number in range(1, len(marks) + 1)]
    order = [item["id"] for item in article.select("div.footnote > ol > li")]
    assert order == [a["href"][1:] for a in article.find_all("a", class_="footnote-ref")]
    author_notes = len(re.findall(r"^\[\^\d+\]:", PAGES["site"], re.MULTILINE))
    if "notes" in name:                     # every citation in the text is a note of its own
        assert len(marks) > author_notes
    else:
        assert len(marks) == author_notes
