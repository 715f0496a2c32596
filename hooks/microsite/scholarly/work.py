"""The academic front matter of an article or a brief, read into a `Work`.

Every field is checked where it is written; each problem is reported with the
file, the line of the value and what to do, and the field is left out of the
`Work` (nothing is guessed). `read_work` returns None only when the piece has
no title or no author: without them there is nothing to cite.

Front matter (README "An article or a brief"; notes/scholarly.md):

    title, authors, date, updated, summary, abstract, doi, license, keywords,
    report_number, publisher, institution, language

An author is a name ("Ada Lovelace" or "Lovelace, Ada") or a mapping with
`name` (or `given` and `family`), `affiliation` / `affiliations`, `orcid`,
`email`, `url` and `organisation: true` for a corporate author.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from microsite.scholarly import dates
from microsite.scholarly.identifiers import InvalidIdentifier, doi_url, orcid_url, parse_doi, parse_orcid
from microsite.scholarly.licenses import check_license, license_url, replacements_of
from microsite.scholarly.locate import Lines
from microsite.scholarly.names import split_name
from microsite.scholarly.site import SiteInfo

ARTICLE, BRIEF = "article", "brief"

# Keys MkDocs and Material for MkDocs read from a page's front matter (MkDocs
# "Writing your docs: Meta-Data"; Material "Reference: Usage" and its templates
# and plugins: search, social, tags, comments, status, subtitle, icon, hide).
THEME_KEYS = frozenset({
    "title", "description", "template", "hide", "search", "tags", "icon", "status", "subtitle",
    "comments", "social", "author",
})
# The generator's own keys for articles and briefs.
WORK_KEYS = frozenset({
    "title", "authors", "date", "updated", "summary", "abstract", "doi", "license", "keywords",
    "report_number", "publisher", "institution", "language",
})
AUTHOR_KEYS = frozenset({"name", "given", "family", "affiliation", "affiliations", "orcid", "email", "url",
                         "organisation", "organization"})
_AUTHOR_ONLY = AUTHOR_KEYS - WORK_KEYS - THEME_KEYS

_EMAIL = re.compile(r"^[^\s@]+@[^\s@]+\.[^\s@]{2,}$")          # the pattern CITATION.cff accepts
_URL = re.compile(r"^https?://\S+$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")  # BCP 47 shape: en, en-GB, zh-Hant


@dataclass(frozen=True)
class Person:
    name: str                                   # as shown: "Ada Lovelace", "Example Institute"
    given: str | None = None
    family: str | None = None
    organisation: bool = False
    affiliations: tuple[str, ...] = ()
    orcid: str | None = None                    # "0000-0002-1825-0097"
    email: str | None = None
    url: str | None = None

    @property
    def orcid_url(self) -> str | None:
        return orcid_url(self.orcid) if self.orcid else None

    @property
    def is_split(self) -> bool:
        return bool(self.family and self.given)


@dataclass(frozen=True)
class Work:
    kind: str                                   # "article" or "brief"
    src_uri: str
    path: str
    title: str
    authors: tuple[Person, ...]
    date: dates.Edition | None = None           # the date of this edition
    updated: dates.Edition | None = None        # last revision of this edition
    doi: str | None = None                      # "10.1234/abc"
    license: str | None = None                  # canonical SPDX id
    keywords: tuple[str, ...] = ()
    abstract: str | None = None
    summary: str | None = None
    report_number: str | None = None
    publisher: str | None = None
    institution: str | None = None
    language: str | None = None
    timezone: str = "UTC"

    @property
    def is_report(self) -> bool:
        """Briefs, and articles an institution issues (or numbers), are reports; other
        articles are web articles of the site (BibTeX @online, JSON-LD ScholarlyArticle)."""
        return self.kind == BRIEF or bool(self.institution or self.report_number)

    @property
    def year(self) -> int | None:
        return dates.calendar_date(self.date).year if self.date else None

    @property
    def modified(self) -> dates.Edition | None:
        return self.updated or self.date

    @property
    def doi_url(self) -> str | None:
        return doi_url(self.doi) if self.doi else None

    @property
    def license_url(self) -> str | None:
        return license_url(self.license) if self.license else None


@dataclass
class _Reader:
    document: object
    kind: str
    site: SiteInfo
    problems: object
    lines: Lines = field(init=False)

    def __post_init__(self):
        self.lines = Lines(self.document)
        self.meta = self.document.front.data
        self.what = "an article" if self.kind == ARTICLE else "a brief"

    def report(self, path: tuple, message: str, hint: str) -> None:
        self.problems.report(self.document.path, self.lines.of(*path), message, hint)

    def text(self, key: str, hint: str) -> str | None:
        value = self.meta.get(key)
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.report((key,), f"`{key}` must be text", hint)
            return None
        return " ".join(value.split()) if key != "abstract" else value.strip()


def read_work(document, kind: str, site: SiteInfo, problems) -> Work | None:
    """The `Work` of an article or brief `document` (content.documents.Document)."""
    if kind not in (ARTICLE, BRIEF):
        raise ValueError(f"kind must be {ARTICLE!r} or {BRIEF!r}, not {kind!r}")
    reader = _Reader(document, kind, site, problems)
    meta = reader.meta
    _check_keys(reader)
    title = _title(reader)
    authors = _authors(reader)
    date = _date(reader, "date")
    updated = _date(reader, "updated")
    if date is None and "date" not in meta:
        reader.report(("date",), f"{reader.what} needs a `date`: the date of this edition",
                      "Add `date: YYYY-MM-DD` (Google Scholar and reference managers need at least the year)")
    if date and updated and dates.calendar_date(updated) < dates.calendar_date(date):
        reader.report(("updated",), f"`updated: {dates.iso_date(updated)}` is before `date: {dates.iso_date(date)}`",
                      "`updated` is the last revision of this edition; it cannot be earlier than `date`")
        updated = None
    summary = reader.text("summary", "Write the summary as one paragraph of text")
    abstract = reader.text("abstract", "Write the abstract as text (`abstract: >` and indented paragraphs)")
    # Every field is checked (and every problem reported) even when the piece cannot be cited.
    fields = dict(
        doi=_doi(reader), license=_license(reader), keywords=_keywords(reader),
        report_number=reader.text("report_number", "Write the report number as text, e.g. `report_number: WP-12`"),
        publisher=reader.text("publisher", "Write the publisher's name") or site.publisher,
        institution=reader.text("institution", "Write the institution's name") or site.institution,
        language=_language(reader),
    )
    if title is None or not authors:
        return None
    return Work(kind=kind, src_uri=document.src_uri, path=document.path, title=title, authors=tuple(authors),
                date=date, updated=updated, abstract=abstract or summary, summary=summary,
                timezone=site.timezone, **fields)


# -- keys ---------------------------------------------------------------------

def _check_keys(reader: _Reader) -> None:
    known = sorted(THEME_KEYS | WORK_KEYS)
    for key in reader.meta:
        key = str(key)
        if key in THEME_KEYS or key in WORK_KEYS:
            continue
        if key in _AUTHOR_ONLY:
            reader.report((key,), f"`{key}` belongs to an author, not to {reader.what}",
                          f"Write it under the author: `authors: [{{name: A. Author, {key}: ...}}]`")
            continue
        reader.report((key,), f"unknown front matter key `{key}`", _did_you_mean(key, known, "the key"))


def _did_you_mean(word: str, choices, what: str) -> str:
    close = difflib.get_close_matches(word.lower(), list(choices), n=1, cutoff=0.6)
    if close:
        return f"Did you mean `{close[0]}`?"
    return f"Remove it, or use one of: {', '.join(f'`{c}`' for c in sorted(choices))} ({what} is not read)"


# -- fields -------------------------------------------------------------------

def _title(reader: _Reader) -> str | None:
    title = reader.meta.get("title")
    if not isinstance(title, str) or not title.strip():
        # The same message as content.documents' contract check, so the two never both appear.
        reader.report(("title",), f"{reader.what} needs a `title` in its front matter",
                      "Add a line `title: The title of the piece`.")
        return None
    return " ".join(title.split())


def _authors(reader: _Reader) -> list[Person]:
    authors = reader.meta.get("authors")
    if not isinstance(authors, list) or not authors:
        reader.report(("authors",), f"{reader.what} needs `authors`, a list of names",
                      "Write `authors: [First Author, Second Author]`, even for a single author.")
        return []
    people = []
    for index, author in enumerate(authors):
        person = _person(reader, index, author)
        if person:
            people.append(person)
    return people if len(people) == len(authors) else []


def _person(reader: _Reader, index: int, author) -> Person | None:
    at = ("authors", index)
    if isinstance(author, str) and author.strip():
        name = " ".join(author.split())
        split = split_name(name)
        return Person(name=_display(name, split), given=split[0] if split else None,
                      family=split[1] if split else None)
    if not isinstance(author, dict):
        reader.report(at, f"author #{index + 1} is not a name",
                      "Write each author as a name, or as a mapping such as `{name: Ada Lovelace, orcid: ...}`")
        return None
    for key in author:
        if str(key) not in AUTHOR_KEYS:
            reader.report(at + (str(key),), f"unknown author key `{key}`",
                          _did_you_mean(str(key), AUTHOR_KEYS - {"organization"}, "the key"))

    def text(key: str) -> str | None:
        value = author.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            reader.report(at + (key,), f"author #{index + 1}: `{key}` must be text", f"Write `{key}: ...` as text")
            return None
        return " ".join(value.split())

    # An invalid field is reported and left out; only an author without a name is dropped
    # (and with it the whole Work: a citation must not silently lose an author).
    name, given, family = text("name"), text("given"), text("family")
    organisation = author.get("organisation", author.get("organization", False))
    if not isinstance(organisation, bool):
        reader.report(at + ("organisation",), f"author #{index + 1}: `organisation` must be true or false",
                      "Write `organisation: true` for an institution, team or other corporate author")
        organisation = False
    if organisation and (given or family):
        reader.report(at + ("given" if given else "family",),
                      f"author #{index + 1} is an organisation and cannot have given or family names",
                      "Remove `given`/`family`, or `organisation: true`")
        given = family = None
    if bool(given) != bool(family):
        reader.report(at + ("given" if given else "family",),
                      f"author #{index + 1} has `{'given' if given else 'family'}` without "
                      f"`{'family' if given else 'given'}`",
                      "Give both `given` and `family`, or only `name`")
        given = family = None
    if not name and given and family:
        name = f"{given} {family}"
    if not name:
        reader.report(at, f"author #{index + 1} has no `name`", "Add `name: Ada Lovelace` to the author")
        return None
    if not organisation and not (given and family):
        split = split_name(name)
        if split:
            given, family = split
            name = _display(name, split)
    affiliations = _affiliations(reader, at, index, author)
    orcid = _checked(reader, at, index, author, "orcid", parse_orcid,
                     "Copy the iD from the author's ORCID record, e.g. `0000-0002-1825-0097` or "
                     "`https://orcid.org/0000-0002-1825-0097`")
    if organisation and orcid:
        reader.report(at + ("orcid",), f"author #{index + 1} is an organisation and cannot have an ORCID iD",
                      "ORCID identifies people; remove `orcid` or `organisation: true`")
        orcid = None
    email = text("email")
    if email and not _EMAIL.match(email):
        reader.report(at + ("email",), f"author #{index + 1}: `email: {email}` is not an e-mail address",
                      "Write it as name@example.org, or leave it out")
        email = None
    url = text("url")
    if url and not _URL.match(url):
        reader.report(at + ("url",), f"author #{index + 1}: `url: {url}` is not an absolute web address",
                      "Write the full address, starting with https://")
        url = None
    return Person(name=name, given=given, family=family, organisation=organisation,
                  affiliations=affiliations, orcid=orcid, email=email, url=url)


def _display(name: str, split) -> str:
    """"Lovelace, Ada" is shown as "Ada Lovelace"."""
    return f"{split[0]} {split[1]}" if split and "," in name else name


def _affiliations(reader: _Reader, at: tuple, index: int, author: dict):
    if "affiliation" in author and "affiliations" in author:
        reader.report(at + ("affiliations",), f"author #{index + 1} has both `affiliation` and `affiliations`",
                      "Keep one: `affiliations: [First, Second]` for several")
        return ()
    key = "affiliations" if "affiliations" in author else "affiliation"
    value = author.get(key)
    if value is None:
        return ()
    values = value if isinstance(value, list) else [value]
    result = []
    for position, item in enumerate(values):
        if not isinstance(item, str) or not item.strip():
            path = at + (key, position) if isinstance(value, list) else at + (key,)
            reader.report(path, f"author #{index + 1}: affiliation is not text",
                          "Write each affiliation as the institution's name")
            continue
        result.append(" ".join(item.split()))
    return tuple(result)


def _checked(reader, at, index, author, key, parse, hint):
    """A parsed identifier; None when absent or invalid (reported)."""
    value = author.get(key)
    if value is None:
        return None
    try:
        return parse(str(value))
    except InvalidIdentifier as error:
        reader.report(at + (key,), f"author #{index + 1}: `{key}: {value}` {error}", hint)
        return None


def _date(reader: _Reader, key: str):
    if key not in reader.meta:
        return None
    value = reader.meta[key]
    try:
        return dates.parse_edition_date(value)
    except ValueError:
        reader.report((key,), f"`{key}: {value}` is not an ISO date",
                      "Write the date as YYYY-MM-DD, e.g. `date: 2020-11-05`.")
        return None


def _doi(reader: _Reader) -> str | None:
    value = reader.meta.get("doi")
    if value is None:
        return None
    try:
        return parse_doi(str(value))
    except InvalidIdentifier as error:
        reader.report(("doi",), f"`doi: {value}` {error}",
                      "Write the DOI as registered, e.g. `doi: 10.5281/zenodo.1003150` "
                      "(https://doi.org/… and doi:… are accepted); never guess one")
        return None


def _license(reader: _Reader) -> str | None:
    if "license" not in reader.meta:                # the site's default, checked by check_site_defaults
        check = check_license(reader.site.license) if reader.site.license else None
        return check.id if check and check.id and not check.deprecated else None
    value = reader.meta["license"]
    problem = license_problem(str(value))
    if problem:
        reader.report(("license",), *problem)
        return None
    return check_license(str(value)).id


def license_problem(value: str) -> tuple[str, str] | None:
    """(message, hint) when `value` is not a current SPDX id, else None."""
    check = check_license(value)
    if check.id and check.deprecated:
        better = " or ".join(f"`{i}`" for i in replacements_of(check.id)) or "a current identifier"
        return (f"`license: {value}` is a deprecated SPDX identifier",
                f"Use {better} (https://spdx.org/licenses/)")
    if not check.id:
        hint = f"Did you mean `{check.suggestion}`?" if check.suggestion else \
            "Use an identifier from the SPDX License List (https://spdx.org/licenses/), e.g. `CC-BY-4.0`"
        return f"`license: {value}` is not an SPDX license identifier", hint
    return None


def check_site_defaults(site: SiteInfo, problems, path: str = "mkdocs.yml", line: int | None = None) -> None:
    """Report the site-wide defaults that read_work cannot use (once, at the site's options)."""
    if site.license:
        problem = license_problem(site.license)
        if problem:
            problems.report(path, line, problem[0].replace("`license:", "`extra.microsite.license:"), problem[1])
    try:
        dates.time_zone(site.timezone)
    except ValueError:
        problems.report(path, line, f"`extra.microsite.timezone: {site.timezone}` is not a time zone",
                        "Write an IANA time zone name such as `UTC` or `Europe/London`")
    if site.language and not _LANGUAGE.match(site.language):
        problems.report(path, line, f"`theme.language: {site.language}` is not a language tag",
                        "Write a BCP 47 tag such as `en`")


def _keywords(reader: _Reader) -> tuple[str, ...]:
    value = reader.meta.get("keywords")
    if value is None:
        return ()
    if not isinstance(value, list):
        reader.report(("keywords",), "`keywords` must be a list",
                      "Write `keywords: [first keyword, second keyword]`")
        return ()
    keywords = []
    for index, item in enumerate(value):
        if isinstance(item, (int, float)) and not isinstance(item, bool):
            item = str(item)
        if not isinstance(item, str) or not item.strip():
            reader.report(("keywords", index), f"keyword #{index + 1} is not text", "Write each keyword as text")
            continue
        keywords.append(" ".join(item.split()))
    return tuple(keywords)


def _language(reader: _Reader) -> str | None:
    value = reader.meta.get("language")
    if value is None:
        return reader.site.language
    if not isinstance(value, str) or not _LANGUAGE.match(value.strip()):
        reader.report(("language",), f"`language: {value}` is not a language tag",
                      "Write a BCP 47 tag such as `en`, `en-GB` or `fr`")
        return reader.site.language
    return value.strip()
