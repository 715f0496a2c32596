"""Links: a link written in a page's Markdown must lead to the web (http,
https), to the site itself, or to an e-mail address or a telephone number.
Anything else (`javascript:`, `data:` …) is shown as text and reported with
the page's file and line; so is an event handler written as an attribute."""

from __future__ import annotations

from microsite.context import PageState
from microsite.feature import Feature
from microsite.markdown.links import link_guard_extension


class Links(Feature):
    name = "links"

    def markdown_extensions(self) -> list:
        return [link_guard_extension(self)]

    def report(self, state: PageState, href: str, text: str, what: str = "link") -> None:
        shown = " ".join(text.split())[:60]
        self.context.problems.report(state.path, state.line_of(href),
                                     f"the {what} '{shown}' leads to '{href}', which is not a web address",
                                     "Link to an http(s) address, a page of the site or an e-mail address "
                                     "(mailto:); the link is shown as text meanwhile.")

    def report_handler(self, state: PageState, name: str) -> None:
        self.context.problems.report(state.path, state.line_of(f"{name}="),
                                     f"the attribute `{name}` would run a script in the reader's browser",
                                     "Remove it: attributes written in Markdown ({ … }) cannot hold scripts; "
                                     "the element is shown without it meanwhile.")
