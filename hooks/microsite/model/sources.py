"""Sources: the entries of every bib file, validated once per build."""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import os
import pickle
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from microsite import log
from microsite.content.encoding import decode_utf8
from microsite.model import bibtex_backend as backend
from microsite.model import bibscan, latex, urls
from microsite.model.bibtex_backend import Name, month_number
from microsite.model.citations import KEY_RULE, is_bare_key, key_problem, unseen_character, written_form
from microsite.model.bib_dates import date_problem, readable
from microsite.model.privacy import DEFAULT_RULES, PrivacyRules
from microsite.model.standard_numbers import number_problem
from microsite.problems import Problems

# Chicago needs these to say what a work is; a missing one is reported (the
# formatter would otherwise print a bare or misleading reference).
DATE_FIELDS = ("year", "date", "urldate", "origdate", "eventdate")
CONTAINER_FIELDS = {
    "article": ("journaltitle", "journal"),
    "incollection": ("booktitle",), "inproceedings": ("booktitle",), "inbook": ("booktitle",),
    "report": ("institution", "publisher", "organization"),
    "techreport": ("institution", "publisher", "organization"),
    "thesis": ("institution", "school"), "phdthesis": ("school", "institution"),
    "mastersthesis": ("school", "institution"),
}
# The entry types of BibTeX and biblatex (the biblatex manual, 2.1), which pandoc's
# reader maps to CSL types; any other is read as @misc.
ENTRY_TYPES = {
    "article", "book", "mvbook", "inbook", "bookinbook", "suppbook", "booklet", "collection", "mvcollection",
    "incollection", "suppcollection", "dataset", "manual", "misc", "online", "patent", "periodical",
    "suppperiodical", "proceedings", "mvproceedings", "inproceedings", "reference", "mvreference", "inreference",
    "report", "set", "software", "thesis", "unpublished", "xdata", "conference", "electronic", "mastersthesis",
    "phdthesis", "techreport", "www", "artwork", "audio", "bibnote", "commentary", "image", "jurisdiction",
    "legislation", "legal", "letter", "movie", "music", "performance", "review", "standard", "video",
    "customa", "customb", "customc", "customd", "custome", "customf",
}
# Types that group other entries rather than describe a work.
GROUPING_TYPES = {"set", "xdata"}

_URL_SAFE = re.compile(r"[A-Za-z0-9_-]+\Z")


