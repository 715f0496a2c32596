"""The scholarly layer on built pages (issue #14), on the `scholarly` root: an article with
the whole academic front matter and a one-page brief.

The page head is read back by the clients that use it: extruct (JSON-LD, Open Graph,
Dublin Core; a parse error fails) and a parser of Highwire `citation_*` tags as Google
Scholar and Zotero read them (in document order, an author's institution after the
author). "Cite this page" is checked against pybtex and pandoc --citeproc reading the
downloadable BibTeX, and hostile front matter against a real HTML parser.
"""

from __future__ import annotations

import json
import re
import subprocess

import extruct
import pypandoc
import pytest
import rispy
from bs4 import BeautifulSoup
from lxml import html as lxml_html
from pybtex.database import parse_string

from browsing import unzip_offline_edition
from conftest import REPO, build_project, expect_problems, prepare

CSL = REPO / "hooks" / "microsite" / "model" / "styles" / "chicago-author-date.csl"
ROOT = "scholarly"
BASE = "https://example.org/scholarly/"
ARTICLE, BRIEF = "articles/engine/", "briefs/short/"
NO_SITE_URL = "mkdocs.yml: no `site_url`"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = build_project(prepare(ROOT, tmp_path_factory.mktemp("scholarly")))
    assert built.ok, built.warnings
    assert built.warnings == []
    return built


def raw(built, url: str) -> str:
    return (built.site / url / "index.html").read_text(encoding="utf-8")


def one_line(text: str) -> str:
    return " ".join(text.split())


# -- Highwire, as Scholar and Zotero read it ------------------------------------------

def citation_tags(page_html: str) -> list[tuple[str, str]]:
    """Every `<meta name="citation_*">` in document order, as (name, content)."""
    tree = lxml_html.fromstring(page_html)
    return [(meta.get("name"), meta.get("content")) for meta in tree.xpath("//head/meta[starts-with(@name, 'citation_')]")]


def highwire_record(page_html: str) -> dict:
    """The record a Highwire reader makes: authors with the institutions and ORCID that follow each."""
    record: dict = {"authors": []}
    for name, content in citation_tags(page_html):
        key = name[len("citation_"):]
        if key == "author":
            record["authors"].append({"name": content, "institutions": [], "orcid": None})
        elif key == "author_institution":
            record["authors"][-1]["institutions"].append(content)
        elif key == "author_orcid":
            record["authors"][-1]["orcid"] = content
        else:
            record.setdefault(key, []).append(content)
    return record


def test_the_article_head_gives_scholar_and_zotero_the_whole_record(site):
    record = highwire_record(raw(site, ARTICLE))
    assert record["authors"] == [
        {"name": "Lovelace, Ada", "institutions": ["Analytical Society", "Royal Institution"],
         "orcid": "https://orcid.org/0000-0002-1825-0097"},
        {"name": "Babbage, Charles", "institutions": ["Analytical Society"], "orcid": None}]
    assert record["title"] == ["Notes on the Analytical Engine"]
    assert record["publication_date"] == record["online_date"] == ["2024/05/01"]
    assert record["doi"] == ["10.5281/zenodo.1003150"]
    assert record["keywords"] == ["computing", "engines"]
    assert record["abstract"] == ["The engine weaves algebraic patterns as the loom weaves flowers and leaves. "
                                  "A second paragraph of the abstract."]
    assert record["language"] == ["en"]
    # every reference the page lists, as plain text, as the page shows it
    assert record["reference"] == ["Doe, Jane. 2020. A Book about Things. University Press."]
    listed = one_line(site.article(ARTICLE).select_one("ul.mx-references > li").get_text())
    assert listed.startswith(record["reference"][0])
    assert "pdf_url" not in record          # this build makes no PDF (test_pdf_document.py)


def test_the_brief_is_a_report_and_its_corporate_author_stays_whole(site):
    page = raw(site, BRIEF)
    # Material's own author tag names the brief's author, not the site's
    assert BeautifulSoup(page, "lxml").select_one('meta[name="author"]')["content"] == "Example Editors"
    record = highwire_record(page)
    assert record["authors"] == [{"name": "Example Editors,", "institutions": [], "orcid": None}]
    assert record["technical_report_institution"] == ["Scholarly test site"]   # the site issues it
    dublin_core = extruct.extract(page, base_url=BASE + BRIEF, syntaxes=["dublincore"], errors="strict")
    elements = {e["URI"]: e["content"] for e in dublin_core["dublincore"][0]["elements"]}
    assert elements["http://purl.org/dc/elements/1.1/type"] == "Report"


