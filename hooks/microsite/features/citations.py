"""Citations: `[@key, p. 5]` on any page becomes a formatted citation that links
to the page's References, which list the cited sources and link to their pages.

Files: nothing (the bibliography decides which sources get pages).
Page Markdown: clusters are marked and checked on the element tree
(`microsite.markdown.citations`); a page that cites gets a References section.
Page content: where each source is cited (page and section) goes to the
context's `cited_in`, for the bibliography's "Cited in".
Late: `cite` (one cluster) and `refs` (a page's reference list), written once
the references are formatted.
"""

from __future__ import annotations

from markupsafe import Markup
from mkdocs.utils import get_relative_url

from microsite.context import AppendixSection, PageState
from microsite.feature import Feature
from microsite.late import Marker
from microsite.markdown.citations import Cluster, CitationExtension, PageCitations
from microsite.backlinks import Place, toc_titles


class Citations(Feature):
    name = "citations"

    def __init__(self, context):
        super().__init__(context)
        self.clusters: list[Cluster] = []
        self._found: set[int] = set()
        self._page_clusters: dict[str, list[int]] = {}     # src_uri -> clusters made while converting it
        self._scanned: dict[str, PageCitations] = {}
        self.cited_on: dict[str, list[str]] = {}            # src_uri -> keys it cites, first-cited order
        self._unknown_reported: set[tuple] = set()
        self._listed_keys: set[str] | None = None

    def markdown_extensions(self) -> list:
        return [CitationExtension(self)]

    def late_kinds(self):
        return {"cite": self._cluster_html, "refs": self._references_html}

    # -- while a page is converted (called by the Markdown processors) ----------
    def add_cluster(self, cluster: Cluster) -> int:
        self.clusters.append(cluster)
        number = len(self.clusters) - 1
        self._page_clusters.setdefault(self.context.page.src_uri, []).append(number)
        return number

    def cluster(self, number: int) -> Cluster:
        return self.clusters[number]

    def cluster_found(self, number: int) -> None:
        self._found.add(number)

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
        library = self.context.library
        suggestion = library.suggest(key)
        hint = (f"Did you mean '{suggestion}'?" if suggestion else
                f"Add an entry with this key to a file in {self.context.settings.bib_dir}/, or correct the key.")
        self.context.problems.report(path, line, f"unknown citation key '{key}'", hint)

    def page_scanned(self, state: PageState, found: PageCitations, raw_html_clusters: list[str]) -> None:
        for number in self._page_clusters.pop(state.src_uri, []):
            if number not in self._found:
                cluster = self.clusters[number]
                self.context.problems.report(
                    cluster.path, cluster.line,
                    f"the citation {cluster.raw} is inside an attribute (an image's description or a link's "
                    "title), where it cannot be shown as a citation",
                    "Write the citation in the text, e.g. in the image's caption.")
        for raw in raw_html_clusters:
            self.context.problems.report(state.path, state.line_of(raw),
                                         f"the citation {raw} is inside raw HTML, which Markdown does not convert",
                                         'Add markdown="1" to the HTML element around it, or move it out.')
        self._scanned[state.src_uri] = found
        if found.keys:
            title = self.context.settings.references_title
            if state.kind == "glossary-entry":
                title = "Sources"
            state.appendix.append(AppendixSection(20, title, "refs", state.src_uri))

    # -- the page is rendered: where each source is cited ---------------------------
    def on_page_content(self, html, page, state):
        found = self._scanned.pop(state.src_uri, None)
        if found is None:
            return html
        self.cited_on[state.src_uri] = found.keys
        if self._listed_keys is None:
            self._listed_keys = {source.key for source in self.context.listed}
        for key in found.keys:
            if key not in self._listed_keys:
                # The quick scan of the Markdown files in on_files did not see it: the
                # citation came from text another extension or plugin added.
                self.context.problems.report(state.path, None,
                                             f"the citation of '{key}' is not in the page's own Markdown (included "
                                             "or generated text?): it has no reference and its source no page",
                                             "Write the citation in the page's Markdown file itself.")
        titles = toc_titles(page.toc)
        for occurrence in found.occurrences:
            anchor = occurrence.heading.get("id", "") if occurrence.heading is not None else ""
            self.context.cited_in.add(occurrence.key, Place(page.url, Markup(page.title or page.file.name),
                                                            anchor, titles.get(anchor, "")))
        return html

    # -- late ----------------------------------------------------------------------
    def _cluster_html(self, marker: Marker, state: PageState):
        if not marker.target.isdigit() or int(marker.target) >= len(self.clusters):
            return None
        cluster = self.clusters[int(marker.target)]
        formatted = self.context.references
        parts = []
        for item in cluster.items:
            source = self.context.library.get(item.key)
            reference = formatted.get(item.key)
            label = reference.label_text if reference else item.key
            if item.suppress_author:
                label = label.rsplit(" ", 1)[-1]
            locator = item.locator_text()
            parts.append({
                "prefix": item.prefix,
                "text": f"{label}, {locator}" if locator else label,
                "anchor": f"ref-{source.slug}",
                "title": reference.reference_text if reference else item.key,
                "suffix": item.suffix,
                "suffix_joined": item.suffix[:1] in ",;:.",
            })
        return self.context.templates.render("microsite/citation.html", parts=parts)

    def _references_html(self, marker: Marker, state: PageState):
        keys = self.cited_on.get(marker.target)
        if keys is None:
            return None
        formatted = self.context.references
        sources = [self.context.library.get(key) for key in keys]
        listed = sorted((s for s in sources if s and s.key in formatted),
                        key=lambda s: (formatted[s.key].reference_text.casefold(), s.key))
        entries = [{
            "anchor": f"ref-{source.slug}",
            "html": Markup(formatted[source.key].reference_html),
            "details": self._details_href(source.key, state),
        } for source in listed]
        return self.context.templates.render("microsite/references.html", entries=entries)

    def _details_href(self, key: str, state: PageState) -> str:
        url = self.context.source_pages.get(key) or self.context.bibliography_index or ""
        return get_relative_url(url, state.url)
