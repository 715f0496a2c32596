"""What the scholarly layer needs to know about the site (from mkdocs.yml)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SiteInfo:
    name: str                                # site_name
    url: str | None = None                   # site_url (absolute), None when not set
    language: str | None = None              # theme.language, e.g. "en"
    publisher: str | None = None             # default `publisher` of every work
    institution: str | None = None           # default `institution`: works become reports of it
    license: str | None = None               # default SPDX id of every work (checked by read_work)
    timezone: str = "UTC"                    # IANA zone the edition dates are in
    description: str | None = None           # site_description (CITATION.cff abstract)
    repository_url: str | None = None        # repo_url (CITATION.cff repository-code)

    @property
    def base_url(self) -> str | None:
        """site_url with one trailing slash, or None."""
        return self.url.rstrip("/") + "/" if self.url else None
