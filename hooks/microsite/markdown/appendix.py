"""Sections appended after a page's own text (See also, References, Mentioned in).

Features add `AppendixSection`s to the page's state while it is converted; this
treeprocessor, after theirs and before the table of contents is built, appends
each in order as a heading (so it is in the page's table of contents) and a
late marker that becomes its body.
"""

from __future__ import annotations

from xml.etree import ElementTree as etree

from markdown import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from microsite.late import marker_element

# After the features' treeprocessors (glossary links 6.8, citations 6.9); before toc (5).
PRIORITY = 6.0


class AppendixTreeprocessor(Treeprocessor):
    def __init__(self, md, context):
        super().__init__(md)
        self.context = context

    def run(self, root: etree.Element) -> None:
        state = self.context.page
        if state is None:
            return
        for section in sorted(state.appendix, key=lambda section: section.order):
            heading = etree.SubElement(root, "h2")
            heading.text = AtomicString(section.title)
            # In a paragraph of its own: filling replaces the paragraph with the section.
            etree.SubElement(root, "p").append(marker_element(section.kind, section.target))


class AppendixExtension(Extension):
    def __init__(self, context):
        super().__init__()
        self.context = context

    def extendMarkdown(self, md):
        md.treeprocessors.register(AppendixTreeprocessor(md, self.context), "microsite-appendix", PRIORITY)
