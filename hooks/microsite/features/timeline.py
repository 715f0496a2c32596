"""The timeline: a page at timeline/ generated from a data file of dated events
(docs/timeline.yml; `microsite.model.timeline` documents its fields). A site
without the file has no timeline page.

Files: read and check the data file (line numbers in every message), take it
out of the site's files (it is data, not a page), add the page with the events'
Markdown, which goes to the context's `generated_markdown` so that the
bibliography lists the sources it cites.
Page Markdown: messages about the page's text point into the data file.
Markdown: `microsite.markdown.timeline` gives the page its structure.
Late: `timeline` - the year index, each event's related terms and pages, and
the pages given as sources (their titles and headings are known once rendered).
"""

from __future__ import annotations

import difflib

from markupsafe import Markup
from mkdocs.utils import get_relative_url

from microsite.backlinks import toc_titles
from microsite.content.encoding import decode_utf8
from microsite.context import PageState
from microsite.feature import Feature
from microsite.generated import add_file, not_generated
from microsite.late import Marker
from microsite.markdown.timeline import (LATE_KIND, page_markdown, timeline_extension, unreadable_page_markdown,
                                         year_anchor)
from microsite.model.timeline import Event, Ref, Timeline as TimelineData, check_references, load_timeline

DATA_FILE = "timeline.yml"          # inside docs/
PAGE = "timeline/index.md"


class Timeline(Feature):
    name = "timeline"

    def __init__(self, context):
        super().__init__(context)
        self.timeline: TimelineData | None = None
        self.events: dict[str, Event] = {}

    def markdown_extensions(self) -> list:
        return [timeline_extension(self)]

    def late_kinds(self):
        return {LATE_KIND: self._late_html}

    # -- files -----------------------------------------------------------------
    def on_files(self, files) -> None:
        context = self.context
        data = files.get_file_from_path(DATA_FILE)
        if data is None:
            not_generated(context, files, PAGE, f"there is no docs/{DATA_FILE}", f"write docs/{DATA_FILE} "
                          "(README, 'A timeline')")
            return
        files.remove(data)
        path = context.path_of(data)
        text = self._read(data, path)
        timeline = load_timeline(text, path, context.problems) if text is not None else None
        if timeline is None:
            # Reported already. The page stays (nav and links to it still work) and says why it is empty.
            context.page_sources[PAGE] = path
            add_file(context, files, PAGE, unreadable_page_markdown(path))
            return
        library = context.library
        pages = {file.src_uri for file in files.documentation_pages()}
        unknown = check_references(timeline, context.problems, terms=context.glossary.terms if context.glossary else {},
                                   pages=pages, known_key=lambda key: library.get(key) is not None,
                                   explain_unknown=lambda key: library.unknown_key(key, context.settings.bib_dir))
        markdown = page_markdown(timeline, unknown)
        context.generated_markdown[PAGE] = markdown
        context.page_sources[PAGE] = path
        add_file(context, files, PAGE, markdown)
        self.timeline = timeline
        self.events = {str(event.number): event for event in timeline.events}

    def _read(self, data, path: str) -> str | None:
        try:
            raw = data.content_bytes
        except OSError as error:
            self.context.problems.report(path, None, f"the timeline cannot be read ({error.strerror or error})",
                                         "Check that it is a readable file.")
            return None
        text = decode_utf8(raw, path, self.context.problems, "the timeline page shows no events")
        return text.replace("\r\n", "\n").replace("\r", "\n") if text is not None else None

    # -- the page ------------------------------------------------------------------
    def timeline_for(self, state: PageState | None) -> TimelineData | None:
        return self.timeline if state is not None and state.src_uri == PAGE else None

    def on_page_markdown(self, markdown, page, state):
        if self.timeline_for(state) is not None:
            # What the page's text holds comes from the data file: messages point there.
            state.path, state.raw = self.timeline.path, self.timeline.text
        return markdown

    # -- late ------------------------------------------------------------------------
    def _late_html(self, marker: Marker, state: PageState):
        what, _, number = marker.target.partition(":")
        templates = self.context.templates
        if what == "years" and self.timeline is not None:
            years = [{"label": group, "anchor": year_anchor(group), "count": len(events)}
                     for group, events in self.timeline.by_group().items()]
            return templates.render("microsite/timeline-years.html", years=years)
        event = self.events.get(number)
        if event is None:
            return None
        if what == "sources":
            return templates.render("microsite/timeline-sources.html",
                                    pages=[self._page_link(ref, "sources", state) for ref in event.source_pages])
        if what == "related":
            terms = self.context.glossary.terms if self.context.glossary else {}
            related_terms = [{"url": get_relative_url(self.context.url_of(terms[ref.text].document.src_uri), state.url),
                              "term": terms[ref.text]} for ref in event.terms if ref.text in terms]
            pages = [self._page_link(ref, "pages", state) for ref in event.pages]
            return templates.render("microsite/timeline-related.html", terms=related_terms,
                                    pages=[page for page in pages if page])
        return None

    def _page_link(self, ref: Ref, key: str, state: PageState) -> dict | None:
        """A page of the site (and a heading of it): its URL and what to call it."""
        file = self.context.files.get_file_from_path(ref.page)
        if file is None or file.page is None:
            return None          # reported when the file was read
        titles = toc_titles(file.page.toc)
        if ref.anchor and ref.anchor not in titles:
            close = difflib.get_close_matches(ref.anchor, sorted(titles), n=1, cutoff=0.6)
            self.context.problems.report(self.timeline.path, ref.line,
                                         f"{key}: {ref.page} has no heading '#{ref.anchor}'",
                                         f"Did you mean '#{close[0]}'?" if close else
                                         "Use the id of one of its headings (its ¶ link shows it).")
        first = next(iter(file.page.toc), None)
        section = titles.get(ref.anchor) if ref.anchor and not (first and first.id == ref.anchor) else None
        url = get_relative_url(file.url, state.url) + (f"#{ref.anchor}" if ref.anchor in titles else "")
        # MkDocs' page titles are HTML (escaped text), as the other features treat them.
        return {"url": url, "title": Markup(file.page.title or file.name), "section": section}
