"""The `authors` of an article or brief: names or mappings, read into `Person`s.

An author is a name ("Ada Lovelace", "Lovelace, Ada") or a mapping with `name`
(or `given` and `family`), `affiliation` / `affiliations`, `orcid`, `email`,
`url`, and `organisation: true` for a corporate author. An invalid field is
reported and left out; an author without a name is reported and dropped, and
with it the whole work (a citation must not silently lose an author).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from microsite.scholarly.identifiers import InvalidIdentifier, orcid_url, parse_orcid
from microsite.scholarly.keys import AUTHOR_KEYS, did_you_mean
from microsite.scholarly.names import split_name
from microsite.scholarly.values import CONVERTED, describe, text_as_written

_EMAIL = re.compile(r"^[^\s@]+@[^\s@]+\.[^\s@]{2,}$")          # the pattern CITATION.cff accepts
_URL = re.compile(r"^https?://\S+$")


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


def read_authors(reader) -> list[Person]:
    authors = reader.meta.get("authors")
    hint = "Write `authors: [First Author, Second Author]`, even for a single author."
    if authors is not None and not isinstance(authors, (list, str)):
        reader.report(("authors",), f"`authors` must be a list of names, not {describe(authors)}", hint)
        return []
    if authors is None and reader.meta.get("author") is not None:
        # Material's `author` names the page's <meta name="author"> only: nothing cites it.
        reader.report(("author",), f"{reader.what} names its authors under `authors`, a list; `author` only "
                                   "sets the page's <meta name=\"author\">", hint)
        return []
    if not isinstance(authors, list) or not authors:
        reader.report(("authors",), f"{reader.what} needs `authors`, a list of names", hint)
        return []
    people = []
    for index, author in enumerate(authors):
        person = _person(reader, index, author)
        if person:
            people.append(person)
    return people if len(people) == len(authors) else []


def _person(reader, index: int, author) -> Person | None:
    at = ("authors", index)
    if isinstance(author, CONVERTED):               # `authors: [1984]`: the name as written
        author = text_as_written(author, reader.lines.node(*at)) or author
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
                          did_you_mean(str(key), AUTHOR_KEYS - {"organization"}, "the key"))

    def text(key: str) -> str | None:
        value = author.get(key)
        if value is None:
            return None
        if isinstance(value, CONVERTED):            # `name: 1984`, `given: 012`: the text as written
            value = text_as_written(value, reader.lines.node(*at, key)) or value
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


def _affiliations(reader, at: tuple, index: int, author: dict):
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
        path = at + (key, position) if isinstance(value, list) else at + (key,)
        if isinstance(item, CONVERTED):             # `affiliation: 1:30`: the text as written
            item = text_as_written(item, reader.lines.node(*path)) or item
        if not isinstance(item, str) or not item.strip():
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
    written = text_as_written(value, reader.lines.node(*at, key)) or str(value)
    try:
        return parse(written)
    except InvalidIdentifier as error:
        reader.report(at + (key,), f"author #{index + 1}: `{key}: {written}` {error}", hint)
        return None
