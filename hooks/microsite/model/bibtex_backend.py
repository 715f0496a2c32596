"""The one module that talks to mkdocs-bibtex, pybtex and pandoc.

mkdocs-bibtex is archived upstream; everything the generator needs from it and
from the libraries under it (pybtex for parsing BibTeX, pandoc through
pypandoc for CSL formatting) goes through the functions here, so that either
could be replaced without touching the rest of the code:

- `read_bib_file`: parse one .bib file with pybtex, collecting every error
  with its line instead of stopping at the first one;
- `resolve_crossrefs`: biblatex-style inheritance from `crossref` parents;
- `to_bibtex`: a standalone BibTeX record (pybtex's own writer re-escapes
  LaTeX that is already there, e.g. `\\&` becomes `\\\\&`, so we write the
  raw field values ourselves);
- `plain_text`: LaTeX field values and names as Unicode text;
- `format_batch`: in-text labels and references for a batch of entries, in
  one pandoc run, through mkdocs-bibtex's PandocRegistry.
"""

from __future__ import annotations

import bisect
import html as html_module
import re
from dataclasses import dataclass, field
from functools import lru_cache

import pybtex
import pybtex.errors
from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.input.bibtex import Parser
from pybtex.backends.plaintext import Backend as PlainTextBackend
from pybtex.richtext import Text

PERSON_ROLES = ("author", "editor", "translator", "bookauthor")
# Part of the key of cached parses: a new pybtex or a change here invalidates them.
PARSER_VERSION = f"pybtex-{pybtex.__version__}-reader-1"

# --------------------------------------------------------------------------
# Reading


@dataclass
class BibError:
    line: int | None
    message: str
    key: str | None = None


@dataclass
class BibFile:
    entries: dict[str, Entry] = field(default_factory=dict)    # in file order
    lines: dict[str, int] = field(default_factory=dict)        # key -> line of its '@type{'
    errors: list[BibError] = field(default_factory=list)


_ENTRY_START = re.compile(r"^[ \t]*@(?P<type>\w+)[ \t]*[{(][ \t]*(?P<key>[^,\s{}()]+)[ \t]*,", re.MULTILINE)
_SPECIAL = {"string", "preamble", "comment"}


def read_bib_file(text: str, filename: str) -> BibFile:
    """Parse BibTeX text; every problem is collected as a BibError with its line."""
    result = BibFile()
    starts: list[tuple[int, str]] = []
    first_line: dict[str, int] = {}                 # lower-cased key -> line
    line, counted = 1, 0
    for match in _ENTRY_START.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        if match.group("type").lower() in _SPECIAL:
            continue
        key = match.group("key")
        starts.append((line, key))
        if key.lower() in first_line:
            result.errors.append(BibError(line, f"key '{key}' is defined twice in this file "
                                                f"(first on line {first_line[key.lower()]})", key))
        else:
            first_line[key.lower()] = line
            result.lines[key] = line

    parser = Parser()
    with pybtex.errors.capture() as captured:
        data = parser.parse_string(text)
    for error in captured:
        line = getattr(error, "lineno", None)
        message = str(error)
        if "repeated bibliography entry" in message:
            continue            # reported above, with both lines
        message = re.sub(r"\s+in line \d+", "", message)
        owner = _entry_at(starts, line)
        if owner and owner[0] != line:
            message += f" (in entry '{owner[1]}' starting on line {owner[0]})"
        result.errors.append(BibError(line, message, owner[1] if owner else None))
    result.entries = dict(data.entries.items())
    return result


def _entry_at(starts, line):
    """The entry (line, key) a line belongs to: the last one starting at or before it."""
    if line is None:
        return None
    index = bisect.bisect_right(starts, (line, "\uffff")) - 1
    return starts[index] if index >= 0 else None


# --------------------------------------------------------------------------
# Crossref inheritance (biblatex defaults, simplified)

