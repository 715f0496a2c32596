"""A page's citations as the document citeproc formats: its clusters in reading
order, and its footnotes where their marks are, with the clusters in each.

The citations feature reads the page's element tree for the document it
shows. This module *predicts* it from the Markdown, before the page is
rendered, so that formatting can start early; a page whose rendered document
differs (text another extension added, an unusual footnote) is formatted
again once rendered: the prediction is only a prefetch.
"""

from __future__ import annotations

import re

from microsite.model.citations import CLUSTER_PATTERN, parse_cluster, visible_text
from microsite.model.citeproc import Note

_CLUSTER = re.compile(CLUSTER_PATTERN)
# Python-Markdown's footnotes: a definition `[^id]: text` at a line's start (its
# continuation lines indented), and references `[^id]` anywhere else.
_DEFINITION = re.compile(r"^ {0,3}\[\^(?P<id>[^\]\s]+)\]:", re.MULTILINE)
_REFERENCE = re.compile(r"\[\^(?P<id>[^\]\s]+)\](?!:)")


def predict(markdown: str) -> tuple[str | Note, ...]:
    """The parts of the page's document: each cluster as written, and each
    referenced footnote as a Note of its clusters, in reading order."""
    visible = visible_text(markdown)
    definitions = _definitions(visible)
    spans = sorted(definitions.values())

    def inside_definition(position: int) -> str | None:
        for start, end, ident in spans:
            if start <= position < end:
                return ident
        return None

    note_clusters: dict[str, list[str]] = {ident: [] for ident in definitions}
    events: list[tuple[int, str | Note | str]] = []
    for match in _CLUSTER.finditer(visible):
        if not parse_cluster(match.group("body")):
            continue
        raw = markdown[match.start():match.end()]
        owner = inside_definition(match.start())
        if owner is None:
            events.append((match.start(), raw))
        else:
            note_clusters[owner].append(raw)
    referenced: set[str] = set()
    for match in _REFERENCE.finditer(visible):
        ident = match.group("id")
        if ident in definitions and ident not in referenced and inside_definition(match.start()) is None:
            referenced.add(ident)
            events.append((match.start(), ("note", ident)))
    parts: list[str | Note] = []
    for _, event in sorted(events, key=lambda item: item[0]):
        if isinstance(event, tuple):
            parts.append(Note(clusters=tuple(note_clusters[event[1]])))
        else:
            parts.append(event)
    return tuple(parts)


def _definitions(visible: str) -> dict[str, tuple[int, int, str]]:
    """Each footnote definition's span: its first line, then the lines that continue
    it (indented, blank, or a paragraph's lazy continuation)."""
    found = {}
    lines = visible.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    index = 0
    while index < len(lines):
        match = _DEFINITION.match(lines[index])
        if not match:
            index += 1
            continue
        start, end = offsets[index], index + 1
        previous_blank = False
        while end < len(lines):
            line = lines[end]
            if not line.strip():
                previous_blank = True
            elif line.startswith(("    ", "\t")):
                previous_blank = False
            elif not previous_blank and not _DEFINITION.match(line):
                pass                           # a lazy continuation of the paragraph
            else:
                break
            end += 1
        found.setdefault(match.group("id"), (start, offsets[end], match.group("id")))
        index = end
    return found
