"""The downloads page (downloads/, out of the navigation; the footer links the
offline edition): the offline edition, the PDFs and the bibliography files,
as the other features list them in the context's downloads.

Files: add the page. Late: `downloads`, once the editions are made.
"""

from __future__ import annotations

from mkdocs.structure.files import InclusionLevel
from mkdocs.utils import get_relative_url

from microsite.context import PageState
from microsite.feature import Feature
from microsite.generated import add_file, front_matter, late
from microsite.late import Marker

INDEX = "downloads/index.md"


class Downloads(Feature):
    name = "downloads"

    def late_kinds(self):
        return {"downloads": self._downloads_html}

    def on_files(self, files) -> None:
        content = (front_matter(title="Downloads", description="The offline edition, PDFs and the bibliography.")
                   + late("downloads", "page"))
        add_file(self.context, files, INDEX, content, InclusionLevel.NOT_IN_NAV)

    def _downloads_html(self, marker: Marker, state: PageState):
        context = self.context

        def listed(section):
            return [{"title": d.title, "url": get_relative_url(d.uri, state.url), "size": d.size}
                    for d in context.downloads if d.section == section]

        offline = context.offline_download
        return context.templates.render(
            "microsite/downloads.html",
            reading_offline=context.edition == "offline", site_url=context.config.site_url,
            offline={"url": get_relative_url(offline.uri, state.url), "size": offline.size} if offline else None,
            pdfs=listed("pdf"), bibliography=listed("bibliography"), sources=len(context.listed))
