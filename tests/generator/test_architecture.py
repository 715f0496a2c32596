"""The architecture's promises: a feature is one module plus its registration,
late sections cannot fail silently, generated HTML comes from templates a site
can override, and a citation is handled wherever Markdown lets an author put it."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from markupsafe import Markup

from conftest import build_project, expect_problems, prepare
from microsite import build as build_module
from microsite.context import PageState
from microsite.feature import Feature
from microsite.generated import add_file, front_matter, late
from microsite.late import LateSections, Marker, marker_html
from microsite.problems import Problems


class ToyPage(Feature):
    """A generated page with a late section: the whole of a new feature."""

    name = "toy"

    def late_kinds(self):
        return {"toy": self._toy_html}

    def on_files(self, files):
        add_file(self.context, files, "toy/index.md",
                 front_matter(title="Toy <page> & co") + late("toy", "A & B") + late("toy", "missing"))

    def _toy_html(self, marker, state):
        if marker.target == "missing":
            return None
        return self.context.templates.render("microsite/toy.html", target=marker.target, page=state.url)


def test_a_new_feature_is_its_module_and_its_registration(tmp_path, monkeypatch):
    monkeypatch.setattr(build_module, "FEATURES", build_module.FEATURES + [ToyPage])
    project = prepare("basic", tmp_path, config={"theme": {"name": "material", "custom_dir": "overrides"}},
                      files={"overrides/microsite/toy.html": '<p class="toy">{{ target }} on {{ page }}</p>\n'})
    built = build_project(project)
    # The unknown target is reported with the page, and shown, not replaced by nothing.
    expect_problems(built, "(generated) toy/index.md: the toy section has no target 'missing'. "
                           "Check the name it refers to (a citation key, a glossary entry, a page).")
    page = built.page("toy/")
    assert [p.get_text() for p in page.select("article p.toy")] == ["A & B on toy/"]
    assert page.select_one("article .mx-late-missing").get_text() == "[missing toy: missing]"
    raw = (built.site / "toy/index.html").read_text(encoding="utf-8")
    assert "<title>Toy &lt;page&gt; &amp; co - Basic test site</title>" in raw
    assert "mx-late" not in raw.replace("mx-late-missing", "")


def test_a_marker_whose_kind_no_feature_resolves_is_reported(build_root):
    built = build_root("basic", files={
        "docs/notes.md": '# Notes\n\nA stray marker <mx-late kind="nope" ref="x"></mx-late> here.\n'})
    (message,) = [warning for warning in built.warnings if "unknown late section kind" in warning]
    assert message.startswith("docs/notes.md:3: unknown late section kind 'nope'. Only the generator writes "
                              "<mx-late> elements (kinds: bibliography, byline, cite, cited-in, ")
    assert message.endswith("); remove this one from the page or the template that wrote it.")
    expect_problems(built, message)


def test_a_key_with_an_ampersand_survives_markdown(build_root):
    built = build_root("basic", files={
        "bib/more.bib": "@book{smith&jones2020,\n  author = {Smith, Ann},\n  title = {Joint Work},\n"
                        "  publisher = {Press},\n  year = {2020}\n}\n",
        "docs/articles/two.md": "---\ntitle: Two\nauthors: [Ada Author]\nsummary: Cites a key with &.\n---\n\n"
                                "A claim [@smith&jones2020].\n",
    })
    assert built.ok, built.warnings
    index = built.article("bibliography/")
    item = next(li for li in index.select("ul.mx-bibliography > li") if "Joint Work" in li.get_text())
    assert item.select_one(".mx-bibliography__count").get_text() == "cited on 1 page"
    source = built.page(f"bibliography/{item['id']}/")
    assert [a.get_text() for a in source.select("ul.mx-backlinks a")] == ["Two"]
    assert source.select_one("code").get_text() == "[@smith&jones2020]"


def test_a_site_overrides_a_generated_template(tmp_path):
    project = prepare("basic", tmp_path, config={"theme": {"name": "material", "custom_dir": "overrides"}},
                      files={"overrides/microsite/references.html":
                             '<ol class="my-references">{% for entry in entries %}<li id="{{ entry.anchor }}">'
                             '{{ entry.html }}</li>{% endfor %}</ol>\n'})
    built = build_project(project)
    assert built.ok, built.warnings
    article = built.article("articles/one/")
    assert not article.select("ul.mx-references")
    assert [li["id"] for li in article.select("ol.my-references > li")] == ["ref-doe2020book",
                                                                             "ref-smith2019article"]


def test_compiled_templates_are_kept_between_builds_and_an_edited_one_is_compiled_again(tmp_path, monkeypatch):
    """Jinja's bytecode cache in the cache folder: a second build compiles no template, and
    an override edited between builds (ours or a Material partial) shows in the next one."""
    import jinja2

    project = prepare("basic", tmp_path, config={"theme": {"name": "material", "custom_dir": "overrides"}},
                      files={"overrides/microsite/references.html": '<ol class="first">{% for e in entries %}'
                                                                     "<li>{{ e.html }}</li>{% endfor %}</ol>\n",
                             "overrides/partials/copyright.html": '<div class="mine">One</div>\n'})
    compiled = []
    compile_template = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, *args, **kwargs):
        if self.bytecode_cache is not None:      # not the environments Material's search plugin makes
            compiled.append(name)
        return compile_template(self, source, name, filename, *args, **kwargs)
    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    assert build_project(project).ok
    assert "microsite/references.html" in compiled and "partials/copyright.html" in compiled
    assert list((tmp_path / "cache" / "jinja").iterdir())
    compiled.clear()
    built = build_project(project)
    assert built.ok and compiled == []
    assert built.article("articles/one/").select("ol.first > li")
    (project / "overrides/microsite/references.html").write_text(
        '<ol class="second">{% for e in entries %}<li>{{ e.html }}</li>{% endfor %}</ol>\n', encoding="utf-8")
    (project / "overrides/partials/copyright.html").write_text('<div class="mine">Two</div>\n', encoding="utf-8")
    built = build_project(project)
    assert sorted(compiled) == ["microsite/references.html", "partials/copyright.html"]
    page = built.page("articles/one/")
    assert page.select("ol.second > li") and not page.select("ol.first")
    assert page.select_one("div.mine").get_text() == "Two"


def test_a_template_compiled_without_escaping_is_not_reused_where_values_are_escaped(tmp_path):
    """MkDocs' environment does not autoescape, ours does, and Jinja compiles that into the
    template: sharing compiled code by template and source alone would render an
    unescaped value in ours (whichever compiled it first)."""
    import jinja2

    from microsite.templates import tune

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "value.html").write_text("<p>{{ value }}</p>", encoding="utf-8")
    loader = jinja2.FileSystemLoader(str(tmp_path / "templates"))
    for first_escapes in (False, True):
        cache = tmp_path / f"cache-{first_escapes}"
        plain = jinja2.Environment(loader=loader)
        escaping = jinja2.Environment(loader=loader).overlay(autoescape=True)
        for environment in (plain, escaping):
            tune(environment, str(cache))
        order = (escaping, plain) if first_escapes else (plain, escaping)
        rendered = {id(environment): environment.get_template("value.html").render(value="<b>&")
                    for environment in order}
        assert rendered[id(escaping)] == "<p>&lt;b&gt;&amp;</p>"
        assert rendered[id(plain)] == "<p><b>&</p>"
    selecting = jinja2.Environment(loader=loader, autoescape=jinja2.select_autoescape())
    tune(selecting, str(tmp_path / "cache-select"))
    assert selecting.bytecode_cache is None          # a rule in code cannot be named: not cached


def test_an_unwritable_cache_folder_only_costs_the_compiling(tmp_path):
    cache = tmp_path / "cache-file"
    cache.write_text("not a folder", encoding="utf-8")
    project = prepare("basic", tmp_path, settings={"cache_dir": str(cache)})
    built = build_project(project)
    assert built.article("articles/one/").select("ul.mx-references > li")
    assert not any("jinja" in message.lower() for message in built.warnings)


def _filler(resolve):
    templates = SimpleNamespace(render=lambda name, **values: Markup("<i>missing</i>"))
    sections = LateSections(Problems(), templates)
    sections.register("x", resolve, "test")
    state = PageState("a.md", "docs/a.md", "a/", "page", None, "")
    return sections, state


def test_a_marker_alone_in_a_paragraph_replaces_the_paragraph():
    sections, state = _filler(lambda marker, state: f"<div>{marker.target}</div>")
    alone = f"<p>{marker_html('x', 'one')}</p>\n<p>text {marker_html('x', 'two')} more</p>"
    assert sections.fill(alone, state) == "<div>one</div>\n<p>text <div>two</div> more</p>"


def test_markers_are_read_with_html_rules_and_sections_may_hold_markers():
    seen = []

    def resolve(marker: Marker, state):
        seen.append(marker)
        return marker_html("x", "inner") if marker.target == "a&b<c" else "[inner]"

    sections, state = _filler(resolve)
    html = str(marker_html("x", "a&b<c", 12))
    assert html == '<mx-late kind="x" ref="a&amp;b&lt;c" line="12"></mx-late>'
    assert sections.fill(html, state) == "[inner]"
    assert seen == [Marker("x", "a&b<c", 12), Marker("x", "inner", None)]


@pytest.mark.parametrize("target", ["plain", "a&b<c>d", 'say "hi"', "it's", "&amp; literal", "Müller–Østergaard",
                                    "tab\there", "new\nline", "#part", "&#39;"])
def test_markers_as_written_read_as_html_parser_reads_them(target):
    """Markers the generator writes are read without a parser; the result must be the parser's."""
    from markdown.serializers import to_html_string

    from microsite.late import _StartTag, _read_marker, marker_element

    def parsed(start_tag: str) -> Marker:
        parser = _StartTag()
        parser.feed(start_tag)
        parser.close()
        line = parser.attributes.get("line", "")
        return Marker(parser.attributes["kind"], parser.attributes["ref"], int(line) if line else None)

    def start_tag(written: str) -> str:
        return written[:written.index(">") + 1]

    for line in (None, 7):
        from_template = start_tag(str(marker_html("cited-in", target, line)))
        assert _read_marker(from_template) == parsed(from_template) == Marker("cited-in", target, line)
        # Markdown's serialiser leaves an `&` that starts a character reference as it is
        # (so "&#39;" reads back as "'"); whatever it writes, both readers agree.
        from_markdown = start_tag(to_html_string(marker_element("cited-in", target, line)))
        assert _read_marker(from_markdown) == parsed(from_markdown), from_markdown
    # Another order or spacing (written by hand) is read by the parser.
    assert _read_marker('<mx-late ref="a&amp;b"  kind="x">') == Marker("x", "a&b", None)


