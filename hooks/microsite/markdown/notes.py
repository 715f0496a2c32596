"""Citations as footnotes, for note styles (Chicago notes and bibliography ...).

Each citation in running text becomes a footnote of its own, in the page's
footnotes beside the author's, all numbered together in reading order, as
pandoc numbers them. The notes are built the way Python-Markdown's footnotes
extension builds the author's (same markup, same back links), so Material's
footnote tooltips and styles treat them alike.
"""

from __future__ import annotations

from xml.etree import ElementTree as etree

from markdown.extensions.footnotes import FN_BACKLINK_TEXT, NBSP_PLACEHOLDER

NOTE_PREFIX = "mx-cite-"


def footnotes_extension(md):
    """The footnotes extension of this Markdown instance (None when it is not enabled)."""
    if "footnote" not in md.treeprocessors:
        return None
    return getattr(md.treeprocessors["footnote"], "footnotes", None)


def footnotes_div(root: etree.Element) -> etree.Element | None:
    for div in root.iter("div"):
        if "footnote" in (div.get("class") or "").split():
            return div
    return None


def make_citation_notes(md, root: etree.Element, spans: list[etree.Element]) -> None:
    """Replace each citation span (in running text) by a footnote mark; its note holds it."""
    extension = footnotes_extension(md)
    separator = extension.get_separator() if extension else ":"
    parents = {child: parent for parent in root.iter() for child in parent}
    div = footnotes_div(root)
    if div is None:
        div = etree.SubElement(root, "div", {"class": "footnote"})
        etree.SubElement(div, "hr")
        etree.SubElement(div, "ol")
        div.tail = "\n"
    listing = div.find("ol")
    for number, span in enumerate(spans, start=1):
        note_id = f"fn{separator}{NOTE_PREFIX}{number}"
        reference_id = f"fnref{separator}{NOTE_PREFIX}{number}"
        parent = parents[span]
        mark = etree.Element("sup", {"id": reference_id})
        link = etree.SubElement(mark, "a", {"class": "footnote-ref", "href": "#" + note_id})
        link.text = str(number)
        mark.tail, span.tail = span.tail, None
        parent.insert(list(parent).index(span), mark)
        parent.remove(span)
        item = etree.SubElement(listing, "li", {"id": note_id})
        paragraph = etree.SubElement(item, "p")
        paragraph.append(span)
        span.tail = NBSP_PLACEHOLDER
        back = etree.SubElement(paragraph, "a", {"class": "footnote-backref", "href": "#" + reference_id})
        back.text = FN_BACKLINK_TEXT
    renumber(md, root)


def renumber(md, root: etree.Element) -> None:
    """Number every footnote by the order of its first mark in the text, and order
    the notes so (the author's and the citations', together)."""
    extension = footnotes_extension(md)
    superscript = extension.getConfig("SUPERSCRIPT_TEXT") if extension else "{}"
    title = extension.getConfig("BACKLINK_TITLE") if extension else "Jump back to footnote {} in the text"
    div = footnotes_div(root)
    if div is None:
        return
    listing = div.find("ol")
    items = {item.get("id"): item for item in listing.findall("li")}
    order: list[str] = []
    for link in _marks(root, div):
        target = link.get("href", "")[1:]
        if target in items and target not in order:
            order.append(target)
        if target in items:
            link.text = superscript.format(order.index(target) + 1)
    order += [ident for ident in items if ident not in order]
    for item in list(listing):
        listing.remove(item)
    for number, ident in enumerate(order, start=1):
        item = items[ident]
        for back in item.iter("a"):
            if back.get("class") == "footnote-backref":
                back.set("title", title.format(number))
        listing.append(item)
        item.tail = "\n"


def _marks(element: etree.Element, skip: etree.Element):
    """The footnote marks of the text, in reading order, outside the notes."""
    for child in element:
        if child is skip:
            continue
        if child.tag == "a" and child.get("class") == "footnote-ref":
            yield child
        yield from _marks(child, skip)
