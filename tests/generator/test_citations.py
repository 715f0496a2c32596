"""Citations: rendering, references, what is left alone, and located errors."""

from __future__ import annotations

import re

import pytest


@pytest.fixture(scope="module")
def basic(tmp_path_factory):
    from conftest import build_project, prepare

    built = build_project(prepare("basic", tmp_path_factory.mktemp("citations")))
    assert built.ok, built.messages
    return built


def citations(article):
    return [span for span in article.select("span.citation")]


def test_in_text_citations_render_chicago_author_date_with_locators(basic):
    article = basic.article("articles/one/")
    texts = [span.get_text() for span in citations(article)]
    assert texts == [
        "(Doe 2020, 5)",                                  # [@doe2020book, p. 5]
        "(see Smith and Jones 2019, chap. 2; Doe 2020)",  # [see @smith2019article, chap. 2; @doe2020book]
        "(2019)",                                         # [-@smith2019article]
    ]


def test_every_citation_links_to_its_reference_and_shows_it_on_hover(basic):
    article = basic.article("articles/one/")
    for link in article.select("span.citation a.citation__ref"):
        target = article.find(id=link["href"][1:])
        assert target is not None and target.name == "li"
        assert link["title"] == target.select_one("a.mx-references__details").previous_sibling.strip() \
            or link["title"].startswith(target.get_text()[:20])


def test_references_are_sorted_and_link_to_source_pages(basic):
    article = basic.article("articles/one/")
    heading = article.find("h2", id="references")
    assert heading is not None
    items = article.select("ul.mx-references > li")
    assert [li["id"] for li in items] == ["ref-doe2020book", "ref-smith2019article"]
    assert items[1].get_text().startswith("Smith, John, and Mary Jones. 2019. “An Article on Eurasia.”")
    assert "Journal of Studies" in items[1].em.get_text()
    for li in items:
        details = li.select_one("a.mx-references__details")["href"]
        assert re.fullmatch(r"\.\./\.\./bibliography/[\w-]+/", details)
        assert (basic.site / "articles/one" / details / "index.html").resolve().is_file()
    # the References heading is in the page's table of contents
    toc = basic.page("articles/one/").select('nav.md-nav--secondary a[href="#references"]')
    assert toc


def test_code_email_and_link_text_are_left_alone(basic):
    article = basic.article("articles/one/")
    assert article.find("code", string="[@doe2020book]") is not None
    assert "[@smith2019article] in a code block" in article.find("pre").get_text()
    assert "mail me@example.com" in article.get_text()
    link = article.find("a", href="https://example.com")
    assert link.get_text() == "text with @name"


def test_inline_code_that_an_extension_highlights_is_left_alone(build_root):
    # pymdownx.inlinehilite stashes an inline code span's text where Markdown keeps raw
    # HTML: it is code, not raw HTML with a citation in it.
    built = build_root("basic", config={"markdown_extensions": [
        "attr_list", "footnotes", "smarty", "abbr", {"toc": {"permalink": True}},
        "pymdownx.highlight", "pymdownx.inlinehilite"]}, files={
        "docs/articles/code.md": "---\ntitle: Code\nauthors: [Ada Author]\nsummary: Code.\n---\n\n"
                                 "Inline `x = \"[@doe2020book]\"` code and `#!python y = \"[@doe2020book]\"` too.\n"})
    assert built.ok, built.warnings
    paragraph = next(p for p in built.article("articles/code/").find_all("p") if p.get_text().startswith("Inline"))
    codes = [code.get_text() for code in paragraph.find_all("code")]
    assert codes == ['x = "[@doe2020book]"', 'y = "[@doe2020book]"'], codes