@dataclass
class Source:
    """One bib entry. What is derived from its fields is computed on first use:
    a large reference library costs only what the site lists from it."""

    key: str
    type: str                       # bib type, lower case
    path: str                       # bib file, relative to mkdocs.yml
    line: int
    # The parsed entry, crossrefs resolved, without its private fields and the addresses
    # withheld below: everything published about the source derives from it.
    entry: object = field(repr=False, default=None)
    slug: str = ""
    field_lines: dict[str, int] = field(repr=False, default_factory=dict)   # lower-case name -> line
    # Address fields left out of `entry` because they are no web address (shown as text, reported).
    withheld: list[tuple[str, str, urls.UrlProblem]] = field(repr=False, default_factory=list)
    # Fields whose links to something that is no web address were reduced to text (reported).
    defused: list[urls.UrlProblem] = field(repr=False, default_factory=list)
    damaged_fields: frozenset[str] = frozenset()    # an undefined @string macro left them incomplete
    crossref_problem: str | None = None

    def line_of(self, name: str) -> int:
        """The file line of a field (the entry's line for an inherited one)."""
        return self.field_lines.get(name.lower(), self.line)

    @cached_property
    def record(self) -> str:
        """Standalone BibTeX: what is published and formatted (no private field)."""
        return backend.to_bibtex(self.key, self.entry)

    @cached_property
    def fields(self) -> dict[str, str]:
        """Unicode text of every public field, lower-case names (what source pages show)."""
        return {name.lower(): backend.plain_text(value) for name, value in self.entry.fields.items()}

    def html(self, name: str) -> str:
        """A field as sanitised HTML: the rich text authors may write in a title (italics,
        bold, super- and subscripts, case protection) kept, everything else escaped."""
        value = self.entry.fields.get(name) if self.entry is not None else None
        return latex.rich_html(value) if value else ""

    @cached_property
    def links(self) -> list[urls.Link]:
        """The source's addresses (url, doi, eprint, urn, pmid, pmcid), in that order: each a
        safe link, or text when it cannot be one (`Link.href` is None)."""
        values = {name.lower(): value for name, value in self.entry.fields.items()}
        values.update({name: value for name, value, _ in self.withheld})
        eprinttype = values.get("eprinttype") or values.get("archiveprefix") or ""
        found = []
        for name in urls.LINK_FIELDS:
            if values.get(name):
                link, _ = urls.link_for(name, values[name], backend.plain_text(eprinttype))
                if link is not None:
                    found.append(link)
        return found

    @property
    def citation(self) -> str:
        """How to cite the source: `[@key]`, or `[@{key}]` for a key that cannot be written bare."""
        return f"[{written_form(self.key)}]"

    @cached_property
    def authors(self) -> list[Name]:
        return backend.names(self.entry, "author")

    @cached_property
    def editors(self) -> list[Name]:
        return backend.names(self.entry, "editor")

    @property
    def fingerprint(self) -> str:
        return hashlib.sha1(self.record.encode("utf-8")).hexdigest()

    @property
    def creators(self) -> list[Name]:
        return self.authors or self.editors

    @property
    def year(self) -> str:
        date = self.fields.get("date") or self.fields.get("year") or ""
        match = re.match(r"\d{4}", date)
        return match.group(0) if match else date

    @property
    def title(self) -> str:
        title = self.fields.get("title", "")
        subtitle = self.fields.get("subtitle")
        return f"{title}: {subtitle}" if subtitle else title

    @property
    def container(self) -> str:
        for name in ("journaltitle", "journal", "booktitle", "maintitle", "eventtitle"):
            if self.fields.get(name):
                value = self.fields[name]
                sub = self.fields.get(name.replace("title", "subtitle")) if name.endswith("title") else None
                return f"{value}: {sub}" if sub else value
        if self.type in ("online", "www", "electronic", "misc"):
            return self.fields.get("organization", "")
        return ""

    @property
    def publisher(self) -> str:
        for name in ("publisher", "institution", "school", "organization"):
            if self.fields.get(name) and self.fields[name] != self.container:
                return self.fields[name]
        return ""

    @property
    def short_label(self) -> str:
        """"Surname Year" for page titles (the in-text label proper comes from the style)."""
        names = [name.family for name in self.creators]
        if not names:
            who = self.title[:40]
        elif len(names) <= 2:
            who = " and ".join(names)
        elif len(names) == 3:
            who = f"{names[0]}, {names[1]}, and {names[2]}"
        else:
            who = f"{names[0]} et al."
        return f"{who} {self.year or 'n.d.'}".strip()

    @property
    def sort_key(self) -> tuple:
        names = [name.sort_form for name in self.creators] or [self.title]
        return (_fold("; ".join(names)), self.year, _fold(self.title))

    @property
    def group(self) -> str:
        """Entries whose in-text labels could be confused (same first surname) share a group."""
        first = self.creators[0].family if self.creators else self.title
        return _fold(first)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()


def slug_for(key: str) -> str:
    """A stable URL segment for a key: the key itself when URL-safe, else a
    readable form plus a short hash (so that `a:b` and `a/b` never collide)."""
    if _URL_SAFE.match(key) and len(key) <= _LONGEST_SLUG:
        return key
    # A file name holds at most 255 bytes: a long key is cut (its hash keeps it apart).
    readable = re.sub(r"[^A-Za-z0-9_-]+", "-", key).strip("-")[:_LONGEST_SLUG - 7].strip("-") or "source"
    return f"{readable}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:6]}"


_LONGEST_SLUG = 100


