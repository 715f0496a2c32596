"""Glossary entries (docs/glossary/<slug>.md), validated once per build.

Front matter: `term` (headword), `aliases` (other forms that appear in text),
`see_also` (slugs of other entries), optional `summary` (one sentence; by
default the first paragraph of the entry).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

import markdown as python_markdown

from microsite.content.documents import GLOSSARY_ENTRY, Document
from microsite.model.citations import CLUSTER_PATTERN, PLAIN_TEXT_CITATION_FIX, citations_in, unseen_character
from microsite.model.matcher import TermMatcher, fold_quotes, is_acronym
from microsite.problems import Problems
from microsite.scholarly.keys import THEME_KEYS, did_you_mean
from microsite.scholarly.locate import Lines
from microsite.scholarly.values import CONVERTED, as_text_hint, describe, text_as_written

ENTRY_KEYS = frozenset({"term", "aliases", "see_also", "summary"})

# One- and two-letter English words that must not become aliases unless they
# are written in capitals (an acronym such as "UN" or "EU").
COMMON_SHORT_WORDS = {
    "a", "i", "o", "ad", "ah", "am", "an", "as", "at", "aw", "be", "by", "do", "eh", "go", "ha", "he",
    "hi", "ho", "if", "in", "is", "it", "la", "lo", "ma", "me", "my", "no", "of", "oh", "ok", "on",
    "or", "ow", "ox", "pa", "so", "to", "uh", "um", "up", "us", "we", "ye", "yo",
}


@dataclass
class Term:
    slug: str
    term: str
    aliases: list[str]
    see_also: list[str]
    summary: str
    document: Document

    @property
    def forms(self) -> list[str]:
        return [self.term] + self.aliases

    @property
    def title(self) -> str:
        """The headword, with its first acronym: "World Health Organization (WHO)"."""
        acronym = next((alias for alias in self.aliases if is_acronym(alias)), None)
        return f"{self.term} ({acronym})" if acronym and acronym not in self.term else self.term

    @property
    def tooltip(self) -> str:
        return f"{self.title}: {self.summary}" if self.summary else self.title


@dataclass
class Glossary:
    terms: dict[str, Term] = field(default_factory=dict)      # slug -> term, sorted A-Z
    matcher: TermMatcher = field(default_factory=lambda: TermMatcher({}))
    by_page: dict[str, Term] = field(default_factory=dict)    # src_uri of the entry's page -> term

    def by_src_uri(self, src_uri: str) -> Term | None:
        return self.by_page.get(src_uri)


def load_glossary(documents: dict[str, Document], problems: Problems) -> Glossary:
    entries = [doc for doc in documents.values() if doc.kind == GLOSSARY_ENTRY]
    terms: dict[str, Term] = {}
    unreadable: dict[str, Document] = {}          # entries reported already: not "no entry" again
    for doc in entries:
        term = _read_entry(doc, problems)
        if term:
            terms[term.slug] = term
        else:
            unreadable[_slug(doc)] = doc

    owners: dict[str, tuple[Term, str]] = {}          # folded form -> (entry, form as written)
    forms: dict[str, str] = {}
    for term in terms.values():
        for index, form in enumerate(term.forms):
            folded = fold_quotes(form if is_acronym(form) else form.casefold())
            key = " ".join(folded.split())
            if key in owners:
                other, written = owners[key]
                if other is not term:
                    where = "term" if index == 0 else "alias"
                    problems.report(
                        term.document.path, form_line(term, index),
                        f"the {where} '{form}' is also '{written}' in {other.document.path}:{form_line(other, other.forms.index(written))}",
                        "A term or alias must belong to one entry: remove it from one of the two files.")
                continue
            owners[key] = (term, form)
            forms[form] = term.slug

    composed = {unicodedata.normalize("NFC", slug): slug for slug in [*terms, *unreadable]}
    for term in terms.values():
        # A file name written with a separate accent (macOS) is the same name to the author.
        term.see_also = [composed.get(unicodedata.normalize("NFC", slug), slug) for slug in term.see_also]
        for index, slug in enumerate(term.see_also):
            if slug == term.slug:
                problems.report(term.document.path, term.document.front.line_of("see_also", index),
                                f"see_also: '{slug}' is this entry itself",
                                "List other entries only; remove it from `see_also`.")
            elif slug in unreadable:
                problems.report(term.document.path, term.document.front.line_of("see_also", index),
                                f"see_also: the entry '{slug}' cannot be read (see the message for "
                                f"{unreadable[slug].path})", "Correct that entry; this line is then fine.")
            elif slug not in terms:
                close = difflib.get_close_matches(slug, list(terms), n=1)
                hint = f"Did you mean '{close[0]}'?" if close else "Use the file name of another entry, without .md."
                problems.report(term.document.path, term.document.front.line_of("see_also", index),
                                f"see_also: no glossary entry '{slug}'", hint)

    ordered = dict(sorted(terms.items(), key=lambda item: item[1].term.casefold()))
    return Glossary(terms=ordered, matcher=TermMatcher(forms),
                    by_page={term.document.src_uri: term for term in ordered.values()})


def form_line(term: Term, index: int) -> int:
    front = term.document.front
    return front.line_of("term") if index == 0 else front.line_of("aliases", index - 1)


def _slug(doc: Document) -> str:
    """An entry's slug: its file name without `.md`."""
    return doc.src_uri.rsplit("/", 1)[-1][:-3]


