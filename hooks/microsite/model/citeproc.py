"""Citations and reference lists exactly as a CSL style renders them.

pandoc's citeproc does the work; this module only prepares its input and
checks its output:

- `read_style`: what a CSL file is (title, note or in-text, numeric), or a
  clear `StyleError` for a file that is not a usable style;
- `render`: a batch of documents in one job of a `pandoc lua citeproc.lua`
  process (`pandoc_server`: a process serves job after job, reading each
  record once).
  A document is one page's citations in order (or one bibliography listing);
  each is processed on its own, so numbering, disambiguation (2020a/b, added
  initials), ibid. and short notes are what pandoc gives for that page alone;
- citeproc.lua points reference links at the caller's anchors and keeps
  other links only to http(s) addresses; the HTML pandoc writes is then
  sanitised with nh3 (a bib field is untrusted input), one call a batch.

No MkDocs here: the caller maps keys to records, pages to documents and
errors to located problems.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import subprocess
import tempfile
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from typing import Callable, Iterable, Mapping

import nh3

from microsite.model import pandoc_server
from microsite.model.citations import escaped_cluster
from microsite.model.latex import unknown_commands_as_groups

LUA_SCRIPT = os.path.join(os.path.dirname(__file__), "citeproc.lua")
CSL_NS = "{http://purl.org/net/xbiblio/csl}"


class StyleError(ValueError):
    """The file is not a CSL style pandoc can use."""


class CiteprocError(RuntimeError):
    """pandoc could not format a batch at all."""


class RenderError(CiteprocError):
    """Part of a batch could not be formatted; the rest is in `rendered`.

    `unreadable`: key -> pandoc's reason (the record is left out of the batch);
    `unknown`: document ident -> keys it cites that are not in `records`;
    `problems`: document ident -> what went wrong with that document
    (a part that pandoc does not read as a citation, citeproc failing), with
    the key "" for pandoc's own warnings about the batch.
    """

    def __init__(self, rendered, unreadable, unknown, problems):
        self.rendered, self.unreadable, self.unknown, self.problems = rendered, unreadable, unknown, problems
        lines = [f"pandoc cannot read the BibTeX record '{key}': {_first_line(reason)}"
                 for key, reason in unreadable.items()]
        lines += [f"{ident}: no record for {', '.join(repr(key) for key in keys)}" for ident, keys in unknown.items()]
        lines += [f"{ident or 'pandoc'}: {message}" for ident, messages in problems.items() for message in messages]
        super().__init__("; ".join(lines))


# --------------------------------------------------------------------------
# Styles


@dataclass(frozen=True)
class StyleInfo:
    path: str
    title: str
    id: str
    note: bool                 # class="note": each cluster in running text becomes a footnote
    numeric: bool              # citation-format="numeric": [1], [2] ... in citation order or the style's
    default_locale: str | None
    digest: str                # of the file's bytes: part of any cache key
    compact: bytes = field(default=b"", repr=False, compare=False)    # what pandoc reads: see _compact


def read_style(path: str) -> StyleInfo:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise StyleError(f"{path}: the CSL style cannot be read ({error.strerror})") from None
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise StyleError(f"{path} is not a CSL style: it is not well-formed XML ({error})") from None
    if root.tag != CSL_NS + "style":
        raise StyleError(f"{path} is not a CSL style: its root element is <{_local(root.tag)}>, "
                         "not <style> in the CSL namespace (http://purl.org/net/xbiblio/csl)")
    info = root.find(CSL_NS + "info")
    parent = info.find(f"{CSL_NS}link[@rel='independent-parent']") if info is not None else None
    if parent is not None:
        raise StyleError(f"{path} is not a usable CSL style: it is a dependent style that only names its "
                         f"parent ({parent.get('href')}); use the parent style's file instead")
    if root.find(CSL_NS + "citation") is None:
        raise StyleError(f"{path} is not a CSL style: it has no <citation> element")
    style_class = root.get("class")
    if style_class not in ("in-text", "note"):
        raise StyleError(f"{path} is not a CSL style: its class is {style_class!r}, not 'in-text' or 'note'")
    categories = info.findall(CSL_NS + "category") if info is not None else []
    return StyleInfo(
        path=os.path.abspath(path),
        title=_text(info, "title") or os.path.basename(path),
        id=_text(info, "id"),
        note=style_class == "note",
        numeric=any(category.get("citation-format") == "numeric" for category in categories),
        default_locale=root.get("default-locale"),
        digest=hashlib.sha1(data).hexdigest(),
        compact=_compact(root),
    )


# Elements whose text is content; everywhere else in CSL, text between
# elements is only indentation.
_TEXT_ELEMENTS = {CSL_NS + name for name in ("term", "single", "multiple")}


def _compact(root) -> bytes:
    """The style without comments and indentation: pandoc parses the style
    again for every document, in time proportional to its size (Chicago's
    4,200 lines: about a third less). Same meaning: the oracle tests compare
    with pandoc reading the original file."""
    def strip(element):
        if element.tag in _TEXT_ELEMENTS:
            return                            # its text and its children's tails are content
        if element.text and not element.text.strip(" \t\r\n"):
            element.text = None
        for child in element:
            strip(child)
            if child.tail and not child.tail.strip(" \t\r\n"):
                child.tail = None
    strip(root)
    # as the default namespace, as styles write it (tostring's default_namespace
    # refuses the style's unqualified attributes)
    ElementTree.register_namespace("", CSL_NS[1:-1])
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def _text(info, name: str) -> str:
    element = info.find(CSL_NS + name) if info is not None else None
    return " ".join((element.text or "").split()) if element is not None else ""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


# --------------------------------------------------------------------------
# Documents and results


@dataclass(frozen=True)
class Note:
    """An author's footnote, where its reference mark is.

    `clusters`: its citations in order, each as written (`"[@key, p. 5]"`).
    `text`: the note's Markdown as written, clusters included; pandoc renders
    a citation that opens a note differently from one inside a sentence, so
    give it when you have it. Without it the note is its clusters alone.
    A note without citations still counts in the numbering of notes.
    """

    clusters: tuple[str, ...] = ()
    text: str | None = None


@dataclass(frozen=True)
class Document:
    ident: str
    parts: tuple[str | Note, ...]     # clusters as written in running text, and author notes
    nocite: tuple[str, ...] = ()      # keys to list without citing them


@dataclass(frozen=True)
class Cluster:
    html: str                  # "(Doe 2020, 5)", "[1]" or, for a note style, the note's text
    note: bool                 # the style made it a footnote (running text, note style)
    keys: tuple[str, ...]      # the keys it cites, in order
    escaped: bool = False      # read only with its punctuation escaped (pandoc stopped at it as written)


@dataclass(frozen=True)
class Reference:
    key: str
    html: str                  # the entry (for a numeric style, without its number)
    label: str | None = None   # "[1]" when the style sets the number apart


@dataclass(frozen=True)
class Rendered:
    clusters: tuple[Cluster, ...]         # every cluster in document order, those in notes included
    references: tuple[Reference, ...]     # the reference list, in the style's order
    # with render(names=True): key -> (first name of each name variable, all names), family or literal
    names: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict, compare=False)


def render(documents: Iterable[Document], records: Mapping[str, str], style: StyleInfo | str,
           lang: str | None = None, anchor: Callable[[str], str] | None = None,
           html_titles: bool = False, names: bool = False) -> dict[str, Rendered]:
    """Format `documents` in one pandoc process.

    `records`: key -> standalone BibTeX (or biblatex) record, for every key the
    batch cites or lists, in the order of the bib files (pandoc numbers
    entries listed with `nocite` in that order). `lang`: the locale (e.g.
    "en-GB"); None means the style's default-locale, else en-US, as pandoc
    does. `anchor(key)`: the id each citation links to (default "ref-KEY").
    `html_titles`: the page reads the links' titles (each source's reference
    as text) as HTML (Material's tooltips): they are escaped once more.
    Identical documents are formatted once. `names`: each result also gives
    the names of the references it lists, as pandoc read them.
    Raises CiteprocError when pandoc fails, RenderError (with the rest of the
    batch) when some records, keys or documents could not be used.
    """
    style = style if isinstance(style, StyleInfo) else read_style(style)
    documents = list(documents)
    idents = [document.ident for document in documents]
    if len(set(idents)) != len(idents):
        raise ValueError("document idents must be unique in a batch")
    distinct: dict[str, int] = {}           # a document's job -> its index among those sent
    sent, index_of = [], []
    for document in documents:
        job = _document_job(document)
        index_of.append(distinct.setdefault(json.dumps(job, sort_keys=True), len(sent)))
        if index_of[-1] == len(sent):
            sent.append(job)
    with tempfile.TemporaryDirectory(prefix="microsite-citeproc-") as folder:
        csl = os.path.join(folder, "style.csl")
        with open(csl, "wb") as handle:
            handle.write(style.compact)
        output = _run_pandoc(json.dumps({
            "records": [[key, unknown_commands_as_groups(latex_from_rich_text(record))]
                        for key, record in records.items()],
            "csl": csl,
            "lang": lang,
            "abbreviations": abbreviations(),
            "marker": "citeproc-fragment-" + secrets.token_hex(8),
            "names": names,
            "anchors": {key: (anchor or _default_anchor)(key) for key in records},
            "html_titles": html_titles,
            "documents": sent,
        }, ensure_ascii=False), locale=lang or style.default_locale or "en-US")
    if len(output["documents"]) != len(sent):
        raise CiteprocError(f"pandoc returned {len(output['documents'])} documents for {len(sent)}")
    results = _all_rendered(output["documents"])
    rendered, unknown, problems = {}, {}, {}
    for ident, index in zip(idents, index_of):
        result = output["documents"][index]
        rendered[ident] = results[index]
        if result["unknown"]:
            unknown[ident] = tuple(result["unknown"])
        if result["problems"]:
            problems[ident] = tuple(result["problems"])
    warnings = [line for line in output["stderr"] if not _SHOWN_IN_RESULTS.match(line)]
    if warnings:
        problems[""] = tuple(warnings)
    if output["unreadable"] or unknown or problems:
        raise RenderError(rendered, dict(output["unreadable"]), unknown, problems)
    return rendered


def _all_rendered(results: list[dict]) -> list[Rendered]:
    fragments = []
    for result in results:
        fragments += [cluster["html"] for cluster in result["clusters"]]
        for reference in result["references"]:
            fragments += [reference["html"], reference["label"] or ""]
    cleaned = iter(clean_fragments(fragments))
    rendered = []
    for result in results:
        clusters = tuple(Cluster(next(cleaned), cluster["note"], tuple(cluster["keys"]), bool(cluster.get("escaped")))
                         for cluster in result["clusters"])
        references = []
        for reference in result["references"]:
            text, label = next(cleaned), next(cleaned)
            references.append(Reference(reference["key"], text, label if reference["label"] else None))
        rendered.append(Rendered(
            clusters=clusters, references=tuple(references),
            names={key: (tuple(value.get("first") or ()), tuple(value.get("all") or ()))
                   for key, value in (result.get("names") or {}).items()}))
    return rendered


def _default_anchor(key: str) -> str:
    return "ref-" + key


def _document_job(document: Document) -> dict:
    """The document as Markdown: one paragraph per part, author notes as
    footnote references with their text at the end."""
    paragraphs, notes, parts, escaped = [], [], [], []
    for part in document.parts:
        if isinstance(part, Note):
            label = f"[^n{len(notes) + 1}]"
            text = part.text if part.text is not None else " ".join(part.clusters)
            paragraphs.append(label)
            notes.append(f"{label}: " + _indent(text.strip() or "Note."))
            parts.append(len(part.clusters) or -1)
            escaped.append({"text": text, "clusters": list(part.clusters),         # read if pandoc stops at one
                            "escaped": [escaped_cluster(cluster) for cluster in part.clusters]})
        else:
            paragraphs.append(" ".join(part.split()))    # one line: it cannot open a block of its own
            parts.append(0)
            escaped.append(escaped_cluster(" ".join(part.split())))    # read if pandoc stops at the cluster
    return {"markdown": "\n\n".join(paragraphs + notes) + "\n", "parts": parts, "escaped": escaped,
            "nocite": list(document.nocite)}


def _indent(text: str) -> str:
    return "\n".join(("    " + line if line.strip() else "") if index else line
                     for index, line in enumerate(text.splitlines()))


# --------------------------------------------------------------------------
# pandoc


@lru_cache(maxsize=1)
def pandoc_path() -> str:
    import pypandoc   # locates pypandoc-binary's pandoc (or one on PATH)

    return pypandoc.get_pandoc_path()


@lru_cache(maxsize=1)
def abbreviations() -> list[str]:
    """The abbreviations pandoc's command line gives its Markdown reader (a
    space after "chap." or "esp." becomes a no-break space); `pandoc.read` in
    Lua has a shorter built-in list."""
    try:
        process = subprocess.run([pandoc_path(), "--print-default-data-file", "abbreviations"],
                                 capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        raise CiteprocError(f"pandoc could not give its list of abbreviations: {error}") from None
    return process.stdout.decode("utf-8").split()


# pandoc's warnings that the results already show, per document: a key
# without a record (`unknown`), a cluster the style prints as nothing.
_SHOWN_IN_RESULTS = re.compile(r"^\[WARNING\] Citeproc: (citation .* not found|Citation with no printed form: .*)$")


def _run_pandoc(job: str, locale: str) -> dict:
    # pandoc's BibTeX reader takes the language of the entries without langid
    # from $LANG (as `pandoc --citeproc` takes it from the citation locale):
    # it decides whether titles are English, to be sentence-cased by the style.
    try:
        with pandoc_server.server(pandoc_path(), LUA_SCRIPT, locale) as server:
            result, stderr = server.run(job.encode("utf-8"))
    except OSError as error:
        raise CiteprocError(f"pandoc could not be started: {error}") from None
    except pandoc_server.ServerError as error:
        raise CiteprocError(str(error)) from None
    try:
        output = json.loads(result)
    except ValueError as error:
        raise CiteprocError(f"pandoc's citeproc output is not JSON ({error}): {stderr}") from None
    output["stderr"] = [line for line in stderr.splitlines() if line.strip()]
    output["unreadable"] = output.get("unreadable") or {}
    return output


def _first_line(text: str) -> str:
    return " ".join(text.split("\n", 1)[0].split())


# --------------------------------------------------------------------------
# Rich text in bib fields (Zotero) -> LaTeX pandoc's BibTeX reader understands

_RICH_TAG = re.compile(r"<(/?)(i|b|sup|sub|span)\b([^<>]*)>", re.IGNORECASE)
_NOCASE = re.compile(r"""\s*class\s*=\s*(["'])nocase\1\s*""", re.IGNORECASE)
_LATEX_OPEN = {"i": r"\textit{", "b": r"\textbf{", "sup": r"\textsuperscript{", "sub": r"\textsubscript{",
               "nocase": "{"}


def latex_from_rich_text(record: str) -> str:
    """Zotero's `<i>`, `<b>`, `<sup>`, `<sub>` and `<span class="nocase">` as
    LaTeX; anything else stays text. A pair is converted only when it is
    properly nested and its content has balanced braces (so never across
    two fields of the record)."""
    if "<" not in record:
        return record
    pieces: list[str] = []
    open_tags: list[tuple[int, str, str | None]] = []     # (piece index, tag name, LaTeX kind or None)
    position = 0
    for match in _RICH_TAG.finditer(record):
        pieces.append(record[position:match.start()])
        position = match.end()
        closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
        if not closing:
            if name == "span":
                kind = "nocase" if _NOCASE.fullmatch(attributes) else None
            else:
                kind = name if not attributes.strip() else None
            open_tags.append((len(pieces), name, kind))
            pieces.append(match.group(0))
            continue
        if open_tags and open_tags[-1][1] == name and not attributes.strip():
            index, _, kind = open_tags.pop()
            if kind and _balanced("".join(pieces[index + 1:])):
                pieces[index] = _LATEX_OPEN[kind]
                pieces.append("}")
                continue
        else:
            open_tags.clear()     # crossed or stray: what is open stays text
        pieces.append(match.group(0))
    pieces.append(record[position:])
    return "".join(pieces)


def _balanced(text: str) -> bool:
    depth = 0
    for character in text:
        if character == "{":
            depth += 1
        elif character == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


# --------------------------------------------------------------------------
# Sanitising pandoc's HTML

# What pandoc's citeproc output uses: emphasis, strong, small caps, super-
# and subscripts, underline, line breaks, links, and the csl-* layout classes.
ALLOWED_TAGS = {"a", "em", "i", "strong", "b", "sup", "sub", "span", "div", "u", "br"}
ALLOWED_CLASSES = {"smallcaps", "csl-block", "csl-left-margin", "csl-right-inline", "csl-indent"}


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    # No attribute filter (a Python callback): nh3 releases the GIL while it cleans and
    # takes it back for every callback, and each time waits for the build's thread to let
    # go of it. citeproc.lua has already vetted every link's address and title.
    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        tag_attribute_values={"a": {"role": {"doc-biblioref"}}},
        allowed_classes={"span": ALLOWED_CLASSES, "div": ALLOWED_CLASSES, "a": {"citation__ref"}},
        url_schemes={"http", "https"},
        link_rel=None,
    )