_NOT_INHERITED = {
    "ids", "crossref", "xref", "entryset", "entrysubtype", "execute", "label", "options", "presort",
    "related", "relatedoptions", "relatedstring", "relatedtype", "shorthand", "shorthandintro",
    "sortkey", "sortinit", "indextitle", "indexsorttitle", "sorttitle",
}
_TITLE_AS = {  # parent title fields become these in children of these types
    "book": "book", "collection": "book", "proceedings": "book", "reference": "book",
    "mvbook": "main", "mvcollection": "main", "mvproceedings": "main", "mvreference": "main",
    "periodical": "journal",
}


def resolve_crossrefs(entries: dict[str, Entry]) -> dict[str, Entry]:
    """Entries with the fields of their `crossref` parent merged in (the parent stays as it is)."""
    lower = {key.lower(): key for key in entries}
    resolved = {}
    for key, entry in entries.items():
        parent_key = entry.fields.get("crossref")
        parent = entries.get(lower.get(parent_key.lower(), "")) if parent_key else None
        resolved[key] = _inherit(entry, parent) if parent is not None else entry
    return resolved


def _inherit(child: Entry, parent: Entry) -> Entry:
    fields = {name: value for name, value in child.fields.items() if name.lower() != "crossref"}
    persons = {role: list(people) for role, people in child.persons.items()}
    mode = _TITLE_AS.get(parent.type.lower())
    for name, value in parent.fields.items():
        lname = name.lower()
        if lname in _NOT_INHERITED:
            continue
        if mode and lname in ("title", "subtitle", "titleaddon"):
            prefix = {"book": "book", "main": "main", "journal": "journal"}[mode]
            target = "journaltitle" if (mode == "journal" and lname == "title") else prefix + lname
            if mode == "journal" and lname != "title":
                target = "journal" + lname
        else:
            target = name
        if not any(existing.lower() == target.lower() for existing in fields):
            fields[target] = value
    for role, people in parent.persons.items():
        if role.lower() not in (r.lower() for r in persons):
            persons[role] = list(people)
        if role.lower() == "author" and child.type.lower() in ("inbook", "bookinbook", "suppbook"):
            persons.setdefault("bookauthor", list(people))
    return Entry(child.type, fields=fields, persons=persons)


# --------------------------------------------------------------------------
# Writing and reading values


