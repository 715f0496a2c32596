"""What every page shows of itself outside its content: the title in `<title>`,
the header and the navigation, and the description in `<meta>`.

Material writes `page.meta.title`, `page.meta.description` and
`page.meta.author` into the page head as they are, and treats page titles
as HTML everywhere (the navigation, the search index), and a page's tags
in its search results: a value from front matter must reach them escaped. The other features give plain text (an
article's summary becomes its description); this one, last of all, escapes
it once, with the same mechanism as the templates (markupsafe).

Page titles are HTML (escaped text) in MkDocs and Material, but the titles the
navigation in mkdocs.yml gives (pages, sections, links) and those made from a
file's name are plain text, which Material writes as it is: each title ends as
Markup here, escaped where it was text (`on_nav`, `on_page_content`), so that
templates may escape (`| e`) every title without escaping one twice.
"""

from __future__ import annotations

from markupsafe import Markup, escape
from mkdocs.structure.nav import Link, Section
from mkdocs.structure.pages import Page

from microsite.content.documents import ARTICLE, BRIEF
from microsite.feature import Feature

ESCAPED_KEYS = ("title", "description", "author", "subtitle")


class PageHead(Feature):
    name = "page-head"

    def on_page_markdown(self, markdown, page, state):
        meta = page.meta
        document = state.document
        if document is not None and document.kind in (ARTICLE, BRIEF):
            summary = document.meta.get("summary")
            if isinstance(summary, str) and summary.strip():
                meta.setdefault("description", " ".join(summary.split()))
        for key in ESCAPED_KEYS:
            value = meta.get(key)
            if value is not None and not isinstance(value, Markup):
                meta[key] = escape(" ".join(str(value).split()))
        # Material's search shows a page's tags in its results as HTML (its h() helper appends a
        # string with innerHTML): front-matter tags, and the glossary's forms it ranks first by.
        tags = meta.get("tags")
        if isinstance(tags, list):
            meta["tags"] = [tag if isinstance(tag, Markup) else escape(" ".join(str(tag).split())) for tag in tags]
        return markdown

    def on_nav(self, nav) -> None:
        """Titles written in mkdocs.yml's `nav` (and sections named after their folders): text."""
        def walk(items):
            for item in items:
                if isinstance(item, (Section, Link)) or (isinstance(item, Page) and "title" in vars(item)):
                    title = vars(item).get("title")
                    if isinstance(title, str) and not isinstance(title, Markup):
                        item.title = escape(title)
                if isinstance(item, Section):
                    walk(item.children)
        walk(nav.items)

    def on_page_content(self, html, page, state):
        """A title from the page's first heading is HTML already (MkDocs strips its tags and keeps
        its entities); one made from the file's name is text. Either is kept as Markup."""
        if "title" not in vars(page) and page.title is not None and not isinstance(page.title, Markup):
            from_heading = getattr(page, "_title_from_render", None)
            page.title = Markup(from_heading) if from_heading and page.title == from_heading else escape(page.title)
        return html