def clean_fragments(fragments: list[str]) -> list[str]:
    """Each fragment of pandoc's HTML sanitised (and stripped), in one nh3 call for all:
    a call per fragment costs a wait for the GIL each (see `_cleaner`). The fragments are
    joined with a random marker text that content cannot forge; if the sanitised whole
    has an element open where a marker is (markup that spanned it), each is cleaned alone."""
    if len(fragments) < 2:
        return [_cleaner().clean(fragment).strip() for fragment in fragments]
    marker = "citeproc-piece-" + secrets.token_hex(8)
    cleaned = _cleaner().clean(f"\n{marker}\n".join(fragments))
    pieces = cleaned.split(marker)
    if len(pieces) == len(fragments) and _markers_outside_elements(cleaned, marker):
        return [piece.strip() for piece in pieces]
    return [_cleaner().clean(fragment).strip() for fragment in fragments]


def _markers_outside_elements(html: str, marker: str) -> bool:
    """No element is open where a marker stands, and every element is closed: each piece
    between markers closes what it opens (read with a real parser, in one pass over the
    whole: an attribute's value may hold "<")."""
    checker = _Nesting(marker)
    checker.feed(html)
    checker.close()
    return checker.balanced and not checker.open_elements


class _Nesting(HTMLParser):
    VOID = {"br"}

    def __init__(self, marker: str):
        super().__init__(convert_charrefs=True)     # a run of text arrives in one piece
        self.marker = marker
        self.open_elements: list[str] = []
        self.balanced = True

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open_elements.append(tag)

    def handle_endtag(self, tag):
        if tag not in self.VOID and (not self.open_elements or self.open_elements.pop() != tag):
            self.balanced = False

    def handle_data(self, data):
        if self.open_elements and self.marker in data:
            self.balanced = False


def unlinked(html: str) -> str:
    """Formatted HTML without its links (their text kept): an in-text form shown
    where the reference it links to is not on the page."""
    return nh3.clean(html, tags=ALLOWED_TAGS - {"a"}, attributes={},
                     allowed_classes={"span": ALLOWED_CLASSES, "div": ALLOWED_CLASSES}).strip()