def to_bibtex(key: str, entry: Entry) -> str:
    """One standalone BibTeX record with the raw (LaTeX) values."""
    lines = [f"@{entry.type}{{{key},"]
    for role, people in entry.persons.items():
        lines.append(f"  {role} = {{{' and '.join(str(person) for person in people)}}},")
    for name, value in entry.fields.items():
        lines.append(f"  {name} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


_TEXT_BACKEND = PlainTextBackend()   # render_as("text") would look the backend up on every call


@lru_cache(maxsize=65536)
def plain_text(latex: str) -> str:
    """A LaTeX field value as Unicode text: accents decoded, braces and commands dropped."""
    if "\\" in latex:
        try:
            text = Text.from_latex(latex).render(_TEXT_BACKEND)
        except Exception:  # pybtex's LaTeX reader gives up on some markup; keep the raw text
            text = latex
    else:   # most values: nothing to decode but protective braces and ties
        text = latex.replace("{", "").replace("}", "")
    text = _LEFTOVER_COMMAND.sub(lambda m: "" if m.group(1) in _MARKUP_COMMANDS else m.group(1), text)
    text = text.replace("~", "\u00a0")
    return re.sub(r"[ \t\r\n]+", " ", text).strip(" ")


# Commands pybtex's LaTeX reader leaves in the text: markup is dropped, names
# such as \TeX keep their name.
_LEFTOVER_COMMAND = re.compile(r"\\([A-Za-z]+)\s*")
_MARKUP_COMMANDS = {"emph", "textit", "textbf", "texttt", "textsc", "textsf", "textrm", "textup", "textmd",
                    "textnormal", "mkbibquote", "mkbibemph", "url", "mbox", "textsuperscript",
                    "textsubscript", "protect", "relax", "noopsort", "nocite"}


@dataclass(frozen=True)
class Name:
    family: str
    given: str = ""

    @property
    def sort_form(self) -> str:
        return f"{self.family}, {self.given}" if self.given else self.family

    @property
    def display(self) -> str:
        return f"{self.given} {self.family}".strip()


def names(entry: Entry, role: str) -> list[Name]:
    people = entry.persons.get(role, [])
    return [_name(person) for person in people]


def _name(person: Person) -> Name:
    family = " ".join(person.prelast_names + person.last_names)
    given = " ".join(person.first_names + person.middle_names)
    if person.lineage_names:
        given = f"{given}, {' '.join(person.lineage_names)}" if given else " ".join(person.lineage_names)
    return Name(plain_text(family), plain_text(given))


# --------------------------------------------------------------------------
# Formatting through mkdocs-bibtex (pandoc + CSL)


@lru_cache(maxsize=1)
def _batch_registry():
    """mkdocs-bibtex's pandoc registry, fed one batch of already parsed entries.

    Its own constructor parses every bib file again (and lets a repeated key
    silently win); we give it the batch instead, and our own BibTeX text.
    Imported on first use: a build whose references are all cached needs
    neither mkdocs-bibtex nor pandoc (and saves their memory).
    """
    from mkdocs_bibtex.registry import PandocRegistry

    class BatchRegistry(PandocRegistry):
        def __init__(self, keys, bibtex: str, csl_file: str):
            # Only membership is checked against bib_data; the text pandoc reads is `bibtex`.
            self.bib_data = BibliographyData(entries={key: Entry("misc") for key in keys})
            self.csl_file = csl_file
            self.footnote_format = "{key}"
            self._inline_cache: dict[str, str] = {}
            self._reference_cache: dict[str, str] = {}
            self._is_inline = True
            self._bibtex = bibtex

        @property
        def bib_data_bibtex(self) -> str:  # overrides mkdocs-bibtex's pybtex-written text
            return self._bibtex

    return BatchRegistry


@dataclass(frozen=True)
class Formatted:
    label_html: str            # in-text label without parentheses: "Smith 2020a"
    label_text: str
    reference_html: str        # the reference-list entry
    reference_text: str        # the same as plain text (tooltips)


def format_batch(records: dict[str, str], csl_file: str) -> dict[str, Formatted]:
    """Format a batch: `records` maps each key to its standalone BibTeX record.

    Entries that could be confused (same author surname) must be in the same
    batch: CSL disambiguation (2020a/2020b, added initials) happens within it.
    """
    from mkdocs_bibtex.citation import Citation, CitationBlock

    registry = _batch_registry()(records, "\n".join(records.values()), csl_file)
    blocks = {key: CitationBlock(citations=[Citation(key=key)]) for key in records}
    registry.validate_citation_blocks(list(blocks.values()))
    markdown = {}
    for key, block in blocks.items():
        label = registry._inline_cache.get(str(block), "").strip()
        if label.startswith("(") and label.endswith(")"):
            label = label[1:-1]
        markdown[("label", key)] = label
        markdown[("reference", key)] = registry._reference_cache.get(key, "")
    html = _markdown_to_html(markdown)
    result = {}
    for key in records:
        label_html, label_text = html.get(("label", key), ("", ""))
        reference_html, reference_text = html.get(("reference", key), ("", ""))
        result[key] = Formatted(label_html, label_text, reference_html, reference_text)
    return result


_DIV = re.compile(r'<div id="mx-(?P<index>\d+)">\s*(?:<p>)?(?P<html>.*?)(?:</p>)?\s*</div>', re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")


def _markdown_to_html(markdown: dict) -> dict:
    """Pandoc's Markdown references to HTML, in one pandoc run (Python-Markdown does
    not know pandoc's escapes such as `\\ ` for a non-breaking space)."""
    keys = list(markdown)
    document = "\n\n".join(f'::: {{#mx-{index}}}\n{markdown[key]}\n:::' for index, key in enumerate(keys))
    import pypandoc

    output = pypandoc.convert_text(document, to="html", format="markdown", extra_args=["--wrap=none"])
    result = {}
    for match in _DIV.finditer(output):
        key = keys[int(match.group("index"))]
        fragment = match.group("html").strip()
        result[key] = (fragment, html_module.unescape(_TAGS.sub("", fragment)))
    return result

