"""Formatting: every listed source's in-text label and reference, by the CSL
style, once per build - batched, cached across builds, and run in pandoc
processes while MkDocs renders the pages.

Config: the style (the bundled Chicago author-date unless `csl_file` names
another; a missing file is a located problem).
Files: start formatting the listed sources in the background.
Env: wait for the result (the context's `references`); a source the style
could not format is reported where it is defined.
"""

from __future__ import annotations

import os

from microsite.feature import Feature
from microsite.model.formatting import ReferenceFormatter

DEFAULT_CSL = os.path.join(os.path.dirname(os.path.dirname(__file__)), "model", "styles", "chicago-author-date.csl")
DEFAULT_TITLE = "Chicago Manual of Style 18th edition (author-date)"


class Formatting(Feature):
    name = "formatting"

    def __init__(self, context):
        super().__init__(context)
        self.formatter: ReferenceFormatter | None = None
        self.job = None

    def on_config(self, config) -> None:
        context = self.context
        settings = context.settings
        csl = DEFAULT_CSL
        if settings.csl_file:
            csl = os.path.normpath(os.path.join(context.project_dir, settings.csl_file))
            if not os.path.isfile(csl):
                context.problems.report("mkdocs.yml", None, f"extra.microsite.csl_file: no file at {csl}",
                                        "Give the path of a .csl file, relative to mkdocs.yml; the bundled "
                                        "Chicago author-date style is used meanwhile.")
                csl = DEFAULT_CSL
        context.style_title = DEFAULT_TITLE if csl == DEFAULT_CSL else os.path.basename(csl)
        cache = (os.path.normpath(os.path.join(context.project_dir, settings.cache_dir))
                 if settings.cache_dir else None)
        self.formatter = ReferenceFormatter(csl, cache)

    def on_files(self, files) -> None:
        with self.context.timings.timed("format"):
            self.job = self.formatter.start(self.context.listed)

    def on_env(self, env, files) -> None:
        context = self.context
        with context.timings.timed("format (waiting)"):
            context.references = self.job.result()
        for source in context.listed:
            formatted = context.references.get(source.key)
            if formatted is None or not formatted.reference_html:
                context.problems.report(source.path, source.line,
                                        f"@{source.type} '{source.key}' could not be formatted by the citation style",
                                        "Use a standard entry type (@book, @article, @incollection, @report, "
                                        "@online ...).")

    def close(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def benchmark_report(self) -> dict:
        return {"formatter": self.formatter.stats} if self.formatter else {}
