"""Which addresses in bib fields and front matter may become links.

An allow-list: a value becomes a link only as an `http:` or `https:` address
with a host, or as an identifier mapped to its resolver (a DOI to
https://doi.org/, a `urn:nbn:` to https://nbn-resolving.org/, biblatex's
`eprint` with its `eprinttype` — arXiv, JSTOR, handle, PubMed, Google Books —
to that service, PubMed and PubMed Central ids). Anything else is shown as
text; in an address field (`url`, `urlraw`, `uri`) that is a problem to report.
Private addresses (`file:`, `papers3:` …) never get this far (privacy.py).

The scheme is read the way a browser reads it: after decoding HTML entities,
dropping braces, leading spaces and control characters, tabs and newlines, in
any letter case. Returned hrefs are percent-encoded so that they hold no quote,
angle bracket, backtick or space: safe in any attribute.

What reaches the BibTeX we publish and hand to the formatter is safe too:
pandoc turns `url` fields and `\\url{…}`/`\\href{…}{…}` in any field into live
links, whatever their scheme (tested: `\\href{javascript:…}{x}` becomes
`<a href="javascript:…">`). `withheld()` keeps a `url` that is no web address
out; `defuse()` reduces such `\\href`s to their text and `\\url`s to
`\\nolinkurl` (pandoc shows it as code, never as a link). pandoc links a `doi`,
`pmid`, `pmcid` and an arXiv `eprint` under its resolver whatever they hold
(`doi = {see publisher}` became https://doi.org/see%20publisher), so `withheld()`
keeps one that is not such an identifier out as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from microsite.model.privacy import bare_value, is_private_value

WEB_SCHEMES = ("http", "https")
# Fields that hold an address or an identifier with a resolver, in the order pages show them.
LINK_FIELDS = ("url", "doi", "eprint", "urn", "pmid", "pmcid")
# Fields whose whole value is an address.
ADDRESS_FIELDS = ("url", "urlraw", "uri")

DOI_RESOLVER = "https://doi.org/"
URN_NBN_RESOLVER = "https://nbn-resolving.org/"
# biblatex's eprint types (biblatex manual, "Electronic Publishing Information").
EPRINT_RESOLVERS = {
    "arxiv": "https://arxiv.org/abs/",
    "jstor": "https://www.jstor.org/stable/",
    "hdl": "https://hdl.handle.net/", "handle": "https://hdl.handle.net/",
    "pubmed": "https://pubmed.ncbi.nlm.nih.gov/",
    "googlebooks": "https://books.google.com/books?id=",
}
_SCHEME = re.compile(r"\A([A-Za-z][A-Za-z0-9+.\-]*):")
# A DOI (DOI Handbook 2.2): "10." + registrant code (digits, maybe subdivided) + "/" +
# suffix; written bare, with "doi:" or "info:doi/" (RFC 4452), or as an address of a DOI
# resolver (whose suffix may be percent-encoded). Bib fields and front matter share it.
_DOI_ITSELF = r"10\.\d{4,9}(?:\.\d+)*/\S+"
_DOI = re.compile(r"\A(?:(?P<resolver>(?:https?://)?(?:(?:dx\.|www\.)?doi\.org|doi\.acm\.org)/)|doi:\s*|info:doi/)?"
                  rf"(?P<doi>{_DOI_ITSELF})\Z", re.IGNORECASE)
_DOI_INSIDE = re.compile(rf"/({_DOI_ITSELF})\Z")
_DOI_FORM = ("A DOI is `10.`, the registrant's number, a slash and the suffix (e.g. `10.1000/xyz123`; `doi:…` and "
            "https://doi.org/… are read too)")
# The identifiers of the services with a resolver, as those services write them: arXiv's
# (https://info.arxiv.org/help/arxiv_identifier.html: YYMM.NNNN until 2014, YYMM.NNNNN
# since 2015, archive(.SC)/YYMMNNN before April 2007; each with a version vN), a handle
# (a numeric prefix/suffix), PubMed's and PubMed Central's. Group 1 is the identifier.
_ARXIV = re.compile(r"(?:(?i:arxiv):\s*)?((?P<new>(?P<yy>\d{2})(?P<mm>0[1-9]|1[0-2])\.(?P<number>\d{4,5}))"
                    r"|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{2}(?:0[1-9]|1[0-2])\d{3})(v[1-9]\d*)?")
_HANDLE = re.compile(r"(?:hdl:\s*)?(\d+(?:\.\d+)*/\S+)")
_PMID = re.compile(r"(?:pmid:\s*)?(\d+)", re.IGNORECASE)
_PMCID = re.compile(r"(?:pmcid:\s*)?(PMC\d+)", re.IGNORECASE)
_HANDLE_FORM = ("a handle", "a numeric prefix, a slash and the suffix (e.g. `20.500.12345/678`)", _HANDLE)
_PMID_FORM = ("a PubMed ID", "digits only (e.g. `12345678`)", _PMID)
IDENTIFIER_FORMS = {
    "arxiv": ("an arXiv identifier", "YYMM.NNNNN or archive/YYMMNNN, with `v2` … for a version (e.g. `2101.00001v2`, "
              "`hep-th/9901001`)", _ARXIV),
    "hdl": _HANDLE_FORM, "handle": _HANDLE_FORM, "pmid": _PMID_FORM, "pubmed": _PMID_FORM,
    "pmcid": ("a PubMed Central ID", "PMC and digits (e.g. `PMC1234567`)", _PMCID),
}


def _identifier(kind: str, written: str) -> str | None:
    """The identifier in `written` as its service writes it, or None."""
    pattern = IDENTIFIER_FORMS[kind][2]
    match = pattern.fullmatch(written)
    if match is None:
        return None
    if kind != "arxiv":
        return match.group(1)
    if match["new"] and len(match["number"]) != (5 if (int(match["yy"]), int(match["mm"])) >= (15, 1) else 4):
        return None         # four digits after the dot until December 2014, five since
    return match.group(1) + (match.group(match.re.groups) or "")


# \href{target}{text} and \url{target} (pybtex keeps field values as LaTeX source).
_LINK_COMMAND = re.compile(r"\\(?P<command>href|url)\s*\{")
_SAFE_IN_URL = "/:;=?&@!$()*+,%#[]~-._"   # kept as written; everything else percent-encoded


@dataclass(frozen=True)
class Link:
    """An address to show: `href` is a safe web URL, or None to show `text` as text."""

    field: str
    text: str
    href: str | None = None


@dataclass(frozen=True)
class UrlProblem:
    field: str
    message: str
    hint: str


def web_url(value: str) -> str | None:
    """A value as a safe http(s) URL with a host, percent-encoded; None when it is not one
    (a space inside is no address: most often a line break pasted into it)."""
    bare = bare_value(_unescape_latex(value))
    if any(character.isspace() for character in bare):
        return None
    match = _SCHEME.match(bare)
    if not match or match.group(1).lower() not in WEB_SCHEMES:
        return None
    try:
        if not urlsplit(bare).hostname:
            return None
    except ValueError:      # e.g. an invalid IPv6 host
        return None
    return quote(bare, safe=_SAFE_IN_URL)


def link_for(name: str, value: str, eprinttype: str = "") -> tuple[Link | None, UrlProblem | None]:
    """What a bib field or front-matter address becomes: a link, text (a Link without
    href) or nothing (private), and a problem when it should be a link but cannot be."""
    name = name.lower()
    bare = bare_value(_unescape_latex(value))
    shown = " ".join(bare.split())
    if not shown or is_private_value(value):
        return None, None
    lower = bare.lower()
    if name == "doi" or lower.startswith(("doi:", "info:doi/")) or (name == "eprint" and eprinttype.lower() == "doi"):
        doi = doi_of(bare)
        if doi:
            return Link(name, doi, doi_address(doi)), None
        return Link(name, shown), UrlProblem(name, f"`{name} = {{{_clip(shown)}}}` is not a DOI", _doi_hint(bare))
    kind = eprinttype.lower() if name == "eprint" else name
    if kind in IDENTIFIER_FORMS and web_url(value) is None:        # an address is linked as one (below)
        what, form, _ = IDENTIFIER_FORMS[kind]
        identifier = _identifier(kind, shown)
        if identifier is None:
            return Link(name, shown), UrlProblem(
                name, f"`{name} = {{{_clip(shown)}}}` is not {what}",
                f"Write {what} as the service writes it: {form}; or leave the field out")
        if kind in ("pmid", "pubmed"):
            return Link(name, shown, EPRINT_RESOLVERS["pubmed"] + identifier + "/"), None
        if kind == "pmcid":
            return Link(name, shown, f"https://www.ncbi.nlm.nih.gov/pmc/articles/{identifier.upper()}/"), None
        return Link(name, shown, EPRINT_RESOLVERS[kind] + quote(identifier, safe="/:.-_")), None
    if name == "eprint" and eprinttype.lower() in EPRINT_RESOLVERS and not _SCHEME.match(bare):
        return Link(name, shown, EPRINT_RESOLVERS[eprinttype.lower()] + quote(bare, safe="/:.-_")), None
    if lower.startswith("urn:"):
        href = URN_NBN_RESOLVER + quote(bare, safe=":-._/") if lower.startswith("urn:nbn:") else None
        return Link(name, shown, href), None
    href = web_url(value)
    if href:
        return Link(name, shown, href), None
    if name in ADDRESS_FIELDS:
        return Link(name, shown), _not_web(name, shown, bare)
    return Link(name, shown), None


def withheld(name: str, value: str, eprinttype: str = "") -> UrlProblem | None:
    """Why an address or identifier field must stay out of the BibTeX we publish and format,
    or None: it should be a link but cannot be one (a `url` that is no web address, a `doi`
    that is no DOI …; private values are dropped anyway)."""
    name = name.lower()
    if name not in ADDRESS_FIELDS + LINK_FIELDS:
        return None
    link, problem = link_for(name, value, eprinttype)
    return problem if link is not None and link.href is None else None


def defuse(name: str, value: str) -> tuple[str, UrlProblem | None]:
    """A value with each `\\href{…}{text}` to something that is no web address reduced to its
    text and each such `\\url{…}` made `\\nolinkurl{…}` (shown, never linked), and the
    problem to report (the first such target), or the value as it is and None."""
    if "\\" not in value:
        return value, None
    bad: list[str] = []
    parts, position = [], 0
    for match in _LINK_COMMAND.finditer(value):
        if match.start() < position:
            continue
        target, after = _group(value, match.end() - 1)
        if target is None:
            continue
        if web_url(target) or is_private_value(target):
            continue
        if match.group("command") == "href":
            text, end = _group(value, _skip_spaces(value, after))
            replacement, end = (text, end) if text is not None else ("", after)
        else:
            replacement, end = "\\nolinkurl{" + target + "}", after
        bad.append(target)
        parts += [value[position:match.start()], replacement]
        position = end
    defused = "".join(parts) + value[position:]
    if not bad:
        return value, None
    shown = _clip(" ".join(bare_value(bad[0]).split()))
    return defused, UrlProblem(name, f"`{name}` links to `{shown}`, which is not a web address",
                               "Link only to addresses that start with https:// (or http://)")


def _group(value: str, start: int) -> tuple[str | None, int]:
    """The content of the brace group opening at `start` (nested braces kept) and the index after it."""
    if start >= len(value) or value[start] != "{":
        return None, start
    depth = 0
    for index in range(start, len(value)):
        depth += {"{": 1, "}": -1}.get(value[index], 0)
        if depth == 0:
            return value[start + 1:index], index + 1
    return None, start


def _skip_spaces(value: str, index: int) -> int:
    while index < len(value) and value[index].isspace():
        index += 1
    return index


def bare_doi(value: str) -> str | None:
    """A bib field's DOI alone (`10.1234/abc`), however it is written; None for no DOI."""
    return doi_of(bare_value(_unescape_latex(value)))