@dataclass
class Library:
    sources: dict[str, Source] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    # Entries read but left out (a syntax error, a key pandoc refuses ...), already reported:
    # key -> (bib file, line), so that a citation of one says where the problem is.
    left_out: dict[str, tuple[str, int]] = field(default_factory=dict)

    def get(self, key: str) -> Source | None:
        return self.sources.get(key)

    def suggest(self, key: str) -> str | None:
        lower = {k.lower(): k for k in self.sources}
        if key.lower() in lower:
            return lower[key.lower()]
        # `[@Anonymous:sADfNu-]` is read as the key 'Anonymous:sADfNu' (trailing punctuation
        # belongs to the text): the key the author meant starts with it.
        cut = [k for k in self.sources if k.startswith(key) and not is_bare_key(k) and not k[len(key)].isalnum()]
        if len(cut) == 1:
            return cut[0]
        close = difflib.get_close_matches(key, list(self.sources), n=1, cutoff=0.6)
        return close[0] if close else None

    def unknown_key(self, key: str, bib_dir: str) -> tuple[str, str]:
        """(message, what to do) for a citation of a key no source has: its entry could
        not be read (and where it is), a close key, or none."""
        if key in self.left_out:
            where = "{}:{}".format(*self.left_out[key])
            return (f"unknown citation key '{key}': its entry in {where} cannot be read (see the message there)",
                    "Correct the entry; the citation is shown as written meanwhile.")
        hint = self.citation_hint(key)
        unseen = unseen_character(key)
        if unseen:
            return (f"unknown citation key '{key}': it contains a character a reader cannot see ({unseen})",
                    "Retype the key without it. " + hint)
        if hint.startswith("Add an entry"):
            hint = f"Add an entry with this key to a file in {bib_dir}/, or correct the key."
        return f"unknown citation key '{key}'", hint

    def citation_hint(self, key: str) -> str:
        """What to tell an author whose citation names an unknown key (see also `left_out`)."""
        suggestion = self.suggest(key)
        if suggestion is None:
            return "Add an entry with this key to a bib file, or correct the key."
        if not is_bare_key(suggestion):
            return f"Did you mean '{suggestion}'? Write it in braces: [{written_form(suggestion)}]"
        return f"Did you mean '{suggestion}'?"

    def __len__(self) -> int:
        return len(self.sources)

    def release_entries(self, keep: set[str]) -> None:
        """Free the parsed fields of the sources the site does not list: of a large
        reference library only the keys are needed then (validation, "did you mean")."""
        for key, source in self.sources.items():
            if key not in keep:
                source.entry = None


@dataclass
class _Read:
    """One entry as read from its file, before crossrefs are resolved."""

    path: str
    line: int
    entry: object
    field_lines: dict[str, int]
    withheld: list
    defused: list
    damaged: frozenset


