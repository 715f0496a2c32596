"""What the features of one build share: data, rebuilt in on_config.

`BuildContext` holds the build's inputs (config, options), what features have
read or computed (documents, sources, the glossary, formatted references,
backlinks) and three small services every feature uses the same way:
located problems, templates with autoescaping, and late sections. Each field
is written by one feature and read by others; no feature reaches into
another one's objects.
"""

from __future__ import annotations

import os
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from microsite.backlinks import Backlinks
from microsite.content.config_lines import option_place
from microsite.problems import Problems

if TYPE_CHECKING:
    from microsite.content.documents import Document
    from microsite.late import LateSections
    from microsite.model.citeproc import Rendered, StyleInfo
    from microsite.model.formatting import Request
    from microsite.model.sources import Library, Source
    from microsite.model.terms import Glossary
    from microsite.scholarly.work import Work
    from microsite.settings import MicrositeSettings
    from microsite.templates import Templates


class FormattedResults(Protocol):
    """What formatting gives the features (`features/formatting.py`, `Results`)."""

    def get(self, ident: str) -> Rendered | None:
        """A document's result (waiting for it if it is being formatted), None if there is none."""


class Timings:
    """Seconds spent per phase of our code (written for the benchmark, bench/).
    A phase timed inside another counts for itself only (a page's late sections
    waiting for its formatted citations: "format (waiting)", not "late sections")."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)
        self._inner = threading.local()       # seconds of the phases timed inside the current one

    @contextmanager
    def timed(self, phase: str):
        stack = self._inner.__dict__.setdefault("stack", [])
        stack.append(0.0)
        start = time.perf_counter()
        try:
            yield
        finally:
            spent = time.perf_counter() - start
            self.seconds[phase] += spent - stack.pop()
            if stack:
                stack[-1] += spent


@dataclass
class Download:
    """A file the downloads page lists (written by the feature that makes it)."""

    section: str            # "pdf", "bibliography" ...
    title: str
    uri: str                # site-relative path of the file
    size: int | None = None


@dataclass
class AppendixSection:
    """A section a feature appends after a page's own text: a heading (so it is
    in the table of contents) and a late marker that becomes its body."""

    order: int              # See also 10, References 20, Mentioned in 30
    title: str
    kind: str               # the late kind that renders the body
    target: str


@dataclass
class PageState:
    """The page being converted, as every feature sees it."""

    src_uri: str            # inside docs/, e.g. "articles/a.md"
    path: str               # for messages, relative to mkdocs.yml ("docs/articles/a.md", or "(generated) …")
    url: str
    kind: str               # content.documents: article, brief, glossary-entry, page
    document: Document | None
    raw: str                # the page's source file, front matter included, for line numbers
    appendix: list[AppendixSection] = field(default_factory=list)
    written_markers: dict[str, int] = field(default_factory=dict)   # late kind -> line, markers written by hand
    _cursor: int = 0

    @property
    def generated(self) -> bool:
        return self.document is None

    def line_of(self, snippet: str) -> int | None:
        """The file line of the next occurrence of `snippet` (called in reading order)."""
        index = self.raw.find(snippet, self._cursor)
        if index < 0:
            index = self.raw.find(snippet)
        if index < 0:
            return None
        self._cursor = index + len(snippet)
        return self.raw.count("\n", 0, index) + 1


@dataclass
class BuildContext:
    config: object                       # MkDocs' config
    settings: MicrositeSettings          # extra.microsite
    command: str                         # "build", "serve" or "gh-deploy"
    edition: str                         # "online", or "offline" inside the offline edition's build
    project_dir: str                     # the folder of mkdocs.yml
    problems: Problems = field(default_factory=Problems)
    timings: Timings = field(default_factory=Timings)
    templates: Templates | None = None
    late: LateSections | None = None
    page: PageState | None = None        # the page being converted (Markdown extensions read it)
    tooltips_are_html: bool = False      # Material shows `title`s as HTML tooltips (theme, on_config)
    files: object = None                 # MkDocs' Files, from on_files

    # Content (features "documents", "sources", "glossary")
    documents: dict[str, Document] = field(default_factory=dict)     # src_uri -> authored page
    works: dict[str, Work] = field(default_factory=dict)             # src_uri -> article/brief as a citable work
    # Generated pages whose Markdown carries authors' text (e.g. a timeline's events, with
    # citations): src_uri -> that Markdown, set in on_files before the bibliography reads it.
    generated_markdown: dict[str, str] = field(default_factory=dict)
    # The file a generated page is made from, for messages and the preview's banner:
    # src_uri -> path (e.g. "timeline.md" -> "docs/timeline.yml").
    page_sources: dict[str, str] = field(default_factory=dict)
    library: Library | None = None
    glossary: Glossary | None = None

    # Citations and the bibliography
    listed: list[Source] = field(default_factory=list)               # sources the bibliography lists
    style: StyleInfo | None = None                                   # the CSL style (formatting, on_config)
    # Documents to format (a page's citations, a bibliography listing): ident -> Request.
    format_requests: dict[str, Request] = field(default_factory=dict)   # predicted, in on_files
    page_citations: dict[str, Request] = field(default_factory=dict)    # as each page is rendered
    # from on_env: a document's result as soon as it is formatted
    formatted: FormattedResults = field(default_factory=dict)
    # BibTeX records of works that are not in the bib files (e.g. a page's own "cite
    # this page" record), for documents that cite them: key -> record.
    extra_records: dict[str, str] = field(default_factory=dict)
    source_pages: dict[str, str] = field(default_factory=dict)       # key -> URL of its page
    bibliography_index: str | None = None                            # URL of the index page
    cited_in: Backlinks = field(default_factory=Backlinks)
    mentioned_in: Backlinks = field(default_factory=Backlinks)

    # Publishing
    pdfs: dict[str, str] = field(default_factory=dict)               # src_uri -> site path of its PDF
    downloads: list[Download] = field(default_factory=list)
    offline_download: Download | None = None                         # the zip, once made

    def url_of(self, src_uri: str) -> str | None:
        """The URL of a page the build has (authored or generated), for links written late."""
        file = self.files.get_file_from_path(src_uri) if self.files is not None else None
        return file.url if file is not None else None

    @property
    def cache_dir(self) -> str | None:
        """The folder for what a build may reuse in the next one (None: no cache)."""
        setting = self.settings.cache_dir
        return os.path.normpath(os.path.join(self.project_dir, setting)) if setting else None

    def option_place(self, *path: str) -> tuple[str, int | None]:
        """(mkdocs.yml's name, the line of an option such as ("extra", "microsite", "csl_file"))."""
        return option_place(getattr(self.config, "config_file_path", None), *path)

    def path_of(self, file) -> str:
        """A file's path for messages: relative to mkdocs.yml when it is on disk."""
        if getattr(file, "abs_src_path", None):
            return os.path.relpath(file.abs_src_path, self.project_dir).replace(os.sep, "/")
        return f"(generated) {file.src_uri}"

