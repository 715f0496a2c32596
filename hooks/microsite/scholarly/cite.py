""""Cite this page": the BibTeX (biblatex) and RIS records of a `Work`.

The BibTeX record is what the site's reference formatter (pandoc with the
site's CSL style) formats for the page, so the reference shown, the BibTeX
and the RIS come from the same record and cannot disagree.

Entry type (biblatex, which is how pandoc reads a `.bib` file):
- `@report` for briefs and for articles an institution issues or numbers:
  `institution` and `number` are what a report is cited by (Scholar asks for
  them too);
- `@online` for any other article: it is a piece published on the site, not a
  journal article (`@article` needs a journal), and the site's name goes in
  `organization` (pandoc's CSL "publisher"), as Chicago cites a web page.

Titles are wrapped in braces so that no style changes their case: the title is
cited exactly as the author wrote it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import rispy

from microsite.scholarly import dates
from microsite.scholarly.site import SiteInfo
from microsite.scholarly.work import Person, Work

# The formatted document of a page's own reference (formatting's `context.formatted`): CITE + src_uri.
CITE = "#cite:"
# LaTeX's special characters in field values (url and doi are verbatim fields in biblatex).
_ESCAPES = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "#": r"\#",
            "$": r"\$", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_ESCAPE = re.compile("|".join(re.escape(char) for char in _ESCAPES))
# Leading words skipped for the key ("The Analytical Engine" -> "analytical").
_STOP_WORDS = {"a", "an", "the", "on", "of", "in", "to", "for", "and", "at", "by", "with", "from"}


@dataclass(frozen=True)
class CiteRecords:
    key: str
    bibtex: str          # one biblatex record
    ris: str             # one RIS record (rispy)


def cite_records(work: Work, site: SiteInfo, page_url: str | None, taken=()) -> CiteRecords:
    key = cite_key(work, taken)
    return CiteRecords(key, bibtex_record(work, key, site, page_url), ris_text(work, key, site, page_url))


def issuer(work: Work, site: SiteInfo) -> str:
    """Who issues a report: its institution, else its publisher, else the site it is published on
    (a reference to a report without one would not say where the report is to be found)."""
    return work.institution or work.publisher or site.name


# -- key -----------------------------------------------------------------------

def cite_key(work: Work, taken=()) -> str:
    """first author + year + first significant title word, e.g. lovelace2024notes; a letter
    is added when the key is taken (by a bib file's entry or another page)."""
    first = work.authors[0]
    name = first.family or (first.name if first.organisation else first.name.split()[-1])
    words = [w for w in re.split(r"[^a-z0-9]+", _ascii(work.title).lower()) if w]    # "Steam-Engine" is two words
    title_word = next((w for w in words if w not in _STOP_WORDS), words[0] if words else "")
    base = (_slug(name.split()[0] if first.organisation else name) + (str(work.year) if work.year else "nd")
            + title_word)
    taken_lower = taken if isinstance(taken, TakenKeys) else TakenKeys(taken)
    key, suffix = base, 0
    while key in taken_lower:
        suffix += 1
        key = base + _letters(suffix)
    return key


class TakenKeys:
    """Keys in use (bib entries, other pages), compared without regard to case; built once
    for a whole site rather than for each page's key."""

    def __init__(self, keys=()):
        self._lower = {str(key).lower() for key in keys}

    def add(self, key: str) -> None:
        self._lower.add(key.lower())

    def __contains__(self, key) -> bool:
        return str(key).lower() in self._lower


def _letters(number: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa."""
    text = ""
    while number:
        number, rest = divmod(number - 1, 26)
        text = chr(ord("a") + rest) + text
    return text


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", _ascii(text).lower()) or "anon"


# -- BibTeX ----------------------------------------------------------------------

def escape(value: str) -> str:
    """A text value as a BibTeX/LaTeX field value."""
    return _ESCAPE.sub(lambda match: _ESCAPES[match.group(0)], " ".join(str(value).split()))


def _verbatim(value: str) -> str:
    """url and doi are verbatim in biblatex; only characters that would break the braces
    are percent-encoded (they are not valid in URLs anyway)."""
    return value.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def bibtex_name(person: Person) -> str:
    if person.organisation or not person.is_split:
        return "{" + escape(person.name) + "}"      # braces: a literal name, never split
    return f"{escape(person.family)}, {escape(person.given)}"


def bibtex_record(work: Work, key: str, site: SiteInfo, page_url: str | None) -> str:
    fields: list[tuple[str, str]] = [
        ("author", " and ".join(bibtex_name(person) for person in work.authors)),
        ("title", "{" + escape(work.title) + "}"),
    ]
    if work.date:
        fields.append(("date", dates.iso_date(work.date)))
    if work.is_report:
        entry_type = "report"
        fields.append(("institution", escape(issuer(work, site))))
        if work.report_number:
            fields.append(("number", escape(work.report_number)))
    else:
        entry_type = "online"
        fields.append(("organization", escape(work.publisher or site.name)))
    if work.doi:
        fields.append(("doi", _verbatim(work.doi)))
    if page_url:
        fields.append(("url", _verbatim(page_url)))
    if work.keywords:
        fields.append(("keywords", ", ".join(escape(k.replace(",", " ")) for k in work.keywords)))
    if work.abstract:
        fields.append(("abstract", escape(work.abstract)))
    lines = [f"@{entry_type}{{{key},"] + [f"  {name} = {{{value}}}," for name, value in fields] + ["}"]
    return "\n".join(lines) + "\n"


# -- RIS -------------------------------------------------------------------------

def ris_name(person: Person) -> str:
    """RIS AU is "Family, Given"; a name without a comma stays whole (Zotero's RIS reader)."""
    return f"{person.family}, {person.given}" if person.is_split and not person.organisation else person.name


def ris_entry(work: Work, key: str, site: SiteInfo, page_url: str | None) -> dict:
    entry: dict = {
        "type_of_reference": "RPRT" if work.is_report else "ELEC",
        "id": key,
        "authors": [ris_name(person) for person in work.authors],
        "title": work.title,
    }
    if work.date:
        entry["year"] = str(work.year)
        entry["date"] = dates.scholar_date(work.date)          # RIS DA: YYYY/MM/DD
    if work.is_report:
        entry["publisher"] = issuer(work, site)                  # PB: the report's institution
        if work.report_number:
            entry["issn"] = work.report_number                   # SN: the report number for RPRT
    else:
        entry["secondary_title"] = site.name                     # T2: the website's title for ELEC
        if work.publisher:
            entry["publisher"] = work.publisher
    if page_url:
        entry["urls"] = [page_url]
    if work.doi:
        entry["doi"] = work.doi
    if work.abstract:
        entry["abstract"] = " ".join(work.abstract.split())
    if work.keywords:
        entry["keywords"] = list(work.keywords)
    if work.language:
        entry["language"] = work.language
    return entry


class _StandaloneRisWriter(rispy.RisWriter):
    def set_header(self, count):       # no "1." line before TY: a standalone record starts at TY
        return ""


def ris_text(work: Work, key: str, site: SiteInfo, page_url: str | None) -> str:
    return rispy.dumps([ris_entry(work, key, site, page_url)], implementation=_StandaloneRisWriter)