def load_library(bib_dir: str, project_dir: str, problems: Problems, cache_dir: str | None = None,
                 privacy: PrivacyRules = DEFAULT_RULES, option_place=lambda *path: ("mkdocs.yml", None),
                 bib_dir_written: bool = False) -> Library:
    """Read and check every bib file under `bib_dir`. Private fields (see privacy.py) are
    taken out of each entry as it is read, before anything else sees it. `option_place(*path)`:
    where an option is written (file, line), for messages about it. A site may have no bib
    folder (no sources); one named in mkdocs.yml (`bib_dir_written`) that is not there is a mistake."""
    library = Library()
    if not os.path.isdir(bib_dir):
        shown = os.path.relpath(bib_dir, project_dir)
        if os.path.exists(bib_dir):
            problems.report(*option_place("extra", "microsite", "bib_dir"),
                            f"extra.microsite.bib_dir: {shown} is a file, not a folder",
                            "Name the folder that holds the .bib files, relative to mkdocs.yml (default `bib`)")
        elif bib_dir_written:
            parent = os.path.dirname(bib_dir)
            folders = sorted(name for name in os.listdir(parent) if os.path.isdir(os.path.join(parent, name))) \
                if os.path.isdir(parent) else []
            close = difflib.get_close_matches(os.path.basename(bib_dir), folders, n=1)
            near = os.path.relpath(os.path.join(parent, close[0]), project_dir) if close else None
            problems.report(*option_place("extra", "microsite", "bib_dir"),
                            f"extra.microsite.bib_dir: there is no folder {shown}",
                            (f"Did you mean `bib_dir: {near}`? " if near else "") +
                            "Name the folder that holds the .bib files, relative to mkdocs.yml, or create it; the "
                            "site has no sources meanwhile.")
        else:
            log.info("No bib folder at %s: the site has no sources", shown)
        return library
    for name in privacy.unknown_keep():
        problems.report(*option_place("extra", "microsite", "private_fields", "keep", name),
                        f"extra.microsite.private_fields.keep: '{name}' is not a private field "
                        "by default, so keeping it changes nothing",
                        "List only names from the default list (README, 'Private fields'); check the spelling.")
    cache = _BibCache(cache_dir)
    raw: dict[str, _Read] = {}
    for abs_path in sorted(_bib_files(bib_dir)):
        path = os.path.relpath(abs_path, project_dir).replace(os.sep, "/")
        library.files.append(path)
        parsed = _read_bib_file(abs_path, path, cache, problems)
        if parsed is None:
            continue
        for error in parsed.errors:
            problems.report(path, error.line, error.message, error.hint)
        for key, line in parsed.left_out.items():
            library.left_out.setdefault(key, (path, line))
        private_count: dict[str, int] = {}
        for key, entry in parsed.entries.items():
            line = parsed.lines.get(key, 1)
            if key in raw:
                first = raw[key]
                problems.report(path, line, f"key '{key}' is already defined in {first.path}:{first.line}",
                                "Keys must be unique across all bib files: rename one of them (and its citations).")
                continue
            withheld, defused = _screen(entry, privacy, private_count)
            raw[key] = _Read(path, line, entry, parsed.field_lines.get(key, {}), withheld, defused,
                             frozenset(parsed.undefined.get(key, ())))
        if private_count:
            names = ", ".join(sorted(private_count, key=lambda name: (-private_count[name], name)))
            log.info("%s: %d private field(s) left out of everything published (%s); "
                     "see the private_fields option", path, sum(private_count.values()), names)

    crossref_problems: list[backend.CrossrefProblem] = []
    resolved = backend.resolve_crossrefs({key: read.entry for key, read in raw.items()}, crossref_problems)
    crossref_messages = {}
    for problem in crossref_problems:
        read = raw[problem.key]
        problems.report(read.path, read.field_lines.get("crossref", read.line), problem.message,
                        "Give `crossref` the key of an entry that exists and does not point back to this one.")
        crossref_messages.update({member: problem.message for member in problem.members})
    slugs: dict[str, str] = {}
    for key, read in raw.items():
        _drop_links_between_entries(resolved[key])
        _bare_doi(resolved[key])
        source = Source(key=key, type=resolved[key].type.lower(), path=read.path, line=read.line,
                        entry=resolved[key], field_lines=read.field_lines, withheld=read.withheld,
                        defused=read.defused, damaged_fields=read.damaged,
                        crossref_problem=crossref_messages.get(key))
        if source.type in GROUPING_TYPES:
            log.info("%s:%d: @%s '%s' groups other entries; it is not a source of its own and gets no page",
                     read.path, read.line, source.type, key)
            continue
        reason = key_problem(key)
        if reason:
            problems.report(read.path, read.line, f"{reason}; the entry is left out",
                            f"Change the key (in the reference manager that writes this file, if one does) "
                            f"and its citations: {KEY_RULE}.")
            library.left_out.setdefault(key, (read.path, read.line))
            continue
        source.slug = slug_for(key)
        if source.slug.lower() in slugs:
            problems.report(read.path, read.line, f"key '{key}' differs only in letter case from "
                                                  f"'{slugs[source.slug.lower()]}'",
                            "Web addresses of source pages must differ: rename one of the keys.")
            continue
        slugs[source.slug.lower()] = key
        library.sources[key] = source
    return library


