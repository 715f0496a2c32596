"""Exports of sources: BibTeX (the resolved record) and RIS (written by rispy).

Both are built from a source's public fields only (private ones never reach a Source:
see privacy.py); addresses come from `Source.links` (web links and valid DOIs only)."""

from __future__ import annotations

import re

import rispy

from microsite.model.sources import Source

RIS_TYPES = {
    "article": "JOUR", "book": "BOOK", "mvbook": "BOOK", "inbook": "CHAP", "incollection": "CHAP",
    "collection": "EDBOOK", "mvcollection": "EDBOOK", "inproceedings": "CPAPER", "proceedings": "CONF",
    "report": "RPRT", "techreport": "RPRT", "thesis": "THES", "phdthesis": "THES", "mastersthesis": "THES",
    "online": "ELEC", "www": "ELEC", "electronic": "ELEC", "manual": "BOOK", "patent": "PAT",
    "periodical": "JFULL", "unpublished": "UNPB",
}


def ris_record(source: Source) -> dict:
    fields = source.fields
    record: dict = {"type_of_reference": RIS_TYPES.get(source.type, "GEN"), "id": source.key}
    if source.authors:
        record["authors"] = [name.sort_form for name in source.authors]
    if source.editors:
        record["secondary_authors"] = [name.sort_form for name in source.editors]
    if source.title:
        record["title"] = source.title
    if source.container:
        record["secondary_title"] = source.container
    if source.year:
        record["year"] = source.year
    date = fields.get("date")
    if date and re.match(r"\d{4}-\d{2}", date):
        record["date"] = date.replace("-", "/")
    if source.publisher:
        record["publisher"] = source.publisher
    place = fields.get("location") or fields.get("address")
    if place:
        record["place_published"] = place
    for name, tag in (("volume", "volume"), ("number", "number"), ("edition", "edition"),
                      ("isbn", "issn"), ("issn", "issn")):
        if fields.get(name) and tag not in record:
            record[tag] = fields[name]
    pages = fields.get("pages")
    if pages:
        parts = re.split(r"\s*[-–]+\s*", pages)
        record["start_page"] = parts[0]
        if len(parts) > 1:
            record["end_page"] = parts[-1]
    links = {link.field: link for link in source.links}
    if links.get("url") and links["url"].href:
        record["urls"] = [links["url"].href]
    if links.get("doi") and links["doi"].href:           # a DOI, not whatever the field holds
        record["doi"] = links["doi"].text
    if fields.get("urldate"):
        record["access_date"] = fields["urldate"]
    if fields.get("abstract"):
        record["abstract"] = fields["abstract"]
    if fields.get("note"):                   # N1: shown on the source's page, so imported with it too
        record["notes"] = [fields["note"]]
    return {tag: _one_line(value) for tag, value in record.items()}


# Any line break (RIS is read line by line, some readers with str.splitlines): a field value
# with one could end the record and start another.
_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


def _one_line(value):
    if isinstance(value, list):
        return [_one_line(item) for item in value]
    return _LINE_BREAKS.sub(" ", value) if isinstance(value, str) else value


def ris(sources: list[Source]) -> str:
    return rispy.dumps([ris_record(source) for source in sources])


def bibtex(sources: list[Source]) -> str:
    return "\n".join(source.record for source in sources)