def doi_of(text: str) -> str | None:
    """The DOI alone in `text` written as a DOI in any of the accepted forms, or None."""
    match = _DOI.match(text)
    if match is None:
        return None
    doi = unquote(match["doi"]) if match["resolver"] else match["doi"]
    return None if any(character.isspace() for character in doi) else doi


def doi_address(doi: str) -> str:
    """The resolver's address of a DOI, percent-encoded: a `#` (the check character of many
    SICI DOIs, `…3.0.CO;2-#`) or a `?` left as it is would end the path, and the link would
    lead to another DOI. citeproc.lua encodes the DOI links pandoc writes the same way."""
    return DOI_RESOLVER + quote(doi, safe="/:;()[]-._")


def _doi_hint(bare: str) -> str:
    inside = _DOI_INSIDE.search(bare)
    if inside and _SCHEME.match(bare):      # e.g. a library proxy's address of the resolver
        return (f"{_DOI_FORM}. This address ends in `{_clip(inside.group(1))}`: if that is the work's DOI, "
                "write it alone; a web address goes in `url`")
    return f"{_DOI_FORM}: write the DOI only, put a web address in `url`, or leave the field out"


def _not_web(name: str, shown: str, bare: str) -> UrlProblem:
    match = _SCHEME.match(bare)
    if any(character.isspace() for character in bare):
        return UrlProblem(name, f"`{name} = {{{_clip(shown)}}}` contains a space, which a web address cannot contain",
                          "Write the space as %20, or correct the address")
    if match and match.group(1).lower() not in WEB_SCHEMES:
        what = f"uses the scheme '{match.group(1).lower()}:', which is not a web address"
    else:
        what = "is not a full web address"
    return UrlProblem(name, f"`{name} = {{{_clip(shown)}}}` {what}",
                      "Write an address that starts with https:// (or http://), or leave the field out")


def _unescape_latex(value: str) -> str:
    """Address fields are verbatim in biblatex, but exports escape `_ % & # ~` anyway."""
    value = re.sub(r"\A\s*\\url\s*\{(.*)\}\s*\Z", r"\1", value, flags=re.DOTALL)
    value = re.sub(r"\\(?:textasciitilde|~)\s*(?:\{\})?", "~", value)
    return re.sub(r"\\([_%&#$~])", r"\1", value)


def _clip(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"
