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
   another: the same family name first in a name list the citation shows
   (its family is in the first rendering; all names of every list under an
   `all-names` rule; compared by its last word, as citeproc may move a
   leading "van" or "de" out of it), the same first rendering, or no name
   shown at all. Related sources always stay in one piece; pieces are whole
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
            and all(isinstance(part, str) for part in parts) and splittable_style(style))


def splittable_style(style: StyleInfo) -> bool:
    """Nothing in the style depends on the whole list (numbers, a dash for a repeated author)."""
    return _facts(style).exact_in_pieces


def listing_keys(document: Document) -> list[str] | None:
    """The keys of a listing that cites each source once, alone (`[@key]`), else None."""
    keys = [_only_key(part) for part in document.parts]
    return None if None in keys or len(set(keys)) != len(keys) else keys


def order_pass(document: Document, records: dict[str, str], style: StyleInfo, **options) -> Rendered:
    """The document with the style's citations undisambiguated, and the names of its sources:
    the order of its reference list and each citation's first rendering."""
    return citeproc.render([document], records, _facts(style).order_pass, names=True, **options)[document.ident]


def render_listing(document: Document, records: dict[str, str], style: StyleInfo,
                   first_pass: Rendered | None = None, **options) -> Rendered:
    """What `citeproc.render([document], …)[document.ident]` gives, in pieces.
    `first_pass`: `order_pass` of a document that begins with this one's parts
    (and may list more sources after them), when the caller has it.
    Raises RenderError / CiteprocError as `citeproc.render` does for the whole
    listing: a record pandoc refuses, or a key without one, as a RenderError
    for the listing (with the rest formatted in pieces); anything else that
    goes wrong in a piece makes it format the listing whole."""
    keys = listing_keys(document)
    if keys is None:
        return _whole(document, records, style, options)
    part_of = dict(zip(keys, document.parts))
    if first_pass is None:
        try:
            first_pass = order_pass(document, records, style, **options)
        except RenderError as error:
            # A record pandoc refuses (or a key without one) fails the pass as it fails
            # the whole listing: the rest is still related and formatted in pieces, and
            # the same error is raised for the listing below.
            first_pass = error.rendered.get(document.ident)
            if first_pass is None or len(first_pass.clusters) != len(keys) or error.problems.get(document.ident):
                return _whole(document, records, style, options)
    listed = set(keys)
    first_pass = Rendered(clusters=first_pass.clusters[:len(keys)],
                          references=tuple(r for r in first_pass.references if r.key in listed),
                          names=first_pass.names)
    pieces = [Document(f"{document.ident}#{index}", tuple(part_of[key] for key in piece))
              for index, piece in enumerate(_pieces(keys, first_pass, style))]
    failure = None
    try:
        rendered = citeproc.render(pieces, records, style, **options)
    except RenderError as error:
        rendered, failure = error.rendered, error
        if any(piece.ident not in rendered or error.problems.get(piece.ident) for piece in pieces):
            return _whole(document, records, style, options)
    cluster_of, reference_of = {}, {}
    for piece in pieces:
        for key, cluster in zip(_piece_keys(piece), rendered[piece.ident].clusters):
            cluster_of[key] = cluster
        for reference in rendered[piece.ident].references:
            reference_of[reference.key] = reference
    order = [reference.key for reference in first_pass.references]
    if set(cluster_of) != set(keys) or sorted(order) != sorted(reference_of):
        return _whole(document, records, style, options)      # never lose or invent an entry
    result = Rendered(clusters=tuple(cluster_of[key] for key in keys),
                      references=tuple(reference_of[key] for key in order))
    if failure is not None:
        unknown = {key for missing in failure.unknown.values() for key in missing}
        raise RenderError({document.ident: result}, dict(failure.unreadable),
                          {document.ident: tuple(key for key in keys if key in unknown)} if unknown else {},
                          {"": failure.problems[""]} if failure.problems.get("") else {})
    return result


def _piece_keys(piece: Document) -> list[str]:
    return [_only_key(part) for part in piece.parts]


def _whole(document, records, style, options) -> Rendered:
    return citeproc.render([document], records, style, **options)[document.ident]


def _only_key(part: str) -> str | None:
    """The key of a cluster that cites one source and nothing else (`[@key]`), else None."""
    items = parse_cluster(part[1:-1]) if part.startswith("[") and part.endswith("]") else None
    if isinstance(items, tuple) and len(items) == 1 and items[0] == CitationItem(items[0].key):
        return items[0].key
    return None


def _pieces(keys: list[str], first_pass: Rendered, style: StyleInfo) -> list[list[str]]:
    """The listing's keys in pieces of whole groups, each piece in the listing's order."""
    group_of = related_groups(keys, first_pass, style)
    groups: dict[str, list[str]] = {}
    for key in keys:                                   # each group in the listing's order
        groups.setdefault(group_of[key], []).append(key)
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


def related_groups(keys: list[str], first_pass: Rendered, style: StyleInfo) -> dict[str, str]:
    """key -> its group: sources citeproc could let affect each other share a group.
    `first_pass.clusters[i]` is the first rendering of `keys[i]` alone (`order_pass`)."""
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
    for key, cluster in zip(keys, first_pass.clusters):
        first, every = first_pass.names.get(key, ((), ()))
        rendered = _fold(html.unescape(_TAG.sub("", cluster.html)))
        if all_names:
            families = [_last_word(name) for name in every]
        else:
            # the rule compares the first name of each name list a citation shows:
            # an editor's list of a work with an author is not shown (its family is not in the text)
            families = [word for word in map(_last_word, first) if word and word in rendered]
        related = [("family", family) for family in families]
        if not families:
            related.append(("no names", ""))
        related.append(("rendered", rendered))
        for mark in related:
            if mark in first_seen:
                join(key, first_seen[mark])
            else:
                first_seen[mark] = key
    return {key: find(key) for key in keys}


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
