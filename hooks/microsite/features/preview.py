"""The preview (`mkdocs serve`): the build's problems where the author looks.

A content problem never blocks the preview (`make serve` runs without
`--strict`): every page built from a file with a problem shows a banner
listing them, with file, line and what to do, and the home page lists all of
them; saving the fixed file rebuilds and reloads the page. `mkdocs build`
shows no banner: there the problems fail the build.

MkDocs' own warnings fail `make site` too (a link to a missing page or
heading, a `nav` entry without its file): the preview collects them while it
builds (links to headings it checks early, as MkDocs does only after writing
every page) and shows them the same way, at the line of the link where it can.
"""

from __future__ import annotations

import logging
import os
import re

from microsite import log
from microsite.feature import Feature
from microsite.problems import Problem

_LINK = re.compile(r"^Doc file '(?P<doc>[^']+)' contains (?:an? )?(?:[\w-]+ )*link '(?P<link>[^']+)'")
_NAV = re.compile(r"^A reference to '(?P<link>[^']+)' is included in the 'nav' configuration")
_LINK_HINT = ("Correct the link: a file in docs/, relative to this page, and a heading's id as its ¶ link "
              "shows it (`make site` fails on it)")
_NAV_HINT = "Correct the path under `nav:` (relative to docs/), or add the page (`make site` fails on it)"


class _Warnings(logging.Handler):
    """MkDocs' warnings during one build (ours are the build's problems already)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record) -> None:
        if not record.name.startswith(log.name):
            self.messages.append(record.getMessage())


class _Quietly(logging.Filter):
    """Keeps the messages of a logger and lets none through (MkDocs logs them itself later)."""

    def __init__(self):
        super().__init__()
        self.messages: list[str] = []

    def filter(self, record) -> bool:
        self.messages.append(record.getMessage())
        return False


class Preview(Feature):
    name = "preview"

    def __init__(self, context):
        super().__init__(context)
        self._warnings: _Warnings | None = None
        self._mkdocs_problems: list[Problem] | None = None

    def on_config(self, config) -> None:
        if self.context.command == "serve":
            logger = logging.getLogger("mkdocs")
            for handler in [h for h in logger.handlers if isinstance(h, _Warnings)]:
                logger.removeHandler(handler)        # a rebuild that ended in an error never reached close()
            self._warnings = _Warnings()
            logger.addHandler(self._warnings)

    def on_env(self, env, files) -> None:
        """MkDocs checks links to headings only once every page is written, too late for the
        banners: check them now, quietly (its own check prints them afterwards)."""
        level = self.context.config.validation.links.anchors
        if self._warnings is None or level < logging.WARNING:
            return
        pages = logging.getLogger("mkdocs.structure.pages")
        quietly = _Quietly()
        pages.addFilter(quietly)
        try:
            for file in files.documentation_pages():
                if file.page is not None:
                    file.page.validate_anchor_links(files=files, log_level=level)
        finally:
            pages.removeFilter(quietly)
        self._warnings.messages.extend(quietly.messages)

    def on_page_context(self, template_context, page) -> None:
        if self.context.command != "serve":
            return
        problems = self.context.problems.found + self._from_mkdocs()
        if not problems:
            return
        path = self.context.page_sources.get(page.file.src_uri) or self.context.path_of(page.file)
        shown = problems if page.is_homepage else [p for p in problems if p.path == path]
        if shown:
            # Rendered here, with autoescaping: Material's own templates do not escape.
            template_context["microsite_problems"] = self.context.templates.render(
                "microsite/problems-banner.html", problems=shown, total=len(problems), home=page.is_homepage)

    def on_post_build(self) -> None:
        self.close()

    def close(self) -> None:
        if self._warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self._warnings)

    # -- MkDocs' warnings as problems ------------------------------------------------
    def _from_mkdocs(self) -> list[Problem]:
        """Every page's links are checked before any page is rendered: by the first banner, all are in."""
        if self._mkdocs_problems is None:
            messages = self._warnings.messages if self._warnings is not None else []
            self._mkdocs_problems = list(dict.fromkeys(self._problem(message) for message in messages))
        return self._mkdocs_problems

    def _problem(self, message: str) -> Problem:
        message = message.strip().rstrip(".")
        link = _LINK.match(message)
        if link:
            file = self.context.files.get_file_from_path(link["doc"]) if self.context.files else None
            if file is not None and getattr(file, "abs_src_path", None):
                path = self.context.path_of(file)
                return Problem(path, _line_holding(file.abs_src_path, link["link"]), message, _LINK_HINT)
        nav = _NAV.match(message)
        config_file = getattr(self.context.config, "config_file_path", None)
        if nav and config_file:
            return Problem(os.path.basename(config_file), _line_holding(config_file, nav["link"]), message, _NAV_HINT)
        return Problem("MkDocs", None, message, "`make site` fails on it")


def _line_holding(path: str, text: str) -> int | None:
    """The first line of a file that holds `text` (None when none does, or it cannot be read)."""
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if text in line:
                    return number
    except (OSError, UnicodeDecodeError):
        pass
    return None
