"""What every page shows of itself outside its content: the title in `<title>`,
the header and the navigation, and the description in `<meta>`.

Material writes `page.meta.title`, `page.meta.description` and
`page.meta.author` into the page head as they are, and treats page titles
as HTML everywhere (the navigation, the search index), and a page's tags
in its search results: a value from front matter must reach them escaped. The other features give plain text (an
article's summary becomes its description); this one, last of all, escapes
it once, with the same mechanism as the templates (markupsafe).
"""

from __future__ import annotations

from markupsafe import Markup, escape

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
