"""Glossary terms in the Markdown element tree: one walk over a page, in reading
order, that links terms (the first occurrence per page, per section, or all)
and records where each term is mentioned, with the heading of its section.

Runs after inline processing and the citations' walk, before the appendix and
toc. Never links inside headings, links, code, pre, abbreviations, citations,
footnote markers, scripts or styles, nor on the entry's own page; never nests
links.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote
from xml.etree import ElementTree as etree

import markdown
from markdown import Extension
from markdown.treeprocessors import Treeprocessor

from microsite.late import TAG
from microsite.markdown.processors import FeatureExtension, FeatureTreeprocessor
from microsite.model.matcher import TermMatcher
from microsite.model.terms import paragraph_text
from microsite.site.material import tree_tooltip

PRIORITY = 6.8
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
SKIPPED_TAGS = HEADINGS | {"a", "code", "pre", "kbd", "samp", "script", "style", "abbr", "img", "svg",
                           "math", "button", "textarea", "select", "option", "label", "sup", "dfn", TAG}
SKIPPED_CLASSES = {"citation", "no-glossary", "mx-no-glossary", "footnote-ref", "headerlink", "arithmatex"}


class TermLinker(FeatureTreeprocessor):
    def run_on(self, root: etree.Element, state) -> None:
        self.state = state
        self.glossary = self.feature.context.glossary
        self.own = self.feature.own_term(state)
        self.heading: etree.Element | None = None
        self.linked: set[str] = set()
        self.mode = self.feature.context.settings.glossary_link
        self.mentions: list[tuple[str, etree.Element | None]] = []
        if self.own is not None:
            heading = etree.Element("h1")
            heading.text = self.own.title
            heading.tail = "\n"
            root.insert(0, heading)
        if not state.generated:
            self._walk(root)
        self.feature.page_scanned(state, self.own, self.mentions)

    def _walk(self, element: etree.Element) -> None:
        for child in list(element):
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in HEADINGS:
                self.heading = child if tag != "h1" else None
                if self.mode == "first-per-section":
                    self.linked.clear()
            elif _is_read(child):
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
        kept, position = [], 0
        for match in matches:
            slug = match.slug
            if self.own is not None and slug == self.own.slug:
                continue
            self.mentions.append((slug, self.heading))
            if self.mode != "all" and slug in self.linked:
                continue
            self.linked.add(slug)
            kept.append((text[position:match.start], self._term_link(slug, text[match.start:match.end])))
            position = match.end
        if not kept:
            return
        rest = text[position:]
        if after is None:
            parent.text = kept[0][0]
            index = 0
        else:
            after.tail = kept[0][0]
            index = list(parent).index(after) + 1
        for offset, (_, link) in enumerate(kept):
            link.tail = kept[offset + 1][0] if offset + 1 < len(kept) else rest
            parent.insert(index + offset, link)

    def _term_link(self, slug: str, text: str) -> etree.Element:
        term = self.glossary.terms[slug]
        # A link to the entry's Markdown file, which MkDocs checks and turns into its URL
        # (quoted: a `#` or `?` in a file name would start a fragment or a query; MkDocs unquotes).
        href = quote(posixpath.relpath(term.document.src_uri, posixpath.dirname(self.state.src_uri) or "."))
        title = tree_tooltip(term.tooltip, self.feature.context.tooltips_are_html)
        link = etree.Element("a", {"class": "mx-term", "href": href, "title": title})
        link.text = text
        return link


def _is_read(element: etree.Element) -> bool:
    """Whether the linker reads the text inside `element`."""
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag not in SKIPPED_TAGS and not set((element.get("class") or "").split()) & SKIPPED_CLASSES


def _texts_read(element: etree.Element):
    """The text nodes of `element` and inside it that the linker reads, in reading order."""
    if _is_read(element):
        yield from filter(None, [element.text])
        for child in element:
            yield from _texts_read(child)
            yield from filter(None, [child.tail])


class _TextsRead(Treeprocessor):
    """Keeps what the linker would read of a conversion, block by block (registered at the
    linker's priority, so that it sees the text the linker sees)."""

    def __init__(self):
        super().__init__()
        self.blocks: list[list[str]] = []

    def run(self, root: etree.Element) -> None:
        self.blocks = [list(_texts_read(child)) for child in root]


class _TextsReadExtension(Extension):
    def __init__(self, processor: _TextsRead):
        super().__init__()
        self.processor = processor

    def extendMarkdown(self, md):
        md.treeprocessors.register(self.processor, "microsite-glossary-texts", PRIORITY)


def never_found(forms: list[str], extensions: list, configs: dict) -> dict[str, str]:
    """The forms the linker cannot find in any page, each with what a reader sees of it.

    Each form is written in a sentence of its own and converted with the site's Markdown
    up to the linker's stage: a form that Markdown turns into something else there (a code
    span, emphasis, a link, an HTML tag, a character reference such as `&amp;`, a backslash
    escape) is not in the text the linker reads, on any page."""
    texts = _TextsRead()
    md = markdown.Markdown(extensions=[*extensions, _TextsReadExtension(texts)], extension_configs=configs)
    sentences = [f"In {' '.join(form.split())} here." for form in forms]
    md.reset().convert("\n\n".join(sentences))            # one paragraph a form, converted at once
    read = texts.blocks
    if len(read) != len(forms):                             # not one paragraph each: one by one
        read = []
        for sentence in sentences:
            md.reset().convert(sentence)
            read.append([text for block in texts.blocks for text in block])
    found = {}
    for form, sentence, block in zip(forms, sentences, read):
        matcher = TermMatcher({form: ""})                   # once a form, not once a text node
        if not any(matcher.find(text) for text in block):
            found[form] = paragraph_text(md.reset().convert(sentence)).removeprefix("In ").removesuffix(" here.")
    return found


def glossary_extension(feature) -> FeatureExtension:
    return FeatureExtension(feature, ("treeprocessors", TermLinker, "microsite-glossary", PRIORITY))
