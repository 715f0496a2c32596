"""The generated bibliography: an index at bibliography/ and a page per source
at bibliography/<slug>/, with BibTeX and RIS downloads."""

from __future__ import annotations

from typing import Callable

from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils import get_relative_url

from microsite.model import exports
from microsite.model.bibtex_backend import Formatted
from microsite.model.citations import written_form
from microsite.model.sources import Source
from microsite.pages.markup import esc, front_matter
from microsite.pages.placeholders import marker

INDEX = "bibliography/index.md"
ALL_BIBTEX = "bibliography/bibliography.bib"
ALL_RIS = "bibliography/bibliography.ris"


def source_page_uri(source: Source) -> str:
    return f"bibliography/{source.slug}.md"


def download_uri(source: Source, extension: str) -> str:
    return f"bibliography/{source.slug}/{source.slug}.{extension}"


class BibliographyPages:
    def __init__(self, config, sources: list[Source], include: str):
        self.config = config
        self.include = include
        self.sources = sorted(sources, key=lambda s: (s.sort_key, s.key))
        self.files: dict[str, File] = {}
        # The HTML parts of the generated pages, written into their marker paragraphs
        # once the references are formatted (on_env): they need no Markdown processing.
        self.parts: dict[str, Callable[[dict[str, Formatted]], str]] = {}

    def add_to(self, files) -> None:
        """Add the index, one page per source and the downloads to the site's files."""
        def add(uri: str, content: str, inclusion=InclusionLevel.UNDEFINED) -> File:
            file = File.generated(self.config, uri, content=content, inclusion=inclusion)
            files.append(file)
            self.files[uri] = file
            return file

        index = add(INDEX, "")
        add(ALL_BIBTEX, exports.bibtex(self.sources))
        add(ALL_RIS, exports.ris(self.sources))
        pages = {}
        for source in self.sources:
            pages[source.key] = add(source_page_uri(source), "", InclusionLevel.NOT_IN_NAV)
            add(download_uri(source, "bib"), source.record)
            add(download_uri(source, "ris"), exports.ris([source]))
        index.content_string = self._index(index)
        for source in self.sources:
            pages[source.key].content_string = self._source_page(source, pages[source.key])

    def url_of(self, source: Source) -> str:
        return self.files[source_page_uri(source)].url

    def _link(self, from_file: File, uri: str) -> str:
        return esc(get_relative_url(self.files[uri].url, from_file.url))

    def _part(self, ident: str, render: Callable[[dict[str, Formatted]], str]) -> str:
        """A marker for a block of HTML written later (see `self.parts`)."""
        self.parts[ident] = render
        return marker("html", ident)

    def html(self, ident: str, formatted: dict[str, Formatted]) -> str | None:
        render = self.parts.pop(ident, None)         # each part fills one page, once
        return render(formatted) if render else None

    # -- the index -----------------------------------------------------------
    def _index(self, page: File) -> str:
        scope = ("every source in the site's bib files" if self.include == "all"
                 else "every source cited on the site")
        intro = (f'<p class="mx-bibliography__intro">{len(self.sources)} sources: {scope}, in Chicago author-date '
                 f'style, sorted by author and year. Each has a page with its details, the places that cite it, '
                 f'and its BibTeX and RIS. Download all: '
                 f'<a href="{self._link(page, ALL_BIBTEX)}" download>BibTeX</a> · '
                 f'<a href="{self._link(page, ALL_RIS)}" download>RIS</a>.</p>\n')

        def render(formatted: dict[str, Formatted]) -> str:
            listed = sorted((s for s in self.sources if s.key in formatted),
                            key=lambda s: (formatted[s.key].reference_text.casefold(), s.key))
            items = [
                f'<li id="{esc(source.slug)}"><span class="mx-bibliography__reference">'
                f'{formatted[source.key].reference_html}</span> '
                f'<a class="mx-bibliography__details" href="{self._link(page, source_page_uri(source))}">Details</a> '
                f'<span class="mx-bibliography__count">{marker("cite-count", source.key)}</span></li>'
                for source in listed
            ]
            return intro + '<ul class="mx-bibliography">\n' + "\n".join(items) + "\n</ul>"

        return (front_matter(title="Bibliography", description=f"The {len(self.sources)} sources of this site.")
                + self._part(INDEX, render) + "\n")

    # -- one source ----------------------------------------------------------
    def _source_page(self, source: Source, page: File) -> str:
        uri = source_page_uri(source)
        table = "\n".join(f'<tr><th scope="row">{esc(name)}</th><td>{value}</td></tr>'
                          for name, value in _field_rows(source))
        bib_link = self._link(page, download_uri(source, "bib"))
        ris_link = self._link(page, download_uri(source, "ris"))

        def reference(formatted: dict[str, Formatted]) -> str:
            entry = formatted.get(source.key)
            label = entry.label_html if entry else esc(source.short_label)
            return (f'<p class="mx-source__label">{label} · cite as '
                    f'<code>[{esc(written_form(source.key))}]</code></p>\n'
                    f'<div class="mx-source__reference">{entry.reference_html if entry else ""}</div>')

        exports = (
            f'<pre class="mx-source__bibtex"><code class="language-bibtex">'
            f'{esc(source.record)}</code></pre>\n'
            f'<p class="mx-source__downloads">Download: <a href="{bib_link}" download>{esc(source.slug)}.bib</a>'
            f' · <a href="{ris_link}" download>{esc(source.slug)}.ris</a> (RIS, for Zotero, EndNote and others)</p>')
        return (
            # Out of the search index: the bibliography index lists every source with its
            # authors, title and year; 3 sections a source would crowd every result list.
            front_matter(title=f"{source.title or source.key} ({source.short_label})",
                         description=f"{source.short_label}: {source.title}", search={"exclude": True})
            + self._part(uri + "#reference", reference)
            + "\n\n## Details\n\n"
            + self._part(uri + "#details", lambda formatted: f'<table class="mx-source__fields">\n{table}\n</table>')
            + "\n\n## Cited in\n\n"
            + marker("cited-in", source.key)
            + "\n\n## BibTeX and RIS\n\n"
            + self._part(uri + "#exports", lambda formatted: exports)
            + "\n"
        )


