"""Citations: `[@key, p. 5]` in the Markdown becomes a Chicago author-date citation
"(Author 2020, 5)" whose parts link to the page's references.

An inline processor, so it never sees code spans (the backtick pattern runs
first) and never touches `[text with @name](url)` (a link: the pattern
refuses a bracket followed by `(` or `[`).
"""

from __future__ import annotations

from xml.etree import ElementTree as etree

from markdown.inlinepatterns import InlineProcessor

from microsite.model.citations import CLUSTER_PATTERN, CitationItem, parse_cluster, written_form

# After backticks (190), escapes (180) and footnote references (175); before links (160).
PRIORITY = 172


class CitationProcessor(InlineProcessor):
    def __init__(self, md, site):
        super().__init__(CLUSTER_PATTERN, md)
        self.site = site            # microsite.state.Build: library, formatted references, problems

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
        cluster = etree.Element("span", {"class": "citation", "data-cites": " ".join(i.key for i in items)})
        cluster.text = "("
        last = None
        for index, item in enumerate(items):
            source = self.site.library.get(item.key)
            formatted = self.site.formatted_reference(source)
            text = ("; " if index else "") + (item.prefix + " " if item.prefix else "")
            last = _append_text(cluster, last, text)
            label = formatted.label_text
            if item.suppress_author:
                label = label.rsplit(" ", 1)[-1]
            locator = item.locator_text()
            link = etree.SubElement(cluster, "a", {
                "class": "citation__ref",
                "href": f"#ref-{source.slug}",
                "title": formatted.reference_text or written_form(source.key),
            })
            link.text = f"{label}, {locator}" if locator else label
            last = link
            if item.suffix:
                gap = "" if item.suffix[:1] in ",;:." else " "
                last = _append_text(cluster, last, gap + item.suffix)
            page.cite(source.key)
        _append_text(cluster, last, ")")
        return cluster


def _append_text(parent: etree.Element, last: etree.Element | None, text: str):
    if last is None:
        parent.text = (parent.text or "") + text
    else:
        last.tail = (last.tail or "") + text
    return last
