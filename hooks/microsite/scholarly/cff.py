"""The site's CITATION.cff (Citation File Format 1.2.0): build, write, validate.

CFF 1.2.0 requires `cff-version`, `message`, `title` and `authors`; its
top-level `type` is only `software` or `dataset`. The repository holds the
site's sources (Markdown, BibTeX, build configuration and generator code),
which is source code that builds the site, so the top-level work is the
repository as `software` (a caller may say `dataset`), and the article readers
should cite goes under `preferred-citation`, typed as the "cite this page"
record is: `report` (brief, or issued by an institution) or `website`.

The file is written in a fixed key order with dates as strings, so the same
inputs always give the same bytes. `validate_cff` runs cffconvert, which lives
in its own environment (it pins jsonschema<4).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import yaml

from microsite.scholarly import dates
from microsite.scholarly.cite import issuer
from microsite.scholarly.site import SiteInfo
from microsite.scholarly.work import Person, Work

CFF_VERSION = "1.2.0"
TOP_LEVEL_TYPES = ("software", "dataset")
DEFAULT_MESSAGE = "If you cite this work, please cite it using the preferred citation below."
CFFCONVERT_ENV = "MICROSITE_CFFCONVERT"
INSTALL_HINT = ("install it in its own environment: python -m venv .venv/cffconvert && "
                ".venv/cffconvert/bin/python -m pip install 'cffconvert>=2.0,<3' (make does this)")


def citation_cff(work: Work, site: SiteInfo, page_url: str | None, *, authors: Sequence[Person] | None = None,
                 message: str = DEFAULT_MESSAGE, repository_type: str = "software",
                 repository_license: str | None = None, version: str | None = None) -> dict:
    """The CITATION.cff data: the repository (site sources) citing the main work `work`.

    `authors` are the repository's authors (default: the work's); `repository_license`
    is the licence of the repository, stated only when given (it may differ from the
    work's own licence)."""
    if repository_type not in TOP_LEVEL_TYPES:
        raise ValueError(f"CITATION.cff type must be one of {TOP_LEVEL_TYPES}, not {repository_type!r}")
    data: dict = {
        "cff-version": CFF_VERSION,
        "message": message,
        "type": repository_type,
        "title": site.name,
        "authors": [cff_person(person) for person in (authors or work.authors)],
    }
    if site.description:
        data["abstract"] = " ".join(site.description.split())
    if site.base_url:
        data["url"] = site.base_url
    if site.repository_url:
        data["repository-code"] = site.repository_url
    if repository_license:
        data["license"] = repository_license
    if version:
        data["version"] = str(version)
    if work.modified:
        data["date-released"] = dates.iso_date(work.modified)
    if work.keywords:
        data["keywords"] = list(work.keywords)
    data["preferred-citation"] = preferred_citation(work, site, page_url)
    return data


def preferred_citation(work: Work, site: SiteInfo, page_url: str | None) -> dict:
    data: dict = {
        "type": "report" if work.is_report else "website",
        "title": work.title,
        "authors": [cff_person(person) for person in work.authors],
    }
    if work.date:
        data["date-published"] = dates.iso_date(work.date)
        data["year"] = work.year
    if work.is_report:
        data["institution"] = {"name": issuer(work, site)}
        if work.report_number:
            data["number"] = work.report_number
    elif work.publisher or site.name:
        data["publisher"] = {"name": work.publisher or site.name}
    if work.doi:
        data["doi"] = work.doi
    if page_url:
        data["url"] = page_url
    if work.abstract:                   # the author's abstract only (a summary is not one)
        data["abstract"] = " ".join(work.abstract.split())
    if work.keywords:
        data["keywords"] = list(work.keywords)
    if work.license:
        data["license"] = work.license
    if work.language:
        data["languages"] = [work.language.split("-")[0].lower()]   # CFF: ISO 639 codes
    return data


def cff_person(person: Person) -> dict:
    """A CFF person, or an entity (`name`) for an organisation. A person whose name could
    not be split safely keeps it whole as `alias` (CFF persons have no single name field)."""
    if person.organisation:
        data = {"name": person.name}
    elif person.is_split:
        data = {"family-names": person.family, "given-names": person.given}
    else:
        data = {"alias": person.name}
    if person.affiliations and not person.organisation:
        data["affiliation"] = "; ".join(person.affiliations)      # CFF has one affiliation string
    if person.orcid_url:
        data["orcid"] = person.orcid_url
    if person.email:
        data["email"] = person.email
    if person.url:
        data["website"] = person.url
    return data


def write_cff(data: dict, generated_from: str | None = None) -> str:
    """YAML text in the order of `data`, deterministic."""
    header = ""
    if generated_from:
        header = (f"# Generated from {generated_from} by the site build: edit that file's front matter\n"
                  "# and the site options, not this file.\n")
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
    return header + body


# -- validation with cffconvert -------------------------------------------------

class CffconvertMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class CffValidation:
    valid: bool
    output: str          # cffconvert's own words


def cffconvert_path(executable: str | os.PathLike | None = None) -> Path:
    """The cffconvert to run: the argument, $MICROSITE_CFFCONVERT, the project's
    .venv/cffconvert/bin/cffconvert (beside the running interpreter's venv), or PATH."""
    if executable:          # an explicit path is the only one tried
        candidates = [executable]
    else:
        candidates = [os.environ.get(CFFCONVERT_ENV), Path(sys.prefix) / "cffconvert" / "bin" / "cffconvert",
                      shutil.which("cffconvert")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    looked = executable or f"${CFFCONVERT_ENV}, {Path(sys.prefix) / 'cffconvert' / 'bin' / 'cffconvert'} and PATH"
    raise CffconvertMissing(f"cffconvert was not found (looked at {looked}): {INSTALL_HINT}")


def validate_cff(path: str | os.PathLike, executable: str | os.PathLike | None = None) -> CffValidation:
    """Run `cffconvert --validate` on a CITATION.cff file."""
    command = [str(cffconvert_path(executable)), "--validate", "--infile", str(path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    output = (result.stdout + result.stderr).strip()
    return CffValidation(result.returncode == 0, output)
