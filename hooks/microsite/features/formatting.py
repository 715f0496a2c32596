"""Formatting: every citation and reference list exactly as the CSL style
renders it, through pandoc's citeproc - once per document (a page's
citations, a bibliography listing), batched, cached across builds, and run in
pandoc processes while MkDocs renders the pages.

Config: the style (the bundled Chicago author-date unless `csl_file` names
another; a file that is missing or not a style is a located problem). A note
style needs Python-Markdown's footnotes: they are added if the site lacks them.
Files: start formatting what the other features asked for
(`context.format_requests`: every page's predicted citations, the listings),
in the order MkDocs will render the pages that show them.
Env: format again, at once, every page whose rendered citations differ from
the prediction (text another extension added ...); `context.formatted` then
gives each page its results as soon as they are there (the page's late
sections ask for them just before its template is rendered), so pages are
rendered while the rest is formatted. Post-build: wait for everything and
report what pandoc could not format where it is. With `mkdocs serve`, all of
it in on_env: the preview's banners list every problem as pages are rendered.
"""

from __future__ import annotations

import os

from microsite.feature import Feature
from microsite.model.citeproc import StyleError, read_style
from microsite.model.formatting import DocumentFormatter, Outcome, reference_anchor

DEFAULT_CSL = os.path.join(os.path.dirname(os.path.dirname(__file__)), "model", "styles", "chicago-author-date.csl")


class Formatting(Feature):
    name = "formatting"

    def __init__(self, context):
        super().__init__(context)
        self.formatter: DocumentFormatter | None = None
        self.job = None
        self.results: Results | None = None

    def on_config(self, config) -> None:
        context, settings = self.context, self.context.settings
        style = None
        if settings.csl_file:
            path = os.path.normpath(os.path.join(context.project_dir, settings.csl_file))
            try:
                style = read_style(path)
            except StyleError as error:
                context.problems.report(*context.option_place("extra", "microsite", "csl_file"),
                                        f"extra.microsite.csl_file: {error}",
                                        "Give the path of a CSL style file (.csl), relative to mkdocs.yml; "
                                        "the bundled Chicago author-date style is used meanwhile.")
        context.style = style or read_style(DEFAULT_CSL)
        if context.style.note and not _has_extension(config, "footnotes"):
            config.markdown_extensions.append("footnotes")
        self.formatter = DocumentFormatter(context.style, _language(config), context.cache_dir, reference_anchor,
                                           html_titles=context.tooltips_are_html, position=self._position)
        self._positions: dict[str, int] | None = None

    def on_files(self, files) -> None:
        # `mkdocs serve` waits for every result at once; a build renders page after page.
        order = None if self.context.command == "serve" else _render_order(files)
        with self.context.timings.timed("format"):
            self.job = self.formatter.start(list(self.context.format_requests.values()), self._record, order)

    def on_env(self, env, files) -> None:
        context = self.context
        predicted = context.format_requests
        again = [request for ident, request in context.page_citations.items() if predicted.get(ident) != request]
        if context.command == "serve":
            # The preview's banners list every problem as each page is rendered: wait for all.
            with context.timings.timed("format (waiting)"):
                outcome = self.job.result()
            again += [request for ident, request in context.page_citations.items()
                      if ident not in outcome.rendered and predicted.get(ident) == request]
            self.results = Results(self, outcome, again)
            self._report(self.results.outcome())
            self.results.reported = True
        else:
            # Each page takes its results as it is rendered, while the rest are formatted.
            self.results = Results(self, None, again)
        context.formatted = self.results

    def on_post_build(self) -> None:
        if self.results is not None and not self.results.reported:
            with self.context.timings.timed("format (waiting)"):
                outcome = self.results.outcome()
            self._report(outcome)

    def _record(self, key: str) -> str | None:
        source = self.context.library.get(key)
        if source is not None:
            return source.record
        return self.context.extra_records.get(key)

    def _position(self, key: str) -> int:
        """Where a record is: the bib files' order, then the records the site adds."""
        if self._positions is None:
            keys = list(self.context.library.sources) if self.context.library else []
            keys += self.context.extra_records
            self._positions = {}
            for key in keys:
                self._positions.setdefault(key, len(self._positions))
        return self._positions.get(key, len(self._positions))

    def _report(self, outcome: Outcome) -> None:
        context = self.context
        for key, reason in outcome.unreadable.items():
            source = context.library.get(key)
            context.problems.report(source.path if source else "(bib)", source.line if source else None,
                                    f"pandoc cannot read the entry '{key}': {reason}",
                                    "Check the entry's fields (balanced braces, a known entry type); "
                                    "its citations are shown as written meanwhile.")
        for ident, messages in outcome.problems.items():
            if ident in context.page_citations:
                document = context.documents.get(ident)
                where = document.path if document else f"(generated) {ident}"
            elif ident.startswith("#"):
                where = f"(generated) {ident[1:]}"      # a listing: the bibliography ...
            else:
                continue        # a prediction for a page whose rendered document has no citations
            for message in messages:
                context.problems.report(where, None, f"the citations could not be formatted: {message}",
                                        "Check the citations of this page and the entries they cite.")

    def close(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def benchmark_report(self) -> dict:
        return {"formatter": self.formatter.stats} if self.formatter else {}


class Results:
    """`context.formatted`: a document's result, as soon as it is there.

    Pages whose document differs from the pre-scan's (`again`) are formatted at
    once; a page whose result is missing (its batch failed) is formatted again
    alone when it asks for it. `outcome()` waits for everything."""

    def __init__(self, feature: Formatting, done: Outcome | None, again: list):
        self.feature, self.done, self.reported = feature, done, False
        self.later = Outcome()
        self.retried = {request.document.ident for request in again}
        if again:
            with feature.context.timings.timed("format (after rendering)"):
                self.later = feature.formatter.format_now(again, feature._record)

    def get(self, ident: str):
        if ident in self.retried:            # the pre-scan's result is not this page's
            return self.later.rendered.get(ident)
        if self.done is not None:
            return self.done.rendered.get(ident)
        with self.feature.context.timings.timed("format (waiting)"):
            rendered = self.feature.job.get(ident)
        request = self.feature.context.page_citations.get(ident)
        if rendered is None and request is not None:      # its batch failed: alone, once
            self.retried.add(ident)
            self.later.add(self.feature.formatter.format_now([request], self.feature._record))
            rendered = self.later.rendered.get(ident)
        return rendered

    def outcome(self) -> Outcome:
        outcome = self.done if self.done is not None else self.feature.job.result()
        for ident in self.retried:
            outcome.rendered.pop(ident, None)
            outcome.problems.pop(ident, None)
        outcome.add(self.later)
        return outcome


def _render_order(files):
    """When a request is needed: MkDocs renders the pages in the order of its files."""
    rank = {file.src_uri: number for number, file in enumerate(files.documentation_pages())}
    return lambda request: rank.get(request.page or request.document.ident, len(rank))


def _has_extension(config, name: str) -> bool:
    for extension in config.markdown_extensions:
        module = extension if isinstance(extension, str) else type(extension).__module__
        if module.rsplit(".", 1)[-1] == name:
            return True
    return False


def _language(config) -> str | None:
    """The site's language (Material's theme.language) as citeproc's locale."""
    language = config.theme.get("language") if hasattr(config.theme, "get") else None
    return language or None
