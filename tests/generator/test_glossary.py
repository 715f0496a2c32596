"""The glossary: entry pages, the index, automatic linking rules, backlinks, validation."""

from __future__ import annotations

import posixpath
import shutil

import pytest

from conftest import build_project, expect_problems, prepare


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = build_project(prepare("glossary", tmp_path_factory.mktemp("glossary")))
    assert built.ok, built.messages
    assert built.warnings == []
    return built


def links(element):
    return [(a.get_text(), a["href"].strip("./").split("/")[-1] or a["href"]) for a in element.select("a.mx-term")]


def test_longest_match_wins_and_first_occurrence_per_page_is_linked(site):
    article = site.article("articles/rules/")
    first = article.select("p:not(.mx-title-block p)")[0]     # the body's first paragraph (after the title block)
    assert links(first) == [("Belt and Road Initiative", "bri"), ("Belt and Road", "belt-and-road"),
                            ("Greater Eurasia", "greater-eurasia"), ("Eurasia", "eurasia")]


def test_acronyms_are_case_sensitive_whole_words_and_plurals_possessives_match(site):
    article = site.article("articles/rules/")
    paragraph = next(p for p in article.select("p") if "disco" in p.get_text())
    assert links(paragraph) == [("SCO", "sco"), ("sanctions", "sanction"), ("NATO’s", "nato"), ("IN", "in-acronym")]
    text = paragraph.get_text()
    assert "disco" in text and "a Sco," in text and " In and " in text
    # only the first occurrence of SCO on the page is a link; "SCO's" is not linked again
    assert [a.get_text() for a in paragraph.select("a.mx-term")].count("SCO") == 1


def test_never_in_headings_code_links_images_footnote_markers_or_opt_out(site):
    article = site.article("articles/rules/")
    for heading in article.select("h1, h2, h3"):
        assert not heading.select("a.mx-term")
    assert not article.select("code a, pre a")
    assert article.find("a", href="https://example.org").get_text() == "link about the sanctions"
    assert not article.select("a a")                                      # never nested links
    assert article.find("img")["alt"] == "an image of NATO"
    assert not article.select("sup a.mx-term, .footnote-ref a.mx-term")
    opt_out = article.select_one("p.no-glossary")
    assert "Shanghai Cooperation Organisation" in opt_out.get_text() and not opt_out.select("a")


def test_first_per_section_and_all_modes(tmp_path):
    per_section = build_project(prepare("glossary", tmp_path / "a", settings={"glossary_link": "first-per-section"}))
    article = per_section.article("articles/rules/")
    second = next(p for p in article.select("p") if "second occurrence" in p.get_text())
    assert [a.get_text() for a in second.select("a.mx-term")] == ["Eurasia", "SCO"]
    everything = build_project(prepare("glossary", tmp_path / "b", settings={"glossary_link": "all"}))
    article = everything.article("articles/rules/")
    paragraph = next(p for p in article.select("p") if "disco" in p.get_text())
    assert [a.get_text() for a in paragraph.select("a.mx-term")] == ["SCO", "SCO’s", "sanctions", "NATO’s", "IN"]


def test_entry_page_has_definition_see_also_and_mentions_but_no_self_link(site):
    page = site.article("glossary/sco/")
    assert page.h1.get_text(strip=True).startswith("Shanghai Cooperation Organisation (SCO)")
    body = page.select("p")[0]
    assert "SCO" in body.get_text()
    # No term link on the entry's page leads back to the entry itself.
    targets = {posixpath.normpath(posixpath.join("glossary/sco/", a["href"])) for a in page.select("a.mx-term")}
    assert targets and "glossary/sco" not in targets, targets
    see_also = page.select("ul.mx-see-also a")
    assert [(a.get_text(), a["href"]) for a in see_also] == [("North Atlantic Treaty Organisation (NATO)", "../nato/")]
    mentions = page.select("ul.mx-backlinks > li")
    texts = [li.get_text(" ", strip=True) for li in mentions]
    assert any(t.startswith("Term rules") and "Second section" in t for t in texts)
    assert any(t.startswith("Eurasia") for t in texts)            # mentioned in another entry
    article_mention = next(li for li in mentions if li.get_text().startswith("Term rules"))
    assert [a["href"] for a in article_mention.select("a")] == [
        "../../articles/rules/",
        "../../articles/rules/#the-sco-in-a-heading-is-not-linked",
        "../../articles/rules/#second-section",
    ]


def test_term_links_carry_the_summary_for_hover_previews(site):
    link = site.article("articles/rules/").select_one('a.mx-term[href$="greater-eurasia/"]')
    assert link["title"] == "Greater Eurasia: The definition of Greater Eurasia."


def test_index_lists_entries_a_to_z_with_summaries_and_letters(site):
    article = site.article("glossary/")
    entries = [a.get_text() for a in article.select("li > a")]
    assert entries == sorted(entries, key=str.casefold)
    assert entries[:2] == ["Belt and Road", "Belt and Road Initiative (BRI)"]
    letters = [a.get_text() for a in article.select("p a[href^='#']")]
    assert letters == ["B", "E", "G", "I", "N", "S"]
    for letter in letters:
        assert article.find(id=letter.lower()) is not None
    assert "The definition of Eurasia." in article.get_text()
    # entries are kept out of the navigation; the index is generated
    assert not site.page("glossary/").select('nav.md-nav--primary a[href$="sco/"]')


