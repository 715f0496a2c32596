"""The byline of articles and briefs: the title (from the front matter when
the page has no heading of its own), then the authors, the date and a link to
the page's PDF.

Page Markdown: the title and a late marker go at the top of the element tree.
Late: `byline`, rendered from the page's front matter once the PDFs are known.
"""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as etree

from markdown import Extension
from markdown.treeprocessors import Treeprocessor
from mkdocs.utils import get_relative_url

from microsite.context import PageState
from microsite.content.documents import ARTICLE, BRIEF
from microsite.feature import Feature
from microsite.late import Marker, marker_element

# Before the glossary (6.8: never linked in the title), the appendix and toc.
PRIORITY = 6.85


class Byline(Feature):
    name = "byline"

    def markdown_extensions(self) -> list:
        return [_BylineExtension(self)]

    def late_kinds(self):
        return {"byline": self._byline_html}

    def _byline_html(self, marker: Marker, state: PageState):
        document = self.context.documents.get(marker.target)
        if document is None or document.kind not in (ARTICLE, BRIEF):
            return None
        meta = document.meta
        authors = [a.strip() for a in meta.get("authors") or [] if isinstance(a, str) and a.strip()] \
            if isinstance(meta.get("authors"), list) else []
        pdf = self.context.pdfs.get(marker.target)
        return self.context.templates.render(
            "microsite/byline.html", authors=authors, date=_date(meta.get("date")),
            pdf=get_relative_url(pdf, state.url) if pdf else None)


class _BylineTreeprocessor(Treeprocessor):
    def __init__(self, md, feature):
        super().__init__(md)
        self.feature = feature

    def run(self, root: etree.Element) -> None:
        state = self.feature.context.page
        if state is None or state.kind not in (ARTICLE, BRIEF) or state.document is None:
            return
        position = 0
        if len(root) and root[0].tag == "h1":
            position = 1
        else:
            title = state.document.meta.get("title")
            if isinstance(title, str) and title.strip():
                heading = etree.Element("h1")
                heading.text = title.strip()
                heading.tail = "\n"
                root.insert(0, heading)
                position = 1
        paragraph = etree.Element("p")
        paragraph.append(marker_element("byline", state.src_uri))
        paragraph.tail = "\n"
        root.insert(position, paragraph)


class _BylineExtension(Extension):
    def __init__(self, feature):
        super().__init__()
        self.feature = feature

    def extendMarkdown(self, md):
        md.treeprocessors.register(_BylineTreeprocessor(md, self.feature), "microsite-byline", PRIORITY)


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
