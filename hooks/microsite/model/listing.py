"""A whole bibliography's listing, formatted in pieces that cannot affect each other.

The bibliography page lists every source once, as one document (`[@a]`,
`[@b]`, … one cluster each), so its order, its disambiguation (2020a/b, added
initials) and each source's in-text form are those of the whole list. pandoc's
citeproc takes time superlinear in the length of such a document (its
given-name disambiguation: 673 sources 5 s, 3,700 several minutes), so a long
listing is formatted in pieces, with the same result:

1. **Order pass**: the whole listing once with a copy of the style whose
   `<citation>` does no disambiguation (fast). citeproc computes the
   bibliography's sort keys from each reference alone, before any
   disambiguation, so this gives the listing's order; its clusters are the
   first rendering citeproc compares to find ambiguous cites.
2. **Groups**: sources are related when citeproc could let one change
   another: the same family name first in a name variable (all names
   under an `all-names` rule; compared by its last word, as citeproc may
   move a leading "van" or "de" out of it), the same first rendering, or no
   names at all. Related sources always stay in one piece; pieces are whole
   groups. Relating more than needed costs only speed, never exactness.
3. **Pieces** (documents of about PIECE sources) are formatted with the real
   style in one pandoc run; the results are put back in the order of step 1.

Only where that is exact: not for numeric styles (numbers run through the
whole list) or styles that replace a repeated author by a dash
(`subsequent-author-substitute`, which depends on the previous entry).
Elsewhere, and for short listings, the listing is one document as before.
`test_listing.py` compares both ways on real bib files.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import re
import unicodedata
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from functools import lru_cache

from microsite.model import citeproc
from microsite.model.citations import CitationItem, parse_cluster
from microsite.model.citeproc import CSL_NS, Document, Rendered, RenderError, StyleInfo

SPLIT_FROM = 150      # sources; below this one document is fast enough
PIECE = 150           # sources a piece (whole groups; a larger group is a piece of its own)

_DISAMBIGUATION = ("disambiguate-add-givenname", "disambiguate-add-names", "disambiguate-add-year-suffix",
                   "givenname-disambiguation-rule")
_TAG = re.compile(r"<[^>]*>")


def splittable(document: Document, style: StyleInfo) -> bool:
    """A listing long enough to gain, in a style where pieces give the same result."""
    parts = document.parts
    return (len(parts) >= SPLIT_FROM and not document.nocite
            and all(isinstance(part, str) for part in parts) and _facts(style).exact_in_pieces)


def render_listing(document: Document, records: dict[str, str], style: StyleInfo, **options) -> Rendered:
    """What `citeproc.render([document], …)[document.ident]` gives, in pieces.
    Raises RenderError / CiteprocError as `citeproc.render` does: anything
    that goes wrong in a piece is reported for the listing as a whole."""
    keys = [_only_key(part) for part in document.parts]
    if None in keys or len(set(keys)) != len(keys):
        return _whole(document, records, style, options)
    part_of = dict(zip(keys, document.parts))
    try:
        order_pass = citeproc.render([document], records, _facts(style).order_pass, names=True,
                                     **options)[document.ident]
        pieces = [Document(f"{document.ident}#{index}", tuple(part_of[key] for key in piece))
                  for index, piece in enumerate(_pieces(keys, order_pass, style))]
        rendered = citeproc.render(pieces, records, style, **options)
    except RenderError:
        return _whole(document, records, style, options)
    cluster_of, reference_of = {}, {}
    for piece in pieces:
        for cluster in rendered[piece.ident].clusters:
            cluster_of[cluster.keys[0]] = cluster
        for reference in rendered[piece.ident].references:
            reference_of[reference.key] = reference
    order = [reference.key for reference in order_pass.references]
    if set(cluster_of) != set(keys) or sorted(order) != sorted(reference_of):
        return _whole(document, records, style, options)      # never lose or invent an entry
    return Rendered(clusters=tuple(cluster_of[key] for key in keys),
                    references=tuple(reference_of[key] for key in order))


def _whole(document, records, style, options) -> Rendered:
    return citeproc.render([document], records, style, **options)[document.ident]


def _only_key(part: str) -> str | None:
    """The key of a cluster that cites one source and nothing else (`[@key]`), else None."""
    items = parse_cluster(part[1:-1]) if part.startswith("[") and part.endswith("]") else None
    if isinstance(items, tuple) and len(items) == 1 and items[0] == CitationItem(items[0].key):
        return items[0].key
    return None


def _pieces(keys: list[str], order_pass: Rendered, style: StyleInfo) -> list[list[str]]:
    """The listing's keys in pieces of whole groups, each piece in the listing's order."""
    parent = {key: key for key in keys}

    def find(key):
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def join(a, b):
        parent[find(a)] = find(b)

    all_names = _facts(style).all_names
    first_seen: dict[tuple, str] = {}
    for key, cluster in zip(keys, order_pass.clusters):
        first, every = order_pass.names.get(key, ((), ()))
        related = [("family", _last_word(name)) for name in (every if all_names else first)]
        if not every:
            related.append(("no names", ""))
        related.append(("rendered", _fold(html.unescape(_TAG.sub("", cluster.html)))))
        for mark in related:
            if mark in first_seen:
                join(key, first_seen[mark])
            else:
                first_seen[mark] = key
    groups: dict[str, list[str]] = {}
    for key in keys:                                   # each group in the listing's order
        groups.setdefault(find(key), []).append(key)
    pieces, current = [], []
    for group in groups.values():
        if current and len(current) + len(group) > PIECE:
            pieces.append(current)
            current = []
        current.extend(group)
    if current:
        pieces.append(current)
    position = {key: index for index, key in enumerate(keys)}
    return [sorted(piece, key=position.__getitem__) for piece in pieces]


def _fold(text: str) -> str:
    # Related when equal after folding: folding more than citeproc compares only joins more.
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _last_word(family: str) -> str:
    # citeproc may move leading particles out of a family name ("van Gogh" -> "Gogh");
    # the last word is always the family's own.
    words = _fold(family).split()
    return words[-1] if words else ""


@dataclass(frozen=True)
class _StyleFacts:
    exact_in_pieces: bool        # nothing in the style depends on the whole list
    all_names: bool              # given names are disambiguated over all names, not the first
    order_pass: StyleInfo        # the style without disambiguation in <citation>


@lru_cache(maxsize=8)
def _facts(style: StyleInfo) -> _StyleFacts:
    """What the listing needs to know of a style: its file is parsed once a build."""
    root = ElementTree.fromstring(style.compact)
    bibliography = root.find(CSL_NS + "bibliography")
    citation = root.find(CSL_NS + "citation")
    dash = bibliography is not None and bibliography.get("subsequent-author-substitute") is not None
    numbers = any("citation-number" in element.get("variable", "").split() for element in root.iter())
    rule = citation.get("givenname-disambiguation-rule", "by-cite")
    for attribute in _DISAMBIGUATION:
        citation.attrib.pop(attribute, None)
    ElementTree.register_namespace("", CSL_NS[1:-1])
    compact = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return _StyleFacts(
        exact_in_pieces=not (style.numeric or dash or numbers),
        all_names=rule in ("all-names", "all-names-with-initials"),
        order_pass=dataclasses.replace(style, compact=compact, digest=hashlib.sha1(compact).hexdigest()),
    )
