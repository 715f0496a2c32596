"""The bibliography: the bib files read once, an index at bibliography/ and a
page per listed source at bibliography/<slug>/, with BibTeX and RIS downloads.

Config: parse and validate the bib files (the context's `library`).
Files: decide which sources are listed (those the pages cite, or all), check
the fields their references need, add the index, the source pages and the
downloads.
Late: the index (`bibliography`), each source page's parts (`source`), its
"Cited in" (`cited-in`) and, on the index, how often each is cited.
"""

from __future__ import annotations

import os

from markupsafe import Markup
from mkdocs.structure.files import InclusionLevel
from mkdocs.utils import get_relative_url

from microsite import log
from microsite.context import Download, PageState
from microsite.feature import Feature
from microsite.generated import add_file, front_matter, late
from microsite.late import Marker
from microsite.model import exports
from microsite.model.citations import scan_keys, written_form
from microsite.model.citeproc import Document, unlinked
from microsite.model.formatting import Request
from microsite.model.privacy import PrivacyRules
from microsite.model.sources import Source, check_fields, load_library
from microsite.settings import written_options

INDEX = "bibliography/index.md"
LISTING = "#bibliography"          # the formatted document of every listed source
ALL_BIBTEX = "bibliography/bibliography.bib"
ALL_RIS = "bibliography/bibliography.ris"
PARTS = ("reference", "details", "exports")


def source_page_uri(source: Source) -> str:
    return f"bibliography/{source.slug}.md"


def download_uri(source: Source, extension: str) -> str:
    return f"bibliography/{source.slug}/{source.slug}.{extension}"


class Bibliography(Feature):
    name = "bibliography"

    def __init__(self, context):
        super().__init__(context)
        self.sources: list[Source] = []
        self.urls: dict[str, str] = {}          # uri of each generated file -> its URL
        self._listing_index = None               # the listing's references by key, sources' positions
        self._last_source: tuple = (None, None)  # (key, page URL), the values of its page's parts

    def on_config(self, config) -> None:
        context = self.context
        private = context.settings.private_fields
        privacy = PrivacyRules.from_option(add=private.add or (), keep=private.keep or ())
        with context.timings.timed("parse bib"):
            context.library = load_library(self._path(context.settings.bib_dir), context.project_dir,
                                           context.problems, context.cache_dir, privacy=privacy,
                                           option_place=context.option_place,
                                           bib_dir_written="bib_dir" in written_options(config))

    def late_kinds(self):
        return {"bibliography": self._index_html, "source": self._source_html,
                "cited-in": self._cited_in_html}

    # -- files -----------------------------------------------------------------
    def on_files(self, files) -> None:
        context = self.context
        self._withhold_bib_files(files)
        with context.timings.timed("format"):
            context.listed = self._listed_sources()
            keep = {source.key for source in context.listed}
            # Every source's BibTeX (cheap) before the parsed fields of unlisted ones are
            # freed: a page may cite a source the pre-scan did not see (text another
            # extension includes), and it is formatted then.
            for source in context.library.sources.values():
                source.record
            context.library.release_entries(keep)
            for source in context.listed:
                check_fields(source, context.problems)
        with context.timings.timed("generate pages"):
            self.sources = sorted(context.listed, key=lambda s: (s.sort_key, s.key))
            self._add_files(files)
        if self.sources:
            # One listing of every source, cited once each: the style's order of the
            # whole bibliography, its disambiguation, and each source's in-text form.
            keys = tuple(source.key for source in self.sources)
            context.format_requests[LISTING] = Request(
                Document(LISTING, tuple(f"[{written_form(key)}]" for key in keys)), keys, page=INDEX)

    def _listed_sources(self) -> list[Source]:
        library = self.context.library
        if self.context.settings.bibliography_include == "all":
            return list(library.sources.values())
        keys: set[str] = set()
        for document in self.context.documents.values():
            keys |= scan_keys(document.front.body)
        for markdown in self.context.generated_markdown.values():
            keys |= scan_keys(markdown)
        return [library.sources[key] for key in library.sources if key in keys]

    def _add_files(self, files) -> None:
        context = self.context

        def add(uri, content, inclusion=InclusionLevel.UNDEFINED):
            file = add_file(context, files, uri, content, inclusion)
            self.urls[uri] = file.url
            return file

        index = add(INDEX, "")
        add(ALL_BIBTEX, exports.bibtex(self.sources))
        add(ALL_RIS, exports.ris(self.sources))
        context.bibliography_index = index.url
        if self.sources:
            context.downloads += [Download("bibliography", "BibTeX", ALL_BIBTEX),
                                  Download("bibliography", "RIS", ALL_RIS)]
        for source in self.sources:
            page = add(source_page_uri(source), "", InclusionLevel.NOT_IN_NAV)
            add(download_uri(source, "bib"), source.record)
            add(download_uri(source, "ris"), exports.ris([source]))
            context.source_pages[source.key] = page.url
            page.content_string = self._source_page(source)
        index.content_string = (front_matter(title="Bibliography",
                                             description=f"The {len(self.sources)} sources of this site.")
                                + late("bibliography", "index"))

    def _source_page(self, source: Source) -> str:
        # Out of the search index: the bibliography index lists every source with its
        # authors, title and year; 3 sections a source would crowd every result list.
        return (front_matter(title=f"{source.title or source.key} ({source.short_label})",
                             description=f"{source.short_label}: {source.title}", search={"exclude": True})
                + late("source", f"{source.key}#reference")
                + "## Details\n\n" + late("source", f"{source.key}#details")
                + "## Cited in\n\n" + late("cited-in", source.key)
                + "## BibTeX and RIS\n\n" + late("source", f"{source.key}#exports"))

    # -- late ------------------------------------------------------------------------
    def _link(self, uri: str, state: PageState) -> str:
        return get_relative_url(self.urls[uri], state.url)

    def _index_html(self, marker: Marker, state: PageState):
        listing = self.context.formatted.get(LISTING)
        references = listing.references if listing else ()
        by_key = {source.key: source for source in self.sources}
        entries = [{
            "anchor": by_key[reference.key].slug,
            "html": Markup(reference.html),
            "details": self._link(source_page_uri(by_key[reference.key]), state),
            "cited_on": self.context.cited_in.pages_for(reference.key),
        } for reference in references if reference.key in by_key]
        return self.context.templates.render(
            "microsite/bibliography-index.html", entries=entries, count=len(self.sources),
            include=self.context.settings.bibliography_include, style=self.context.style.title,
            bibtex=self._link(ALL_BIBTEX, state), ris=self._link(ALL_RIS, state))

    def _formatted(self, key: str):
        """A listed source's in-text form and reference, from the listing."""
        listing = self.context.formatted.get(LISTING)
        if listing is None:
            return None, None
        if self._listing_index is None:
            self._listing_index = ({r.key: r for r in listing.references},
                                   {source.key: i for i, source in enumerate(self.sources)})
        references, positions = self._listing_index
        index = positions.get(key)
        cluster = listing.clusters[index] if index is not None and index < len(listing.clusters) else None
        return cluster, references.get(key)

    def _source_html(self, marker: Marker, state: PageState):
        key, _, part = marker.target.rpartition("#")
        source = self.context.library.get(key)
        if source is None or part not in PARTS or key not in self.context.source_pages:
            return None
        return self.context.templates.render(f"microsite/source-{part}.html", **self._source_values(key, source, state))

    def _source_values(self, key: str, source: Source, state: PageState) -> dict:
        """What every part of a source page is rendered with (each may be overridden
        and use any of it); worked out once for the page's parts, which come in a row."""
        if self._last_source[0] == (key, state.url):
            return self._last_source[1]
        cluster, reference = self._formatted(key)
        values = dict(
            source=source, key=key, cite_as=written_form(key),
            label=Markup(unlinked(cluster.html)) if cluster and not self.context.style.numeric else None,
            reference=Markup(reference.html) if reference else "",
            rows=field_rows(source),
            bibtex=self._link(download_uri(source, "bib"), state), ris=self._link(download_uri(source, "ris"), state))
        self._last_source = ((key, state.url), values)
        return values

    def _cited_in_html(self, marker: Marker, state: PageState):
        if self.context.library.get(marker.target) is None:
            return None
        pages = [{"url": get_relative_url(page.url, state.url), "title": page.title, "sections": page.sections}
                 for page in self.context.cited_in.by_page(marker.target)]
        return self.context.templates.render("microsite/backlinks.html", pages=pages,
                                             empty="Not cited on any page of this site.")

    def _withhold_bib_files(self, files) -> None:
        """A bib folder inside docs_dir: MkDocs would publish its files as they are, private
        fields and all. The bibliography publishes them without (BibTeX and RIS downloads)."""
        folder = os.path.realpath(self._path(self.context.settings.bib_dir))
        withheld = [file for file in files if file.src_uri.lower().endswith(".bib") and file.abs_src_path
                    and os.path.commonpath([folder, os.path.realpath(file.abs_src_path)]) == folder]
        for file in withheld:
            files.remove(file)
        if withheld:
            log.info("%s: %d bib file(s) inside docs_dir are not published as they are (their private fields "
                     "would be); the bibliography's BibTeX and RIS downloads publish their sources",
                     self.context.settings.bib_dir, len(withheld))

    def _path(self, setting: str) -> str:
        return os.path.normpath(os.path.join(self.context.project_dir, setting))


