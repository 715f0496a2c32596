"""The one module that reads BibTeX (with pybtex).

Everything the generator needs from pybtex goes through the functions here, so
that it could be replaced without touching the rest of the code (formatting is
pandoc's, in model/citeproc.py):

- `read_bib_file`: parse one .bib file with pybtex, collecting every error
  with its line instead of stopping at the first one; entries whose braces do
  not close where they end are found first (model/bibscan.py) and left out;
- `resolve_crossrefs`: biblatex-style inheritance from `crossref` parents,
  reporting a parent that does not exist and circular chains;
- `to_bibtex`: a standalone BibTeX record (pybtex's own writer re-escapes
  LaTeX that is already there, e.g. `\\&` becomes `\\\\&`, so we write the
  raw field values ourselves);
- `plain_text`: LaTeX field values and names as Unicode text (model/latex.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pybtex
import pybtex.errors
from pybtex.database import Entry, Person
from pybtex.database.input.bibtex import DuplicateField, Parser, UndefinedMacro

from microsite.model import bibscan, latex

PERSON_ROLES = ("author", "editor", "translator", "bookauthor")
# Part of the key of cached parses: a new pybtex or a change here invalidates them.
PARSER_VERSION = f"pybtex-{pybtex.__version__}-reader-3"

# --------------------------------------------------------------------------
# Reading


GENERIC_HINT = "Fix the entry (balanced braces, `name = {value},` fields, defined @string macros)."


@dataclass
class BibError:
    line: int | None
    message: str
    key: str | None = None
    hint: str = GENERIC_HINT


@dataclass
class BibFile:
    entries: dict[str, Entry] = field(default_factory=dict)    # in file order
    lines: dict[str, int] = field(default_factory=dict)        # key -> line of its '@type{'
    field_lines: dict[str, dict[str, int]] = field(default_factory=dict)   # key -> field -> line
    errors: list[BibError] = field(default_factory=list)
    undefined: dict[str, set[str]] = field(default_factory=dict)   # key -> fields with an undefined macro
    left_out: dict[str, int] = field(default_factory=dict)   # key -> line of an entry left out (reported)


class _CollectingParser(Parser):
    """pybtex's parser, keeping each error with the entry and field it was reading."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[Exception, str | None, str | None]] = []

    def handle_error(self, error):
        reader = getattr(error, "parser", None)
        self.found.append((error, getattr(reader, "current_entry_key", None),
                           getattr(reader, "current_field_name", None)))


def read_bib_file(text: str, filename: str) -> BibFile:
    """Parse BibTeX text; every problem is collected as a BibError with its line.

    An entry with a structural problem (braces that do not close where it ends,
    a syntax error) is left out, with its line and the field at fault; the other
    entries are read as usual.
    """
    result = BibFile()
    chunks = bibscan.split_entries(text)
    first: dict[str, bibscan.Chunk] = {}            # lower-cased key -> its first entry
    skipped = set()                                 # ids of chunks left out
    for chunk in chunks:
        if not chunk.is_entry or chunk.key is None:
            if chunk.problem:
                result.errors.append(BibError(chunk.problem_line, f"BibTeX: syntax error in @{chunk.type}: "
                                                                  f"{chunk.problem}; it is left out", None, chunk.hint))
                skipped.add(id(chunk))
            continue
        if chunk.problem:
            result.errors.append(BibError(chunk.problem_line, f"BibTeX: syntax error: {chunk.problem} "
                                          f"(in entry '{chunk.key}' starting on line {chunk.line}); "
                                          "the entry is left out", chunk.key, chunk.hint))
            skipped.add(id(chunk))
            result.left_out.setdefault(chunk.key, chunk.line)
            continue
        if chunk.key.lower() in first:
            earlier = first[chunk.key.lower()]
            result.errors.append(BibError(chunk.line, f"key '{chunk.key}' is defined twice in this file "
                                                      f"(first on line {earlier.line})", chunk.key,
                                          "Keys must be unique: rename one of the entries (and its citations)."))
            continue
        first[chunk.key.lower()] = chunk

    parser = _CollectingParser()
    with pybtex.errors.capture() as captured:        # pybtex reports repeated keys through this
        data = parser.parse_string(bibscan.blank(text, [c for c in chunks if id(c) in skipped]))
    reported = set()
    dropped = set()
    for error, key, field_name in parser.found + [(error, None, None) for error in captured]:
        message = str(error)
        if "repeated bibliography entry" in message:
            continue            # reported above, with both lines
        line = getattr(error, "lineno", None)
        chunk = bibscan.chunk_at(chunks, line) if line else first.get((key or "").lower())
        owner = chunk.key if chunk is not None and chunk.is_entry else key
        if isinstance(error, UndefinedMacro):
            name = message.split(": ", 1)[-1].strip()
            where = f" in `{field_name}`" if field_name else ""
            if owner and field_name:
                result.undefined.setdefault(owner, set()).add(field_name.lower())
            result.errors.append(BibError(line, f"BibTeX: undefined @string macro '{name}'{where}"
                                          + (f" (in entry '{owner}')" if owner else ""), owner,
                                          f"Define it before its first use (`@string{{{name} = {{…}}}}`), "
                                          "or write the value in braces."))
            continue
        if isinstance(error, DuplicateField):
            # raised once the entry is read, outside the reader: key and field are in the message
            match = re.search(r"entry with key (\S+) has a duplicate (\S+) field", message)
            owner, name = match.groups() if match else (owner, "a field")
            start = first.get((owner or "").lower())
            result.errors.append(BibError(start.field_lines.get(name.lower(), start.line) if start else line,
                                          f"BibTeX: `{name}` appears twice in entry '{owner}' (the first is used)",
                                          owner, "Keep one of them."))
            continue
        if chunk is not None and id(chunk) in reported:
            continue            # one syntax error per entry: the rest follow from the first
        reported.add(id(chunk) if chunk is not None else id(error))
        message = re.sub(r"\s+in line \d+", "", message)
        if chunk is not None and chunk.is_entry and chunk.key:
            if first.get(chunk.key.lower()) is chunk:
                dropped.add(chunk.key)
                result.left_out.setdefault(chunk.key, chunk.line)
            message += f" (in entry '{chunk.key}' starting on line {chunk.line}); the entry is left out"
        result.errors.append(BibError(line, f"BibTeX: {message}", owner))

    for key, entry in data.entries.items():
        chunk = first.get(key.lower())
        if key in dropped or chunk is None:
            continue
        result.entries[key] = entry
        result.lines[key] = chunk.line
        result.field_lines[key] = chunk.field_lines
    return result


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