@pytest.mark.parametrize("url", ["", "glossary/", "glossary/engine/", "bibliography/", "bibliography/doe2020book/",
                                 "downloads/"])
def test_only_articles_and_briefs_carry_scholarly_tags(site, url):
    head = BeautifulSoup(raw(site, url), "lxml").head
    assert head.select('meta[name^="citation_"], meta[name^="DC."], meta[property^="og:"], '
                       'meta[property^="article:"], script[type="application/ld+json"]') == []
    assert site.article(url).select(".mx-title-block, .mx-cite") == []


def test_extruct_reads_json_ld_open_graph_and_dublin_core(site):
    page = raw(site, ARTICLE)
    data = extruct.extract(page, base_url=BASE + ARTICLE, syntaxes=["json-ld", "opengraph", "dublincore", "microdata"],
                           errors="strict")
    assert data["microdata"] == []          # nothing describes the page a second time, differently
    (article,) = data["json-ld"]
    assert article["@type"] == "ScholarlyArticle"
    assert article["headline"] == "Notes on the Analytical Engine"
    assert [a["name"] for a in article["author"]] == ["Ada Lovelace", "Charles Babbage"]
    assert article["author"][0]["sameAs"] == ["https://orcid.org/0000-0002-1825-0097"]
    assert article["datePublished"] == "2024-05-01T00:00:00+01:00"       # Europe/London, summer time
    assert article["dateModified"] == "2024-06-15T00:00:00+01:00"
    assert article["url"] == BASE + ARTICLE
    assert article["license"] == "https://spdx.org/licenses/CC-BY-4.0.html"
    assert article["identifier"]["value"] == "10.5281/zenodo.1003150"
    (graph,) = data["opengraph"]
    properties = dict(graph["properties"])
    assert (properties["og:type"], properties["og:url"]) == ("article", BASE + ARTICLE)
    assert properties["article:published_time"] == "2024-05-01T00:00:00+01:00"
    (dublin,) = data["dublincore"]
    # extruct resolves DC.* through the page's <link rel="schema.DC">
    elements = [(e["URI"].rsplit("/", 1)[-1], e["content"]) for e in dublin["elements"]
                if e["name"].startswith("DC.")]
    assert [content for name, content in elements if name == "creator"] == ["Lovelace, Ada", "Babbage, Charles"]
    assert dict(elements)["type"] == "Web Page" and dict(elements)["identifier"] == "10.5281/zenodo.1003150"
    assert [(t["URI"], t["content"]) for t in dublin["terms"]] == [("http://purl.org/dc/terms/modified", "2024-06-15")]


def test_a_broken_json_ld_block_fails_the_strict_extraction(site):
    """The check above can fail: extruct's strict mode raises on a block it cannot parse."""
    page = raw(site, ARTICLE).replace('<script type="application/ld+json">{', '<script type="application/ld+json">{,')
    with pytest.raises(ValueError):
        extruct.extract(page, base_url=BASE + ARTICLE, syntaxes=["json-ld"], errors="strict")


# -- a picture for link previews and Google's Article `image` ------------------------------

# The smallest PNG: 1 x 1 pixel (a signature, IHDR, IDAT and IEND).
PIXEL = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                      "0000000d4944415478da63f8cfc0f01f0005000201a4d5a3aa0000000049454e44ae426082")


def test_an_image_in_the_front_matter_is_the_pages_og_twitter_and_json_ld_image(tmp_path):
    text = (REPO / "tests/roots/scholarly/docs/articles/engine.md").read_text(encoding="utf-8")
    project = prepare(ROOT, tmp_path, files={
        "docs/articles/engine.md": text.replace("date: 2024-05-01", "date: 2024-05-01\nimage: figures/loom.png"),
        "docs/briefs/short.md": (REPO / "tests/roots/scholarly/docs/briefs/short.md").read_text(encoding="utf-8")
        .replace("date: 2024-05-02", "date: 2024-05-02\nimage: https://images.example.net/brief.jpg")})
    (project / "docs/articles/figures").mkdir()
    (project / "docs/articles/figures/loom.png").write_bytes(PIXEL)
    built = build_project(project)
    assert built.ok and built.warnings == []
    for url, image in ((ARTICLE, BASE + "articles/figures/loom.png"),
                       (BRIEF, "https://images.example.net/brief.jpg")):
        page = raw(built, url)
        data = extruct.extract(page, base_url=BASE + url, syntaxes=["json-ld", "opengraph"], errors="strict")
        (work,) = data["json-ld"]
        assert work["image"] == [image]                                   # Google's Article `image`
        assert dict(data["opengraph"][0]["properties"])["og:image"] == image
        head = BeautifulSoup(page, "lxml").head
        assert head.select_one('meta[name="twitter:image"]')["content"] == image
        assert head.select_one('meta[name="twitter:card"]')["content"] == "summary_large_image"
    assert (built.site / "articles/figures/loom.png").read_bytes() == PIXEL