def _bare_doi(entry) -> None:
    """A DOI written as its address (`https://doi.org/10.…`) is the DOI: styles print the
    resolver themselves, and the BibTeX we publish holds the DOI alone."""
    for name in list(entry.fields):
        if name.lower() == "doi":
            bare = urls.bare_doi(entry.fields[name])
            if bare and bare != entry.fields[name]:
                entry.fields[name] = bare


def _screen(entry, privacy: PrivacyRules, private_count: dict[str, int]) -> tuple[list, list]:
    """Take private fields and unsafe addresses out of an entry (in place), before anything
    else sees it; returns the withheld address fields and the problems of defused links."""
    withheld, defused = [], []
    eprinttype = backend.plain_text(entry.fields.get("eprinttype") or entry.fields.get("archiveprefix") or "")
    for name in list(entry.fields):
        value = entry.fields[name]
        if privacy.is_private(name, value):
            del entry.fields[name]
            private_count[name.lower()] = private_count.get(name.lower(), 0) + 1
            continue
        problem = urls.withheld(name, value, eprinttype)
        if problem is not None:
            del entry.fields[name]
            withheld.append((name.lower(), value, problem))
            continue
        safe, problem = urls.defuse(name, value)
        if problem is not None:
            entry.fields[name] = safe
            defused.append(problem)
    return withheld, defused


def _drop_links_between_entries(entry) -> None:
    """Each record we publish and format stands alone (its crossref parent's fields are merged
    in above): pandoc 3.9 loops forever on a circular `crossref` or `xdata` (tested), so
    neither reaches it."""
    for name in [name for name in entry.fields if name.lower() in ("crossref", "xdata")]:
        del entry.fields[name]


