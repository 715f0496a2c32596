"""Sources: the entries of every bib file, validated once per build."""

from __future__ import annotations

import difflib
import hashlib
import os
import pickle
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from microsite import log
from microsite.model import bibtex_backend as backend
from microsite.model.bibtex_backend import Name
from microsite.model.citations import is_bare_key
from microsite.problems import Problems

# Chicago needs these to say what a work is; a missing one is reported (the
# formatter would otherwise print a bare or misleading reference).
CONTAINER_FIELDS = {
    "article": ("journaltitle", "journal"),
    "incollection": ("booktitle",), "inproceedings": ("booktitle",), "inbook": ("booktitle",),
    "report": ("institution", "publisher", "organization"),
    "techreport": ("institution", "publisher", "organization"),
    "thesis": ("institution", "school"), "phdthesis": ("school", "institution"),
    "mastersthesis": ("school", "institution"),
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
    entry: object = field(repr=False, default=None)   # the parsed entry, crossrefs resolved
    slug: str = ""

    @cached_property
    def record(self) -> str:
        """Standalone BibTeX."""
        return backend.to_bibtex(self.key, self.entry)

    @cached_property
    def fields(self) -> dict[str, str]:
        """Unicode text of every field, lower-case names."""
        return {name.lower(): backend.plain_text(value) for name, value in self.entry.fields.items()}

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
    if _URL_SAFE.match(key):
        return key
    readable = re.sub(r"[^A-Za-z0-9_-]+", "-", key).strip("-") or "source"
    return f"{readable}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:6]}"


@dataclass
class Library:
    sources: dict[str, Source] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def get(self, key: str) -> Source | None:
        return self.sources.get(key)

    def suggest(self, key: str) -> str | None:
        lower = {k.lower(): k for k in self.sources}
        if key.lower() in lower:
            return lower[key.lower()]
        close = difflib.get_close_matches(key, list(self.sources), n=1, cutoff=0.6)
        return close[0] if close else None

    def __len__(self) -> int:
        return len(self.sources)

    def release_entries(self, keep: set[str]) -> None:
        """Free the parsed fields of the sources the site does not list: of a large
        reference library only the keys are needed then (validation, "did you mean")."""
        for key, source in self.sources.items():
            if key not in keep:
                source.entry = None


def load_library(bib_dir: str, project_dir: str, problems: Problems, cache_dir: str | None = None) -> Library:
    library = Library()
    if not os.path.isdir(bib_dir):
        log.info("No bib folder at %s: the site has no sources", os.path.relpath(bib_dir, project_dir))
        return library
    raw: dict[str, tuple[str, int, object]] = {}       # key -> (path, line, pybtex entry)
    for abs_path in sorted(_bib_files(bib_dir)):
        path = os.path.relpath(abs_path, project_dir).replace(os.sep, "/")
        library.files.append(path)
        parsed = _read_bib_file(abs_path, path, cache_dir)
        for error in parsed.errors:
            problems.report(path, error.line, f"BibTeX: {error.message}",
                            "Fix the entry (balanced braces, `name = {value},` fields, defined @string macros).")
        for key, entry in parsed.entries.items():
            line = parsed.lines.get(key, 1)
            if key in raw:
                first_path, first_line, _ = raw[key]
                problems.report(path, line, f"key '{key}' is already defined in {first_path}:{first_line}",
                                "Keys must be unique across all bib files: rename one of them (and its citations).")
                continue
            raw[key] = (path, line, entry)

    resolved = backend.resolve_crossrefs({key: value[2] for key, value in raw.items()})
    slugs: dict[str, str] = {}
    for key, (path, line, entry) in raw.items():
        source = _make_source(key, resolved[key], path, line)
        if source.type in GROUPING_TYPES:
            log.info("%s:%d: @%s '%s' groups other entries; it is not a source of its own and gets no page",
                     path, line, source.type, key)
            continue
        if not is_bare_key(key):
            problems.report(path, line, f"the key '{key}' cannot be written in a citation as [@{key}]",
                            "Rename it: a key starts with a letter, digit or _ and has punctuation "
                            "(: . / - + ? # $ % & < > ~) only between letters or digits.")
            continue
        source.slug = slug_for(key)
        if source.slug.lower() in slugs:
            problems.report(path, line, f"key '{key}' differs only in letter case from '{slugs[source.slug.lower()]}'",
                            "Web addresses of source pages must differ: rename one of the keys.")
            continue
        slugs[source.slug.lower()] = key
        library.sources[key] = source
    return library


def _read_bib_file(abs_path: str, path: str, cache_dir: str | None) -> backend.BibFile:
    """Parse a bib file, or take the parse of the same bytes from the cache."""
    with open(abs_path, "rb") as handle:
        data = handle.read()
    cached = None
    if cache_dir:
        digest = hashlib.sha1(data + backend.PARSER_VERSION.encode()).hexdigest()
        cached = os.path.join(cache_dir, "bib", f"{digest}.pickle")
        try:
            with open(cached, "rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            pass
    parsed = backend.read_bib_file(data.decode("utf-8-sig"), path)
    if cached:
        os.makedirs(os.path.dirname(cached), exist_ok=True)
        temporary = f"{cached}.{os.getpid()}.tmp"
        with open(temporary, "wb") as handle:
            pickle.dump(parsed, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, cached)
    return parsed


def _bib_files(bib_dir: str):
    for folder, _, names in os.walk(bib_dir):
        for name in names:
            if name.endswith(".bib"):
                yield os.path.join(folder, name)


def _make_source(key: str, entry, path: str, line: int) -> Source:
    return Source(key=key, type=entry.type.lower(), path=path, line=line, entry=entry)


def check_fields(source: Source, problems: Problems) -> None:
    """The fields Chicago author-date cannot do without, for a source the site lists."""
    missing = []
    if not source.fields.get("title"):
        missing.append("title")
    if not (source.fields.get("year") or source.fields.get("date")):
        missing.append("year (or date)")
    wanted = CONTAINER_FIELDS.get(source.type)
    if wanted and not any(source.fields.get(name) for name in wanted):
        missing.append(" or ".join(wanted))
    if missing:
        problems.report(source.path, source.line,
                        f"@{source.type} '{source.key}' has no {', no '.join(missing)}, which its Chicago reference needs",
                        "Add the field if you know it; if the work really has none (e.g. an undated page), "
                        "write `year = {n.d.}`.")
