"""The state of one build, and what each build event does with it."""

from __future__ import annotations

from microsite import log
from microsite.content.documents import load_documents
from microsite.problems import Problems
from microsite.settings import edition, load_settings, project_dir
from microsite.site import theme


class Build:
    def __init__(self, config, command: str):
        self.config = config
        self.command = command                  # "build", "serve" or "gh-deploy"
        self.edition = edition()                # "online", or "offline" in the offline build
        self.project_dir = project_dir(config)
        self.settings = load_settings(config)
        self.problems = Problems()
        self.documents = {}

    # -- events ------------------------------------------------------------
    def on_config(self):
        theme.integrate(self.config)
        return self.config

    def on_files(self, files):
        self.documents = load_documents(files, self.project_dir, self.problems)
        return files

    def on_nav(self, nav, files):
        return nav

    def on_page_markdown(self, markdown, page):
        return markdown

    def on_page_content(self, html, page):
        return html

    def on_env(self, env, files):
        return env

    def on_page_context(self, context, page):
        return context

    def on_post_page(self, output, page):
        return output

    def on_post_build(self):
        if self.problems:
            log.info("%d problem(s) in the content; see the warnings above", len(self.problems))

    def close(self):
        pass