# -- the title block ---------------------------------------------------------------------

def test_the_title_block_shows_authors_affiliations_orcid_dates_doi_licence_and_abstract(site):
    block = site.article(ARTICLE).select_one(".mx-title-block")
    byline = block.select_one("p.mx-byline")
    assert one_line(byline.get_text()) == ("By Ada Lovelace1,2 iD and Charles Babbage1 · This edition: 1 May 2024 "
                                           "· updated 15 June 2024")
    assert byline.select_one("a.mx-orcid")["href"] == "https://orcid.org/0000-0002-1825-0097"
    assert [t["datetime"] for t in byline.select("time")] == ["2024-05-01", "2024-06-15"]
    assert [one_line(a.get_text()) for a in block.select(".mx-affiliation")] == ["1 Analytical Society",
                                                                                "2 Royal Institution"]
    assert block.select_one(".mx-doi a")["href"] == "https://doi.org/10.5281/zenodo.1003150"
    assert block.select_one(".mx-license a")["href"] == "https://spdx.org/licenses/CC-BY-4.0.html"
    assert [p.get_text() for p in block.select(".mx-abstract p")] == [
        "The engine weaves algebraic patterns as the loom weaves flowers and leaves.",
        "A second paragraph of the abstract."]
    # in print only: the cite-as line and the online address
    cite_as = block.select_one(".mx-print-only.mx-cite-as")
    assert "Cite as: Lovelace, Ada, and Charles Babbage. 2024." in one_line(cite_as.get_text())
    assert cite_as.select_one("a.uri")["href"] == BASE + ARTICLE


def test_a_summary_is_shown_under_its_label_but_never_as_an_abstract(site):
    """The brief has a summary and no abstract: the summary is shown under the title, labelled
    `summary_label` ("Summary"), never called an abstract on the page or in its head; the
    article, which has an abstract, shows only that."""
    shown = site.article(BRIEF).select(".mx-title-block .mx-abstract")
    assert [one_line(block.get_text(" ")) for block in shown] == ["Summary A one-page brief by the site's editors."]
    assert shown[0].select(".mx-abstract--summary") == [] and "mx-abstract--summary" in shown[0]["class"]
    assert not shown[0].has_attr("role")                    # doc-abstract is the author's abstract only
    assert "abstract" not in highwire_record(raw(site, BRIEF))
    assert [one_line(t.get_text()) for t in site.article(ARTICLE).select(".mx-abstract__title")] == ["Abstract"]
    assert one_line(site.article(BRIEF).select_one("p.mx-byline").get_text()) == \
        "By Example Editors · This edition: 2 May 2024"


# -- cite this page ----------------------------------------------------------------------

