"""One walk over a page's element tree, in document order:

- links glossary terms (first occurrence per page, per section, or all);
- records where each source is cited and each term is mentioned, with the
  heading of the section (its id is read after the toc extension ran);
- appends the page's references (Chicago, sorted) when it cites anything.

Runs after inline patterns, attr_list and abbr, before smarty and toc (so
apostrophes are still plain and our References heading enters the page's
table of contents; what we append is marked atomic, so smarty skips it).
Never inside headings, links, code, pre, abbreviations, citations, footnote
markers, scripts or styles; never nested links.
"""

from __future__ import annotations

import posixpath
from xml.etree import ElementTree as etree

from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from microsite.markdown.context import Occurrence

PRIORITY = 6.5
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
SKIPPED_TAGS = HEADINGS | {"a", "code", "pre", "kbd", "samp", "script", "style", "abbr", "img", "svg",
                           "math", "button", "textarea", "select", "option", "label", "sup", "dfn"}
SKIPPED_CLASSES = {"citation", "no-glossary", "mx-no-glossary", "footnote-ref", "headerlink", "arithmatex"}


class PageScan(Treeprocessor):
    def __init__(self, md, site):
        super().__init__(md)
        self.site = site

    def run(self, root: etree.Element) -> None:
        page = self.site.page
        if page is None:
            return
        self.page = page
        self.glossary = self.site.glossary
        self.heading: etree.Element | None = None
        self.linked: set[str] = set()
        self.mode = self.site.settings.glossary_link
        if page.link_terms:
            self._walk(root)
        else:
            self._collect_citations(root)
        appendix = self.site.page_appendix(page)
        if appendix.see_also:
            self._append_see_also(root, appendix.see_also)
        if page.cited_keys:
            self._append_references(root)
        if appendix.mentioned_in:
            heading = etree.SubElement(root, "h2")
            heading.text = AtomicString("Mentioned in")
            etree.SubElement(root, "p").text = AtomicString(appendix.mentioned_in)

    def _collect_citations(self, root: etree.Element) -> None:
        for element in root.iter("span"):
            if "citation" in (element.get("class") or "").split():
                for key in (element.get("data-cites") or "").split():
                    self.page.citations.append(Occurrence(key, None))

    # -- walking -------------------------------------------------------------
    def _walk(self, element: etree.Element) -> None:
        for child in list(element):
            tag = child.tag if isinstance(child.tag, str) else ""
            classes = set((child.get("class") or "").split())
            if tag in HEADINGS:
                self.heading = child if tag != "h1" else None
                if self.mode == "first-per-section":
                    self.linked.clear()
            elif "citation" in classes:
                for key in (child.get("data-cites") or "").split():
                    self.page.citations.append(Occurrence(key, self.heading))
            elif tag not in SKIPPED_TAGS and not classes & SKIPPED_CLASSES:
                if child.text:
                    self._link_text(child, None, child.text)
                self._walk(child)
            if child.tail:
                self._link_text(element, child, child.tail)

    def _link_text(self, parent: etree.Element, after: etree.Element | None, text: str) -> None:
        """Link the terms of a text node: `parent.text` (after=None) or `after.tail`."""
        matches = self.glossary.matcher.find(text)
        if not matches:
            return
        pieces: list[etree.Element] = []
        kept, position = [], 0
        for match in matches:
            slug = match.slug
            if slug == self.page.own_term:
                continue
            self.page.mentions.append(Occurrence(slug, self.heading))
            if not self.page.link_terms or (self.mode != "all" and slug in self.linked):
                continue
            self.linked.add(slug)
            kept.append((text[position:match.start], self._term_link(slug, text[match.start:match.end])))
            position = match.end
        if not kept:
            return
        rest = text[position:]
        first_text, first_link = kept[0]
        if after is None:
            parent.text = first_text
            index = 0
        else:
            after.tail = first_text
            index = list(parent).index(after) + 1
        links = [link for _, link in kept]
        for offset, link in enumerate(links):
            following = kept[offset + 1][0] if offset + 1 < len(kept) else rest
            link.tail = following
            parent.insert(index + offset, link)

    def _term_link(self, slug: str, text: str) -> etree.Element:
        term = self.glossary.terms[slug]
        link = etree.Element("a", {
            "class": "mx-term",
            "href": self._relative(self.site.term_src_uri(slug)),
            "title": term.tooltip,
        })
        link.text = text
        return link

    def _relative(self, src_uri: str) -> str:
        """A link to another Markdown file, which MkDocs validates and turns into its URL."""
        return posixpath.relpath(src_uri, posixpath.dirname(self.page.src_uri) or ".")

    # -- appended sections ----------------------------------------------------
    def _append_see_also(self, root: etree.Element, related) -> None:
        heading = etree.SubElement(root, "h2")
        heading.text = AtomicString("See also")
        listing = etree.SubElement(root, "ul", {"class": "mx-see-also"})
        for term in related:
            item = etree.SubElement(listing, "li")
            link = etree.SubElement(item, "a", {"href": self._relative(term.document.src_uri),
                                                "title": term.tooltip})
            link.text = term.title
            link.tail = ": " + term.summary if term.summary else ""

    # -- references ----------------------------------------------------------
    def _append_references(self, root: etree.Element) -> None:
        heading = etree.SubElement(root, "h2")
        heading.text = AtomicString(self.page.references_title)
        etree.SubElement(root, "p").text = AtomicString(self.site.references_marker(self.page))
