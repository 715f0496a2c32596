"""Citations in the Markdown element tree.

`[@key, p. 5]` becomes a `span.citation` holding a late marker; the cluster is
formatted by the citation style once the references are (formatting runs
beside page rendering) and written into the marker in on_env.

- An inline processor, so it never sees code spans (the backtick pattern runs
  first) and never takes `[text with @name](url)` (a link: the pattern refuses a
  bracket followed by `(` or `[`).
- A treeprocessor then walks the converted page in reading order: it records
  each cluster with the section it is in, and reports every cluster that
  cannot be shown as a citation, leaving it as written: inside link text (a
  link in a link); inside an attribute - an image's description or a link's
  title, where Markdown writes the text of the cluster's element (the marker
  holds a placeholder for that, which a first pass right after inline
  processing puts the cluster in place of, before any other walk), or a reference
  link's title and an abbreviation's definition, which Markdown copies as
  written; and in raw HTML, which Markdown does not convert. An HTML comment is
  never read, so a commented citation is no citation.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from xml.etree import ElementTree as etree

from markdown.inlinepatterns import InlineProcessor
from markdown.util import HTML_PLACEHOLDER_RE, INLINE_PLACEHOLDER_RE, AtomicString

from markdown.extensions.footnotes import NBSP_PLACEHOLDER

from microsite.late import TAG, marker_element
from microsite.markdown.notes import footnotes_div
from microsite.markdown.processors import FeatureExtension, FeatureTreeprocessor
from microsite.model.citations import CLUSTER_PATTERN, CitationItem, Malformed, glued_keys, parse_cluster
from microsite.model.citeproc import Note
from microsite.site.material import tree_tooltip

# After backticks (190), escapes (180) and footnote references (175); before links (160).
INLINE_PRIORITY = 172
# After inline processing (20) and attr_list; before the glossary (6.8), the appendix (6) and toc (5).
TREE_PRIORITY = 6.9
# After attr_list (8); before abbr (7), the link guard (6.95) and every other walk of the
# tree, which must see neither a placeholder nor a marker's text.
PLACEHOLDER_PRIORITY = 7.5
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_CLUSTER = re.compile(CLUSTER_PATTERN)
# A cluster's placeholder in the text Markdown copies into an attribute (private-use
# characters, which no author types); the walk puts the cluster as written in its place.
_IN_ATTRIBUTE = re.compile("\ue000cite([0-9]+)\ue001")


@dataclass
class Cluster:
    items: tuple[CitationItem, ...]
    raw: str                    # as written, brackets included
    path: str                   # the page's file, for messages
    line: int | None


@dataclass
class Occurrence:
    key: str
    heading: etree.Element | None       # nearest heading above (its id is known after toc)


@dataclass
class PageCitations:
    """What the treeprocessor found on one page, in reading order: the document
    citeproc formats (clusters in running text, and the author's footnotes with
    the clusters in each), and where each source is cited."""

    parts: list = field(default_factory=list)               # raw cluster text, or Note
    numbers: list[int] = field(default_factory=list)        # the clusters, in the order citeproc renders them
    running: list[etree.Element] = field(default_factory=list)   # spans of the clusters in running text
    occurrences: list[Occurrence] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)           # first-cited order, unique

    def cite(self, cluster: Cluster, heading) -> None:
        for item in cluster.items:
            self.occurrences.append(Occurrence(item.key, heading))
            if item.key not in self.keys:
                self.keys.append(item.key)


class CitationProcessor(InlineProcessor):
    def __init__(self, md, feature):
        super().__init__(CLUSTER_PATTERN, md)
        self.feature = feature

    def handleMatch(self, match, data):
        state = self.feature.context.page
        if state is None:
            return None, None, None
        raw = match.group(0)
        if _inside_comment(data, match.start(0)):
            return None, None, None          # an inline HTML comment: never read (Markdown runs before us)
        if _inside_tag(data, match.start(0), match.end(0)):
            self.feature.report_in_html_attribute(raw, state.path, state.line_of(raw))
            return None, None, None          # a marker there would break the tag
        if INLINE_PLACEHOLDER_RE.search(raw):
            raw, held = _as_written(raw, self.md.treeprocessors["inline"].stashed_nodes)
            if held:
                if parse_cluster(raw[1:-1]):
                    self.feature.report_cannot_carry(raw, held, state.path, state.line_of(raw))
                return None, None, None      # left to Markdown: the brackets and what they hold, as written
        items = parse_cluster(raw[1:-1])
        if isinstance(items, Malformed):
            self.feature.report_malformed(raw, items, state.path, state.line_of(raw))
            return None, None, None
        if not items:
            return None, None, None
        line = state.line_of(raw)
        unknown = [item.key for item in items if self.feature.context.library.get(item.key) is None]
        if unknown:
            for key in unknown:
                self.feature.report_unknown_key(key, state.path, line)
            title = tree_tooltip("Unknown source: " + ", ".join(unknown), self.feature.context.tooltips_are_html)
            element = etree.Element("span", {"class": "citation citation--unresolved", "title": title})
            element.text = raw
            return element, match.start(0), match.end(0)
        for key, written in glued_keys(match.group("body"), lambda k: self.feature.context.library.get(k) is not None):
            self.feature.report_glued_key(raw, key, written, state.path, line)
        number = self.feature.add_cluster(Cluster(items, raw, state.path, line))
        element = etree.Element("span", {"class": "citation", "data-cites": " ".join(i.key for i in items)})
        marker = marker_element("cite", str(number), line)
        marker.text = AtomicString(f"\ue000cite{number}\ue001")
        element.append(marker)
        return element, match.start(0), match.end(0)


class CitationPlaceholders(FeatureTreeprocessor):
    """Where Markdown wrote a cluster's text into an attribute (an image's description, a
    link's title), it wrote the placeholder the cluster's marker holds: put the cluster
    back as written and report it. Each marker then holds its cluster as written, so that
    the walks before the citation walk (the link guard's messages) read the text as the
    author wrote it; the citation walk empties it."""

    def run_on(self, root: etree.Element, state) -> None:
        self.feature.restored_attributes = set()
        for element in root.iter():
            if element.tag == TAG:
                if element.text:
                    element.text = AtomicString(self.feature.cluster(int(element.get("ref"))).raw)
                continue
            for name, value in element.attrib.items():
                if "\ue000" in value:
                    element.set(name, _IN_ATTRIBUTE.sub(lambda m: self._put_back(m, name, element.tag), value))
                    self.feature.restored_attributes.add((id(element), name))

    def _put_back(self, match: re.Match, name: str, tag: str) -> str:
        cluster = self.feature.cluster_found(int(match.group(1)))
        self.feature.report_in_attribute(cluster.raw, name, tag, cluster.line)
        return cluster.raw


class CitationTreeprocessor(FeatureTreeprocessor):
    def run_on(self, root: etree.Element, state) -> None:
        found = PageCitations()
        footnotes = footnotes_div(root)
        self.notes = {item.get("id"): item for item in footnotes.iter("li")} if footnotes is not None else {}
        self.visited: set[str] = set()
        self.reported: set[tuple[str, int | None]] = set()
        self.heading = None
        self._walk(root, found, in_link=False, skip=footnotes, note=None)
        for ident, item in self.notes.items():          # notes no mark points to: last
            if ident not in self.visited:
                self._note(item, found)
        self.feature.page_scanned(state, found, self._raw_html_citations(root), self.md, root)

    def _walk(self, element: etree.Element, found: PageCitations, in_link: bool, skip, note) -> None:
        for child in list(element):
            if child is skip:
                continue
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in HEADINGS and note is None:
                self.heading = child if tag != "h1" else None
            self._report_attribute_citations(child, tag)
            marker = _cluster_marker(child)
            if marker is not None:
                marker.text = None
                number = int(marker.get("ref"))
                if in_link:
                    self.feature.cluster_in_link(number, child)
                elif note is not None:
                    note.append((number, child))
                else:
                    cluster = self.feature.cluster_found(number)
                    found.parts.append(cluster.raw)
                    found.numbers.append(number)
                    found.running.append(child)
                    found.cite(cluster, self.heading)
                continue
            self._unconverted(child, tag)
            target = (child.get("href") or "")[1:] if tag == "a" and child.get("class") == "footnote-ref" else ""
            if note is None and target in self.notes:
                if target not in self.visited:
                    self._note(self.notes[target], found)
                continue
            self._walk(child, found, in_link or tag == "a", skip, note)

    def _unconverted(self, element: etree.Element, tag: str) -> None:
        """Text Markdown keeps as written (an HTML element inside a `markdown="1"` block that
        has no `markdown` of its own: a <p>, a <summary>): a cluster there is no citation."""
        # (not the text of code, nor of an autolink: `<https://example.org/[@x]>`)
        texts = [element.tail] if tag in ("code", "pre", "kbd", "script", "style", "a") else [element.text, element.tail]
        page = self.feature.context.page
        for text in texts:
            if isinstance(text, AtomicString) and "@" in text:
                for match in _CLUSTER.finditer(text):
                    if parse_cluster(match.group("body")):
                        line = _line_within(page.raw, text, match.start() - (len(text) - len(text.lstrip())))
                        self.feature.report_in_raw_html(match.group(0), page.path, line)

    def _report_attribute_citations(self, element: etree.Element, tag: str) -> None:
        """Clusters Markdown copied into an attribute as written (a reference link's title,
        an abbreviation's definition): reported once each, at the line defining them."""
        if tag == TAG:
            return
        for name, value in element.attrib.items():
            if "@" in value and name != "data-cites" and (id(element), name) not in self.feature.restored_attributes:
                for match in _CLUSTER.finditer(value):
                    items = parse_cluster(match.group("body"))
                    if items and not isinstance(items, Malformed):
                        raw = match.group(0)
                        line = _definition_line(self.feature.context.page.raw, raw, abbreviation=tag == "abbr")
                        if (raw, line) not in self.reported:
                            self.reported.add((raw, line))
                            self.feature.report_in_attribute(raw, name, tag, line)

    def _note(self, item: etree.Element, found: PageCitations) -> None:
        """An author's footnote, at its mark: a part of the document with its clusters."""
        self.visited.add(item.get("id"))
        clusters: list = []
        self._walk(item, found, in_link=False, skip=None, note=clusters)
        raws = []
        for number, _ in clusters:
            cluster = self.feature.cluster_found(number)
            raws.append(cluster.raw)
            found.numbers.append(number)
            found.cite(cluster, self.heading)
        text = _note_text(item, lambda number: self.feature.cluster(number).raw) if raws else None
        found.parts.append(Note(clusters=tuple(raws), text=text))

    def _raw_html_citations(self, root: etree.Element) -> list[tuple[str, int | None]]:
        """Clusters written inside raw HTML, which Markdown leaves as it is, each with its line
        (found in its own block as written, so that the same citation later in the text is not
        taken for it), or None. Only what an author wrote as HTML: extensions stash other things
        too (pymdownx.inlinehilite, an inline code span's text), whose placeholders stand inside
        a code element."""
        stash = self.md.htmlStash.rawHtmlBlocks
        source = self.feature.context.page.raw
        clusters = []
        for index in _raw_html_indices(root):
            block = stash[index] if index < len(stash) else None
            if isinstance(block, str) and "@" in block:
                reader = _RawText()
                reader.feed(block)
                reader.close()
                for match in _CLUSTER.finditer(" ".join(reader.text)):
                    if parse_cluster(match.group("body")):
                        line = _line_within(source, block, block.strip().find(match.group(0)))
                        clusters.append((match.group(0), line))
        return clusters


def _note_text(item: etree.Element, raw_of) -> str:
    """A footnote's text as pandoc Markdown: its words (punctuation escaped, so that
    nothing in them is read as syntax) with its clusters as written, so that pandoc
    renders a citation as it stands in its sentence (opening the note or not)."""
    pieces: list[str] = []

    def visit(element: etree.Element) -> None:
        marker = _cluster_marker(element)
        if marker is not None:
            pieces.append(raw_of(int(marker.get("ref"))))
            pieces.append(_escape_markdown(element.tail or ""))
            return
        if element.get("class") == "footnote-backref":
            return
        pieces.append(_escape_markdown(element.text or ""))
        for child in element:
            visit(child)
        if element is not item:
            pieces.append(_escape_markdown(element.tail or ""))

    visit(item)
    return " ".join("".join(pieces).replace(NBSP_PLACEHOLDER, " ").split())


_ESCAPED = re.compile("\x02([0-9]+)\x03")


def _as_written(raw: str, stash: dict) -> tuple[str, list[str]]:
    """A cluster as the author wrote it, from the text the inline patterns that run before
    ours left (backslash escapes and code spans are placeholders by then): what pandoc
    reads in the author's Markdown. Also what it holds that a citation cannot carry
    (a footnote mark …), as written."""
    held: list[str] = []

    def written(match: re.Match) -> str:
        node = stash.get(match.group(1))
        if isinstance(node, str):
            escaped = _ESCAPED.fullmatch(node)
            return "\\" + chr(int(escaped.group(1))) if escaped else node
        if node is not None and node.tag == "code" and not len(node):
            text = html.unescape("".join(node.itertext()))
            fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
            pad = " " if text.startswith("`") or text.endswith("`") else ""
            return f"{fence}{pad}{text}{pad}{fence}"
        link = node.find("a") if node is not None else None
        if link is not None and link.get("class") == "footnote-ref":
            text = f"[^{link.get('href', '').removeprefix('#fn:')}]"
        else:
            text = "".join(node.itertext()) if node is not None else ""
        held.append(text)
        return text

    return INLINE_PLACEHOLDER_RE.sub(written, raw), held


def _escape_markdown(text: str) -> str:
    return "".join("\\" + c if c in _ASCII_PUNCTUATION else c for c in text)


_ASCII_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _inside_comment(text: str, position: int) -> bool:
    opened = text.rfind("<!--", 0, position)
    return opened >= 0 and text.find("-->", opened, position) < 0


_TAG_SO_FAR = re.compile(r"<[A-Za-z][\w:-]*\s[^<>]*\Z")


def _inside_tag(text: str, start: int, end: int) -> bool:
    """Inside an inline HTML tag's attributes (`<span title="[@key]">`): an opened tag
    before the cluster, its `>` after it."""
    opened = text.rfind("<", 0, start)
    if opened < 0 or not _TAG_SO_FAR.match(text, opened, start):
        return False
    closing = text.find(">", end)
    return closing >= 0 and "<" not in text[end:closing]


_DEFINITION = re.compile(r" {0,3}\[[^\]]+\]:")          # [ref]: https://… "title"
_ABBREVIATION = re.compile(r"\*\[[^\]]+\]:")             # *[ORG]: Organisation


def _raw_html_indices(root: etree.Element) -> list[int]:
    """The stash indices of the placeholders in the page's text outside code elements."""
    indices: list[int] = []

    def visit(element: etree.Element) -> None:
        if element.tag not in ("code", "pre"):
            indices.extend(int(i) for i in HTML_PLACEHOLDER_RE.findall(element.text or ""))
            for child in element:
                visit(child)
        indices.extend(int(i) for i in HTML_PLACEHOLDER_RE.findall(element.tail or ""))

    visit(root)
    return indices


def _line_within(source: str, text: str, offset: int) -> int | None:
    """The file line of the character at `offset` in `text` (stripped) as written in the page's
    `source`; None when the text is not found there as written."""
    at = source.find(text.strip())
    return source.count("\n", 0, at + offset) + 1 if at >= 0 and offset >= 0 else None


def _definition_line(raw_page: str, cluster: str, abbreviation: bool) -> int | None:
    """The line of the reference or abbreviation definition that holds `cluster`."""
    starts = _ABBREVIATION if abbreviation else _DEFINITION
    for number, text in enumerate(raw_page.splitlines(), start=1):
        if cluster in text and starts.match(text):
            return number
    return None


def _cluster_marker(element: etree.Element) -> etree.Element | None:
    """The late marker of a citation's span, or None for any other element."""
    if element.tag == "span" and len(element) == 1 and element[0].tag == TAG and element[0].get("kind") == "cite":
        return element[0]
    return None


class _RawText(HTMLParser):
    """The text of raw HTML that a reader sees: no comments, scripts, styles or code."""

    SKIPPED = {"script", "style", "code", "pre", "textarea"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.text.append(data)


def citation_extension(feature) -> FeatureExtension:
    return FeatureExtension(feature, ("inlinePatterns", CitationProcessor, "microsite-citations", INLINE_PRIORITY),
                            ("treeprocessors", CitationPlaceholders, "microsite-citation-placeholders",
                             PLACEHOLDER_PRIORITY),
                            ("treeprocessors", CitationTreeprocessor, "microsite-citations-tree", TREE_PRIORITY))