class _BibCache:
    """Parses of bib files, kept by content. A folder that cannot be written is skipped
    with one message: the cache only saves time."""

    def __init__(self, folder: str | None):
        self.folder = os.path.join(folder, "bib") if folder else None

    def path(self, data: bytes) -> str | None:
        if not self.folder:
            return None
        digest = hashlib.sha1(data + backend.PARSER_VERSION.encode()).hexdigest()
        return os.path.join(self.folder, f"{digest}.pickle")

    def load(self, data: bytes):
        path = self.path(data)
        if path is None:
            return None
        try:
            with open(path, "rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None

    def save(self, data: bytes, parsed) -> None:
        path = self.path(data)
        if path is None:
            return
        temporary = f"{path}.{os.getpid()}.tmp"
        try:
            os.makedirs(self.folder, exist_ok=True)
            with open(temporary, "wb") as handle:
                pickle.dump(parsed, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except OSError as error:
            log.info("The bib cache is skipped: %s cannot be written (%s); the build is only slower",
                     self.folder, error.strerror or error)
            self.folder = None
            with contextlib.suppress(OSError):
                os.remove(temporary)


def _read_bib_file(abs_path: str, path: str, cache: _BibCache, problems: Problems) -> backend.BibFile | None:
    """Parse a bib file, or take the parse of the same bytes from the cache; None (reported)
    when it cannot be read or is not UTF-8."""
    try:
        with open(abs_path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        problems.report(path, None, f"the file cannot be read ({error.strerror or error})",
                        "Check that it is a readable file.")
        return None
    cached = cache.load(data)
    if cached is not None:
        return cached
    text = decode_utf8(data, path, problems, "its entries are left out")
    if text is None:
        # Its keys still tell a citation of one of them where its entry is (not "unknown key").
        chunks = bibscan.split_entries(data.decode("latin-1"))
        return backend.BibFile(left_out={chunk.key: chunk.line for chunk in chunks if chunk.is_entry and chunk.key})
    parsed = backend.read_bib_file(text, path)
    cache.save(data, parsed)
    return parsed


def _bib_files(bib_dir: str):
    for folder, _, names in os.walk(bib_dir):
        for name in names:
            if name.lower().endswith(".bib"):
                yield os.path.join(folder, name)


def check_fields(source: Source, problems: Problems) -> None:
    """For a source the site lists: the fields Chicago author-date cannot do without, and
    addresses that cannot be links."""
    missing = []
    if not source.fields.get("title"):
        missing.append("title")
    if not (source.fields.get("year") or source.fields.get("date") or source.fields.get("pubstate")):
        missing.append("year (or date)")
    wanted = CONTAINER_FIELDS.get(source.type)
    if wanted and not any(source.fields.get(name) or name in source.damaged_fields for name in wanted):
        missing.append(" or ".join(wanted))
    # With a broken crossref the parent's fields are missing: its own message says why.
    if missing and not source.crossref_problem:
        undated = " If the work really has no date (e.g. an undated page), write `year = {n.d.}`." \
            if "year (or date)" in missing else ""
        problems.report(source.path, source.line,
                        f"@{source.type} '{source.key}' has no {', no '.join(missing)}, which its reference needs",
                        "Add the field if you know it; never guess it." + undated)
    for name in DATE_FIELDS:
        value = source.fields.get(name)
        other = {"year": "date", "date": "year"}.get(name)
        fallback = other if other and readable(other, source.fields.get(other)) else None
        problem = date_problem(name, value, fallback) if value else None
        if problem:
            consequence = f"; {problem.consequence}" if problem.consequence else ""
            problems.report(source.path, source.line_of(name),
                            f"{problem.what} (in entry '{source.key}'){consequence}", problem.hint)
    month = source.fields.get("month")
    if month and month_number(month) is None:
        problems.report(source.path, source.line_of("month"),
                        f"`month = {{{month}}}` is not a month pandoc can read (in entry '{source.key}'); the "
                        "references show no month",
                        "Write the month as BibTeX's macro without braces (`month = jan` … `month = dec`) or as a "
                        "number from 1 to 12; a season or a span goes in `date` (`date = {2020-21}` for spring, "
                        "`date = {2020-01/2020-03}`).")
    for role, people in source.entry.persons.items():
        # BibTeX separates names by ` and ` between two of them; an `and` at the start or end
        # of the list, or twice, is read as part of a name ("Doe, Jane and"), by pandoc too.
        if any(part == "and" for person in people for part in person.first_names + person.middle_names
               + person.prelast_names + person.last_names + person.lineage_names):
            read = "; ".join(f"'{person}'" for person in people)
            problems.report(source.path, source.line_of(role.lower()),
                            f"`{role}` has an 'and' without a name on one side (in entry '{source.key}'): the "
                            f"names are read as {read}",
                            "Write ` and ` only between two names (`Doe, Jane and Roe, Rita`): remove the extra "
                            "'and', or add the missing name.")
    for name in ("isbn", "issn"):
        value = source.fields.get(name)
        problem = number_problem(name, value) if value else None
        if problem:
            problems.report(source.path, source.line_of(name),
                            f"{problem.what} (in entry '{source.key}'); it is shown as written", problem.hint)
    if source.type not in ENTRY_TYPES:
        problems.report(source.path, source.line,
                        f"@{source.type} '{source.key}' is not an entry type the citation style knows; it is "
                        "formatted as @misc",
                        "Use a BibTeX or biblatex type (@book, @article, @incollection, @report, @online, @misc …).")
    for name, _, problem in source.withheld:
        problems.report(source.path, source.line_of(name),
                        f"{problem.message} (in entry '{source.key}'); it is left out of the published BibTeX "
                        "and shown as text", problem.hint + ".")
    for problem in source.defused:
        problems.report(source.path, source.line_of(problem.field),
                        f"{problem.message} (in entry '{source.key}'); the link is removed and its text kept",
                        problem.hint + ".")
    eprinttype = source.fields.get("eprinttype") or source.fields.get("archiveprefix") or ""
    for name in urls.LINK_FIELDS:
        value = source.entry.fields.get(name)
        if value:
            _, problem = urls.link_for(name, value, eprinttype)
            if problem is not None:
                problems.report(source.path, source.line_of(name),
                                f"{problem.message} (in entry '{source.key}'); it is shown as text, not as a link",
                                problem.hint + ".")