@dataclass(frozen=True)
class CrossrefProblem:
    key: str                    # the entry whose `crossref` line the message points at
    message: str
    members: tuple[str, ...]    # the entries the problem leaves without their parent's fields


def resolve_crossrefs(entries: dict[str, Entry], problems: list | None = None) -> dict[str, Entry]:
    """Entries with the fields of their `crossref` parent merged in (the parent stays as it is).

    A parent that has a parent of its own is resolved first (biber's multi-level
    inheritance). A crossref to a key no entry has, or a circular chain, leaves the
    entries concerned as they are and adds a `CrossrefProblem` to `problems`.
    """
    lower = {key.lower(): key for key in entries}

    def parent_of(key: str) -> tuple[str, str | None]:
        written = entries[key].fields.get("crossref", "").strip()
        return written, lower.get(written.lower()) if written else None

    cyclic: set[str] = set()
    for start in entries:
        path: list[str] = []
        current: str | None = start
        while current is not None and current not in path and current not in cyclic:
            path.append(current)
            current = parent_of(current)[1]
        if current is not None and current in path:
            cycle = path[path.index(current):]
            if not cyclic.intersection(cycle):
                first = min(cycle, key=list(entries).index)
                turn = cycle[cycle.index(first):] + cycle[:cycle.index(first)]
                _add(problems, CrossrefProblem(first, "`crossref` goes round in a circle: "
                                               + " → ".join(turn + [first]), tuple(turn)))
            cyclic.update(cycle)

    resolved: dict[str, Entry] = {}

    def resolve(key: str) -> Entry:
        if key not in resolved:
            written, parent = parent_of(key)
            if not written or key in cyclic:
                resolved[key] = entries[key]
            elif parent is None:
                _add(problems, CrossrefProblem(key, f"`crossref = {{{written}}}` in '{key}' names no entry: "
                                                    f"there is no readable entry with the key '{written}'", (key,)))
                resolved[key] = entries[key]
            else:
                resolved[key] = _inherit(entries[key], resolve(parent))
        return resolved[key]

    return {key: resolve(key) for key in entries}


def _add(problems: list | None, problem: CrossrefProblem) -> None:
    if problems is not None:
        problems.append(problem)


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


ENGLISH_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                  "october", "november", "december")


def month_number(value: str) -> int | None:
    """The month a `month` field names as BibTeX writes it (a macro, which pybtex expands to
    the English name, the name itself or its first three letters, or a number 1-12), else None."""
    text = value.strip().rstrip(".").lower()
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else None
    for number, name in enumerate(ENGLISH_MONTHS, start=1):
        if text == name or text == name[:3]:
            return number
    return None


def to_bibtex(key: str, entry: Entry) -> str:
    """One standalone BibTeX record with the raw (LaTeX) values."""
    lines = [f"@{entry.type}{{{key},"]
    for role, people in entry.persons.items():
        lines.append(f"  {role} = {{{' and '.join(str(person) for person in people)}}},")
    for name, value in entry.fields.items():
        number = month_number(value) if name.lower() == "month" else None
        if number is not None:
            # pybtex has expanded `month = jan` to "January", and pandoc's biblatex reader reads a
            # month only as a macro or a number (`{January}` is dropped, and with it the month of
            # every reference that shows one): the macro, as the author's file had it.
            lines.append(f"  {name} = {ENGLISH_MONTHS[number - 1][:3]},")
        else:
            lines.append(f"  {name} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def plain_text(value: str) -> str:
    """A LaTeX field value as Unicode text (pylatexenc; cached): accents decoded, braces
    dropped, the text of every command kept (`\\foo{bar}` gives `bar`)."""
    return latex.text(value)


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
