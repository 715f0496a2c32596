"""The authored pages: every Markdown file read once with its front matter
(the context's `documents`), the contract of articles and briefs checked
(title, authors, date, summary), and the values of the keys MkDocs and
Material read themselves (`content.theme_keys`), with located messages.
First, files reached through a link out of the project are taken out
(`content.symlinks`)."""

from __future__ import annotations

from microsite.content import theme_keys
from microsite.content.documents import load_documents
from microsite.content.symlinks import refuse_loops, withhold_links_out
from microsite.feature import Feature


class Documents(Feature):
    name = "documents"

    def __init__(self, context):
        super().__init__(context)
        self.theme_changes: dict[str, dict] = {}       # src_uri -> the theme's keys to change in page.meta

    def on_config(self, config) -> None:
        refuse_loops(config.docs_dir, self.context.project_dir)

    def on_files(self, files) -> None:
        context = self.context
        withhold_links_out(files, context.config.docs_dir, context.project_dir, context.problems)
        context.documents = load_documents(files, context.project_dir, context.problems)
        self.theme_changes = {uri: changes for uri, document in context.documents.items()
                              if (changes := theme_keys.theme_values(document, context.problems))}

    def page_source(self, page) -> str | None:
        """A page whose control characters were left out: MkDocs reads the cleaned text
        (once the page is rendered its text is released, and MkDocs reads the file)."""
        document = self.context.documents.get(page.file.src_uri)
        return document.text if document is not None and document.cleaned and document.text else None

    def on_page_markdown(self, markdown: str, page, state) -> str:
        # MkDocs has read the front matter into page.meta by now, and reads it again at render time.
        theme_keys.apply(page.meta, self.theme_changes.get(page.file.src_uri, {}))
        return markdown

    def on_env(self, env, files) -> None:
        for file in files.documentation_pages():
            document = self.context.documents.get(file.src_uri)
            if document is not None and file.page is not None:
                theme_keys.check_templates(document, file.page.meta, env, self.context.problems)
