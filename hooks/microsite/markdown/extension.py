"""Registers the citation processor and the page scan with Python-Markdown."""

from __future__ import annotations

from markdown import Extension

from microsite.markdown import citations, page_scan


class MicrositeExtension(Extension):
    def __init__(self, site):
        super().__init__()
        self.site = site

    def extendMarkdown(self, md):
        md.inlinePatterns.register(citations.CitationProcessor(md, self.site), "microsite-citations",
                                   citations.PRIORITY)
        md.treeprocessors.register(page_scan.PageScan(md, self.site), "microsite-page-scan",
                                   page_scan.PRIORITY)
