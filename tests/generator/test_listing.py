"""A bibliography's listing formatted in pieces gives what one document gives.

`model/listing.py` splits a long listing (pandoc's citeproc is superlinear
in its length) into pieces of related sources. The oracle here is our own
single-document formatting, itself compared with `pandoc --citeproc` by
test_citeproc_oracle.py: order, every entry and every in-text form must be
identical, on bib files no one here wrote and on names made to collide.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from microsite.model import citeproc, listing
from microsite.model.citations import written_form
from microsite.model.citeproc import Document, read_style
from microsite.model.sources import load_library
from microsite.problems import Problems

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"
CHICAGO = REPO / "hooks" / "microsite" / "model" / "styles" / "chicago-author-date.csl"
APA = DATA / "styles" / "apa.csl"
NOTES = DATA / "styles" / "chicago-notes-bibliography.csl"

# Invented records (not real works): the same surname with other given names
# in other years (not ambiguous, but Chicago's "primary-name" rule adds
# initials across the whole list), the same author twice in a year (2019a/b),
# and works without names whose in-text forms are the same title.
COLLIDING = r"""
@book{smith-j, author = {Smith, John}, title = {Rivers}, year = {2020}, publisher = {P}}
@book{smith-k, author = {Smith, Karen}, title = {Lakes}, year = {2015}, publisher = {P}}
@book{doe-a, author = {Doe, Jane}, title = {Alpha}, year = {2019}, publisher = {P}}
@book{doe-b, author = {Doe, Jane}, title = {Beta}, year = {2019}, publisher = {P}}
@report{anon-1, title = {Annual Report}, year = {2018}, institution = {Agency}}
@report{anon-2, title = {Annual Report}, year = {2018}, institution = {Office}}
@book{zed, author = {Zed, Ann}, title = {Gamma}, year = {2001}, publisher = {P}}
@book{young, author = {Young, Bo}, title = {Delta}, year = {2002}, publisher = {P}}
"""


def _library(tmp_path: Path, text: str, limit: int | None = None):
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "library.bib").write_text(text, encoding="utf-8")
    sources = load_library(str(tmp_path / "bib"), str(tmp_path), Problems()).sources.values()
    sources = sorted(sources, key=lambda source: (source.sort_key, source.key))[:limit]
    records = {source.key: source.record for source in sources}
    return Document("LISTING", tuple(f"[{written_form(source.key)}]" for source in sources)), records


def _whole(document, records, style):
    try:
        return citeproc.render([document], records, style)[document.ident]
    except citeproc.RenderError as error:       # the real exports have records pandoc refuses
        return error.rendered[document.ident]


def _split(document, records, style):
    try:
        return listing.render_listing(document, records, style)
    except citeproc.RenderError as error:
        return error.rendered[document.ident]


def _same(document, records, style):
    split, whole = _split(document, records, style), _whole(document, records, style)
    assert [reference.key for reference in split.references] == [reference.key for reference in whole.references]
    assert split.references == whole.references
    assert split.clusters == whole.clusters
    return whole


@pytest.fixture
def small_pieces(monkeypatch):
    monkeypatch.setattr(listing, "SPLIT_FROM", 2)
    monkeypatch.setattr(listing, "PIECE", 1)       # every group a piece of its own


@pytest.mark.parametrize("style", [CHICAGO, APA, NOTES], ids=["chicago-author-date", "apa", "chicago-notes"])
def test_colliding_names_stay_in_one_piece(tmp_path, small_pieces, style):
    document, records = _library(tmp_path, COLLIDING)
    style = read_style(str(style))
    assert listing.splittable(document, style)
    whole = _same(document, records, style)
    if style.title.startswith("Chicago Manual of Style 18th edition (author-date)"):
        texts = {cluster.keys[0]: cluster.html for cluster in whole.clusters}
        assert "J. Smith" in texts["smith-j"] and "K. Smith" in texts["smith-k"]
        assert "2019a" in texts["doe-a"] and "2019b" in texts["doe-b"]


def test_biblatex_examples(tmp_path, small_pieces):
    document, records = _library(tmp_path, (DATA / "biblatex-examples.bib").read_text(encoding="utf-8"))
    for style in (CHICAGO, APA):
        _same(document, records, read_style(str(style)))


def test_a_real_export_in_pieces_of_fifty(tmp_path, monkeypatch):
    monkeypatch.setattr(listing, "SPLIT_FROM", 100)
    monkeypatch.setattr(listing, "PIECE", 50)
    # The first 400 sources in name order: neighbours share surnames, as in a real listing.
    document, records = _library(tmp_path, (DATA / "zotero-bbt-export-3725.bib").read_text(encoding="utf-8"),
                                 limit=400)
    _same(document, records, read_style(str(CHICAGO)))


def test_only_where_pieces_are_exact(tmp_path):
    document, _ = _library(tmp_path, COLLIDING)
    chicago = read_style(str(CHICAGO))
    long_listing = Document("LISTING", document.parts * 40)
    assert listing.splittable(long_listing, chicago)
    assert not listing.splittable(document, chicago)                      # short: one document is fast
    assert not listing.splittable(long_listing, read_style(str(DATA / "styles" / "ieee.csl")))   # numbers
    # MLA replaces a repeated author by "---": that depends on the previous entry
    assert not listing.splittable(long_listing,
                                  read_style(str(DATA / "styles" / "modern-language-association.csl")))
    with_locator = Document("LISTING", ("[@zed, 5]",) + document.parts * 40)
    assert listing.splittable(with_locator, chicago)      # formatted whole by render_listing: see below


def test_anything_but_single_citations_is_formatted_whole(tmp_path, small_pieces, monkeypatch):
    document, records = _library(tmp_path, COLLIDING)
    style = read_style(str(CHICAGO))
    calls = []
    real = citeproc.render
    monkeypatch.setattr(citeproc, "render", lambda documents, *a, **k: calls.append(len(documents)) or real(
        documents, *a, **k))
    assert "[@zed]" in document.parts
    # zed's own part with a locator: every key still once, so only the locator decides
    odd = Document("LISTING", tuple("[@zed, p. 5]" if part == "[@zed]" else part for part in document.parts))
    assert listing.render_listing(odd, records, style) == real([odd], records, style)["LISTING"]
    assert calls == [1]


# A style whose citations show no names (title and year): two works by
# different people are ambiguous only through their first rendering.
TITLE_YEAR = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Title and year (test style)</title><id>test-title-year</id>
    <updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation disambiguate-add-year-suffix="true">
    <layout prefix="(" suffix=")" delimiter="; ">
      <group delimiter=" "><text variable="title"/><date variable="issued"><date-part name="year"/></date></group>
    </layout>
  </citation>
  <bibliography>
    <sort><key variable="title"/><key macro="author"/></sort>
    <layout><group delimiter=". "><text macro="author"/><text variable="title"/>
      <date variable="issued"><date-part name="year"/></date></group></layout>
  </bibliography>
  <macro name="author"><names variable="author"><name/></names></macro>
</style>
"""

