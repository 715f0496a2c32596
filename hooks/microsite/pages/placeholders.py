"""Sections that can only be written once every page is rendered ("Cited in",
"Mentioned in", citation counts, download sizes).

A page gets a marker while it is rendered; in on_env, when all pages are
rendered, each marker is replaced by its HTML - the two-phase approach of
mkdocs-autorefs. Markers are built from Unicode private-use characters, which
authors' text does not contain, and are found with str.find, not by scanning
the page's content with patterns.
"""

from __future__ import annotations

from typing import Callable

OPEN, CLOSE = "\ue000mx:", "\ue001"


def marker(kind: str, ident: str = "") -> str:
    return f"{OPEN}{kind}:{ident}{CLOSE}"


def fill(html: str, resolve: Callable[[str, str], str | None]) -> str:
    """Replace every marker; one alone in a paragraph replaces the paragraph.
    A marker for which `resolve` returns None is kept (for a later phase)."""
    if OPEN not in html:
        return html
    out, position = [], 0
    while True:
        start = html.find(OPEN, position)
        if start < 0:
            break
        end = html.find(CLOSE, start)
        if end < 0:
            break
        kind, _, ident = html[start + len(OPEN):end].partition(":")
        replacement = resolve(kind, ident)
        before, after = start, end + len(CLOSE)
        if replacement is None:
            out.append(html[position:after])
            position = after
            continue
        if html.endswith("<p>", 0, start) and html.startswith("</p>", after):
            before, after = start - 3, after + 4
        if OPEN in replacement:         # a section may hold markers of its own
            replacement = fill(replacement, resolve)
        if not replacement.isascii():
            # As character references: one curly quote of a reference would make Python
            # store the whole page at two bytes a character (a large site holds every page).
            replacement = replacement.encode("ascii", "xmlcharrefreplace").decode("ascii")
        out.append(html[position:before])
        out.append(replacement)
        position = after
    out.append(html[position:])
    return "".join(out)
