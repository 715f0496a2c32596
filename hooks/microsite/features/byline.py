"""The title block of articles and briefs: the title (from the front matter when
the page has no heading of its own), then the authors with their affiliations
and ORCID iDs, the date of this edition, the DOI and licence, the abstract and
the PDF with its size (a piece without an abstract shows its summary, labelled
`summary_label`, never as an abstract); in print, the cite-as line and the online address.

Page Markdown: the title and a late marker go at the top of the element tree.
Late: `byline` (the title block), rendered from the page's `Work` (the scholarly feature
reads it) once the PDFs and the page's own reference are known.
"""

from __future__ import annotations

from xml.etree import ElementTree as etree

from markupsafe import Markup
from mkdocs.utils import get_relative_url

from microsite.context import PageState
from microsite.content.documents import ARTICLE, BRIEF
from microsite.feature import Feature
from microsite.late import Marker, marker_element
from microsite.markdown.processors import FeatureExtension, FeatureTreeprocessor
from microsite.publish.editions import online_directory_urls, online_url
from microsite.scholarly import dates
from microsite.scholarly.cite import CITE
from microsite.settings import check_label

# Before the glossary (6.8: never linked in the title), the appendix and toc.
PRIORITY = 6.85


class Byline(Feature):
    name = "byline"

    def on_config(self, config) -> None:
        check_label(config, self.context.settings, self.context.problems.report, "summary_label",
                    "the summary under the title of an article or brief without an abstract would have an empty "
                    "label", "Summary (editors)")

    def markdown_extensions(self) -> list:
        return [FeatureExtension(self, ("treeprocessors", _BylineTreeprocessor, "microsite-byline", PRIORITY))]

    def late_kinds(self):
        return {"byline": self._title_block_html}

    def _title_block_html(self, marker: Marker, state: PageState):
        context = self.context
        document = context.documents.get(marker.target)
        if document is None or document.kind not in (ARTICLE, BRIEF):
            return None
        work = context.works.get(marker.target)
        if work is None:            # not citable: its front matter's problems are reported
            return Markup("")
        affiliations: list[str] = []
        authors = []
        for person in work.authors:
            marks = []
            for name in person.affiliations:
                if name not in affiliations:
                    affiliations.append(name)
                marks.append(affiliations.index(name) + 1)
            authors.append({"name": person.name, "orcid_url": person.orcid_url,
                            "marks": marks if len(affiliations) > 1 or len(work.authors) > 1 else []})
        base = context.config.site_url
        return context.templates.render(
            "microsite/title-block.html", authors=authors,
            affiliations=[{"mark": index + 1, "name": name} for index, name in enumerate(affiliations)],
            date=dates.calendar_date(work.date) if work.date else None,
            updated=dates.calendar_date(work.updated) if work.updated else None,
            doi=work.doi, doi_url=work.doi_url, license=work.license, license_url=work.license_url,
            abstract=[" ".join(p.split()) for p in (work.abstract or "").split("\n\n") if p.strip()],
            summary=" ".join((work.summary or "").split()), summary_label=context.settings.summary_label,
            pdf=self._pdf(marker.target, state), cite_as=self._cite_as(marker.target),
            url=(base.rstrip("/") + "/" + online_url(marker.target, online_directory_urls(context))) if base else None)

    def _pdf(self, src_uri: str, state: PageState):
        path = self.context.pdfs.get(src_uri)
        download = next((d for d in self.context.downloads if d.section == "pdf" and d.uri == path), None)
        if download is None:
            return None
        return {"url": get_relative_url(path, state.url), "size": download.size}

    def _cite_as(self, src_uri: str):
        rendered = self.context.formatted.get(CITE + src_uri)
        return Markup(rendered.references[0].html) if rendered and rendered.references else None


class _BylineTreeprocessor(FeatureTreeprocessor):
    def run_on(self, root: etree.Element, state) -> None:
        if state.kind not in (ARTICLE, BRIEF) or state.document is None:
            return
        position = 0
        if len(root) and root[0].tag == "h1":
            position = 1
        else:
            title = state.document.meta.get("title")
            if isinstance(title, str) and title.strip():
                heading = etree.Element("h1")
                heading.text = title.strip()
                heading.tail = "\n"
                root.insert(0, heading)
                position = 1
        paragraph = etree.Element("p")
        paragraph.append(marker_element("byline", state.src_uri))
        paragraph.tail = "\n"
        root.insert(position, paragraph)

