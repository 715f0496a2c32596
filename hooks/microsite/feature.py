"""The interface every feature of the generator implements.

A feature (citations, the bibliography, the glossary, the byline, the
downloads page, the editions ...) says here, in one class, what it does at each
moment of a build. The build calls the features in their registration order
(`microsite.features.FEATURES`) and nothing else: a feature never calls
another feature; features share data through the `BuildContext` only.

Every method is optional. The order of a build, as MkDocs runs it:

    on_config        read options, load data every page needs (the bib files)
    markdown_extensions   Python-Markdown processors for page conversion
    late_kinds       the kinds of late sections this feature fills
    on_files         read content, add generated pages and files
    on_nav           the navigation, before any page is read
    page_source      the text MkDocs reads for a page, when it is not the file's
    on_page_markdown / (Markdown conversion) / on_page_content   per page
    on_env           every page is converted: finish what needed all pages
    (late sections are filled by their kinds' resolvers page by page, just
    before each page's template is rendered; with `mkdocs serve`, here)
    on_page_context, on_post_build, close
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from microsite.context import BuildContext, PageState
    from microsite.late import Marker

# A late section's resolver: the marker and the page it is on -> its HTML, or None
# when the marker's target is unknown (reported with the page's file and line).
Resolver = Callable[["Marker", "PageState"], "str | None"]


class Feature:
    name = "feature"

    def __init__(self, context: BuildContext):
        self.context = context

    def on_config(self, config) -> None:
        pass

    def markdown_extensions(self) -> list:
        """Python-Markdown extensions (or processors wrapped in one) for every page."""
        return []

    def late_kinds(self) -> dict[str, Resolver]:
        """Kinds of late section this feature resolves: kind -> resolver."""
        return {}

    def on_files(self, files) -> None:
        pass

    def on_nav(self, nav) -> None:
        pass

    def page_source(self, page) -> str | None:
        """The text MkDocs should read for this page instead of its file, or None."""
        return None

    def on_page_markdown(self, markdown: str, page, state: PageState) -> str:
        return markdown

    def on_page_content(self, html: str, page, state: PageState) -> str:
        return html

    def on_env(self, env, files) -> None:
        pass

    def on_page_context(self, template_context: dict, page) -> None:
        pass

    def on_post_build(self) -> None:
        pass

    def close(self) -> None:
        """The build ends (or fails): stop background work."""

    def benchmark_report(self) -> dict:
        """Figures for the benchmark's report (bench/), merged into its JSON."""
        return {}
