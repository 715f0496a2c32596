"""One build: its context, its features, and each MkDocs event handed to them.

Nothing here knows what a feature does. The build creates the context and the
features in on_config, calls every feature for every event in registration
order, keeps the state of the page being converted, and fills the late
sections once every page is rendered.
"""

from __future__ import annotations

import json
import logging
import os

from mkdocs.exceptions import Abort

from microsite import log
from microsite.context import BuildContext, PageState
from microsite.content.documents import kind_of
from microsite.features import FEATURES
from microsite.late import LateSections, written_marker_lines
from microsite.problems import Problems
from microsite.markdown.appendix import AppendixExtension
from microsite.settings import check_cache_dir, check_repeated_options, edition, load_settings, project_dir
from microsite.templates import Templates

TIMINGS_ENV = "MICROSITE_TIMINGS"        # set by the benchmark (bench/)


class Build:
    def __init__(self, config, command: str):
        self.config = config
        problems = Problems()
        # The preview reports a mistaken option on its pages (default used) instead of stopping.
        settings = load_settings(config, problems.report if command == "serve" else None)
        self.context = BuildContext(config=config, settings=settings, command=command, problems=problems,
                                    edition=edition(), project_dir=project_dir(config))
        check_cache_dir(config, self.context.settings, self.context.problems.report)
        check_repeated_options(config, self.context.problems.report)
        self.features = [feature(self.context) for feature in FEATURES]
        self.pages: dict[str, PageState] = {}           # src_uri -> the state its late sections need

    # -- on_config -------------------------------------------------------------
    def on_config(self):
        context, config = self.context, self.config
        for feature in self.features:
            feature.on_config(config)
        context.templates = Templates(config, context.cache_dir)
        context.late = LateSections(context.problems, context.templates)
        for feature in self.features:
            for kind, resolver in feature.late_kinds().items():
                context.late.register(kind, resolver, feature.name)
            config.markdown_extensions.extend(feature.markdown_extensions())
        config.markdown_extensions.append(AppendixExtension(context))
        return config

    def on_files(self, files):
        self.context.files = files
        for feature in self.features:
            feature.on_files(files)
        return files

    def on_nav(self, nav):
        for feature in self.features:
            feature.on_nav(nav)
        return nav

    # -- one page ----------------------------------------------------------------
    def on_page_read_source(self, page) -> str | None:
        for feature in self.features:
            source = feature.page_source(page)
            if source is not None:
                return source
        return None

    def on_page_markdown(self, markdown: str, page) -> str:
        document = self.context.documents.get(page.file.src_uri)
        made_from = self.context.page_sources.get(page.file.src_uri)     # a page generated from a data file
        state = PageState(
            src_uri=page.file.src_uri,
            path=document.path if document else made_from or self.context.path_of(page.file),
            url=page.url,
            kind=document.kind if document else kind_of(page.file.src_uri),
            document=document,
            # Lines are counted in the page's own file; a data file's lines are not the page's.
            raw=document.text if document else ("" if made_from else markdown),
        )
        self.context.page = state
        for feature in self.features:
            markdown = feature.on_page_markdown(markdown, page, state)
        return markdown

    def on_page_content(self, html: str, page) -> str:
        state, self.context.page = self.context.page, None
        if state is None:
            return html
        for feature in self.features:
            html = feature.on_page_content(html, page, state)
        if state.document is not None:           # an authored file: markers in it were written by hand
            state.written_markers = written_marker_lines(state.raw)
        state.raw = ""                       # read and scanned: a large site would hold it twice
        if state.document is not None:
            state.document.release_text()
        self.pages[state.src_uri] = state
        return html

    # -- every page is rendered ------------------------------------------------------
    def on_env(self, env, files):
        for feature in self.features:
            feature.on_env(env, files)
        if self.context.command == "serve":
            # The preview's banners (home page: every problem) need the late sections' problems now.
            for file in files.documentation_pages():
                self._fill(file.page)
        return env

    def _fill(self, page) -> None:
        state = self.pages.get(page.file.src_uri) if page is not None else None
        if page is not None and page.content and state is not None:
            with self.context.timings.timed("late sections"):
                page.content = self.context.late.fill(page.content, state)

    def on_page_context(self, template_context: dict, page) -> dict:
        # Late sections are filled page by page, just before the page's template is
        # rendered: formatting goes on meanwhile, and a page waits only for its own results.
        self._fill(page)
        for feature in self.features:
            feature.on_page_context(template_context, page)
        return template_context

    def on_post_build(self) -> None:
        for feature in self.features:
            feature.on_post_build()
        if self.context.problems:
            log.info("%d problem(s) in the content; see the warnings above", len(self.context.problems))
        self._write_timings()
        self._fail_when_quiet_hides_problems()

    def _fail_when_quiet_hides_problems(self) -> None:
        """`mkdocs build --strict --quiet`: MkDocs counts the warnings it logs, and --quiet logs
        none, so the build would pass with problems in it. Fail it, with the problems as the message."""
        if not self.context.problems or not self.config.strict or log.isEnabledFor(logging.WARNING) \
                or self.context.command == "serve" or self.context.edition != "online":
            return          # (the offline edition is built quietly; the online build reports its problems)
        found = self.context.problems.found
        raise Abort(f"Aborted with {len(found)} problem(s) in strict mode (--quiet hides the warnings):\n"
                    + "\n".join(f"  {problem}" for problem in found))

    def close(self) -> None:
        for feature in self.features:
            feature.close()

    def _write_timings(self) -> None:
        path = os.environ.get(TIMINGS_ENV)
        if not path or self.context.edition != "online":
            return
        report = {"timings": dict(self.context.timings.seconds), "problems": len(self.context.problems)}
        for feature in self.features:
            report.update(feature.benchmark_report())
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(report, handle)
