"""The timeline page (timeline/), generated from docs/timeline.yml: events in
date order under their years, a year index, citations formatted like every
other citation (References, previews, the bibliography's "Cited in"), related
terms and pages; located errors for bad data; nothing from the file can make
markup; the same bytes from two builds."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from lxml import html as lxml_html

from conftest import build_project, expect_problems, prepare

TIMELINE = "timeline/"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    result = build_project(prepare("timeline", tmp_path_factory.mktemp("timeline")))
    assert result.ok, result.warnings
    return result


def events(article):
    return article.select("ol.mx-timeline > li.mx-event")


def test_events_are_in_date_order_under_their_years(built):
    article = built.article(TIMELINE)
    assert [h.get_text(strip=True).rstrip("¶") for h in article.select("h2[id^=year-]")] == \
        ["1999", "2000s", "2010", "2015", "2021"]
    titles = [event.h3.get_text(strip=True).rstrip("¶") for event in events(article)]
    assert titles == ["The river treaty is signed", "The flood decade", "Summer floods",
                      "Restoration of the banks", "A report on the treaty"]
    # Each year's events are in the list right after its heading.
    first_year = article.select_one("h2#year-2010").find_next_sibling()
    assert first_year.name == "ol" and first_year.h3.get_text(strip=True).startswith("Summer floods")


def test_dates_show_their_precision_and_are_machine_readable(built):
    shown = {event.h3["id"]: (event.select_one(".mx-event__when").get_text(" ", strip=True),
                              [time["datetime"] for time in event.select(".mx-event__when time")])
             for event in events(built.article(TIMELINE))}
    assert shown == {
        "event-the-river-treaty-is-signed": ("1999", ["1999"]),
        "event-the-flood-decade": ("2000s", []),                    # a decade has no HTML date form
        "event-summer-floods": ("May – July 2010", ["2010-05", "2010-07"]),
        "event-restoration-of-the-banks": ("Since 2015", ["2015"]),
        "event-a-report-on-the-treaty": ("4 June 2021 (date of publication)", ["2021-06-04"]),
    }


def test_the_year_index_links_every_year_heading(built):
    article = built.article(TIMELINE)
    links = article.select("nav.mx-timeline-years a")
    assert [a["href"] for a in links] == [f"#{h['id']}" for h in article.select("h2[id^=year-]")]
    counts = [a.find_next_sibling("span").get_text() for a in links]
    assert counts == ["(1)"] * 5


def test_citations_are_formatted_and_resolved_like_any_other(built):
    page = built.page(TIMELINE)
    article = page.select_one("article")
    anchors = {li["id"] for li in article.select("ul.mx-references > li")}
    assert anchors == {"ref-doe2020book", "ref-lee2018atlas", "ref-roe2021report", "ref-smith2019article"}
    for event in events(article):
        for link in event.select("span.citation a.citation__ref"):
            assert link["href"].lstrip("#") in anchors
            assert link["title"]                      # the reference, shown on hover and focus
    floods = article.select_one("#event-summer-floods").parent
    sources = floods.select_one(".mx-event__sources")
    assert sources.select_one(".mx-event__label").get_text() == "Source:"
    assert sources.select_one("span.citation").get_text() == "(Lee 2018, 12)"
    # A source cited only on the timeline is listed by the bibliography, and its page names the event.
    source = built.page("bibliography/lee2018atlas/")
    cited_in = [a.get_text() for a in source.select("ul.mx-backlinks a")]
    assert cited_in == ["Timeline of the river", "Summer floods"]


def test_pages_given_as_sources_and_related_terms_and_pages_link(built):
    article = built.article(TIMELINE)
    report = article.select_one("#event-a-report-on-the-treaty").parent
    page_source = report.select_one("a.mx-event__page-source")
    assert page_source.get_text() == "An article on rivers § The flood years"
    assert page_source["href"] == "../articles/a/#the-flood-years"
    assert report.select_one(".mx-event__label").get_text() == "Sources:"
    floods = article.select_one("#event-summer-floods").parent
    related = {dt.get_text(): [(a.get_text(), a["href"]) for a in dt.find_next_sibling("dd").select("a")]
               for dt in floods.select("dl.mx-event__related dt")}
    assert related == {"Terms": [("river authority", "../glossary/river-authority/")],
                       "Related pages": [("A brief on treaties", "../briefs/b/")]}
    assert (built.site / "glossary/river-authority/index.html").is_file()
    assert not (built.site / "timeline.yml").exists()          # data, not a page of the site


def test_no_data_file_no_timeline(build_root):
    result = build_root("basic")
    assert result.ok, result.warnings
    assert not (result.site / "timeline").exists()


def test_two_builds_give_the_same_bytes(built, tmp_path):
    again = build_project(prepare("timeline", tmp_path))
    assert again.ok
    first = (built.site / "timeline/index.html").read_bytes()
    assert (again.site / "timeline/index.html").read_bytes() == first


# -- bad data: each mistake located in the data file, with what to do ------------------

BAD = """\
events:
  - date: 2014-13
    title: Bad month
    description: A thing [@doe2020book].
  - date: 2015-02-29
    title: No such day
    description: A thing [@doe2020book].
  - date: 2016
    end: 2015
    title: Backwards
    description: A thing [@doe2020book].
  - date: 2017
    title: Without a source
    description: Nothing cited.
  - date: 2018
    title: Unknowns
    description: Cites a missing key [@doe2020bok].
    sources: ["[@smith2019artcle]", "articles/b.md", "articles/a.md#no-such-heading"]
    terms: [river-tready]
    pages: [briefs/c.md]
    sauces: [x]
  - date: 2019
    title: Two blocks
    description: "- a list item, not a sentence"
    sources: ["[@roe2021report]"]
