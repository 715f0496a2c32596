"""The scholarly data model (hooks/microsite/scholarly/): front matter -> Work, and the
records made from it, checked against the rules' owners and real clients:
ORCID's checksum, Google Scholar's tag rules, Zotero's author parsing, extruct
(JSON-LD, Open Graph, Dublin Core), pybtex + pandoc (--citeproc, Chicago),
rispy, and cffconvert --validate.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import subprocess

import extruct
import pypandoc
import pytest
import rispy
from lxml import html as lxml_html
from pybtex.database import parse_string

from conftest import DATA, REPO
from microsite.content.documents import Document
from microsite.content.frontmatter import parse_front_matter
from microsite.problems import Problems
from microsite.scholarly import SiteInfo, check_site_defaults, read_work
from microsite.scholarly.cff import CffconvertMissing, citation_cff, validate_cff, write_cff
from microsite.scholarly.cite import cite_key, cite_records, escape
from microsite.scholarly.dates import iso_datetime, parse_edition_date, scholar_date
from microsite.scholarly.head import PageInfo, head_metadata
from microsite.scholarly.identifiers import InvalidIdentifier, parse_doi, parse_orcid
from microsite.scholarly.licenses import check_license
from microsite.scholarly.names import split_name
from microsite.scholarly.work import Person, Work

CSL = REPO / "hooks" / "microsite" / "model" / "styles" / "chicago-author-date.csl"
SITE = SiteInfo(name="Example Site", url="https://example.org/site/", language="en")
PAGE_URL = "https://example.org/site/briefs/engine/"


def load(name: str, kind: str = "brief", site: SiteInfo = SITE):
    text = (DATA / "scholarly" / name).read_text(encoding="utf-8")
    folder = "briefs" if kind == "brief" else "articles"
    document = Document(f"{folder}/{name}", f"docs/{folder}/{name}", kind, text, parse_front_matter(text))
    problems = Problems()
    return read_work(document, kind, site, problems), [str(problem) for problem in problems.found]


@pytest.fixture(scope="module")
def brief() -> Work:
    work, problems = load("complete-brief.md")
    assert problems == []
    return work


def web_article(**changes) -> Work:
    fields = dict(kind="article", src_uri="articles/a.md", path="docs/articles/a.md",
                  title="The Engine & Its Notes", authors=(Person("Ada Lovelace", "Ada", "Lovelace"),),
                  date=dt.date(2024, 5, 1))
    fields.update(changes)
    return Work(**fields)


# -- identifiers, dates, names, licences ----------------------------------------------

# Valid iDs from ORCID's "Structure of the ORCID Identifier" and its checksum sheet.
@pytest.mark.parametrize("written, orcid", [
    ("0000-0002-1825-0097", "0000-0002-1825-0097"),
    ("0000-0001-5109-3700", "0000-0001-5109-3700"),
    ("0000-0002-1694-233X", "0000-0002-1694-233X"),
    ("https://orcid.org/0000-0003-1415-9269", "0000-0003-1415-9269"),
    ("http://orcid.org/0000-0002-1694-233x/", "0000-0002-1694-233X"),
    ("0000000218250097", "0000-0002-1825-0097"),
])
def test_orcid_is_normalised(written, orcid):
    assert parse_orcid(written) == orcid


@pytest.mark.parametrize("corrupted, reason", [
    ("0000-0002-1825-0098", "checksum"),     # last digit changed
    ("0000-0002-1852-0097", "checksum"),     # two digits transposed
    ("0000-0002-1694-2330", "checksum"),     # X replaced
    ("0000-0002-1825-009", "not an ORCID"),
    ("0000-0002-1825-00977", "not an ORCID"),
    ("orcid.org/Ada", "not an ORCID"),
])
def test_corrupted_orcids_are_refused(corrupted, reason):
    with pytest.raises(InvalidIdentifier, match=reason):
        parse_orcid(corrupted)


@pytest.mark.parametrize("written, doi", [
    ("10.5281/zenodo.1003150", "10.5281/zenodo.1003150"),
    ("doi:10.5281/zenodo.1003150", "10.5281/zenodo.1003150"),
    ("DOI: 10.1000/182", "10.1000/182"),
    ("https://doi.org/10.1000/xyz%2Fabc", "10.1000/xyz/abc"),
    ("http://dx.doi.org/10.1093/ajae/aaq063", "10.1093/ajae/aaq063"),
    ("info:doi/10.1000/182", "10.1000/182"),             # the forms a bib field's `doi` takes (one definition)
])
def test_doi_is_normalised(written, doi):
    assert parse_doi(written) == doi


@pytest.mark.parametrize("bad", ["10.abc/xyz", "https://example.org/10.1000/1", "10.1000", "zenodo.1003150"])
def test_non_dois_are_refused(bad):
    with pytest.raises(InvalidIdentifier):
        parse_doi(bad)


def test_dates_in_each_consumers_format():
    day = parse_edition_date(dt.date(2024, 5, 1))
    assert scholar_date(day) == "2024/05/01"                       # Scholar: "1996/05/17"
    assert iso_datetime(day) == "2024-05-01T00:00:00+00:00"        # JSON-LD: with a time zone
    assert iso_datetime(day, "Europe/London") == "2024-05-01T00:00:00+01:00"
    moment = parse_edition_date("2024-05-01T09:30:00-04:00")
    assert iso_datetime(moment, "Europe/London") == "2024-05-01T09:30:00-04:00"   # the author's offset wins
    assert scholar_date(moment) == "2024/05/01"
    for bad in ("5 May 2024", "2024-13-01", "20240501", "2024"):
        with pytest.raises(ValueError):
            parse_edition_date(bad)


@pytest.mark.parametrize("name, split", [
    ("Ada Lovelace", ("Ada", "Lovelace")),
    ("Lovelace, Ada", ("Ada", "Lovelace")),
    ("Grace B. Hopper", ("Grace B.", "Hopper")),
    ("van der Waals, Johannes", ("Johannes", "van der Waals")),
    ("Gabriel García Márquez", None),        # three full words: which are the family names?
    ("Ludwig van Beethoven", None),           # a particle
    ("Martin Luther King Jr.", None),
    ("Site editors", None),                   # not a personal name
    ("Plato", None),
])
def test_names_are_split_only_when_certain(name, split):
    assert split_name(name) == split


def test_spdx_ids_are_checked_against_the_list():
    assert check_license("cc-by-4.0").id == "CC-BY-4.0"
    assert check_license("MIT").id == "MIT"
    assert check_license("GPL-3.0").deprecated
    assert check_license("CC BY 4.0").suggestion == "CC-BY-4.0"
    assert check_license("MIT License").suggestion == "MIT"
    assert check_license("Apache 2").suggestion == "Apache-2.0"
    assert check_license("All rights reserved") .id is None


# -- front matter -> Work -------------------------------------------------------------

def test_complete_front_matter_gives_the_work(brief):
    assert brief.title == "Notes on the Analytical Engine: a brief"
    ada, charles, institute, gabriel = brief.authors
    assert (ada.given, ada.family, ada.orcid) == ("Ada", "Lovelace", "0000-0002-1825-0097")
    assert ada.affiliations == ("Analytical Society", "Royal Institution")
    assert (charles.name, charles.given, charles.family) == ("Charles Babbage", "Charles", "Babbage")
    assert institute.organisation and institute.family is None
    assert (gabriel.name, gabriel.given, gabriel.family) == ("Gabriel García Márquez", None, None)
    assert brief.date == dt.date(2024, 5, 1) and brief.updated == dt.date(2024, 6, 15)
    assert brief.doi == "10.5281/zenodo.1003150" and brief.license == "CC-BY-4.0"
    assert brief.abstract == "The abstract: what the brief argues, over two lines."
    assert brief.summary == "A one-paragraph summary of the brief."
    assert (brief.report_number, brief.institution, brief.language) == ("WP-7", "Example Research Institute", "en-GB")
    assert brief.is_report


def test_mistakes_are_reported_at_their_line_with_what_to_do():
    work, problems = load("mistakes.md", kind="article")
    assert work is None            # author #2 has no name: nothing to cite without all authors
    path = "docs/articles/mistakes.md"
    expected = [
        f"{path}:11: unknown front matter key `licence`. Did you mean `license`?",
        f"{path}:14: `affiliation` belongs to an author, not to an article. Write it under the author: "
        "`authors: [{name: A. Author, affiliation: ...}]`",
        f"{path}:15: unknown front matter key `sumary`. Did you mean `summary`?",
        f"{path}:6: unknown author key `emial`. Did you mean `email`?",
        f"{path}:5: author #1: `orcid: 0000-0002-1825-0098` fails the ORCID checksum: a character is mistyped. "
        "Copy the iD from the author's ORCID record, e.g. `0000-0002-1825-0097` or "
        "`https://orcid.org/0000-0002-1825-0097`",
        f"{path}:7: author #2 has `given` without `family`. Give both `given` and `family`, or only `name`",
        f"{path}:7: author #2 has no `name`. Add `name: Ada Lovelace` to the author",
        f"{path}:8: author #3 is an organisation and cannot have an ORCID iD. "
        "ORCID identifies people; remove `orcid` or `organisation: true`",
        f"{path}:9: `date: 5 May 2024` is not an ISO date. Write the date as YYYY-MM-DD, e.g. `date: 2020-11-05`.",
    ]
    assert problems[:len(expected)] == expected
    rest = "\n".join(problems[len(expected):])
    assert f"{path}:10: `doi: 10.abc/xyz` is not a DOI" in rest
    assert f"{path}:12: `license: MIT License` is not an SPDX license identifier. Did you mean `MIT`?" in rest
    assert f"{path}:13: `keywords` must be a list. Write `keywords: [first keyword, second keyword]`" in rest
    assert f"{path}:16: `language: english` is not a language tag" in rest
    # `sumary` is misspelt, so the required summary is missing too (the contract and this are one check)
    assert f"{path}:1: an article needs a `summary` (one paragraph). Add `summary: >` followed by an " \
        "indented paragraph." in rest
    assert len(problems) == len(expected) + 5


def test_deprecated_licence_and_revision_before_edition():
    work, problems = load("deprecated-licence.md", kind="article")
    path = "docs/articles/deprecated-licence.md"
    assert problems == [
        f"{path}:5: `updated: 2024-04-30` is before `date: 2024-05-01`. "
        "`updated` is the last revision of this edition; it cannot be earlier than `date`",
        f"{path}:6: `license: GPL-3.0` is a deprecated SPDX identifier. "
        "Use `GPL-3.0-only` or `GPL-3.0-or-later` (https://spdx.org/licenses/)",
    ]
    assert work.license is None and work.updated is None and work.date == dt.date(2024, 5, 1)
    assert not work.is_report      # an article, no institution: a web article of the site


def test_theme_keys_are_known_and_site_defaults_apply(tmp_path):
    text = "---\ntitle: T\nauthors: [Ada Lovelace]\ndate: 2024-05-01\nsummary: S\ndescription: D\n" \
           "icon: material/book\n" \
           "status: new\nsubtitle: S\ntags: [a]\nsearch: {boost: 2}\nhide: [toc]\ntemplate: main.html\n---\n"
    document = Document("articles/t.md", "docs/articles/t.md", "article", text, parse_front_matter(text))
    problems = Problems()
    site = SiteInfo("S", institution="Example Institute", publisher="Example Press", license="CC-BY-4.0",
                    language="fr")
    work = read_work(document, "article", site, problems)
    assert problems.found == []
    assert (work.institution, work.publisher, work.license, work.language) == \
        ("Example Institute", "Example Press", "CC-BY-4.0", "fr")
    assert work.is_report          # issued by an institution


def test_a_missing_date_is_no_problem_of_the_front_matter_and_bad_site_defaults_are_said_once():
    # `date` is optional in the content contract; the scholarly feature says once which pages
    # have no publication date in their metadata.
    text = "---\ntitle: T\nauthors: [Ada Lovelace]\nsummary: S\n---\n"
    document = Document("briefs/t.md", "docs/briefs/t.md", "brief", text, parse_front_matter(text))
    problems = Problems()
    work = read_work(document, "brief", SiteInfo("S", license="CC BY 4.0"), problems)
    assert work.date is None and work.year is None
    check_site_defaults(SiteInfo("S", license="CC BY 4.0", timezone="Mars/Olympus"), problems)
    assert [str(p) for p in problems.found] == [
        "mkdocs.yml: `extra.microsite.license: CC BY 4.0` is not an SPDX license identifier. "
        "Did you mean `CC-BY-4.0`?",
        "mkdocs.yml: `extra.microsite.timezone: Mars/Olympus` is not a time zone. "
        "Write an IANA time zone name such as `UTC` or `Europe/London`",
    ]


# -- page head -----------------------------------------------------------------------

def zotero_clean_author(author: str) -> tuple[str | None, str]:
    """(firstName, lastName) as Zotero's Embedded Metadata translator reads a citation_author:
    ZU.cleanAuthor(author, "author", author.includes(",")) (zotero/utilities, utilities.js):
    trim punctuation at both ends, then split at the comma, else at the last space."""
    use_comma = "," in author
    author = re.sub(r"[\s.,/\[\]:]+$", "", re.sub(r"^[\s.,/\[\]:]+", "", author))
    if use_comma:
        parts = re.split(r", ?", author)
        return (parts[1], parts[0]) if len(parts) > 1 else (None, author)
    first, _, last = author.rpartition(" ")
    return first, last


def test_highwire_tags_follow_scholar_and_zotero(brief):
    head = head_metadata(brief, SITE, PageInfo(PAGE_URL, PAGE_URL + "engine.pdf", ["Ref A.", "  Ref\n B.  "]))
    tags = head.highwire
    authors = [value for name, value in tags if name == "citation_author"]
    assert authors == ["Lovelace, Ada", "Babbage, Charles", "Example Research Institute,", "Gabriel García Márquez"]
    assert [zotero_clean_author(a) for a in authors[:3]] == [
        ("Ada", "Lovelace"), ("Charles", "Babbage"), (None, "Example Research Institute")]
    values = dict(tags)
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2}", values["citation_publication_date"])
    assert values["citation_publication_date"] == values["citation_online_date"] == "2024/05/01"
    assert values["citation_technical_report_institution"] == "Example Research Institute"
    assert values["citation_technical_report_number"] == "WP-7"
    assert values["citation_doi"] == "10.5281/zenodo.1003150"
    assert values["citation_pdf_url"] == PAGE_URL + "engine.pdf"
    assert values["citation_language"] == "en-GB"
    assert [v for n, v in tags if n == "citation_keywords"] == ["computing", "engines"]
    assert [v for n, v in tags if n == "citation_reference"] == ["Ref A.", "Ref B."]
    assert [v for n, v in tags if n == "citation_author_institution"] == ["Analytical Society", "Royal Institution"]
    assert dict(head.dublin_core)["DC.type"] == "Report"
    assert head.left_out == {}


def test_web_article_has_no_report_tags_and_says_it_is_a_web_page():
    head = head_metadata(web_article(), SITE, PageInfo("https://example.org/site/articles/a/"))
    names = [name for name, _ in head.highwire]
    assert not any(name.startswith("citation_technical_report") for name in names)
    assert dict(head.dublin_core)["DC.type"] == "Web Page"
    assert head.json_ld["@type"] == "ScholarlyArticle"


@pytest.mark.parametrize("pdf_url", [
    "https://example.org/site/downloads/engine.pdf",          # another directory
    "https://example.org/site/briefs/engine/pdf/engine.pdf",  # a subdirectory
    "https://elsewhere.org/site/briefs/engine/engine.pdf",    # another host
    "briefs/engine/engine.pdf",                               # not absolute
])
def test_pdf_url_only_in_the_pages_own_directory(brief, pdf_url):
    head = head_metadata(brief, SITE, PageInfo(PAGE_URL, pdf_url))
    assert "citation_pdf_url" not in dict(head.highwire)
    assert "own directory" in head.left_out["citation_pdf_url"]
    assert "encoding" not in head.json_ld


def test_without_site_url_absolute_url_tags_are_left_out_and_said(brief):
    site = SiteInfo(name="Example Site", language="en")
    head = head_metadata(brief, site, PageInfo(None, "engine.pdf", image_url="cover.png"))
    every = head.highwire + head.open_graph + head.twitter
    assert not any(name in ("citation_pdf_url", "og:url", "og:image", "twitter:image") for name, _ in every)
    assert not {"url", "image", "mainEntityOfPage", "encoding"} & set(head.json_ld)
    assert "url" not in head.json_ld["isPartOf"]
    assert head.needs_site_url
    assert set(head.left_out) == {"og:url", "JSON-LD url", "citation_pdf_url", "og:image", "twitter:image",
                                  "JSON-LD image"}
    # Without a PDF there is nothing to say about citation_pdf_url.
    assert "citation_pdf_url" not in head_metadata(brief, site, PageInfo(None)).left_out


def head_page(head) -> str:
    """A minimal page carrying the head metadata (the real one comes from the lead's templates)."""
    meta = [f'<meta name="{html.escape(n)}" content="{html.escape(v)}">'
            for n, v in head.highwire + head.dublin_core + head.twitter]
    meta += [f'<meta property="{html.escape(n)}" content="{html.escape(v)}">' for n, v in head.open_graph]
    links = [f'<link rel="{rel}" href="{href}">' for rel, href in head.dublin_core_schemas]
    script = json.dumps(head.json_ld).replace("<", "\\u003c")
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>t</title>"
            + "".join(links + meta) + f'<script type="application/ld+json">{script}</script>'
            + "</head><body><p>x</p></body></html>")


