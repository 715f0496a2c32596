"""Articles and briefs as citable works: their metadata in the page head, a
"Cite this page" box, and the site's CITATION.cff (notes/scholarly.md).

Config: the site's defaults (publisher, institution, licence, time zone) checked once.
Files: each article's and brief's `Work` (the context's `works`; the front matter
was checked by the content contract, so it is read here without reporting again);
its "cite this page" BibTeX and RIS, as files beside the page and as a record the
formatting feature formats with the site's style, exactly as the page's references
(`#cite:<src_uri>`); the CITATION.cff, published at the site's root and compared
with the repository's; the file its `image` names (a path that names no file is
reported at its line). A site without `site_url`, and the pages without `date`,
are said once.
Page Markdown: the page's authors for Material's `<meta name="author">`; a "Cite this
page" section at the end of the page.
Late: `page-citation`, the "Cite this page" box (the reference, BibTeX and RIS, each to
copy and download).
Page context: the page head's Highwire, Dublin Core, Open Graph, Twitter and JSON-LD.
"""

from __future__ import annotations

import os

from markupsafe import Markup
from mkdocs.utils import get_relative_url

from microsite import log
from microsite.content.documents import ARTICLE, BRIEF
from microsite.context import AppendixSection, PageState
from microsite.feature import Feature
from microsite.generated import add_file
from microsite.late import Marker
from microsite.model.citations import written_form
from microsite.model.citeproc import Document
from microsite.model.formatting import Request
from microsite.publish.editions import beside_page, online_directory_urls, online_url
from microsite.scholarly import check_site_defaults, read_work
from microsite.scholarly import citation_file
from microsite.scholarly.cite import CITE, CiteRecords, TakenKeys, cite_records
from microsite.scholarly.head import PageInfo, head_metadata
from microsite.scholarly.locate import Lines
from microsite.scholarly.work import image_is_address

CITE_ORDER = 40                 # after See also (10), References (20), Mentioned in (30)
CITE_TITLE = "Cite this page"


class _Unreported:
    """A problem sink for reading a Work again: the content contract has reported everything."""

    def report(self, *args, **kwargs) -> None:
        pass


