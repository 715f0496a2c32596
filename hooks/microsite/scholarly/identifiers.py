"""Persistent identifiers written in front matter: ORCID iDs and DOIs.

Each parser takes what an author naturally pastes (the bare identifier, the
resolver URL, or the `doi:` form) and returns the normalised identifier, or
raises `InvalidIdentifier` with what is wrong.

- ORCID iD: 16 characters in four groups, the last a check digit computed with
  ISO/IEC 7064 MOD 11-2 (ORCID's "Structure of the ORCID Identifier").
- DOI: `10.<registrant>/<suffix>` (DOI Handbook, 2.2), in the forms a bib field's
  `doi` takes (model/urls.py: one definition for both); stored without the
  resolver, shown as `https://doi.org/<doi>` (Crossref's display guidelines).
"""

from __future__ import annotations

import re

from microsite.model.urls import doi_address, doi_of

ORCID_RESOLVER = "https://orcid.org/"

_ORCID = re.compile(r"^(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])$")
_ORCID_URL = re.compile(r"^(?:https?://)?(?:www\.)?orcid\.org/", re.IGNORECASE)


class InvalidIdentifier(ValueError):
    pass


def orcid_check_digit(first_fifteen: str) -> str:
    """ISO/IEC 7064 MOD 11-2 over the first 15 digits ('X' stands for 10)."""
    total = 0
    for digit in first_fifteen:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def parse_orcid(value: str) -> str:
    """'0000-0002-1825-0097' from that form, the https://orcid.org/ URL, or the 16 characters."""
    text = _ORCID_URL.sub("", str(value).strip()).strip("/").upper()
    match = _ORCID.match(text)
    if not match:
        raise InvalidIdentifier("is not an ORCID iD (16 characters: four groups of four digits, "
                                "the last character a digit or X)")
    digits = "".join(match.groups())
    if orcid_check_digit(digits[:15]) != digits[15]:
        raise InvalidIdentifier("fails the ORCID checksum: a character is mistyped")
    return "-".join(match.groups())


def orcid_url(orcid: str) -> str:
    return ORCID_RESOLVER + orcid


def parse_doi(value: str) -> str:
    """'10.1234/abc' from that form, 'doi:10.1234/abc', 'info:doi/10.1234/abc' or
    https://doi.org/10.1234/abc (dx.doi.org too)."""
    doi = doi_of(str(value).strip())
    if doi is None:
        raise InvalidIdentifier("is not a DOI (it starts with `10.`, a registrant number, `/` and a suffix)")
    return doi


def doi_url(doi: str) -> str:
    return doi_address(doi)