def _read_entry(doc: Document, problems: Problems) -> Term | None:
    if not doc.readable:            # its front matter is reported already, with its line
        return None
    meta, front = doc.meta, doc.front
    slug = _slug(doc)
    lines = Lines(doc)
    for key in map(front.key_name, meta):
        if key not in ENTRY_KEYS and key not in THEME_KEYS:
            problems.report(doc.path, front.line_of(key), f"unknown front matter key `{key}` in a glossary entry",
                            did_you_mean(key, ENTRY_KEYS | THEME_KEYS, "the key"))
    headword = meta.get("term")
    if headword is not None and not isinstance(headword, str):
        written = lines.written("term")
        problems.report(doc.path, front.line_of("term"), f"`term` must be text, not {describe(headword, written)}",
                        as_text_hint("term", headword, written))
        return None
    if not isinstance(headword, str) or not headword.strip():
        problems.report(doc.path, front.line_of("term"), "a glossary entry needs a `term` (its headword)",
                        f"Add a line `term: {slug.replace('-', ' ').capitalize()}` (the headword as readers "
                        "should see it) to the front matter.")
        return None
    aliases = _string_list(doc, lines, "aliases", problems)
    see_also = _string_list(doc, lines, "see_also", problems)
    for index, alias in enumerate(aliases):
        letters = alias.strip()
        if len(letters) < 3 and not is_acronym(letters) and letters.lower() in COMMON_SHORT_WORDS:
            problems.report(doc.path, front.line_of("aliases", index),
                            f"the alias '{alias}' is a common English word and would be linked everywhere",
                            "Write it in capitals if it is an acronym (e.g. 'US'), or remove it.")
    aliases = [a for a in aliases if not (len(a.strip()) < 3 and not is_acronym(a.strip())
                                          and a.strip().lower() in COMMON_SHORT_WORDS)]

    summary = meta.get("summary")
    if isinstance(summary, CONVERTED):          # `summary: 12.10`: the text as written, never "12.1"
        summary = text_as_written(summary, lines.node("summary")) or summary
    if summary is not None and (not isinstance(summary, str) or not summary.strip()):
        problems.report(doc.path, front.line_of("summary"), "`summary` must be a sentence of text",
                        "Write one sentence, or remove the line to use the first paragraph.")
        summary = None
    for written in citations_in(summary):
        problems.report(doc.path, front.line_of("summary"), f"`summary` is plain text: the citation {written} in it "
                        "is shown as written, in every preview of the term", PLAIN_TEXT_CITATION_FIX)
    first_paragraph = "" if summary else _first_paragraph_text(doc.front.body)
    if not first_paragraph and not summary:
        problems.report(doc.path, front.body_line, f"the glossary entry '{headword}' has no definition",
                        "Write at least one paragraph explaining the term below the front matter.")
    headword = _form(doc, problems, "term", headword)
    aliases = [_form(doc, problems, "alias", alias, index) for index, alias in enumerate(aliases)]
    return Term(slug=slug, term=headword.strip(), aliases=[a.strip() for a in aliases],
                see_also=[s.strip() for s in see_also], summary=(summary or first_paragraph).strip(),
                document=doc)


def _form(doc: Document, problems: Problems, what: str, form: str, index: int | None = None) -> str:
    """A term or alias as pages write it: composed (a 'é' typed as 'e' and an accent, as some
    keyboards and macOS write it, matches the 'é' of the text) and without invisible characters
    (reported: a zero-width space inside a term matches no text)."""
    unseen = unseen_character(form)
    if unseen:
        line = doc.front.line_of("term") if index is None else doc.front.line_of("aliases", index)
        problems.report(doc.path, line, f"the {what} '{form}' contains a character a reader cannot see ({unseen})",
                        "Delete it (retype the word); it is left out meanwhile, so that the text is linked.")
        form = "".join(c for c in form if unicodedata.category(c) != "Cf")
    return unicodedata.normalize("NFC", form)


def _string_list(doc: Document, lines: Lines, key: str, problems: Problems) -> list[str]:
    value = doc.meta.get(key)
    if value is None:
        return []
    # A number or date YAML read (`aliases: [1984]`, `see_also: [012]`) is the text as written.
    if isinstance(value, list):
        value = [text_as_written(item, lines.node(key, index)) or item if isinstance(item, CONVERTED) else item
                 for index, item in enumerate(value)]
    elif isinstance(value, CONVERTED):
        value = text_as_written(value, lines.node(key)) or value
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        problems.report(doc.path, doc.front.line_of(key), f"`{key}` must be a list of texts",
                        f"Write `{key}: [first, second]`.")
        return []
    return list(value)


_SUMMARY_MARKDOWN = python_markdown.Markdown()   # one instance for all entries: creating one is costly
_CLUSTER = re.compile(CLUSTER_PATTERN)


class _FirstParagraph(HTMLParser):
    """The text of the first <p> of rendered HTML, entities decoded (it is escaped again
    wherever it is written)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0
        self.done = False

    def handle_starttag(self, tag, attrs):
        if tag == "p" and not self.done:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "p" and self.depth:
            self.depth -= 1
            self.done = not self.depth

    def handle_data(self, data):
        if self.depth and not self.done:
            self.parts.append(data)


def paragraph_text(html: str) -> str:
    """The text of the first <p> of rendered HTML, entities decoded."""
    reader = _FirstParagraph()
    reader.feed(html)
    reader.close()
    return "".join(reader.parts)


def _first_paragraph_text(body: str) -> str:
    """The entry's first paragraph as plain text, rendered by Python-Markdown."""
    blocks = [block for block in re.split(r"\n\s*\n", body) if block.strip()]
    first = next((block for block in blocks if not block.lstrip().startswith(("#", "!!!", "???", "<", "---"))), "")
    text = _CLUSTER.sub("", paragraph_text(_SUMMARY_MARKDOWN.reset().convert(first)))
    return " ".join(text.split()).replace(" .", ".").replace(" ,", ",")