SAME_TITLE = r"""
@book{alpha, author = {Alpha, Ann}, title = {Same Title}, year = {2020}, publisher = {P}}
@book{beta, author = {Beta, Bo}, title = {Same Title}, year = {2020}, publisher = {P}}
@book{gamma, author = {Gamma, Cy}, title = {Other Title}, year = {2020}, publisher = {P}}
"""


def test_works_whose_citations_read_the_same_stay_in_one_piece(tmp_path, small_pieces):
    (tmp_path / "title-year.csl").write_text(TITLE_YEAR, encoding="utf-8")
    style = read_style(str(tmp_path / "title-year.csl"))
    document, records = _library(tmp_path, SAME_TITLE)
    whole = _same(document, records, style)
    texts = {cluster.keys[0]: cluster.html for cluster in whole.clusters}
    assert "2020a</a>)" in texts["alpha"] and "2020b</a>)" in texts["beta"]


def test_a_family_name_is_related_by_its_last_word():
    assert listing._last_word("van Gogh") == listing._last_word("Gogh") == "gogh"
    assert listing._last_word("  de La  Fontaine ") == "fontaine"
    assert listing._last_word("") == ""


def test_a_record_pandoc_refuses_keeps_the_listing_in_pieces(tmp_path, small_pieces, monkeypatch):
    document, records = _library(tmp_path, COLLIDING)
    records["broken"] = "@book{broken, title = {Unbalanced, year = 2020}"      # pandoc refuses it
    document = Document("LISTING", document.parts[:3] + ("[@broken]",) + document.parts[3:] + ("[@nobody]",))
    style = read_style(str(CHICAGO))
    with pytest.raises(citeproc.RenderError) as whole:
        citeproc.render([document], records, style)
    monkeypatch.setattr(listing, "_whole", lambda *args: pytest.fail("formatted whole"))
    with pytest.raises(citeproc.RenderError) as split:
        listing.render_listing(document, records, style)
    assert split.value.rendered == whole.value.rendered
    assert split.value.unreadable.keys() == whole.value.unreadable.keys() == {"broken"}
    assert split.value.unknown == whole.value.unknown == {"LISTING": ("broken", "nobody")}