def pandoc_reference(bib_path) -> str:
    document = bib_path.parent / "cite.md"
    document.write_text('---\nnocite: "@*"\n---\n', encoding="utf-8")
    result = subprocess.run([pypandoc.get_pandoc_path(), str(document), "--citeproc", "--bibliography",
                             str(bib_path), "--csl", str(CSL), "-t", "plain", "--wrap=none"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("url", [ARTICLE, BRIEF])
def test_cite_this_page_is_the_reference_pandoc_formats_from_the_downloadable_bibtex(site, url, tmp_path):
    box = site.article(url).select_one(".mx-cite")
    heading = box.find_previous_sibling("h2")
    assert heading.get_text(strip=True).startswith("Cite this page")
    bibtex = box.select_one("#mx-cite-bibtex").get_text()
    download = box.select('a.mx-cite__download')[0]
    path = site.site / url / download["href"]
    assert path.read_text(encoding="utf-8") == bibtex          # the download is what the page shows
    (key, entry), = parse_string(bibtex, "bibtex").entries.items()
    assert entry.fields["url"] == BASE + url
    assert entry.fields["date"] == ("2024-05-01" if url == ARTICLE else "2024-05-02")
    copy = tmp_path / "copy.bib"
    copy.write_text(bibtex, encoding="utf-8")
    assert one_line(box.select_one("#mx-cite-reference").get_text()) == pandoc_reference(copy)
    ris_link = box.select('a.mx-cite__download')[1]
    (ris,) = rispy.loads((site.site / url / ris_link["href"]).read_text(encoding="utf-8"))
    assert ris["title"] == ("Notes on the Analytical Engine" if url == ARTICLE else "A short brief")
    assert ris["id"] == key
    # one button per record, for Material's clipboard (which works from file:// too)
    assert [b["data-clipboard-target"] for b in box.select("button")] == ["#mx-cite-reference", "#mx-cite-bibtex",
                                                                          "#mx-cite-ris"]


def test_a_page_key_never_takes_a_bib_key_or_another_pages_key(tmp_path):
    article = (REPO / "tests/roots/scholarly/docs/articles/engine.md").read_text(encoding="utf-8")
    built = build_project(prepare(ROOT, tmp_path, files={
        "docs/articles/engine-again.md": article,          # the same first author, year and title word
        "bib/more.bib": "@book{Lovelace2024Notes,\n  author = {Lovelace, Ada},\n  title = {Notes},\n"
                        "  publisher = {Press},\n  year = {2024}\n}\n"}))
    assert built.ok, built.warnings
    keys = [next(iter(parse_string(built.article(url).select_one("#mx-cite-bibtex").get_text(), "bibtex").entries))
            for url in ("articles/engine/", "articles/engine-again/")]
    # the bib file has Lovelace2024Notes; pages take the next letters in file-name order
    assert keys == ["lovelace2024notesb", "lovelace2024notesa"]


def test_the_cite_box_and_the_cite_as_line_stay_out_of_search(site):
    index = json.loads((site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(document["text"] for document in index["docs"])
    assert "@online{" not in text and "TY  -" not in text and "Cite as:" not in text
    assert "Operations act on numbers" in text          # the article itself is searchable


def test_the_article_reference_names_everything_a_reader_needs(site):
    reference = one_line(site.article(ARTICLE).select_one("#mx-cite-reference").get_text())
    assert reference == ("Lovelace, Ada, and Charles Babbage. 2024. “Notes on the Analytical Engine.” "
                         "Scholarly test site, May 1. https://doi.org/10.5281/zenodo.1003150.")


@pytest.fixture(scope="module")
def offline_folder(tmp_path_factory):
    """The offline edition of the root, unzipped."""
    folder = tmp_path_factory.mktemp("offline")
    built = build_project(prepare(ROOT, folder, settings={"offline": True}))
    assert built.ok, built.warnings
    return unzip_offline_edition(built.site, folder / "unzipped")


def test_cite_downloads_work_in_the_offline_edition(offline_folder):
    page = offline_folder / "articles" / "engine.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    for link in soup.select("a.mx-cite__download"):
        target = (page.parent / link["href"]).resolve()
        assert target.is_file(), link["href"]
        assert target.read_text(encoding="utf-8") == soup.select_one(
            "#mx-cite-bibtex" if link["href"].endswith(".bib") else "#mx-cite-ris").get_text()
    # the offline page's head names the online page, as the online site does
    assert highwire_record(page.read_text(encoding="utf-8"))["title"] == ["Notes on the Analytical Engine"]
    assert 'property="og:url" content="https://example.org/scholarly/articles/engine/"' in page.read_text("utf-8")


@pytest.mark.browser
def test_the_copy_buttons_copy_each_record_from_the_offline_folder(browser, offline_folder):
    """From file://, with no network: Material's clipboard copies the text of each record."""
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    outside: list[str] = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                  else (outside.append(route.request.url), route.abort()))
    page = context.new_page()
    page.goto((offline_folder / "articles" / "engine.html").as_uri())
    for target in ("#mx-cite-reference", "#mx-cite-bibtex", "#mx-cite-ris"):
        page.click(f"button[data-clipboard-target='{target}']")
        page.wait_for_selector(".md-dialog--active", timeout=5000)
        assert page.inner_text(".md-dialog").strip() == "Copied to clipboard"
        copied = page.evaluate("navigator.clipboard.readText()")
        assert one_line(copied) == one_line(page.inner_text(target)), target
    context.close()
    assert outside == []


# -- without site_url ----------------------------------------------------------------------

def test_without_site_url_the_absolute_tags_are_left_out_and_the_build_says_so_once(tmp_path):
    built = build_project(prepare(ROOT, tmp_path, config={"site_url": None}))
    assert built.ok and built.warnings == []
    assert len([m for m in built.messages if m.startswith(NO_SITE_URL)]) == 1
    page = raw(built, ARTICLE)
    head = BeautifulSoup(page, "lxml").head
    assert head.select('meta[property="og:url"], meta[name="citation_pdf_url"]') == []
    (article,) = extruct.extract(page, syntaxes=["json-ld"], errors="strict")["json-ld"]
    assert "url" not in article and "encoding" not in article
    bibtex = BeautifulSoup(page, "lxml").select_one("#mx-cite-bibtex").get_text()
    assert "url =" not in bibtex


def test_a_page_without_a_date_is_said_once_and_still_cited(tmp_path):
    built = build_project(prepare(ROOT, tmp_path, files={
        "docs/briefs/undated.md": "---\ntitle: Undated\nauthors: [Ada Lovelace]\nsummary: No date.\n---\n\nText.\n"}))
    assert built.ok and built.warnings == []
    assert [m for m in built.messages if "no `date`" in m] == [
        "docs/briefs/undated.md: no `date`, so the page's metadata and citation give no date (Google Scholar "
        "needs at least the year). Add `date: YYYY-MM-DD`, the date of this edition."]
    assert "publication_date" not in highwire_record(raw(built, "briefs/undated/"))


def test_a_wrong_date_is_reported_once_not_also_said_to_be_missing(tmp_path):
    built = build_project(prepare(ROOT, tmp_path, files={
        "docs/briefs/wrong.md": "---\ntitle: Wrong\nauthors: [Ada Lovelace]\nsummary: Bad.\ndate: 2024-02-30\n---\n\nT.\n"}))
    assert [w for w in built.warnings if "wrong.md" in w] == [
        "docs/briefs/wrong.md:5: `date: 2024-02-30` is not a real date (day is out of range for month). Write the date "
        "as YYYY-MM-DD, e.g. `date: 2020-11-05`."]
    assert [m for m in built.messages if "no `date`" in m] == []


# -- the content contract and the scholarly fields are one check -----------------------------

def test_a_mistyped_orcid_is_reported_once_at_its_line(tmp_path):
    text = (REPO / "tests/roots/scholarly/docs/articles/engine.md").read_text(encoding="utf-8")
    built = build_project(prepare(ROOT, tmp_path, files={
        "docs/articles/engine.md": text.replace("0000-0002-1825-0097", "0000-0002-1825-0098")}))
    expect_problems(built, "docs/articles/engine.md:5: author #1: `orcid: https://orcid.org/0000-0002-1825-0098` "
                           "fails the ORCID checksum: a character is mistyped. Copy the iD from the author's ORCID "
                           "record, e.g. `0000-0002-1825-0097` or `https://orcid.org/0000-0002-1825-0097`")
    assert len([w for w in built.warnings if "ORCID" in w]) == 1


# -- CITATION.cff ------------------------------------------------------------------------------

def test_the_site_publishes_a_valid_citation_file(site):
    from microsite.scholarly.cff import validate_cff

    path = site.site / "CITATION.cff"
    text = path.read_text(encoding="utf-8")
    assert "  title: Notes on the Analytical Engine\n" in text and "url: https://example.org/scholarly/articles/engine/" in text
    assert validate_cff(path).valid


def test_a_committed_citation_file_that_says_otherwise_is_reported(tmp_path, site):
    expected = (site.site / "CITATION.cff").read_text(encoding="utf-8")
    # the same file with another deployment address is up to date
    same = build_project(prepare(ROOT, tmp_path / "same", files={
        "CITATION.cff": expected.replace(BASE, "https://elsewhere.example/")}))
    assert same.ok and same.warnings == []
    stale = build_project(prepare(ROOT, tmp_path / "stale", files={
        "CITATION.cff": expected.replace("date-published: '2024-05-01'", "date-published: '2023-01-01'")}))
    expect_problems(stale, "CITATION.cff: out of date: it does not say what docs/articles/engine.md and mkdocs.yml "
                           "say. Run `make citation` to write it again from them, and commit it.")


def test_a_committed_citation_file_with_no_article_left_is_reported(tmp_path, site):
    """A new site comes with CITATION.cff: once its example article is gone (a site of briefs
    only), the file would go on citing the example, unchecked."""
    project = prepare(ROOT, tmp_path, files={"CITATION.cff": (site.site / "CITATION.cff").read_text(encoding="utf-8")})
    (project / "docs" / "articles" / "engine.md").unlink()
    expect_problems(build_project(project), "CITATION.cff: no article in docs/articles/ for it to cite. Delete "
                                            "CITATION.cff, or add an article and run `make citation`, and commit.")


# -- hostile front matter ------------------------------------------------------------------------

HOSTILE_TITLE = 'A "quoted" </script><script>alert(1)</script> <b>title</b> & co'
HOSTILE_AUTHOR = "Eve </script><script>alert(2)</script>"
HOSTILE_AFFILIATION = '"><img src=x onerror=alert(3)>'
HOSTILE_ABSTRACT = "An abstract </script><script>alert(4)</script> with 'quotes' & \"more\"."
HOSTILE = f"""---
title: {json.dumps(HOSTILE_TITLE)}
authors:
  - name: {json.dumps(HOSTILE_AUTHOR)}
    affiliation: {json.dumps(HOSTILE_AFFILIATION)}
date: 2024-05-01
keywords: ["</script>", "<!--"]
summary: {json.dumps('A summary "with" </title> <script>alert(5)</script>')}
abstract: {json.dumps(HOSTILE_ABSTRACT)}
---

Text.
"""


def test_hostile_front_matter_is_text_in_every_tag_and_in_json_ld(tmp_path):
    built = build_project(prepare(ROOT, tmp_path, files={"docs/articles/hostile.md": HOSTILE}))
    assert built.ok, built.warnings
    page = raw(built, "articles/hostile/")
    tree = lxml_html.fromstring(page)
    # nothing from the front matter became an element: the only scripts are Material's and the JSON-LD
    scripts = tree.xpath("//script")
    assert [s.get("type") for s in scripts if s.get("src") is None and s.get("type") != "application/ld+json"
            and "alert" in (s.text or "")] == []
    assert tree.xpath("//img[@onerror]") == [] and tree.xpath("//b[contains(., 'title')]") == []
    (json_ld,) = [s for s in scripts if s.get("type") == "application/ld+json"]
    data = json.loads(json_ld.text)
    assert data["headline"] == HOSTILE_TITLE
    assert data["author"][0]["name"] == HOSTILE_AUTHOR
    assert data["author"][0]["affiliation"] == [{"@type": "Organization", "name": HOSTILE_AFFILIATION}]
    assert data["abstract"] == HOSTILE_ABSTRACT and data["keywords"] == ["</script>", "<!--"]
    assert "</script>" not in json_ld.text.lower().replace("<\\/script>", "")
    (extracted,) = extruct.extract(page, syntaxes=["json-ld"], errors="strict")["json-ld"]
    assert extracted["headline"] == HOSTILE_TITLE
    tags = dict(citation_tags(page))
    assert tags["citation_title"] == HOSTILE_TITLE
    assert tags["citation_author_institution"] == HOSTILE_AFFILIATION
    assert tags["citation_abstract"] == HOSTILE_ABSTRACT
    metas = {m.get("property") or m.get("name"): m.get("content") for m in tree.xpath("//head/meta")}
    assert metas["og:title"] == metas["DC.title"] == metas["twitter:title"] == HOSTILE_TITLE
    assert metas["DC.creator"] == metas["author"] == HOSTILE_AUTHOR
    # the title block and the cite box show the same text, as text
    block = tree.xpath("//div[@class='mx-title-block']")[0]
    assert HOSTILE_AUTHOR in block.text_content() and HOSTILE_AFFILIATION in block.text_content()
    assert HOSTILE_ABSTRACT in block.text_content()
    assert HOSTILE_TITLE.replace("&", "\\&") in tree.xpath("//div[@id='mx-cite-bibtex']/pre")[0].text_content()
    assert re.search(r"<script>alert\(\d\)", page) is None