CITES = """---
title: Cites
authors: [Ada Author]
summary: Citations in every place Markdown allows.
---

## A heading that cites [@doe2020book]

| Claim | Source |
| --- | --- |
| in a table | [@smith2019article, p. 12] |

!!! note
    In an admonition [@doe2020book, p. 7].

A footnote.[^1]

[^1]: A note citing [@smith2019article].

<div markdown="1">
Converted HTML [@doe2020book, p. 9].
</div>

<!-- A commented-out citation [@roe2021] is no citation. -->

![A picture [@doe2020book]](picture.png)

[A link](https://example.org "A title [@doe2020book]") and [see [@smith2019article]](https://example.org).

<div>
Raw HTML [@doe2020book, p. 3] is not converted.
</div>
"""


@pytest.fixture(scope="module")
def cites(tmp_path_factory):
    project = prepare("basic", tmp_path_factory.mktemp("cites"), config={"markdown_extensions": [
        "attr_list", "footnotes", "smarty", "abbr", "admonition", "tables", "md_in_html",
        {"toc": {"permalink": True}}]}, files={
        "docs/articles/cites.md": CITES,
        "docs/articles/picture.png": "",
        "bib/more.bib": "@book{roe2021,\n  author = {Roe, Richard},\n  title = {Unused},\n"
                        "  publisher = {Press},\n  year = {2021}\n}\n"})
    return build_project(project)


