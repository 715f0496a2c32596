"""Page-head metadata of an article or brief, as data for the templates.

One `Work` gives every vocabulary, so they never disagree:

- Highwire Press `citation_*` (Google Scholar's inclusion guidelines; Zotero's
  Embedded Metadata translator, which lets them override everything else);
- Dublin Core `DC.*` with its `schema.DC` link (Scholar's last resort; Zotero
  reads `DC.type` to choose the item type);
- Open Graph and Twitter card tags (link previews);
- JSON-LD `ScholarlyArticle` or `Report` (Google's Article structured data;
  Zotero never reads it).

Values are plain text: the templates escape them (autoescape, `tojson`). Tags
whose value must be an absolute URL are left out when the site has no
`site_url`; `HeadMetadata.left_out` names them so the caller can say so once.
No COinS: Zotero lets a COinS span override all the tags above.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence
from urllib.parse import urlsplit

from microsite.scholarly import dates
from microsite.scholarly.cite import issuer
from microsite.scholarly.site import SiteInfo
from microsite.scholarly.work import Person, Work

DC_SCHEMAS = (("schema.DC", "http://purl.org/dc/elements/1.1/"),
              ("schema.DCTERMS", "http://purl.org/dc/terms/"))
# DC.type values Zotero's RDF translator maps to its item types ("report", "webpage").
DC_TYPE = {True: "Report", False: "Web Page"}
NO_SITE_URL = "needs an absolute URL and the site has no site_url"


@dataclass(frozen=True)
class PageInfo:
    url: str | None                       # absolute URL of the page, None without site_url
    pdf_url: str | None = None            # absolute URL of the page's PDF, None when there is none
    references: Sequence[str] = ()        # the page's references as plain text, as the page shows them
    image_url: str | None = None          # absolute URL of an image for previews


@dataclass
class HeadMetadata:
    highwire: list[tuple[str, str]]                 # <meta name=… content=…>
    dublin_core: list[tuple[str, str]]              # <meta name=… content=…>
    dublin_core_schemas: tuple[tuple[str, str], ...]  # <link rel=… href=…>
    open_graph: list[tuple[str, str]]               # <meta property=… content=…>
    twitter: list[tuple[str, str]]                  # <meta name=… content=…>
    json_ld: dict                                   # <script type="application/ld+json">{{ json_ld|tojson }}
    left_out: dict[str, str] = field(default_factory=dict)   # tag -> why it is not there

    @property
    def needs_site_url(self) -> bool:
        return any(why == NO_SITE_URL for why in self.left_out.values())


def head_metadata(work: Work, site: SiteInfo, page: PageInfo) -> HeadMetadata:
    left_out: dict[str, str] = {}
    page_url = page.url if _absolute(page.url) else None
    image_url = page.image_url if page_url and _absolute(page.image_url) else None
    if not page_url:
        why = NO_SITE_URL if not site.url else "the page has no absolute URL"
        wanted = ["og:url", "JSON-LD url"] + (["citation_pdf_url"] if page.pdf_url else []) + \
            (["og:image", "twitter:image", "JSON-LD image"] if page.image_url else [])
        left_out.update(dict.fromkeys(wanted, why))
    pdf_url = _pdf_url(page_url, page.pdf_url, left_out)
    return HeadMetadata(
        highwire=_highwire(work, site, page, pdf_url),
        dublin_core=_dublin_core(work, site),
        dublin_core_schemas=DC_SCHEMAS,
        open_graph=_open_graph(work, site, page_url, image_url),
        twitter=_twitter(work, image_url),
        json_ld=_json_ld(work, site, page, page_url, pdf_url, image_url),
        left_out=left_out,
    )


# -- Highwire Press ----------------------------------------------------------

def highwire_author(person: Person) -> str:
    """Scholar takes "Smith, John" or "John Smith"; the inverted form tells Zotero the split.
    An organisation gets a trailing comma: Zotero then keeps the whole name as the family
    name (it splits "Example Institute" into given "Example" otherwise)."""
    if person.organisation:
        return f"{person.name},"
    if person.is_split:
        return f"{person.family}, {person.given}"
    return person.name


def _highwire(work: Work, site: SiteInfo, page: PageInfo, pdf_url: str | None) -> list[tuple[str, str]]:
    tags = [("citation_title", work.title)]
    for person in work.authors:
        tags.append(("citation_author", highwire_author(person)))
        tags += [("citation_author_institution", a) for a in person.affiliations]
        if person.orcid:
            tags.append(("citation_author_orcid", person.orcid_url))
    if work.date:
        # Scholar: the date a reference would cite, "2010/5/12"-style; this edition's date,
        # which is also the date it went online.
        tags.append(("citation_publication_date", dates.scholar_date(work.date)))
        tags.append(("citation_online_date", dates.scholar_date(work.date)))
    if work.is_report:
        tags.append(("citation_technical_report_institution", issuer(work, site)))
        if work.report_number:
            tags.append(("citation_technical_report_number", work.report_number))
    if work.publisher and work.publisher != work.institution:
        tags.append(("citation_publisher", work.publisher))
    if work.doi:
        tags.append(("citation_doi", work.doi))
    if work.abstract:
        tags.append(("citation_abstract", _one_line(work.abstract)))
    tags += [("citation_keywords", keyword) for keyword in work.keywords]
    if work.language:
        tags.append(("citation_language", work.language))
    if pdf_url:
        tags.append(("citation_pdf_url", pdf_url))
    tags += [("citation_reference", _one_line(ref)) for ref in page.references if ref and ref.strip()]
    return tags


def _pdf_url(page_url: str | None, pdf_url: str | None, left_out: dict) -> str | None:
    """Scholar: the absolute URL of a file in the same directory as the page."""
    if not pdf_url or not page_url:
        return None
    if not _absolute(pdf_url) or not _same_directory(page_url, pdf_url):
        left_out["citation_pdf_url"] = "the PDF is not in the page's own directory (Google Scholar requires it)"
        return None
    return pdf_url


def _same_directory(page_url: str, file_url: str) -> bool:
    page, file = urlsplit(page_url), urlsplit(file_url)
    folder = page.path if page.path.endswith("/") else page.path.rsplit("/", 1)[0] + "/"
    return (page.scheme, page.netloc) == (file.scheme, file.netloc) and \
        file.path.rsplit("/", 1)[0] + "/" == folder and not file.path.endswith("/")


# -- Dublin Core ---------------------------------------------------------------

def _dublin_core(work: Work, site: SiteInfo) -> list[tuple[str, str]]:
    tags = [("DC.title", work.title)]
    tags += [("DC.creator", highwire_author(person)) for person in work.authors]
    if work.date:
        tags.append(("DC.date", dates.iso_date(work.date)))
    if work.updated:
        tags.append(("DCTERMS.modified", dates.iso_date(work.updated)))
    tags.append(("DC.type", DC_TYPE[work.is_report]))
    publisher = issuer(work, site) if work.is_report else work.publisher
    if publisher:
        tags.append(("DC.publisher", publisher))
    if work.doi:
        tags.append(("DC.identifier", work.doi))       # a bare DOI: Zotero reads it as the DOI
    if work.description:
        tags.append(("DC.description", _one_line(work.description)))
    tags += [("DC.subject", keyword) for keyword in work.keywords]
    if work.language:
        tags.append(("DC.language", work.language))
    if work.license:
        tags.append(("DC.rights", work.license_url))
    return tags


# -- Open Graph and Twitter ---------------------------------------------------------

def _open_graph(work: Work, site: SiteInfo, page_url, image_url) -> list[tuple[str, str]]:
    tags = [("og:type", "article"), ("og:title", work.title), ("og:site_name", site.name)]
    if page_url:
        tags.append(("og:url", page_url))
    if image_url:
        tags.append(("og:image", image_url))
    if work.description:
        tags.append(("og:description", _one_line(work.description)))
    locale = _og_locale(work.language)
    if locale:
        tags.append(("og:locale", locale))
    if work.date:
        tags.append(("article:published_time", dates.iso_datetime(work.date, work.timezone)))
    if work.modified:
        tags.append(("article:modified_time", dates.iso_datetime(work.modified, work.timezone)))
    # article:author is a profile URL (Open Graph); names without one are not guessed into URLs.
    tags += [("article:author", p.orcid_url or p.url) for p in work.authors if p.orcid_url or p.url]
    tags += [("article:tag", keyword) for keyword in work.keywords]
    return tags


def _og_locale(language: str | None) -> str | None:
    """Open Graph wants language_TERRITORY ("en_GB"); a bare "en" says no territory."""
    if not language or "-" not in language:
        return None
    lang, region = language.split("-")[:2]
    return f"{lang.lower()}_{region.upper()}" if len(region) == 2 else None


def _twitter(work: Work, image_url) -> list[tuple[str, str]]:
    tags = [("twitter:card", "summary_large_image" if image_url else "summary"), ("twitter:title", work.title)]
    if work.description:
        tags.append(("twitter:description", _one_line(work.description)))
    if image_url:
        tags.append(("twitter:image", image_url))
    return tags


# -- JSON-LD -------------------------------------------------------------------------

def _json_ld(work: Work, site: SiteInfo, page: PageInfo, page_url, pdf_url, image_url) -> dict:
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Report" if work.is_report else "ScholarlyArticle",
        "headline": work.title,
        "name": work.title,
        "author": [_json_person(person) for person in work.authors],
    }
    if work.date:
        # datePublished: when this web edition was published (its `date`).
        data["datePublished"] = dates.iso_datetime(work.date, work.timezone)
        data["dateModified"] = dates.iso_datetime(work.modified, work.timezone)
    if page_url:
        data["url"] = page_url
        data["mainEntityOfPage"] = page_url
    if image_url:
        data["image"] = [image_url]
    if work.abstract:
        data["abstract"] = _one_line(work.abstract)
    if work.description:
        data["description"] = _one_line(work.description)
    if work.keywords:
        data["keywords"] = list(work.keywords)
    if work.language:
        data["inLanguage"] = work.language
    if work.doi:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": work.doi}
        data["sameAs"] = work.doi_url
    if work.license:
        data["license"] = work.license_url
    publisher = issuer(work, site) if work.is_report else work.publisher
    if publisher:
        data["publisher"] = {"@type": "Organization", "name": publisher}
    if work.is_report and work.report_number:
        data["reportNumber"] = work.report_number
    part_of = {"@type": "WebSite", "name": site.name}
    if site.base_url:
        part_of["url"] = site.base_url
    data["isPartOf"] = part_of
    if pdf_url:
        data["encoding"] = [{"@type": "MediaObject", "contentUrl": pdf_url, "encodingFormat": "application/pdf"}]
    references = [_one_line(ref) for ref in page.references if ref and ref.strip()]
    if references:
        data["citation"] = references
    return data


def _json_person(person: Person) -> dict:
    if person.organisation:
        data = {"@type": "Organization", "name": person.name}
        if person.url:
            data["url"] = person.url
        return data
    data = {"@type": "Person", "name": person.name}
    if person.is_split:
        data["givenName"], data["familyName"] = person.given, person.family
    if person.url or person.orcid_url:
        data["url"] = person.url or person.orcid_url
    if person.orcid_url:
        data["sameAs"] = [person.orcid_url]
    if person.affiliations:
        data["affiliation"] = [{"@type": "Organization", "name": name} for name in person.affiliations]
    return data


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _absolute(url: str | None) -> bool:
    if not url:
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)
