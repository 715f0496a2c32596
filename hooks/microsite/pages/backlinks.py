"""Where each source is cited and each term mentioned, recorded while pages
render and written into the late-filled sections."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from mkdocs.utils import get_relative_url

from microsite.pages.markup import esc


@dataclass(frozen=True)
class Place:
    page_url: str
    page_title: str
    anchor: str         # id of the section's heading, "" for the top of the page
    section: str        # the heading's text


class Backlinks:
    def __init__(self):
        self.places: dict[str, list[Place]] = defaultdict(list)

    def add(self, name: str, place: Place) -> None:
        if place not in self.places[name]:
            self.places[name].append(place)

    def pages_for(self, name: str) -> int:
        return len({place.page_url for place in self.places.get(name, [])})

    def html(self, name: str, from_url: str, empty: str) -> str:
        places = self.places.get(name)
        if not places:
            return f'<p class="mx-backlinks mx-backlinks--empty">{esc(empty)}</p>'
        by_page: dict[tuple[str, str], list[Place]] = {}
        for place in places:
            by_page.setdefault((place.page_url, place.page_title), []).append(place)
        items = []
        for (url, title), sections in by_page.items():
            href = get_relative_url(url, from_url)
            links = [
                f'<a href="{esc(href)}#{esc(place.anchor)}">{esc(place.section)}</a>'
                for place in sections if place.anchor
            ]
            where = f": {', '.join(links)}" if links else ""
            items.append(f'<li><a href="{esc(href)}">{esc(title)}</a>{where}</li>')
        return '<ul class="mx-backlinks">\n' + "\n".join(items) + "\n</ul>"


def toc_titles(toc) -> dict[str, str]:
    """Heading id -> heading text, from a page's table of contents."""
    titles = {}
    stack = list(toc or [])
    while stack:
        item = stack.pop()
        titles[item.id] = item.title
        stack.extend(item.children or [])
    return titles