def test_json_ld_open_graph_and_dublin_core_round_trip_through_extruct(brief):
    hostile = web_article(title='A "quoted" </script><script>alert(1)</script> title',
                          authors=(Person("Ada Lovelace", "Ada", "Lovelace", orcid="0000-0002-1825-0097"),))
    for work in (brief, hostile):
        head = head_metadata(work, SITE, PageInfo(PAGE_URL, PAGE_URL + "engine.pdf", ["Ref A."],
                                                  image_url="https://example.org/site/cover.png"))
        page = head_page(head)
        data = extruct.extract(page, base_url=PAGE_URL, syntaxes=["json-ld", "opengraph", "dublincore",
                                                                   "microdata"], errors="strict")
        assert data["json-ld"] == [head.json_ld]
        ld = data["json-ld"][0]
        assert ld["headline"] == work.title
        assert ld["datePublished"] == "2024-05-01T00:00:00+00:00"
        assert ld["author"][0]["sameAs"] == ["https://orcid.org/0000-0002-1825-0097"]
        assert ld["isPartOf"] == {"@type": "WebSite", "name": "Example Site", "url": "https://example.org/site/"}
        og = dict(data["opengraph"][0]["properties"])
        assert (og["og:title"], og["og:type"], og["og:url"]) == (work.title, "article", PAGE_URL)
        assert og["article:published_time"] == "2024-05-01T00:00:00+00:00"
        dc = {element["name"]: element["content"] for element in data["dublincore"][0]["elements"]}
        assert dc["DC.title"] == work.title
        # The citation_* tags as a parser of them sees them (lxml, attribute order kept).
        tree = lxml_html.fromstring(page)
        parsed = [(m.get("name"), m.get("content")) for m in tree.xpath("//head/meta[starts-with(@name, 'citation_')]")]
        assert parsed == head.highwire
        assert not tree.xpath("//*[contains(@class, 'Z3988')]")      # no COinS
        assert [s.text for s in tree.xpath("//script")] == [json.dumps(head.json_ld).replace("<", "\\u003c")]
    ld = head_metadata(brief, SITE, PageInfo(PAGE_URL)).json_ld
    assert (ld["@type"], ld["reportNumber"], ld["dateModified"]) == ("Report", "WP-7", "2024-06-15T00:00:00+00:00")
    assert ld["author"][2] == {"@type": "Organization", "name": "Example Research Institute"}