"""


def test_bad_data_is_reported_with_file_line_and_what_to_do(build_root):
    result = build_root("timeline", files={"docs/timeline.yml": BAD})
    forms = "Write a year (2014), a month (2014-03), a day (2014-03-18) or a decade (2000s)."
    expect_problems(
        result,
        f"docs/timeline.yml:2: date: '2014-13' does not exist (there is no month 13). {forms}",
        f"docs/timeline.yml:5: date: '2015-02-29' does not exist (February 2015 has 28 days). {forms}",
        "docs/timeline.yml:9: end: 2015 is before the date 2016. Swap them, or correct one of them.",
        "docs/timeline.yml:12: the event 'Without a source' has no source. Write `sources: [\"[@key]\"]` with a "
        "citation of the bibliography, or the page of this site that states it "
        "(`sources: [articles/a.md#section]`).",
        "docs/timeline.yml:21: unknown field 'sauces' in the event 'Unknowns'. Did you mean 'sources'?",
        "docs/timeline.yml:17: unknown citation key 'doe2020bok'. Did you mean 'doe2020book'?",
        "docs/timeline.yml:18: unknown citation key 'smith2019artcle'. Did you mean 'smith2019article'?",
        "docs/timeline.yml:18: sources: no page 'articles/b.md'. Did you mean 'articles/a.md'?",
        "docs/timeline.yml:19: terms: no glossary entry 'river-tready'. Did you mean 'river-treaty'?",
        "docs/timeline.yml:20: pages: no page 'briefs/c.md'. Did you mean 'briefs/b.md'?",
        "docs/timeline.yml:18: sources: articles/a.md has no heading '#no-such-heading'. "
        "Use the id of one of its headings (its ¶ link shows it).",
        "docs/timeline.yml:22: the description of the event 'Two blocks' is not one paragraph of text. "
        "Write it as one paragraph: a sentence or two, without headings, lists or blank lines.",
    )
    # The citation of the unknown key is shown as written, not dropped.
    event = result.article(TIMELINE).select_one("#event-unknowns").parent
    assert "[@doe2020bok]" in event.get_text()


def test_an_event_left_out_for_one_mistake_still_has_its_other_mistakes_reported(build_root):
    """An event with an impossible date is left out; its unknown term, page and key used to be
    reported only once the date was fixed, one build later."""
    left_out = ("events:\n  - date: 2016\n    end: 2015\n    title: Backwards\n"
                "    description: It happened [@doe2020bok].\n    sources: [\"[@smith2019artcle]\"]\n"
                "    terms: [river-tready]\n    pages: [briefs/c.md]\n"
                "  - date: 2014-13\n    title: Bad month\n    description: Later [@roe2021report].\n"
                "    terms: [river-authority]\n")
    result = build_root("timeline", files={"docs/timeline.yml": left_out})
    expect_problems(
        result,
        "docs/timeline.yml:3: end: 2015 is before the date 2016. Swap them, or correct one of them.",
        "docs/timeline.yml:5: unknown citation key 'doe2020bok'. Did you mean 'doe2020book'?",
        "docs/timeline.yml:6: unknown citation key 'smith2019artcle'. Did you mean 'smith2019article'?",
        "docs/timeline.yml:7: terms: no glossary entry 'river-tready'. Did you mean 'river-treaty'?",
        "docs/timeline.yml:8: pages: no page 'briefs/c.md'. Did you mean 'briefs/b.md'?",
        "docs/timeline.yml:9: date: '2014-13' does not exist (there is no month 13). Write a year (2014), a month "
        "(2014-03), a day (2014-03-18) or a decade (2000s).",
    )
    assert len([w for w in result.warnings if not w.startswith("ABORT")]) == 6, result.warnings


@pytest.mark.parametrize("title, mistake", [("[unclosed", "the [ opened on this line is never closed"),
                                            ('"unclosed', "the quoted text that starts on this line is never closed")])
def test_a_file_that_is_not_yaml_is_reported_at_its_line(build_root, title, mistake):
    """At the line of the mistake (an unclosed bracket or quote: where it opens, not where YAML
    gives up lines later), and nothing else: the page stays, saying why it has no events, so that
    the navigation and links to it still lead somewhere (and the preview shows the problem there)."""
    result = build_root("timeline", files={"docs/timeline.yml": f"events:\n  - date: 2014\n    title: {title}\n"
                                                                "  - date: 2015\n    title: Later\n"})
    expect_problems(result, f"docs/timeline.yml:3: the timeline is not valid YAML ({mistake}). Fix the YAML at this "
                            "line (text with a colon, or starting with [ or @, goes in quotes).")
    assert [w for w in result.warnings if not w.startswith("ABORT")] == result.warnings[:1], result.warnings
    page = result.article(TIMELINE)
    assert "made from docs/timeline.yml, which cannot be read" in " ".join(page.get_text().split())
    assert page.select(".mx-event") == []


# -- nothing from the file makes markup ---------------------------------------------------

HOSTILE = """\
title: 'Dates <script>alert(1)</script> & "more"'
events:
  - date: 2014
    date_note: '<img src=x onerror=alert(1)> & co'
    title: '<script>alert(2)</script> **bold** [x](javascript:alert(3)) & "q" ''s'
    description: Plain words, then a citation [@doe2020book].
    terms: [river-treaty]
  - date: 2015
    title: "mx-timeline-event-0"
    description: Second [@doe2020book].