class Scholarly(Feature):
    name = "scholarly"

    def __init__(self, context):
        super().__init__(context)
        self.site = None
        self.records: dict[str, CiteRecords] = {}       # src_uri -> its "cite this page" records
        self.files: dict[str, dict[str, str]] = {}      # src_uri -> {"bib": uri, "ris": uri}
        self.images: dict[str, str] = {}                # src_uri -> its image: an address, or the site path

    def on_config(self, config) -> None:
        site = citation_file.site_info(config, self.context.settings)
        self.site = check_site_defaults(site, self.context.problems, self.context.option_place)

    def late_kinds(self):
        return {"page-citation": self._cite_html}

    # -- files ---------------------------------------------------------------------
    def on_files(self, files) -> None:
        context = self.context
        directory_urls = online_directory_urls(context)
        taken = TakenKeys(context.library.sources if context.library is not None else ())
        undated = []
        for src_uri, document in sorted(context.documents.items()):
            if document.kind not in (ARTICLE, BRIEF):
                continue
            work = read_work(document, document.kind, self.site, _Unreported())
            if work is None:
                continue
            context.works[src_uri] = work
            if work.image:
                self._image(document, work, files)
            if work.date is None and "date" not in document.meta:     # a wrong date is reported already
                undated.append(document.path)
            records = cite_records(work, self.site, self.page_url(src_uri), taken)
            taken.add(records.key)
            self.records[src_uri] = records
            context.extra_records[records.key] = records.bibtex
            context.format_requests[CITE + src_uri] = Request(
                Document(CITE + src_uri, (f"[{written_form(records.key)}]",)), (records.key,), page=src_uri)
            self.files[src_uri] = {extension: beside_page(src_uri, extension, directory_urls)
                                   for extension in ("bib", "ris")}
            add_file(context, files, self.files[src_uri]["bib"], records.bibtex)
            add_file(context, files, self.files[src_uri]["ris"], records.ris)
        if context.works and not self.site.url:
            log.info("mkdocs.yml: no `site_url`, so the metadata of articles and briefs leaves out what needs "
                     "an absolute address (og:url, og:image, citation_pdf_url, the JSON-LD url) and their "
                     "citations give no URL. Set `site_url` to the site's published address.")
        if undated:
            shown = ", ".join(undated[:5]) + (f" and {len(undated) - 5} more" if len(undated) > 5 else "")
            log.info("%s: no `date`, so the page's metadata and citation give no date (Google Scholar needs "
                     "at least the year). Add `date: YYYY-MM-DD`, the date of this edition.", shown)
        self._citation_file(files)

    def _image(self, document, work, files) -> None:
        """The page's `image` for link previews; a path that names no file is reported at its line."""
        if image_is_address(work.image):
            self.images[work.src_uri] = work.image
            return
        file = files.get_file_from_path(work.image)
        if file is None or file.is_documentation_page():
            lines = Lines(document)
            docs = document.path[:-len(document.src_uri)]          # "docs/"
            self.context.problems.report(
                document.path, lines.of("image"),
                f"`image: {lines.written('image') or work.image}` names no image file: {docs}{work.image} "
                "does not exist",
                "Put the image there, or correct the path (relative to this page); the page's link previews "
                "have no image meanwhile.")
            return
        self.images[work.src_uri] = file.url

    def page_url(self, src_uri: str) -> str | None:
        """The page's absolute address on the online site, or None without site_url."""
        base = self.site.base_url
        return base + online_url(src_uri, online_directory_urls(self.context)) if base else None

    def _citation_file(self, files) -> None:
        context = self.context
        committed = os.path.join(context.project_dir, citation_file.FILE_NAME)
        checked = context.edition == "online" and os.path.isfile(committed)
        work = citation_file.main_article(context.works)
        if work is None:
            # (an article whose front matter is wrong is reported already, and read once corrected)
            if checked and not any(document.kind == ARTICLE for document in context.documents.values()):
                articles = os.path.relpath(os.path.join(context.config.docs_dir, "articles"), context.project_dir)
                context.problems.report(
                    citation_file.FILE_NAME, None, f"no article in {articles}/ for it to cite",
                    "Delete CITATION.cff, or add an article and run `make citation`, and commit.")
            return
        text = citation_file.citation_text(work, self.site, self.page_url(work.src_uri))
        add_file(context, files, citation_file.FILE_NAME, text)
        if not checked:
            return
        with open(committed, encoding="utf-8", errors="replace") as handle:
            if citation_file.out_of_date(handle.read(), text):
                context.problems.report(
                    citation_file.FILE_NAME, None,
                    f"out of date: it does not say what {work.path} and mkdocs.yml say",
                    "Run `make citation` to write it again from them, and commit it.")

    # -- pages ---------------------------------------------------------------------
    def on_page_markdown(self, markdown, page, state: PageState):
        work = self.context.works.get(state.src_uri)
        if work is not None:
            # Material's <meta name="author"> says the site's author otherwise (page_head escapes it).
            page.meta.setdefault("author", ", ".join(person.name for person in work.authors))
        if state.src_uri in self.records:
            state.appendix.append(AppendixSection(CITE_ORDER, CITE_TITLE, "page-citation", state.src_uri))
        return markdown

    def _cite_html(self, marker: Marker, state: PageState):
        records = self.records.get(marker.target)
        if records is None:
            return None
        rendered = self.context.formatted.get(CITE + marker.target)
        reference = rendered.references[0].html if rendered and rendered.references else None
        files = self.files[marker.target]
        return self.context.templates.render(
            "microsite/cite-this-page.html", style=self.context.style.title if self.context.style else None,
            reference=Markup(reference) if reference else None, bibtex=records.bibtex, ris=records.ris,
            bib_url=get_relative_url(files["bib"], state.url), ris_url=get_relative_url(files["ris"], state.url),
            bib_name=files["bib"].rsplit("/", 1)[-1], ris_name=files["ris"].rsplit("/", 1)[-1])

    def on_page_context(self, template_context: dict, page) -> None:
        template_context["microsite_head"] = None
        src_uri = page.file.src_uri
        work = self.context.works.get(src_uri)
        if work is None:
            return
        page_url = self.page_url(src_uri)
        pdf = published_pdf(self.context, src_uri)
        rendered = self.context.formatted.get(src_uri)
        references = [Markup(reference.html).striptags() for reference in rendered.references] if rendered else []
        image = self.images.get(src_uri)
        if image and not image_is_address(image):
            image = self.site.base_url + image if self.site.base_url else None
        head = head_metadata(work, self.site, PageInfo(
            url=page_url, pdf_url=self.site.base_url + pdf if pdf and self.site.base_url else None,
            references=references, image_url=image))
        template_context["microsite_head"] = self.context.templates.render("microsite/head-metadata.html",
                                                                           head=head)


def published_pdf(context, src_uri: str) -> str | None:
    """The site path of the page's PDF, when the build makes it (the downloads list it)."""
    path = context.pdfs.get(src_uri)
    made = any(download.section == "pdf" and download.uri == path for download in context.downloads)
    return path if path and made else None