def test_validation_messages_name_files_and_lines(build_root):
    built = build_root("glossary-errors")
    assert not built.ok
    text = "\n".join(built.warnings)
    assert "docs/glossary/beta.md:3: the alias 'Alpha' is also 'Alpha' in docs/glossary/alpha.md:2" in text
    assert "docs/glossary/alpha.md:8: see_also: no glossary entry 'gamma'" in text
    assert "docs/glossary/alpha.md:5: the alias 'in' is a common English word" in text
    assert "docs/glossary/beta.md:6: the glossary entry 'Beta' has no definition" in text


# -- a site without entries ---------------------------------------------------------------

NAV = [{"Home": "index.md"}, {"Article": "articles/base.md"}, {"Glossary": "glossary/index.md"},
       {"Timeline": "timeline/index.md"}, {"Bibliography": "bibliography/index.md"}]


def _without_entries(tmp_path, empty_folder: bool, nav=None):
    project = prepare("catalogue", tmp_path, config={"nav": nav} if nav else None)
    shutil.rmtree(project / "docs" / "glossary")
    if empty_folder:
        (project / "docs" / "glossary").mkdir()
    return build_project(project)


def test_a_nav_line_to_the_concept_map_of_a_glossary_under_three_entries_is_reported_at_its_line(tmp_path):
    """The concept map is drawn from three entries: a `nav` line to it in a site with two got
    MkDocs' "A reference to 'glossary/map/index.md' is included in the 'nav' configuration,
    which is not found", with no line and no reason (as the glossary index did without entries)."""
    nav = [{"Home": "index.md"}, {"Glossary": [{"Terms": "glossary/index.md"}, {"Map": "glossary/map/index.md"}]}]
    project = prepare("catalogue", tmp_path, config={"nav": nav})          # two entries: alliance, treaty
    built = build_project(project)
    line = (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines().index("  - Map: glossary/map/index.md") + 1
    expect_problems(
        built,
        f"mkdocs.yml:{line}: `nav` lists glossary/map/index.md, but the glossary has 2 entries and the concept map is "
        "drawn from 3, so the site has no such page. Remove the line, or add entries (README, 'A glossary entry'); "
        "the navigation leaves it out meanwhile.")
    assert not [w for w in built.warnings if "is included in the 'nav' configuration" in w]


def _nothing_leads_to_the_glossary(built):
    assert not (built.site / "glossary").exists()
    for page in built.site.rglob("*.html"):
        assert not [a["href"] for a in built.page(str(page.relative_to(built.site))).select("a[href*='glossary']")], page
    assert "glossary" not in (built.site / "search" / "search_index.json").read_text(encoding="utf-8").lower()


@pytest.mark.parametrize("empty_folder", [False, True], ids=["no-folder", "empty-folder"])
def test_a_site_without_entries_has_no_glossary_page_nor_a_link_to_one(tmp_path, empty_folder):
    """As a site without a timeline file has no timeline: nothing to list, no page."""
    built = _without_entries(tmp_path, empty_folder)
    assert built.ok and built.warnings == []
    _nothing_leads_to_the_glossary(built)
    assert [a.get_text(strip=True) for a in built.page("").select("nav.md-nav--primary a.md-nav__link")] == [
        "Home", "A Clean Article", "Bibliography"]


def test_a_nav_line_to_a_page_the_site_does_not_generate_is_reported_at_its_line(tmp_path):
    built = _without_entries(tmp_path, empty_folder=False, nav=NAV)
    lines = (built.project / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    glossary, timeline = (lines.index(f"- {title}: {path}") + 1 for title, path in
                          (("Glossary", "glossary/index.md"), ("Timeline", "timeline/index.md")))
    expect_problems(
        built,
        f"mkdocs.yml:{glossary}: `nav` lists glossary/index.md, but there are no glossary entries "
        "(docs/glossary/<slug>.md), so the site has no such page. Remove the line, or add an entry (README, 'A "
        "glossary entry'); the navigation leaves it out meanwhile.",
        f"mkdocs.yml:{timeline}: `nav` lists timeline/index.md, but there is no docs/timeline.yml, so the site has "
        "no such page. Remove the line, or write docs/timeline.yml (README, 'A timeline'); the navigation leaves it "
        "out meanwhile.")
    assert len(built.warnings) == 2 + 1            # and MkDocs' "Aborted with … in strict mode"
    assert not [w for w in built.warnings if "is included in the 'nav' configuration" in w]


def test_the_forms_check_converts_as_mkdocs_converts_a_page(tmp_path):
    """The check of glossary forms converts them with the site's Markdown extensions, outside
    a page: Material's `material.extensions.preview` (instant previews) needs the `relpath`
    processor MkDocs registers on every page, and every build of a site with entries ended in
    `ValueError: No item named "relpath" exists.` (a traceback)."""
    project = prepare("basic", tmp_path, config={"markdown_extensions": [
        "attr_list", "footnotes", "smarty", "abbr", {"toc": {"permalink": True}},
        {"material.extensions.preview": {"targets": {"include": ["articles/*"]}}}]},
        files={"docs/glossary/coded.md": "---\nterm: Coded Term\naliases: ['`coded`', '[l](x.md)']\n---\n\nA term.\n"})
    built = build_project(project)
    expect_problems(built, *(
        f"docs/glossary/coded.md:3: the alias '{form}' is never linked: Markdown reads it as markup, not as text, "
        f"wherever a page writes it (a reader sees '{seen}'). Write it as readers see it, without Markdown marks, HTML "
        "tags, character references (`&amp;`) or backslash escapes; or remove it." for form, seen in
        (("`coded`", "coded"), ("[l](x.md)", "l"))))
    # and MkDocs' "Aborted with … in strict mode"; not its "contains a link 'x.md'" against some entry
    assert len(built.warnings) == 2 + 1, built.warnings