def _field_rows(source: Source) -> list[tuple[str, str]]:
    fields = source.fields
    rows = []
    if source.authors:
        rows.append(("Authors" if len(source.authors) > 1 else "Author",
                     esc("; ".join(name.display for name in source.authors))))
    if source.editors:
        rows.append(("Editors" if len(source.editors) > 1 else "Editor",
                     esc("; ".join(name.display for name in source.editors))))
    if fields.get("date") or fields.get("year"):
        rows.append(("Date" if fields.get("date") else "Year", esc(fields.get("date") or fields["year"])))
    if source.title:
        rows.append(("Title", esc(source.title)))
    if source.container:
        rows.append(("In", esc(source.container)))
    for name, label in (("volume", "Volume"), ("number", "Number"), ("pages", "Pages"), ("edition", "Edition")):
        if fields.get(name):
            rows.append((label, esc(fields[name])))
    if source.publisher:
        rows.append(("Publisher", esc(source.publisher)))
    place = fields.get("location") or fields.get("address")
    if place:
        rows.append(("Place", esc(place)))
    if fields.get("url"):
        rows.append(("URL", f'<a href="{esc(fields["url"])}">{esc(fields["url"])}</a>'))
    if fields.get("doi"):
        doi = fields["doi"]
        rows.append(("DOI", f'<a href="https://doi.org/{esc(doi)}">{esc(doi)}</a>'))
    if fields.get("urldate"):
        rows.append(("Accessed", esc(fields["urldate"])))
    rows.append(("Type", esc("@" + source.type)))
    rows.append(("Key", f"<code>{esc(source.key)}</code>"))
    return rows
