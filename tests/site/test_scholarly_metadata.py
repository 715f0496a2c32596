"""This site as a citable publication (issue #14): what its article and briefs tell Google
Scholar, Zotero and other readers, its CITATION.cff, and its PDFs, checked against the
article's source text so that no date, affiliation or identifier is invented.
"""

from __future__ import annotations

import datetime as dt
import os
import re

import extruct
import pytest
import yaml
from bs4 import BeautifulSoup
from lxml import html as lxml_html
from pypdf import PdfReader

from conftest import DATA, REPO

DOCS = REPO / "docs"
ARTICLE = DOCS / "articles" / "authoritarian-axis.md"
BRIEFS = sorted(p for p in (DOCS / "briefs").glob("*.md") if p.name != "index.md")
SEED = (DATA / "authoritarian-axis.txt").read_text(encoding="utf-8")


def front_matter(path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---", 2)[1])


def page_of(site, source) -> str:
    relative = source.relative_to(DOCS).with_suffix("")
    return (site / relative / "index.html").read_text(encoding="utf-8")


def citation_tags(page: str) -> list[tuple[str, str]]:
    tree = lxml_html.fromstring(page)
    return [(m.get("name"), m.get("content")) for m in tree.xpath("//head/meta[starts-with(@name, 'citation_')]")]


def edition_date() -> dt.date:
    return front_matter(ARTICLE)["date"]


def test_every_article_and_brief_has_the_edition_date_the_about_page_states():
    dates = {path.name: front_matter(path).get("date") for path in [ARTICLE, *BRIEFS]}
    assert set(dates.values()) == {edition_date()}, dates
    about = " ".join((DOCS / "about.md").read_text(encoding="utf-8").split())
    day = edition_date()
    assert f"The date of this web edition is {day.day} {day.strftime('%B %Y')}" in about
    assert "It is not the date of the original article, which its source text does not give." in about


def test_the_authors_are_only_what_the_source_text_states():
    (author,) = front_matter(ARTICLE)["authors"]
    assert author == {"name": "Ryan Chan", "affiliation": "Defence and Diplomacy Policy Centre"}
    assert "Ryan Chan is a postgraduate student reading an MA in International Peace and Security and " \
           "Researcher for the Defence and Diplomacy Policy Centre." in SEED
    for brief in BRIEFS:
        assert front_matter(brief)["authors"] == [{"name": "Site editors", "organisation": True}], brief.name
    for path in [ARTICLE, *BRIEFS]:
        meta = front_matter(path)
        assert not {"doi", "abstract", "license"} & set(meta), f"{path.name}: no DOI, abstract or licence is known"


def test_the_article_head_says_who_when_and_where(real_site):
    page = page_of(real_site, ARTICLE)
    tags = citation_tags(page)
    names = [name for name, _ in tags]
    values = dict(tags)
    assert values["citation_title"] == "The Russia-China Relationship: Authoritarian Axis?"
    assert [v for n, v in tags if n == "citation_author"] == ["Chan, Ryan"]
    assert names[names.index("citation_author") + 1] == "citation_author_institution"
    assert values["citation_author_institution"] == "Defence and Diplomacy Policy Centre"
    day = edition_date().strftime("%Y/%m/%d")
    assert values["citation_publication_date"] == values["citation_online_date"] == day
    assert not {"citation_doi", "citation_author_orcid", "citation_abstract"} & set(names)
    assert len([n for n in names if n == "citation_reference"]) == 15
    data = extruct.extract(page, syntaxes=["json-ld", "opengraph", "dublincore", "microdata"], errors="strict")
    assert data["microdata"] == []          # nothing describes the page a second time, differently
    (article,) = data["json-ld"]
    assert article["datePublished"] == f"{edition_date().isoformat()}T00:00:00+00:00"
    assert article["author"] == [{"@type": "Person", "name": "Ryan Chan", "givenName": "Ryan", "familyName": "Chan",
                                  "affiliation": [{"@type": "Organization",
                                                   "name": "Defence and Diplomacy Policy Centre"}]}]


@pytest.mark.parametrize("brief", BRIEFS, ids=lambda p: p.stem)
def test_each_brief_is_a_report_of_the_site_by_its_editors(real_site, brief):
    tags = citation_tags(page_of(real_site, brief))
    assert [v for n, v in tags if n == "citation_author"] == ["Site editors,"]     # Zotero keeps it whole
    assert dict(tags)["citation_technical_report_institution"] == \
        "Authoritarian Axis? The Russia–China Relationship"
    soup = BeautifulSoup(page_of(real_site, brief), "lxml")
    assert soup.select_one("#mx-cite-reference").get_text().startswith(f"Site editors. {edition_date().year}.")


def test_the_committed_citation_file_is_what_the_build_makes_and_valid():
    from microsite.scholarly.cff import validate_cff
    from microsite.scholarly.citation_file import expected_file

    saved = os.environ.pop("SITE_URL", None)
    try:
        expected, problems = expected_file(str(REPO / "mkdocs.yml"))
    finally:
        if saved is not None:
            os.environ["SITE_URL"] = saved
    assert problems == []
    committed = (REPO / "CITATION.cff").read_text(encoding="utf-8")
    assert committed == expected, "CITATION.cff is out of date: run `make citation` and commit it"
    result = validate_cff(REPO / "CITATION.cff")
    assert result.valid, result.output
    data = yaml.safe_load(committed)
    assert data["preferred-citation"]["date-published"] == edition_date().isoformat()
    assert "doi" not in data["preferred-citation"] and "abstract" not in data["preferred-citation"]


def test_the_article_pdf_says_what_it_is(real_site):
    reader = PdfReader(real_site / "articles/authoritarian-axis/authoritarian-axis.pdf")
    info = reader.metadata
    assert (info.title, info.author) == ("The Russia-China Relationship: Authoritarian Axis?", "Ryan Chan")
    assert info.subject.startswith("Ryan Chan argues that Western talk")
    assert reader.trailer["/Root"]["/Lang"] == "en"
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "↩" not in text and not re.search(r"·\s*$", text, re.MULTILINE)
    first = " ".join(reader.pages[0].extract_text().split())
    assert "By Ryan Chan · This edition: 2 December 2026" in first
    assert "Cite as: Chan, Ryan. 2026. “The Russia-China Relationship: Authoritarian Axis?”" in first
    assert f"Page 1 of {len(reader.pages)}" in first