def test_errors_are_located_and_fail_the_strict_build(build_root):
    built = build_root("bib-errors")
    assert not built.ok
    text = "\n".join(built.warnings)
    # unknown key, with the line of the citation and a suggestion
    assert "docs/articles/a.md:10: unknown citation key 'doe2020bok'. Did you mean 'doe2020book'?" in text
    # a key repeated in two bib files: both places
    assert "bib/b.bib:2: key 'doe2020book' is already defined in bib/a.bib:1" in text
    # malformed BibTeX: file, the line where the unclosed brace starts, the entry
    assert "bib/a.bib:14: BibTeX: syntax error: the brace opened in `title` on this line is never closed" in text
    assert "(in entry 'broken' starting on line 13)" in text
    # a key that cannot be written bare is cited in braces: the hint says how
    assert ("docs/articles/a.md:12: unknown citation key 'smith2020'. Did you mean 'smith2020.'? "
            "Write it in braces: [@{smith2020.}]") in text
    # a field the style needs
    assert "bib/a.bib:8: @article 'noyear' has no year (or date), no journaltitle or journal" in text
    # the unknown citation stays visible, flagged, instead of vanishing (a strict build
    # writes every page, then fails)
    flagged = built.article("articles/a/").select_one("span.citation--unresolved")
    assert flagged.get_text() == "[@doe2020bok]"


def test_unknown_key_build_still_writes_the_page_without_strict(build_root):
    built = build_root("bib-errors", strict=False)
    assert built.ok
    flagged = built.article("articles/a/").select_one("span.citation--unresolved")
    assert flagged.get_text() == "[@doe2020bok]"
    assert "Unknown source: doe2020bok" == flagged["title"]


def test_a_citation_only_in_included_text_is_formatted_too(build_root, tmp_path):
    # pymdownx.snippets adds the text while the page is rendered, after the quick scan of
    # the Markdown files that starts the formatting early: the page is formatted again.
    built = build_root(
        "basic",
        config={"markdown_extensions": [
            "attr_list", "footnotes", "smarty", "abbr", {"toc": {"permalink": True}},
            {"pymdownx.snippets": {"base_path": [str(tmp_path / "basic" / "snippets")], "check_paths": True}},
        ]},
        files={
            "bib/extra.bib": "@book{roe2021,\n  author = {Roe, Richard},\n  title = {Another Book},\n"
                             "  publisher = {Press},\n  year = {2021}\n}\n",
            "snippets/claim.md": "An included claim [@roe2021].\n",
            "docs/articles/two.md": "---\ntitle: Two\nauthors: [Ada Author]\nsummary: Includes a claim.\n---\n\n"
                                    "--8<-- \"claim.md\"\n",
        },
    )
    assert built.ok, built.warnings
    article = built.article("articles/two/")
    assert article.select_one("span.citation").get_text() == "(Roe 2021)"
    (item,) = article.select("ul.mx-references > li")
    assert item.get_text().startswith("Roe, Richard. 2021. Another Book. Press.")
    assert item.select_one("a.mx-references__details")["href"] == "../../bibliography/"
    assert any("'roe2021' is cited in text the pre-scan of the Markdown did not see" in message
               for message in built.messages)


def test_a_cold_build_with_the_offline_edition_runs_citeproc_once(tmp_path):
    """The offline edition's build (a second MkDocs process) reads what the online
    build formatted instead of formatting it again: one citeproc run per document."""
    import os
    import subprocess
    import sys

    import pypandoc
    from conftest import prepare

    log = tmp_path / "pandoc-runs.txt"
    wrapper = tmp_path / "pandoc"
    # The first run is slow, so that the other build asks while it is still formatting.
    wrapper.write_text(f'#!/bin/sh\nif [ "$1" = lua ]; then\n  [ -s "{log}" ] || sleep 4\n'
                       f'  echo "$$" >> "{log}"\nfi\nexec "{pypandoc.get_pandoc_path()}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    env = dict(os.environ, PYPANDOC_PANDOC=str(wrapper), NO_MKDOCS_2_WARNING="1")

    def runs(name: str, offline: bool) -> int:
        project = prepare("basic", tmp_path / name, settings={"offline": offline, "pdf": False})
        log.write_text("", encoding="utf-8")
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        return len(log.read_text(encoding="utf-8").split())

    alone = runs("online-only", offline=False)
    assert alone >= 1
    assert runs("with-offline", offline=True) == alone
