"""The academic front matter of an article or a brief, read into a `Work`.

Every field is checked where it is written; each problem is reported with the
file, the line of the value and what to do, and the field is left out of the
`Work` (nothing is guessed). `read_work` returns None only when the piece has
no title or no author: without them there is nothing to cite.

This is the one check of an article's or brief's front matter: the content
contract (`content.documents.check_article_contract`) runs it, so the build
never reports a problem twice in different words. `date` is optional (the
caller says once that a page without one has no publication date in its
metadata); `summary` is required (the page's description).

Front matter (README "An article or a brief"; notes/scholarly.md):

    title, authors, date, updated, summary, abstract, doi, license, keywords,
    report_number, publisher, institution, language, image

Authors are read by `authors`, the allowed keys are in `keys`.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from microsite.model.citations import PLAIN_TEXT_CITATION_FIX, citations_in
from microsite.model.urls import web_url
from microsite.scholarly import dates
from microsite.scholarly.authors import Person, read_authors
from microsite.scholarly.identifiers import InvalidIdentifier, doi_url, parse_doi
from microsite.scholarly.keys import check_keys
from microsite.scholarly.licenses import check_license, license_url, replacements_of
from microsite.scholarly.locate import Lines
from microsite.scholarly.site import SiteInfo
from microsite.scholarly.values import as_text_hint, as_written, describe, text_as_written

ARTICLE, BRIEF = "article", "brief"

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")  # BCP 47 shape: en, en-GB, zh-Hant
# Image formats that link previews (Open Graph, Twitter cards) and Google's Article `image` all read.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
IMAGE_HINT = "Give the path of a PNG, JPEG, GIF or WebP image in the docs folder, relative to this page " \
             "(`image: figures/cover.png`), or its https:// address."


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
    abstract: str | None = None                 # the author's abstract, only when written as `abstract`
    summary: str | None = None
    report_number: str | None = None
    publisher: str | None = None
    institution: str | None = None
    language: str | None = None
    image: str | None = None                    # an https:// address, or the docs path of an image file
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
    def description(self) -> str | None:
        """What the piece is about, for descriptions and link previews: the summary, else the abstract."""
        return self.summary or self.abstract

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

    def written(self, *path) -> str:
        """The value at `path` as the author wrote it, for messages (`012`, not 10)."""
        written = self.lines.written(*path)
        if written is not None:
            return written
        value = self.meta
        for step in path:
            value = value[step] if isinstance(value, (dict, list)) else None
        return as_written(value)

    def as_text(self, path: tuple, value, hint: str, what: str) -> str | None:
        """A text field's value as written: YAML 1.1 reads `012` as 10, `1:30` as 90 and
        `12.10` as 12.1, and the scalar's own text is what the author means. A value that
        is no text is reported (`what`: how the message names it) and None returned."""
        text = text_as_written(value, self.lines.node(*path))
        if text is not None and text.strip():
            return text
        message = f"{what} must be text" if len(path) == 1 else f"{what} is not text"
        if text is None and isinstance(value, (bool, int, float, dt.date, bytes)):
            # binary data, or a converted value whose text is unknown (e.g. from a YAML merge key)
            written = self.written(*path)
            message += f", not {describe(value, written)}"
            if len(path) == 1 or isinstance(value, bytes):
                hint = as_text_hint(path[0], value, written)
            else:
                hint = f'Put it in quotes: `"{written}"`.'
        self.report(path, message, hint)
        return None

    def text(self, key: str, hint: str) -> str | None:
        value = self.meta.get(key)
        if value is None:
            return None
        text = self.as_text((key,), value, hint, f"`{key}`")
        if text is None:
            return None
        return " ".join(text.split()) if key != "abstract" else text.strip()


def read_work(document, kind: str, site: SiteInfo, problems) -> Work | None:
    """The `Work` of an article or brief `document` (content.documents.Document)."""
    if kind not in (ARTICLE, BRIEF):
        raise ValueError(f"kind must be {ARTICLE!r} or {BRIEF!r}, not {kind!r}")
    reader = _Reader(document, kind, site, problems)
    check_keys(reader)
    title = _title(reader)
    authors = read_authors(reader)
    date = _date(reader, "date")
    updated = _date(reader, "updated")
    if date and updated and dates.calendar_date(updated) < dates.calendar_date(date):
        reader.report(("updated",), f"`updated: {dates.iso_date(updated)}` is before `date: {dates.iso_date(date)}`",
                      "`updated` is the last revision of this edition; it cannot be earlier than `date`")
        updated = None
    summary = _summary(reader)
    abstract = reader.text("abstract", "Write the abstract as text (`abstract: >` and indented paragraphs)")
    for key, text in (("summary", summary), ("abstract", abstract)):
        _no_citation(reader, key, text)
    # Every field is checked (and every problem reported) even when the piece cannot be cited.
    fields = dict(
        doi=_doi(reader), license=_license(reader), keywords=_keywords(reader),
        report_number=reader.text("report_number", "Write the report number as text, e.g. `report_number: WP-12`"),
        publisher=reader.text("publisher", "Write the publisher's name") or site.publisher,
        institution=reader.text("institution", "Write the institution's name") or site.institution,
        language=_language(reader), image=_image(reader),
    )
    if title is None or not authors:
        return None
    return Work(kind=kind, src_uri=document.src_uri, path=document.path, title=title, authors=tuple(authors),
                date=date, updated=updated, abstract=abstract, summary=summary,
                timezone=site.timezone, **fields)


# -- fields -------------------------------------------------------------------

def _title(reader: _Reader) -> str | None:
    title = reader.meta.get("title")
    if title is not None and not isinstance(title, str):
        written = reader.written("title")
        reader.report(("title",), f"`title` must be text, not {describe(title, written)}",
                      as_text_hint("title", title, written))
        return None
    if not isinstance(title, str) or not title.strip():
        reader.report(("title",), f"{reader.what} needs a `title` in its front matter",
                      "Add a line `title: The title of the piece`.")
        return None
    return " ".join(title.split())


def _no_citation(reader: _Reader, key: str, text: str | None) -> None:
    """`summary` and `abstract` are plain text (the description, the metadata): a citation
    written there would be shown as written."""
    for written in citations_in(text):
        reader.report((key,), f"`{key}` is plain text: the citation {written} in it is shown as written, "
                              "on the page and in its metadata", PLAIN_TEXT_CITATION_FIX)


def _summary(reader: _Reader) -> str | None:
    summary = reader.meta.get("summary")
    if summary is not None and not isinstance(summary, str):
        reader.report(("summary",), f"`summary` must be text (one paragraph), not "
                                    f"{describe(summary, reader.written('summary'))}",
                      "Write `summary: >` followed by an indented paragraph.")
    elif not isinstance(summary, str) or not summary.strip():
        reader.report(("summary",), f"{reader.what} needs a `summary` (one paragraph)",
                      "Add `summary: >` followed by an indented paragraph.")
    elif "\n\n" in summary.strip():
        reader.report(("summary",), "`summary` must be a single paragraph", "Remove the blank lines inside the summary.")
    else:
        return " ".join(summary.split())
    return None


def _date(reader: _Reader, key: str):
    if key not in reader.meta:
        return None
    value = reader.meta[key]
    try:
        return dates.parse_edition_date(value)
    except ValueError as error:
        written = reader.written(key)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
            message = f"`{key}: {value}` is not a real date ({error})"
        elif re.fullmatch(r"\d{4}(?:-\d{2})?", str(written or "")):
            message = f"`{key}: {written}` gives only a {'year' if len(written) == 4 else 'month'}, not a day"
        elif isinstance(value, (list, dict)):
            message = f"`{key}: {reader.written(key)}` is {describe(value)}, not a date"
        else:
            message = f"`{key}: {reader.written(key)}` is not an ISO date"
        reader.report((key,), message, "Write the date as YYYY-MM-DD, e.g. `date: 2020-11-05`.")
        return None


def _doi(reader: _Reader) -> str | None:
    value = reader.meta.get("doi")
    if value is None:
        return None
    try:
        return parse_doi(text_as_written(value, reader.lines.node("doi")) or str(value))
    except InvalidIdentifier as error:
        reader.report(("doi",), f"`doi: {reader.written('doi')}` {error}",
                      "Write the DOI as registered, e.g. `doi: 10.5281/zenodo.1003150` "
                      "(https://doi.org/… and doi:… are accepted); never guess one")
        return None


def _license(reader: _Reader) -> str | None:
    if "license" not in reader.meta:                # the site's default, checked by check_site_defaults
        check = check_license(reader.site.license) if reader.site.license else None
        return check.id if check and check.id and not check.deprecated else None
    value = reader.meta["license"]
    if value is None:
        written = reader.written("license")
        reader.report(("license",), f"`license:{' ' + written if written else ''}` must be one SPDX identifier, "
                                    "not empty", "Write e.g. `license: CC-BY-4.0`, or remove the line.")
        return None
    if not isinstance(value, str):
        written = reader.written("license")
        reader.report(("license",), f"`license: {written}` must be one SPDX identifier, not "
                                    f"{describe(value, written)}", "Write e.g. `license: CC-BY-4.0`.")
        return None
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


def check_site_defaults(site: SiteInfo, problems, option_place=lambda *path: ("mkdocs.yml", None)) -> SiteInfo:
    """Report the site-wide defaults that read_work cannot use (once, at the site's options);
    the site's information as the build uses it meanwhile (an unknown time zone: UTC).
    `option_place(*path)`: where an option is written in mkdocs.yml (file, line)."""
    if site.license:
        problem = license_problem(site.license)
        if problem:
            problems.report(*option_place("extra", "microsite", "license"),
                            problem[0].replace("`license:", "`extra.microsite.license:"), problem[1])
    try:
        dates.time_zone(site.timezone)
    except ValueError:
        problems.report(*option_place("extra", "microsite", "timezone"),
                        f"`extra.microsite.timezone: {site.timezone}` is not a time zone",
                        "Write an IANA time zone name such as `UTC` or `Europe/London`")
        site = replace(site, timezone="UTC")
    if site.language and not _LANGUAGE.match(site.language):
        problems.report(*option_place("theme", "language"), f"`theme.language: {site.language}` is not a language tag",
                        "Write a BCP 47 tag such as `en`")
    return site


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
        item = reader.as_text(("keywords", index), item, "Write each keyword as text", f"keyword #{index + 1}")
        if item is not None:
            keywords.append(" ".join(item.split()))
    return tuple(keywords)


def image_is_address(image: str) -> bool:
    return bool(urlsplit(image).scheme)


def _image(reader: _Reader) -> str | None:
    """The picture for link previews and Google's Article `image`: an http(s) address as
    written, or the path of an image file in docs/ (relative to the page, or to docs/ with
    a leading `/`), returned relative to docs/; the caller checks that the file exists."""
    value = reader.meta.get("image")
    if value is None:
        return None
    text = reader.as_text(("image",), value, IMAGE_HINT, "`image`")
    if text is None:
        return None
    text = text.strip()
    parts = urlsplit(text)
    if parts.scheme:
        address = web_url(text)              # the one allow-list of addresses (model/urls.py)
        if address:
            return address
        reader.report(("image",), f"`image: {reader.written('image')}` is neither a web address nor a path "
                                  "to an image", IMAGE_HINT)
        return None
    if not parts.path.lower().endswith(IMAGE_SUFFIXES) or parts.query or parts.fragment:
        reader.report(("image",), f"`image: {reader.written('image')}` is not a PNG, JPEG, GIF or WebP image "
                                  "(link previews and Google read those)", IMAGE_HINT)
        return None
    folder = "" if text.startswith("/") else posixpath.dirname(reader.document.src_uri)
    path = posixpath.normpath(posixpath.join(folder, text.lstrip("/")))
    if path == ".." or path.startswith("../"):
        reader.report(("image",), f"`image: {reader.written('image')}` points outside the docs folder, "
                                  "which the site does not publish", IMAGE_HINT)
        return None
    return path


def _language(reader: _Reader) -> str | None:
    value = reader.meta.get("language")
    if value is None:
        return reader.site.language
    if not isinstance(value, str) or not _LANGUAGE.match(value.strip()):
        reader.report(("language",), f"`language: {reader.written('language')}` is not a language tag",
                      "Write a BCP 47 tag such as `en`, `en-GB` or `fr`")
        return reader.site.language
    return value.strip()