"""


def test_titles_and_notes_are_text_never_markup(build_root):
    result = build_root("timeline", files={"docs/timeline.yml": HOSTILE})
    assert result.ok, result.warnings
    raw = (result.site / "timeline/index.html").read_text(encoding="utf-8")
    tree = lxml_html.fromstring(raw)
    article = tree.xpath("//article")[0]
    assert article.xpath(".//script") == [] and article.xpath(".//img") == []
    assert not [name for element in article.iter() if isinstance(element.tag, str)
                for name in element.attrib if name.lower().startswith("on")]
    assert not [a for a in article.xpath(".//a[@href]") if a.get("href").lower().startswith("javascript")]
    soup = BeautifulSoup(raw, "lxml")
    first = soup.select("li.mx-event")[0]
    assert first.h3.get_text().rstrip("¶") == "<script>alert(2)</script> **bold** [x](javascript:alert(3)) & \"q\" 's"
    assert first.select_one(".mx-event__note").get_text() == "(<img src=x onerror=alert(1)> & co)"
    # A title that looks like the generator's placeholder stays a title.
    assert soup.select("li.mx-event")[1].h3.get_text().rstrip("¶") == "mx-timeline-event-0"
    assert soup.title.get_text().startswith('Dates <script>alert(1)</script> & "more"')
    assert "<script>alert(1)" not in raw and "<script>alert(2)" not in raw
    assert re.search(r"&lt;script&gt;alert\(2\)&lt;/script&gt;", raw)
