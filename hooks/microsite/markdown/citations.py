"""Citations: `[@key, p. 5]` in the Markdown becomes a Chicago author-date citation
"(Author 2020, 5)" whose parts link to the page's references (written by
microsite.pages.references once the references are formatted).

An inline processor, so it never sees code spans (the backtick pattern runs
first) and never touches `[text with @name](url)` (a link: the pattern
refuses a bracket followed by `(` or `[`).
"""

from __future__ import annotations

from xml.etree import ElementTree as etree

from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from microsite.model.citations import CLUSTER_PATTERN, CitationItem, parse_cluster

# After backticks (190), escapes (180) and footnote references (175); before links (160).
PRIORITY = 172


class CitationProcessor(InlineProcessor):
    def __init__(self, md, site):
        super().__init__(CLUSTER_PATTERN, md)
        self.site = site            # microsite.state.Build: library, problems, cluster markers

    def handleMatch(self, match, data):
        items = parse_cluster(match.group("body"))
        page = self.site.page
        if not items or page is None:
            return None, None, None
        raw = match.group(0)
        line = page.line_of(raw)
        unknown = [item for item in items if self.site.library.get(item.key) is None]
        if unknown:
            for item in unknown:
                self.site.report_unknown_key(item.key, page.path, line)
            element = etree.Element("span", {"class": "citation citation--unresolved",
                                             "title": "Unknown source: " + ", ".join(i.key for i in unknown)})
            element.text = raw
            return element, match.start(0), match.end(0)
        return self.render(items, page), match.start(0), match.end(0)

    def render(self, items: tuple[CitationItem, ...], page) -> etree.Element:
        """A marker for the cluster; its text is written when the references are formatted."""
        cluster = etree.Element("span", {"class": "citation", "data-cites": " ".join(i.key for i in items)})
        cluster.text = AtomicString(self.site.cluster_marker(items))
        for item in items:
            page.cite(item.key)
        return cluster