LINK_LABELS = {"url": "URL", "doi": "DOI", "eprint": "E-print", "urn": "URN", "pmid": "PubMed",
               "pmcid": "PubMed Central"}


def field_rows(source: Source) -> list[dict]:
    """The Details table of a source page: label, and text, rich text (`html`), a link or a key."""
    fields = source.fields
    rows = []

    def row(label, text="", href=None, code=False, html=None):
        rows.append({"label": label, "text": text, "href": href, "code": code, "html": html})

    if source.authors:
        row("Authors" if len(source.authors) > 1 else "Author", "; ".join(n.display for n in source.authors))
    if source.editors:
        row("Editors" if len(source.editors) > 1 else "Editor", "; ".join(n.display for n in source.editors))
    if fields.get("date") or fields.get("year"):
        row("Date" if fields.get("date") else "Year", fields.get("date") or fields["year"])
    if source.title:
        title = source.html("title")
        if fields.get("subtitle"):
            title = Markup("{}: {}").format(Markup(title), Markup(source.html("subtitle")))
        row("Title", html=Markup(title))
    if source.container:
        row("In", source.container)
    for name, label in (("volume", "Volume"), ("number", "Number"), ("pages", "Pages"), ("edition", "Edition")):
        if fields.get(name):
            row(label, fields[name])
    if source.publisher:
        row("Publisher", source.publisher)
    place = fields.get("location") or fields.get("address")
    if place:
        row("Place", place)
    for link in source.links:
        row(LINK_LABELS.get(link.field, link.field), link.text, href=link.href)
    if fields.get("urldate"):
        row("Accessed", fields["urldate"])
    for name, label in (("note", "Note"), ("annote", "Annote"), ("annotation", "Annote"), ("keywords", "Keywords"),
                        ("abstract", "Abstract")):
        if fields.get(name):
            row(label, fields[name])
    row("Type", "@" + source.type)
    row("Key", source.key, code=True)
    return rows
