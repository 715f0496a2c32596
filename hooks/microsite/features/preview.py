"""The preview (`mkdocs serve`): the build's problems where the author looks.

A content problem never blocks the preview (`make serve` runs without
`--strict`): every page built from a file with a problem shows a banner
listing them, with file, line and what to do, and the home page lists all of
them; saving the fixed file rebuilds and reloads the page. `mkdocs build`
shows no banner: there the problems fail the build.
"""

from __future__ import annotations

from microsite.feature import Feature


class Preview(Feature):
    name = "preview"

    def on_page_context(self, template_context, page) -> None:
        problems = self.context.problems.found
        if self.context.command != "serve" or not problems:
            return
        path = self.context.page_sources.get(page.file.src_uri) or self.context.path_of(page.file)
        shown = problems if page.is_homepage else [p for p in problems if p.path == path]
        if shown:
            # Rendered here, with autoescaping: Material's own templates do not escape.
            template_context["microsite_problems"] = self.context.templates.render(
                "microsite/problems-banner.html", problems=shown, total=len(problems), home=page.is_homepage)
