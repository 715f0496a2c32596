"""The offline edition and the PDFs, made by `mkdocs build` (not `serve`).

Config: check `offline_name` (a file name, never a path); start the offline
edition's build in a second process (it prints the PDFs of articles and
briefs from its own pages and zips itself).
Files: where each article's and brief's PDF will be (the context's `pdfs`).
Env: wait for the offline build; the zip and the PDFs with their sizes go to
the context's downloads. Page context: the footer's link to the zip.
Post-build: copy the zip and the PDFs into site/downloads/.
"""

from __future__ import annotations

import os

from microsite.content.documents import ARTICLE, BRIEF
from microsite.context import Download
from microsite.feature import Feature
from microsite.generated import human_size
from microsite.publish.editions import Publisher


class Editions(Feature):
    name = "editions"

    def __init__(self, context):
        super().__init__(context)
        self.publisher = Publisher(context)

    def on_config(self, config) -> None:
        self.publisher.start()

    def on_files(self, files) -> None:
        if not self.publisher.makes_pdfs():
            return
        for document in self.context.documents.values():
            if document.kind in (ARTICLE, BRIEF):
                self.context.pdfs[document.src_uri] = self.publisher.pdf_path(document.src_uri)

    def on_env(self, env, files) -> None:
        publisher, context = self.publisher, self.context
        publisher.wait()
        manifest = publisher.manifest
        if manifest:
            context.offline_download = Download("offline", "Offline edition", publisher.zip_uri(), manifest["size"])
            # Also for the theme's own pages (404.html), which have no page context event.
            env.globals["microsite_download"] = self._footer()
        made = set(manifest["pdfs"]) if manifest else None
        for src_uri, path in sorted(context.pdfs.items(), key=self._pdf_order):
            if made is not None and path not in made:
                continue
            size = None
            if manifest:
                full = os.path.join(publisher.output_dir, "site", path)
                size = os.path.getsize(full) if os.path.exists(full) else None
            title = context.documents[src_uri].meta.get("title")
            context.downloads.append(Download("pdf", str(title or src_uri), path, size))

    def _pdf_order(self, item):
        document = self.context.documents[item[0]]
        return (document.kind != ARTICLE, str(document.meta.get("title", "")))

    def on_page_context(self, template_context, page) -> None:
        template_context["microsite_download"] = self._footer()

    def _footer(self) -> dict | None:
        """The footer's link to the zip (with its size) and to the downloads page."""
        download = self.context.offline_download
        if download is None:
            return None
        return {"url": download.uri, "size": human_size(download.size),
                "page": self.context.url_of("downloads/index.md")}

    def on_post_build(self) -> None:
        self.publisher.finish()

    def close(self) -> None:
        self.publisher.stop()

    def benchmark_report(self) -> dict:
        return {"offline": (self.publisher.manifest or {}).get("timings")}
