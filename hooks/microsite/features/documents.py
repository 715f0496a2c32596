"""The authored pages: every Markdown file read once with its front matter
(the context's `documents`), and the contract of articles and briefs checked
(title, authors, date, summary), with located messages."""

from __future__ import annotations

from microsite.content.documents import load_documents
from microsite.feature import Feature


class Documents(Feature):
    name = "documents"

    def on_files(self, files) -> None:
        context = self.context
        context.documents = load_documents(files, context.project_dir, context.problems)
