"""This site's timeline (docs/timeline.yml) and concept map: the events the
article mentions, dated no more precisely than the article or the cited
source's bib entry, every quotation word for word, every event sourced; and
on the real build, the timeline's citations resolved and its article links
landing on the headings they name, the map with every glossary term."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from pybtex.database import parse_file

from conftest import DATA, REPO
from microsite.model.partial_dates import MONTHS
from microsite.model.timeline import load_timeline
from microsite.problems import Problems
from test_integrity import normalise, quotations, quotable, verbatim  # noqa: F401 (quotable is a fixture)

ARTICLE = "articles/authoritarian-axis.md"


@pytest.fixture(scope="module")
def timeline():
    problems = Problems()
    data = load_timeline((REPO / "docs/timeline.yml").read_text(encoding="utf-8"), "docs/timeline.yml", problems)
    assert problems.found == []
    return data


@pytest.fixture(scope="module")
def bib() -> dict:
    entries = {}
    for path in sorted((REPO / "bib").glob("*.bib")):
        entries.update(parse_file(str(path)).entries)
    return entries


def article_text() -> str:
    return normalise((DATA / "authoritarian-axis.txt").read_text(encoding="utf-8"))


def test_the_events_the_article_dates_are_all_there(timeline):
    shown = [(event.when.start.group, event.title) for event in timeline.events]
    wanted = [("2000s", "Strategic Partnership"), ("2012", "Putin"), ("2014", "annexation of Crimea"),
              ("2014", "sanctions"), ("2014", "gas pipeline"), ("2015", "Belt and Road"),
              ("2016", "Foreign Policy Concept"), ("2018", "National Defence Strategy"),
              ("2019", "missile"), ("2020", "NATO"), ("2020", "Sino-Indian")]
    for year, words in wanted:
        assert any(group == year and words in title for group, title in shown), f"no {year} event about {words}"
    assert [event.when.sort_key for event in timeline.events] == sorted(event.when.sort_key for event in timeline.events)


def test_every_event_has_a_source(timeline):
    for event in timeline.events:
        assert event.citations or event.cited_in_text or event.source_pages, event.title
        assert all(ref.page == ARTICLE for ref in event.source_pages)


def test_no_date_is_more_precise_than_the_article_or_the_cited_source(timeline, bib):
    """A year (or decade) must be in the article or be a cited source's year; a month or a day
    must be a cited source's `date`, or stand in its title with its year (a document's title)."""
    article = article_text()
    for event in timeline.events:
        start = event.when.start
        cited = [bib[key] for _, key in event.cited()]
        years = {str(entry.fields.get("year") or entry.fields.get("date", "")[:4]) for entry in cited}
        if start.precision in ("decade", "year"):
            assert re.search(rf"\b{start.group}\b", article) or start.group in years, event.title
            continue
        dates = {entry.fields.get("date") for entry in cited}
        titled = any(f"{MONTHS[start.month - 1]} {start.day}" in entry.fields["title"].replace("{", "").replace("}", "")
                     and str(start.year) in years for entry in cited)
        assert start.iso in dates or titled, f"{event.title}: {start.iso} is not given by its sources"
        assert event.date_note, f"{event.title}: say whose date it is (date_note)"


def test_every_quotation_is_word_for_word(timeline, quotable):
    texts = [timeline.intro] + [" ".join([event.title, event.description, event.date_note])
                                for event in timeline.events]
    text = re.sub(r"\[[^\]]*@[^\]]*\]", "", " ".join(texts))          # citations are not quotations
    unfound = [readings[-1] for readings in quotations(text) if not any(verbatim(r, quotable) for r in readings)]
    assert unfound == [], f"docs/timeline.yml quotes what is not in the article or a reference title: {unfound}"


# -- the real build --------------------------------------------------------------

def page(site, path) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "lxml")


def test_the_built_timeline_resolves_every_citation_and_article_link(real_site, timeline):
    timeline_page = page(real_site, "timeline")
    article = timeline_page.select_one("article")
    items = article.select("li.mx-event")
    assert len(items) == len(timeline.events)
    references = {li["id"] for li in article.select("ul.mx-references > li")}
    for item in items:
        links = item.select("span.citation a.citation__ref")
        assert all(link["href"].lstrip("#") in references for link in links)
    headings = {h["id"]: h.get_text().rstrip("¶").strip()
                for h in page(real_site, "articles/authoritarian-axis").select("article [id]")
                if h.name in ("h1", "h2", "h3")}
    for link in article.select("a.mx-event__page-source"):
        target = urlsplit(link["href"])
        assert target.path == "../articles/authoritarian-axis/" and target.fragment in headings
        text = link.get_text()
        assert text == "Article" or text == f"Article § {headings[target.fragment]}", text


def test_the_map_has_every_glossary_term_and_the_index_links_it(real_site):
    svg = page(real_site, "glossary/map").select_one("svg.mx-concept-map__svg")
    terms = sorted(p.stem for p in (REPO / "docs/glossary").glob("*.md"))
    assert sorted(a["href"].strip("./").rsplit("/", 1)[-1] for a in svg.select("a.mx-node")) == terms
    assert page(real_site, "glossary").select_one(".mx-concept-map-link a")["href"] == "map/"
