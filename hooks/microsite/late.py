"""Late sections: the parts of a page that can only be written once every page
is converted ("Cited in", "Mentioned in", citation counts, formatted citations,
download sizes) - the two phases of mkdocs-autorefs.

While a page is converted, a feature leaves a marker where such a section
goes: a self-describing element

    <mx-late kind="cited-in" ref="smith&amp;jones2020" line="12"></mx-late>

and registers a resolver for its kind. Just before a page's template is
rendered (on_page_context; with `mkdocs serve`, in on_env), `fill` replaces
every marker with what its kind's resolver returns. Because a marker is an element:
Markdown leaves it as it is (a key's `&` is an attribute value, escaped and
unescaped by HTML's own rules), a table of contents never shows it (it has no
text), and an attribute can never hold one. Markers are found with `str.find`
on their fixed opening and read with a real HTML parser, never by patterns
over the page. A marker whose kind no feature resolves, or whose target its
resolver does not know, is reported with the page's file and line and shown
as a visible notice: never replaced by an empty string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from xml.etree import ElementTree as etree

from markupsafe import Markup

from microsite.problems import Problems

if TYPE_CHECKING:
    from microsite.context import PageState
    from microsite.feature import Resolver
    from microsite.templates import Templates

TAG = "mx-late"
_OPEN = f"<{TAG} "
_CLOSE = f"</{TAG}>"
_MARKER = Markup('<mx-late kind="{}" ref="{}"{}></mx-late>')


@dataclass(frozen=True)
class Marker:
    kind: str
    target: str
    line: int | None = None


def marker_element(kind: str, target: str, line: int | None = None) -> etree.Element:
    """A marker for the Markdown element tree."""
    attributes = {"kind": kind, "ref": target}
    if line:
        attributes["line"] = str(line)
    return etree.Element(TAG, attributes)


def marker_html(kind: str, target: str, line: int | None = None) -> Markup:
    """A marker in HTML (templates, generated pages); every value is escaped."""
    return _MARKER.format(kind, target, Markup(' line="{}"').format(line) if line else "")


class _StartTag(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attributes: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        if tag == TAG and not self.attributes:
            self.attributes = {name: value or "" for name, value in attrs}


# The form the generator writes (marker_html, and Markdown's serialiser for marker_element):
# read without a parser, unescaped as HTML's parser unescapes attribute values. Any other
# form (a hand-written marker) goes through the parser.
_WRITTEN = re.compile(r'<mx-late kind="([^"<>]*)" ref="([^"<>]*)"(?: line="([0-9]+)")?>')


def _read_marker(start_tag: str) -> Marker:
    written = _WRITTEN.fullmatch(start_tag)
    if written:
        kind, target, line = written.groups()
        return Marker(unescape(kind), unescape(target), int(line) if line else None)
    parser = _StartTag()
    parser.feed(start_tag)
    parser.close()
    attributes = parser.attributes
    line = attributes.get("line", "")
    return Marker(attributes.get("kind", ""), attributes.get("ref", ""), int(line) if line.isdigit() else None)


_KIND = re.compile(r'kind\s*=\s*["\']?([^"\'\s>]*)')


def written_marker_lines(raw: str) -> dict[str, int]:
    """Markers written into a page's file by hand (no generator writes them there): the first
    file line of each kind, so that a marker the build cannot resolve is reported at it."""
    lines: dict[str, int] = {}
    if "<" + TAG not in raw:
        return lines
    for number, text in enumerate(raw.splitlines(), start=1):
        if "<" + TAG in text:
            for kind in _KIND.findall(text):
                lines.setdefault(unescape(kind), number)
    return lines


class LateSections:
    """The registry of late kinds for one build, and the filling of pages."""

    def __init__(self, problems: Problems, templates: Templates):
        self.problems = problems
        self.templates = templates
        self._resolvers: dict[str, tuple[str, Resolver]] = {}

    def register(self, kind: str, resolver: Resolver, owner: str) -> None:
        if kind in self._resolvers:
            raise ValueError(f"late kind {kind!r} is registered by both {self._resolvers[kind][0]} and {owner}")
        self._resolvers[kind] = (owner, resolver)

    @property
    def kinds(self) -> set[str]:
        return set(self._resolvers)

    def fill(self, html: str, state: PageState) -> str:
        """Replace every marker of a page's HTML; a marker alone in a paragraph
        replaces the paragraph (its section is block HTML)."""
        if _OPEN not in html:
            return html
        out, position = [], 0
        while (start := html.find(_OPEN, position)) >= 0:
            tag_end = html.find(">", start)
            end = html.find(_CLOSE, tag_end)
            if tag_end < 0 or end < 0:
                break
            marker = _read_marker(html[start:tag_end + 1])
            after = end + len(_CLOSE)
            replacement = self._resolve(marker, state)
            before = start
            if html.endswith("<p>", 0, start) and html.startswith("</p>", after):
                before, after = start - 3, after + 4
            if _OPEN in replacement:         # a section may hold markers of its own
                replacement = self.fill(replacement, state)
            if not replacement.isascii():
                # As character references: one curly quote of a reference would make Python
                # store the whole page at two bytes a character (a large site holds every page).
                replacement = replacement.encode("ascii", "xmlcharrefreplace").decode("ascii")
            out.append(html[position:before])
            out.append(replacement)
            position = after
        out.append(html[position:])
        return "".join(out)

    def _resolve(self, marker: Marker, state: PageState) -> str:
        registered = self._resolvers.get(marker.kind)
        if registered is None:
            self.problems.report(state.path, marker.line or state.written_markers.get(marker.kind),
                                 f"unknown late section kind '{marker.kind}'",
                                 f"Only the generator writes <{TAG}> elements (kinds: "
                                 f"{', '.join(sorted(self._resolvers))}); remove this one from the page "
                                 "or the template that wrote it.")
        else:
            html = registered[1](marker, state)
            if html is not None:
                return str(html)
            self.problems.report(state.path, marker.line or state.written_markers.get(marker.kind),
                                 f"the {marker.kind} section has no target '{marker.target}'",
                                 "Check the name it refers to (a citation key, a glossary entry, a page).")
        return str(self.templates.render("microsite/late-missing.html", marker=marker))
