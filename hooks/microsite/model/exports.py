"""Exports of sources: BibTeX (the resolved record) and RIS (written by rispy)."""

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
    if fields.get("url"):
        record["urls"] = [fields["url"]]
    if fields.get("doi"):
        record["doi"] = fields["doi"]
    if fields.get("urldate"):
        record["access_date"] = fields["urldate"]
    if fields.get("abstract"):
        record["abstract"] = fields["abstract"]
    return record


def ris(sources: list[Source]) -> str:
    return rispy.dumps([ris_record(source) for source in sources])


def bibtex(sources: list[Source]) -> str:
    return "\n".join(source.record for source in sources)
