"""Pages that cannot affect each other, formatted as one citeproc document.

pandoc parses the CSL style again for every document it formats (Chicago
author-date: about 17 ms), and a page's document is small (1-5 clusters), so
on a site of hundreds of pages most of citeproc's time went to parsing the
style. Pages are therefore formatted several to a document when that gives
each page exactly what it gets alone:

- **No shared or related sources.** Two pages share a document only if no
  source of one is related to a source of the other, in the sense of
  `listing.related_groups` (the same family name, the same first rendering,
  or no names: what citeproc's disambiguation compares). So no citation is
  disambiguated against the other page's sources (2020a/b, added initials),
  and every source's first and later citations stay on its own page
  (positions: first, subsequent, ibid.).
- **Only styles where nothing else crosses pages**: in-text, not numeric (a
  number runs through the document), no `subsequent-author-substitute` (it
  depends on the previous entry), no `first-reference-note-number` or
  `citation-number`; documents without `nocite`. pandoc hands citeproc the
  references in the order of the bib files, so ties in the style's sort are
  broken the same way in a shared document as alone.
- **Checked on the way back**: each page's clusters must come back with the
  keys it cites, in its order; otherwise, or if anything in the shared
  document goes wrong, its pages are formatted one by one as before (which
  also reports each problem where it belongs).

The relation needs each source's names and first rendering: one quick pass
(`listing.order_pass`) over every source the pages cite, the same pass the
bibliography's listing needs for its order, so it runs once for both.
`test_sharing.py` compares shared and one-by-one formatting on real bib files.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from functools import lru_cache

from microsite.model import listing
from microsite.model.citations import CitationItem, parse_cluster
from microsite.model.citeproc import CSL_NS, Document, Note, Reference, Rendered, StyleInfo

SHARE_FROM = 12        # documents; for fewer, the pass that relates their sources costs more than it saves
SHARED_PARTS = 100     # clusters a shared document (citeproc's disambiguation grows faster than linearly)


@dataclass(frozen=True)
class Shared:
    """Pages formatted as one document: their parts one after another."""

    document: Document
    members: tuple[Document, ...]


def possible(style: StyleInfo) -> bool:
    """A style in which pages without related sources cannot affect each other."""
    return not style.note and _style_allows(style)


@lru_cache(maxsize=8)
def _style_allows(style: StyleInfo) -> bool:
    if not listing.splittable_style(style):
        return False
    root = ElementTree.fromstring(style.compact)
    return not any("first-reference-note-number" in element.get("variable", "").split()
                   for element in root.iter() if element.tag.startswith(CSL_NS))


def shareable(document: Document) -> bool:
    return not document.nocite and cited_keys(document) is not None


def cited_keys(document: Document) -> list[tuple[str, ...]] | None:
    """The keys of each cluster of a document, in order (notes' clusters where the note is);
    None when a part is not a citation the parser reads."""
    clusters = []
    for part in document.parts:
        for text in (part.clusters if isinstance(part, Note) else (part,)):
            items = parse_cluster(text[1:-1]) if text.startswith("[") and text.endswith("]") else None
            if not isinstance(items, tuple) or not items or not all(isinstance(i, CitationItem) for i in items):
                return None
            clusters.append(tuple(item.key for item in items))
    return clusters


def plan(documents: list[Document], groups: dict[str, str]) -> list[Document | Shared]:
    """The documents as they will be sent: alone, or shared with pages whose sources
    are in other groups (`groups`: key -> its group). Documents citing a key
    without a group (no record) stay alone, so their problem is reported as before."""
    alone: list[Document | Shared] = []
    open_documents: list[_Open] = []
    for document in documents:
        clusters = cited_keys(document) if not document.nocite else None
        keys = {key for cluster in clusters or () for key in cluster}
        if clusters is None or not keys or any(key not in groups for key in keys):
            alone.append(document)
            continue
        needs = {groups[key] for key in keys}
        for candidate in open_documents:              # first fit
            if candidate.clusters + len(clusters) <= SHARED_PARTS and not candidate.groups & needs:
                break
        else:
            candidate = _Open()
            open_documents.append(candidate)
        candidate.groups |= needs
        candidate.members.append(document)
        candidate.clusters += len(clusters)
    for index, candidate in enumerate(open_documents):
        members = candidate.members
        if len(members) == 1:
            alone.append(members[0])
        else:
            parts = tuple(part for member in members for part in member.parts)
            alone.append(Shared(Document(f"shared#{index}", parts), tuple(members)))
    return alone


@dataclass
class _Open:
    groups: set = field(default_factory=set)
    members: list = field(default_factory=list)
    clusters: int = 0


def split(shared: Shared, rendered: Rendered) -> dict[str, Rendered] | None:
    """Each member's result from the shared document's; None when they do not add up."""
    clusters = list(rendered.clusters)
    reference_of = {reference.key: reference for reference in rendered.references}
    results, start = {}, 0
    for member in shared.members:
        expected = cited_keys(member)
        mine = clusters[start:start + len(expected)]
        start += len(expected)
        if len(mine) != len(expected) or any(sorted(cluster.keys) != sorted(keys)
                                             for cluster, keys in zip(mine, expected)):
            return None
        cited = {key for keys in expected for key in keys}
        references: tuple[Reference, ...] = tuple(reference for reference in rendered.references
                                                  if reference.key in cited)
        if rendered.references and not cited <= set(reference_of):
            return None                 # a style with a bibliography lists every cited source
        results[member.ident] = Rendered(clusters=tuple(mine), references=references)
    return results if start == len(clusters) else None
