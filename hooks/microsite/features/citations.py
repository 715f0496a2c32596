"""Citations: `[@key, p. 5]` on any page becomes the citation the CSL style
prints - in the text, or as a footnote with a note style - linked to the page's
References, which list the cited sources in the style's order and link to
their pages.

Files: predict each page's citations from its Markdown (the formatting starts
before the pages are rendered; `context.format_requests`).
Page Markdown: clusters are marked and checked on the element tree
(`microsite.markdown.citations`); with a note style each cluster in running
text becomes a footnote (`microsite.markdown.notes`); the page's document, as
rendered, goes to `context.page_citations`; a page that cites gets a
References section.
Page content: where each source is cited (page and section) goes to the
context's `cited_in`, for the bibliography's "Cited in".
Late: `cite` (one cluster) and `refs` (a page's reference list).
"""

from __future__ import annotations

from markupsafe import Markup
from mkdocs.utils import get_relative_url

from microsite import log
from microsite.backlinks import Place, toc_titles
from microsite.context import AppendixSection, PageState
from microsite.feature import Feature
from microsite.late import Marker
from microsite.markdown.citations import Cluster, PageCitations, citation_extension
from microsite.markdown.notes import make_citation_notes
from microsite.model.citations import Malformed, parse_cluster, written_form
from microsite.model.citeproc import Document
from microsite.model.formatting import Request, reference_anchor
from microsite.model.page_citations import predict
from microsite.settings import check_label


# How an author knows the attributes citations end up in.
_ATTRIBUTES = {("img", "alt"): "an image's description", ("a", "title"): "a link's title",
               ("abbr", "title"): "an abbreviation's definition"}


