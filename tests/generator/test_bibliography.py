"""The generated bibliography: index, one page per source, backlinks, exports,
and a real-world bib file (biblatex-examples.bib)."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
import rispy
from pybtex.database import parse_string

from conftest import DATA, build_project, prepare


@pytest.fixture(scope="module")
def basic(tmp_path_factory):
    built = build_project(prepare("basic", tmp_path_factory.mktemp("bibliography")))
    assert built.ok, built.messages
    return built


@pytest.fixture(scope="module")
def biblatex(tmp_path_factory):
    bib = (DATA / "biblatex-examples.bib").read_text(encoding="utf-8")
    project = prepare("biblatex", tmp_path_factory.mktemp("biblatex"), files={"bib/biblatex-examples.bib": bib})
    built = build_project(project, strict=False)
    return built


def test_index_lists_cited_sources_sorted_with_counts(basic):
    article = basic.article("bibliography/")
    items = article.select("ul.mx-bibliography > li")
    assert [li["id"] for li in items] == ["doe2020book", "smith2019article"]
    counts = [li.select_one(".mx-bibliography__count").get_text() for li in items]
    assert counts == ["cited on 2 pages", "cited on 1 page"]
    assert items[0].select_one("a.mx-bibliography__details")["href"] == "doe2020book/"


def test_source_page_fields_backlinks_and_exports(basic):
    page = basic.page("bibliography/smith2019article/")
    assert page.title.get_text().startswith("An Article on Eurasia (Smith and Jones 2019)")
    fields = {row.th.get_text(): row.td.get_text() for row in page.select("table.mx-source__fields tr")}
    assert fields["Authors"] == "John Smith; Mary Jones"
    assert fields["Title"] == "An Article on Eurasia"
    assert fields["In"] == "Journal of Studies"
    assert fields["DOI"] == "10.1234/example.5678"
    assert "URL" not in fields and "Accessed" not in fields       # unknown: left out
    # Cited in: the page and the section heading of the citation
    cited = page.select("ul.mx-backlinks a")
    assert [(a.get_text(), a["href"]) for a in cited] == [
        ("One article", "../../articles/one/"),
        ("Second section", "../../articles/one/#second-section"),
    ]
    # the anchor exists on the target page
    assert basic.article("articles/one/").find(id="second-section") is not None
    # not in the navigation
    assert not page.select('nav.md-nav--primary a[href$="smith2019article/"]')
    # BibTeX shown (copyable) and downloadable; both exports round-trip
    shown = page.select_one("pre.mx-source__bibtex code").get_text()
    downloaded = (basic.site / "bibliography/smith2019article/smith2019article.bib").read_text()
    assert shown == downloaded
    entry = parse_string(downloaded, "bibtex").entries["smith2019article"]
    assert entry.fields["doi"] == "10.1234/example.5678"
    assert [str(p) for p in entry.persons["author"]] == ["Smith, John", "Jones, Mary"]
    ris = rispy.loads((basic.site / "bibliography/smith2019article/smith2019article.ris").read_text())
    assert ris[0]["type_of_reference"] == "JOUR"
    assert ris[0]["authors"] == ["Smith, John", "Jones, Mary"]
    assert ris[0]["doi"] == "10.1234/example.5678"
    assert ris[0]["start_page"] == "10" and ris[0]["end_page"] == "20"
    links = {a.get_text(): a["href"] for a in page.select("p.mx-source__downloads a")}
    assert links == {"smith2019article.bib": "smith2019article.bib", "smith2019article.ris": "smith2019article.ris"}


def test_whole_bibliography_downloads(basic):
    entries = parse_string((basic.site / "bibliography/bibliography.bib").read_text(), "bibtex").entries
    assert sorted(entries) == ["doe2020book", "smith2019article"]
    assert len(rispy.loads((basic.site / "bibliography/bibliography.ris").read_text())) == 2


def test_biblatex_examples_every_entry_has_a_page_or_a_located_reason(biblatex):
    source = (DATA / "biblatex-examples.bib").read_text(encoding="utf-8")
    keys = [m.group(2) for m in re.finditer(r"^@(\w+)\s*\{\s*([^,\s]+)\s*,", source, re.M) if m.group(1).lower() != "string"]
    assert len(keys) == 92
    index = biblatex.article("bibliography/")
    listed = {li["id"] for li in index.select("ul.mx-bibliography > li")}
    from microsite.model.sources import slug_for

    for key in keys:
        page = biblatex.site / "bibliography" / slug_for(key) / "index.html"
        if page.exists():
            assert slug_for(key) in listed
        else:
            assert any(f"'{key}'" in message and re.search(r"biblatex-examples\.bib:\d+", message)
                       for message in biblatex.messages), f"no page and no located reason for {key}"


def test_biblatex_examples_render_unicode_and_inherit_crossrefs(biblatex):
    article = biblatex.article("articles/cites/")
    for box in article.select(".mx-cite"):         # "Cite this page" shows the page's BibTeX, as code
        box.decompose()
    text = article.get_text().replace("\xa0", " ")
    assert "(Aksın et al. 2006; Kastenholz and Hünenberger 2006, 3; Sigfridsson and Ryde 1998)" in text
    assert "Aksın, Özge, Hayati Türkmen" in text
    # The page cites one of Westfahl's two works of 2000: as pandoc renders this page alone,
    # no letter; the bibliography, which lists both, tells them apart.
    assert "(Westfahl 2000, 55–65)" in text
    index = biblatex.article("bibliography/").get_text().replace("\xa0", " ")
    assert "Westfahl, Gary, ed. 2000a. Space and Beyond" in index and "Westfahl, Gary. 2000b. “The True" in index
    index_text = biblatex.article("bibliography/").get_text()
    # no LaTeX left in what the page shows of its sources (its own BibTeX, to cite it, has braces)
    shown = " ".join(element.get_text() for element in article.select("span.citation, ul.mx-references"))
    for page_text in (shown, index_text):
        assert "\\" not in page_text and "{" not in page_text and "}" not in page_text
    # crossref: the chapter inherits its book's title, editor and publisher
    westfahl = biblatex.page("bibliography/westfahl-space-" + __import__("hashlib").sha1(b"westfahl:space").hexdigest()[:6] + "/")
    fields = {row.th.get_text(): row.td.get_text() for row in westfahl.select("table.mx-source__fields tr")}
    assert fields["In"] == "Space and Beyond: The Frontier Theme in Science Fiction"
    assert fields["Publisher"] == "Greenwood"
    assert fields["Editor"] == "Gary Westfahl"


def test_biblatex_examples_site_builds_strict_apart_from_reported_entries(biblatex):
    # every warning is a located message about an entry of the bib file
    for warning in biblatex.warnings:
        if warning.startswith("ABORT"):
            continue
        assert re.match(r"bib/biblatex-examples\.bib:\d+: ", warning), warning


def test_a_doi_with_a_hash_is_linked_to_itself_everywhere(tmp_path):
    """citeproc links a DOI as https://doi.org/ and the DOI as it is: the `#` that ends many
    SICI DOIs (`…3.0.CO;2-#`) began the address's fragment, so every reference, the article's
    title block and its cite-as line led to another DOI (only the source's Details encoded it)."""
    sici = "10.1002/(SICI)1099-1492(199602)9:1<1::AID-NBM387>3.0.CO;2-#"
    encoded = "https://doi.org/10.1002/(SICI)1099-1492(199602)9:1%3C1::AID-NBM387%3E3.0.CO;2-%23"
    bib = (DATA.parent / "roots" / "basic" / "bib" / "sources.bib").read_text(encoding="utf-8") + (
        "\n@article{sici1996, author = {Doe, Jane}, title = {Check Characters}, journal = {J}, year = {1996},\n"
        f"  doi = {{{sici}}}}}\n"
        "@misc{fragment2020, author = {Doe, Jane}, title = {A Fragment}, year = {2020},\n"
        "  url = {https://doi.org/10.1000/x#section-2}}\n")
    article = (DATA.parent / "roots" / "basic" / "docs" / "articles" / "one.md").read_text(encoding="utf-8")
    article = article.replace("date: 2021-03-04", f"date: 2021-03-04\ndoi: '{sici}'", 1).replace(
        "Greater Eurasia is long", "Greater Eurasia is long [@sici1996; @fragment2020]", 1)
    built = build_project(prepare("basic", tmp_path, files={"bib/sources.bib": bib, "docs/articles/one.md": article}))
    assert built.ok, built.warnings
    for page in ("articles/one/", "bibliography/", "bibliography/sici1996/"):
        hrefs = [a["href"] for a in built.page(page).select("a[href^='https://doi.org/10.1002']")]
        assert hrefs and all("#" not in href and unquote(href) == "https://doi.org/" + sici
                                       for href in hrefs), (page, hrefs)
    title_block = built.page("articles/one/").select_one(".mx-doi a")
    assert title_block["href"] == encoded and title_block.text == "https://doi.org/" + sici
    # an address in `url` is the author's, fragment and all
    assert built.page("bibliography/fragment2020/").select("a[href='https://doi.org/10.1000/x#section-2']")
