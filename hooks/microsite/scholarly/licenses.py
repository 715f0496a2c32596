"""SPDX licence identifiers: checked against the SPDX License List (data/spdx-licenses.txt).

The list's ids are bundled (its header names the version and source) so the
check needs no network and gives the same answer on every machine. An id is
matched case-insensitively, as SPDX specifies, and returned in its canonical
case; a near miss gets a suggestion.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "spdx-licenses.txt"
SPDX_PAGE = "https://spdx.org/licenses/{id}.html"


@dataclass(frozen=True)
class LicenseList:
    version: str
    ids: dict[str, str]          # lower-case id -> canonical id
    deprecated: frozenset[str]   # canonical ids


@lru_cache(maxsize=1)
def spdx_licenses() -> LicenseList:
    version, ids, deprecated = "", {}, set()
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line.startswith("# License list version:"):
            version = line.split(":", 1)[1].strip().rstrip(".")
        if not line.strip() or line.startswith("#"):
            continue
        identifier, _, flag = line.partition(" ")
        ids[identifier.lower()] = identifier
        if flag.strip() == "deprecated":
            deprecated.add(identifier)
    return LicenseList(version, ids, frozenset(deprecated))


@dataclass(frozen=True)
class LicenseCheck:
    id: str | None               # canonical id when it is on the list
    deprecated: bool = False
    suggestion: str | None = None


def check_license(value: str) -> LicenseCheck:
    licenses = spdx_licenses()
    text = str(value).strip()
    canonical = licenses.ids.get(text.lower())
    if canonical:
        return LicenseCheck(canonical, canonical in licenses.deprecated)
    for variant in _variants(text):     # "MIT License" -> MIT, "CC BY 4.0" -> CC-BY-4.0
        if variant in licenses.ids:
            return LicenseCheck(None, suggestion=licenses.ids[variant])
    current = [i for i in licenses.ids.values() if i not in licenses.deprecated]
    close = difflib.get_close_matches(text, current, n=1, cutoff=0.6) or \
        difflib.get_close_matches(text.lower(), [i.lower() for i in current], n=1, cutoff=0.6)
    suggestion = licenses.ids[close[0].lower()] if close else None
    return LicenseCheck(None, suggestion=suggestion)


def _variants(text: str) -> list[str]:
    words = [w for w in re.split(r"[\s_]+", text.lower()) if w not in ("license", "licence", "the")]
    return ["-".join(words), "".join(words)]


def replacements_of(deprecated_id: str) -> list[str]:
    """The current ids a deprecated one was split into (GPL-3.0 -> GPL-3.0-only, GPL-3.0-or-later)."""
    licenses = spdx_licenses()
    stem = deprecated_id.removesuffix("+")
    return [i for i in (f"{stem}-only", f"{stem}-or-later") if i.lower() in licenses.ids]


def license_url(license_id: str) -> str:
    return SPDX_PAGE.format(id=license_id)