class Citations(Feature):
    name = "citations"

    def __init__(self, context):
        super().__init__(context)
        self.clusters: list[Cluster] = []
        self._found: set[int] = set()
        self._positions: dict[int, tuple[str, int]] = {}   # cluster number -> (page, index in its document)
        self._page_clusters: dict[str, list[int]] = {}     # src_uri -> clusters made while converting it
        self._scanned: dict[str, PageCitations] = {}
        self._unknown_reported: set[tuple] = set()
        self.restored_attributes: set[tuple[int, str]] = set()   # (element id, attribute) of the page converting

    def on_config(self, config) -> None:
        check_label(config, self.context.settings, self.context.problems.report, "references_title",
                    "every page's list of its sources would have an empty heading", "Works cited")

    def markdown_extensions(self) -> list:
        return [citation_extension(self)]

    def late_kinds(self):
        return {"cite": self._cluster_html, "refs": self._references_html}

    # -- files: what the pages will cite, so that formatting can start now ---------
    def on_files(self, files) -> None:
        context = self.context
        texts = {uri: document.front.body for uri, document in context.documents.items()}
        texts.update(context.generated_markdown)
        for src_uri, markdown in texts.items():
            parts = predict(markdown)
            if parts:
                context.format_requests[src_uri] = Request(Document(src_uri, parts), _keys(parts))

    # -- while a page is converted (called by the Markdown processors) ----------
    def add_cluster(self, cluster: Cluster) -> int:
        self.clusters.append(cluster)
        number = len(self.clusters) - 1
        self._page_clusters.setdefault(self.context.page.src_uri, []).append(number)
        return number

    def cluster(self, number: int) -> Cluster:
        return self.clusters[number]

    def cluster_found(self, number: int) -> Cluster:
        self._found.add(number)
        return self.clusters[number]

    def cluster_in_link(self, number: int, span) -> None:
        """A citation inside link text would be a link in a link: shown as written, reported."""
        cluster = self.clusters[number]
        self._found.add(number)
        self.context.problems.report(cluster.path, cluster.line,
                                     f"the citation {cluster.raw} is inside the text of a link, "
                                     "where it cannot link to its reference",
                                     "Move the citation out of the link's [text].")
        span.clear()
        span.set("class", "citation citation--unresolved")
        span.set("title", "A citation inside a link")
        span.text = cluster.raw

    def report_unknown_key(self, key: str, path: str, line: int | None) -> None:
        if (key, path, line) in self._unknown_reported:
            return
        self._unknown_reported.add((key, path, line))
        self.context.problems.report(path, line, *self.context.library.unknown_key(key, self.context.settings.bib_dir))

    def report_glued_key(self, raw: str, key: str, written: str, path: str, line: int | None) -> None:
        """`[@c=d]` where both `c` and `c=d` are keys: pandoc cites `c`, followed by text."""
        self.context.problems.report(path, line, f"{raw} cites '{key}' followed by the text "
                                                 f"'{written[len(key):]}', not the source '{written}'",
                                     f"To cite '{written}', write it in braces: [{written_form(written)}].")

    def report_in_html_attribute(self, raw: str, path: str, line: int | None) -> None:
        self.context.problems.report(path, line, f"the citation {raw} is inside an HTML tag's attribute, where it "
                                                 "cannot be shown as a citation",
                                     "Write the citation in the text, outside the tag; it is left as written "
                                     "meanwhile.")

    def report_in_attribute(self, raw: str, attribute: str, tag: str, line: int | None) -> None:
        """A cluster Markdown put into an attribute: it is left there as written."""
        where = _ATTRIBUTES.get((tag, attribute), f"the `{attribute}` attribute of a <{tag}> element")
        self.context.problems.report(self.context.page.path, line,
                                     f"the citation {raw} is inside {where}, where it cannot be shown as a citation",
                                     "Write the citation in the text (for an image, in its caption); it is left as "
                                     "written meanwhile.")

    def report_cannot_carry(self, raw: str, held: list[str], path: str, line: int | None) -> None:
        """A cluster holding what Markdown turned into an element a citation cannot carry
        (a footnote mark): Markdown shows the brackets as written."""
        what = ", ".join(f"`{text}`" for text in held)
        self.context.problems.report(path, line, f"the citation {raw} holds {what}, which a citation cannot carry",
                                     "Move it out of the brackets (a footnote mark after them); the citation is "
                                     "shown as written meanwhile.")

    def report_in_raw_html(self, raw: str, path: str, line: int | None) -> None:
        self.context.problems.report(path, line, f"the citation {raw} is inside raw HTML, which Markdown does not "
                                                 "convert", 'Add markdown="1" to the HTML element around it, or move it out.')

    def report_malformed(self, raw: str, malformed: Malformed, path: str, line: int | None) -> None:
        self.context.problems.report(path, line, f"{raw} is not a citation: {malformed.reason}", malformed.hint)

    def page_scanned(self, state: PageState, found: PageCitations, raw_html_clusters: list[tuple[str, int | None]],
                     md, root) -> None:
        context = self.context
        for number in self._page_clusters.pop(state.src_uri, []):
            if number not in self._found:        # lost where no placeholder could keep it
                cluster = self.clusters[number]
                context.problems.report(cluster.path, cluster.line,
                                        f"the citation {cluster.raw} was lost by the Markdown conversion "
                                        "(inside an element that keeps no text)",
                                        "Write the citation in the running text.")
        for raw, line in raw_html_clusters:
            self.report_in_raw_html(raw, state.path, line or state.line_of(raw))
        self._scanned[state.src_uri] = found
        if not found.numbers:
            return
        if context.style.note and found.running:
            make_citation_notes(md, root, found.running)
        for index, number in enumerate(found.numbers):
            self._positions[number] = (state.src_uri, index)
        for key in found.keys:
            if key not in context.source_pages:
                log.info("%s: '%s' is cited in text the pre-scan of the Markdown did not see (included by "
                         "another extension?): the page formats it, but the bibliography does not list it",
                         state.path, key)
        context.page_citations[state.src_uri] = Request(Document(state.src_uri, tuple(found.parts)),
                                                        tuple(found.keys))
        title = "Sources" if state.kind == "glossary-entry" else context.settings.references_title
        state.appendix.append(AppendixSection(20, title, "refs", state.src_uri))

    # -- the page is rendered: where each source is cited ---------------------------
    def on_page_content(self, html, page, state):
        found = self._scanned.pop(state.src_uri, None)
        if found is None or not found.occurrences:
            return html
        titles = toc_titles(page.toc)
        title = Markup(page.title or page.file.name)
        for occurrence in found.occurrences:
            anchor = occurrence.heading.get("id", "") if occurrence.heading is not None else ""
            self.context.cited_in.add(occurrence.key, Place(page.url, title, anchor, titles.get(anchor, "")))
        return html

    # -- late ----------------------------------------------------------------------
    def _cluster_html(self, marker: Marker, state: PageState):
        position = self._positions.get(int(marker.target)) if marker.target.isdigit() else None
        rendered = self.context.formatted.get(position[0]) if position else None
        if rendered is None or position[1] >= len(rendered.clusters):
            return None
        cluster = rendered.clusters[position[1]]
        if cluster.escaped:
            written = self.clusters[int(marker.target)]
            self.context.problems.report(written.path, written.line,
                                         f"pandoc does not read the citation {written.raw} as one citation",
                                         "Escape the punctuation it stops at with a backslash (`\\*`), or leave it "
                                         "out; the citation is shown with its text as plain text meanwhile.")
        return self.context.templates.render("microsite/citation.html", html=Markup(cluster.html),
                                             note=cluster.note, keys=cluster.keys)

    def _references_html(self, marker: Marker, state: PageState):
        rendered = self.context.formatted.get(marker.target)
        if rendered is None:
            return None
        entries = [{
            "anchor": reference_anchor(reference.key),
            "label": Markup(reference.label) if reference.label else None,
            "html": Markup(reference.html),
            "details": self._details_href(reference.key, state),
        } for reference in rendered.references]
        return self.context.templates.render("microsite/references.html", entries=entries)

    def _details_href(self, key: str, state: PageState) -> str:
        url = self.context.source_pages.get(key)
        if url is None:
            # Cited only in text the pre-scan could not see (e.g. included by another
            # extension): the source is formatted, but has no page of its own.
            return get_relative_url(self.context.bibliography_index or "", state.url)
        return get_relative_url(url, state.url)


def _keys(parts) -> tuple[str, ...]:
    keys: list[str] = []
    for part in parts:
        for raw in ([part] if isinstance(part, str) else part.clusters):
            items = parse_cluster(raw[1:-1])
            for item in items or ():
                if item.key not in keys:
                    keys.append(item.key)
    return tuple(keys)