def test_citations_anywhere_markdown_converts_are_formatted(cites):
    article = cites.article("articles/cites/")
    texts = [span.get_text() for span in article.select("span.citation:not(.citation--unresolved)")]
    # (the footnote's citation last: footnotes are at the end of the page)
    assert texts == ["(Doe 2020)", "(Smith and Jones 2019, 12)", "(Doe 2020, 7)", "(Doe 2020, 9)",
                     "(Smith and Jones 2019)"]
    heading = article.find("h2", string=None, id=re.compile("^a-heading"))
    assert heading.select_one("span.citation").get_text() == "(Doe 2020)"
    # Both tables of contents show the heading without the citation, and no marker anywhere.
    page = cites.page("articles/cites/")
    toc = [a.get_text(strip=True) for a in page.select("nav.md-nav--secondary a.md-nav__link")]
    assert "A heading that cites" in toc
    raw = (cites.site / "articles/cites/index.html").read_text(encoding="utf-8")
    assert "mx-late" not in raw and "\ue000" not in raw
    # A commented-out citation adds nothing to the references.
    assert [li["id"] for li in article.select("ul.mx-references > li")] == ["ref-doe2020book",
                                                                             "ref-smith2019article"]


def test_the_search_index_holds_each_page_with_its_late_sections(cites):
    # Late sections are filled just before a page's template is rendered, which is
    # also when the search plugin indexes the page: ours must come first.
    index = json.loads((cites.site / "search/search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("articles/cites/"))
    assert "(Smith and Jones 2019, 12)" in text and "Doe, Jane. 2020" in text
    assert "mx-late" not in text


def test_citations_markdown_cannot_show_are_reported_where_they_are(cites):
    expect_problems(
        cites,
        "docs/articles/cites.md:26: the citation [@doe2020book] is inside an image's description, where it cannot "
        "be shown as a citation. Write the citation in the text (for an image, in its caption); it is left as "
        "written meanwhile.",
        "docs/articles/cites.md:28: the citation [@doe2020book] is inside a link's title, where it cannot be shown "
        "as a citation. Write the citation in the text (for an image, in its caption); it is left as written "
        "meanwhile.",
        "docs/articles/cites.md:28: the citation [@smith2019article] is inside the text of a link, where it "
        "cannot link to its reference. Move the citation out of the link's [text].",
        "docs/articles/cites.md:31: the citation [@doe2020book, p. 3] is inside raw HTML, which Markdown does "
        "not convert. Add markdown=\"1\" to the HTML element around it, or move it out.",
    )
    assert len(cites.warnings) == 5, cites.warnings       # the four above, and the strict abort
    page = BeautifulSoup((cites.site / "articles/cites/index.html").read_text(encoding="utf-8"), "lxml")
    assert page.select_one('article img[src="../picture.png"]')["alt"] == "A picture [@doe2020book]"
    assert page.select_one('article a[href="https://example.org"][title]')["title"] == "A title [@doe2020book]"
    article = cites.article("articles/cites/")
    assert not article.select("a a")                      # never a link in a link
    assert "mx-late" not in article.find("img")["alt"]


def test_a_phase_timed_inside_another_counts_for_itself_only(monkeypatch):
    from microsite import context as context_module

    ticks = iter([0.0, 1.0, 3.0, 4.0, 4.5, 10.0])    # outer, inner, inner ends, inner, inner ends, outer ends
    monkeypatch.setattr(context_module.time, "perf_counter", lambda: next(ticks))
    timings = context_module.Timings()
    with timings.timed("late sections"):
        for _ in range(2):
            with timings.timed("format (waiting)"):
                pass
    assert dict(timings.seconds) == {"late sections": 7.5, "format (waiting)": 2.5}