# -- cite this page --------------------------------------------------------------------

def pandoc_reference(bibtex: str, tmp_path) -> str:
    bib = tmp_path / "cite.bib"
    bib.write_text(bibtex, encoding="utf-8")
    document = tmp_path / "cite.md"
    document.write_text('---\nnocite: "@*"\n---\n', encoding="utf-8")
    result = subprocess.run([pypandoc.get_pandoc_path(), str(document), "--citeproc", "--bibliography", str(bib),
                             "--csl", str(CSL), "-t", "plain", "--wrap=none"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_cite_bibtex_parses_and_pandoc_formats_the_reference(brief, tmp_path):
    records = cite_records(brief, SITE, PAGE_URL, taken={"lovelace2024notes"})
    assert records.key == "lovelace2024notesa"
    entry = parse_string(records.bibtex, "bibtex").entries[records.key]
    assert entry.type == "report"
    assert [str(p) for p in entry.persons["author"]] == [
        "Lovelace, Ada", "{Babbage}, {Charles}".replace("{", "").replace("}", ""),
        "{Example Research Institute}", "{Gabriel García Márquez}"]
    assert (entry.fields["institution"], entry.fields["number"]) == ("Example Research Institute", "WP-7")
    # The title exactly as written (braced: no style recases it); Chicago shows the DOI for the URL.
    expected = ("Lovelace, Ada, Charles Babbage, Example Research Institute, and Gabriel García Márquez. 2024. "
                "Notes on the Analytical Engine: a brief. WP-7. Example Research Institute. "
                "https://doi.org/10.5281/zenodo.1003150.")
    assert pandoc_reference(records.bibtex, tmp_path) == expected


def test_cite_reference_agrees_with_the_sites_formatter(tmp_path):
    """The site's formatter (model.citeproc, the one the references use) gives the same
    reference as pandoc reading the downloadable BibTeX."""
    from bs4 import BeautifulSoup

    from microsite.model.citeproc import Document, read_style, render

    work = web_article()
    records = cite_records(work, SITE, "https://example.org/site/articles/a/")
    assert records.bibtex.startswith("@online{lovelace2024engine,")
    expected = ("Lovelace, Ada. 2024. “The Engine & Its Notes.” Example Site, May 1. "
                "https://example.org/site/articles/a/.")
    assert pandoc_reference(records.bibtex, tmp_path) == expected
    rendered = render([Document("page", (f"[@{records.key}]",))], {records.key: records.bibtex},
                      read_style(str(CSL)))["page"]
    text = BeautifulSoup(rendered.references[0].html, "html.parser").get_text()
    assert " ".join(text.split()) == expected


def test_bibtex_special_characters_survive(tmp_path):
    title = r"Costs & benefits: 50% of #1 {braces} \ back_slash $5 ~tilde ^caret"
    work = web_article(title=title, authors=(Person("Ada Lovelace", "Ada", "Lovelace"),))
    records = cite_records(work, SITE, "https://example.org/site/a%C3%A9/#x")
    entry = parse_string(records.bibtex, "bibtex").entries[records.key]
    assert entry.fields["title"] == ("{Costs \\& benefits: 50\\% of \\#1 \\{braces\\} \\textbackslash{} "
                                     "back\\_slash \\$5 \\textasciitilde{}tilde \\textasciicircum{}caret}")
    assert entry.fields["url"] == "https://example.org/site/a%C3%A9/#x"
    assert f"“{title}.”" in pandoc_reference(records.bibtex, tmp_path)
    assert escape("a & b") == r"a \& b"


def test_cite_keys_are_unique_and_plain():
    work = web_article(title="The Ünïcode Piece", authors=(Person("Émile Zola", "Émile", "Zola"),))
    assert cite_key(work) == "zola2024unicode"
    assert cite_key(work, taken={"zola2024unicode", "Zola2024unicodea"}) == "zola2024unicodeb"
    org = web_article(authors=(Person("Example Research Institute", organisation=True),), date=None,
                      title="The Steam-Engine Question")
    assert cite_key(org) == "examplendsteam"


def test_ris_record_reads_back_with_rispy(brief):
    records = cite_records(brief, SITE, PAGE_URL)
    assert records.ris.startswith("TY  - RPRT")
    (entry,) = rispy.loads(records.ris)
    assert entry["type_of_reference"] == "RPRT"
    assert entry["authors"] == ["Lovelace, Ada", "Babbage, Charles", "Example Research Institute",
                                "Gabriel García Márquez"]
    assert (entry["title"], entry["year"], entry["date"]) == (brief.title, "2024", "2024/05/01")
    assert (entry["publisher"], entry["issn"], entry["doi"]) == ("Example Research Institute", "WP-7",
                                                                 "10.5281/zenodo.1003150")
    assert entry["urls"] == [PAGE_URL]
    (web,) = rispy.loads(cite_records(web_article(), SITE, None).ris)
    assert (web["type_of_reference"], web["secondary_title"]) == ("ELEC", "Example Site")


# -- CITATION.cff ------------------------------------------------------------------------

def test_citation_cff_is_valid_for_cffconvert_and_deterministic(brief, tmp_path):
    site = SiteInfo(name="Example Site", url="https://example.org/site/", description="A site.",
                    repository_url="https://github.com/example/site")
    data = citation_cff(brief, site, PAGE_URL, repository_license="MIT")
    text = write_cff(data, generated_from="docs/briefs/complete-brief.md")
    assert text == write_cff(citation_cff(brief, site, PAGE_URL, repository_license="MIT"),
                             generated_from="docs/briefs/complete-brief.md")
    assert list(data)[:5] == ["cff-version", "message", "type", "title", "authors"]
    assert data["type"] == "software" and data["preferred-citation"]["type"] == "report"
    assert data["preferred-citation"]["authors"][0]["orcid"] == "https://orcid.org/0000-0002-1825-0097"
    path = tmp_path / "CITATION.cff"
    path.write_text(text, encoding="utf-8")
    result = validate_cff(path)
    assert result.valid, result.output
    # A web article is cited as a website.
    web = citation_cff(web_article(), site, "https://example.org/site/articles/a/")
    path.write_text(write_cff(web), encoding="utf-8")
    assert validate_cff(path).valid
    assert web["preferred-citation"]["publisher"] == {"name": "Example Site"}


@pytest.mark.parametrize("breakage", ["drop-authors", "bad-orcid", "software-type-report"])
def test_a_broken_citation_cff_is_rejected(brief, tmp_path, breakage):
    data = citation_cff(brief, SITE, PAGE_URL)
    if breakage == "drop-authors":
        del data["authors"]
    elif breakage == "bad-orcid":
        data["authors"][0]["orcid"] = "0000-0002-1825-0097"          # not the URL form CFF requires
    else:
        data["type"] = "report"                                      # top level: software or dataset only
    path = tmp_path / "CITATION.cff"
    path.write_text(write_cff(data), encoding="utf-8")
    result = validate_cff(path)
    assert not result.valid and result.output


def test_missing_cffconvert_is_said_clearly(tmp_path):
    with pytest.raises(CffconvertMissing, match="cffconvert was not found .*install it"):
        validate_cff(tmp_path / "CITATION.cff", executable=tmp_path / "no-cffconvert")
