"""Where each source is cited and each term mentioned: recorded while pages
are rendered, listed late ("Cited in", "Mentioned in", citation counts)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from markupsafe import Markup


@dataclass(frozen=True)
class Place:
    page_url: str
    page_title: Markup      # MkDocs' page titles are HTML (escaped text)
    anchor: str             # id of the section's heading, "" for the top of the page
    section: Markup         # the heading's text, HTML as in the table of contents


@dataclass(frozen=True)
class PageBacklinks:
    url: str
    title: Markup
    sections: tuple[Place, ...]     # the places on this page that are in a section


class Backlinks:
    def __init__(self):
        self.places: dict[str, list[Place]] = defaultdict(list)

    def add(self, name: str, place: Place) -> None:
        if place not in self.places[name]:
            self.places[name].append(place)

    def pages_for(self, name: str) -> int:
        return len({place.page_url for place in self.places.get(name, [])})

    def by_page(self, name: str) -> list[PageBacklinks]:
        """The places of `name`, grouped by page in the order first met."""
        pages: dict[tuple[str, str], list[Place]] = {}
        for place in self.places.get(name, []):
            pages.setdefault((place.page_url, place.page_title), []).append(place)
        return [PageBacklinks(url, title, tuple(p for p in places if p.anchor))
                for (url, title), places in pages.items()]


def toc_titles(toc) -> dict[str, Markup]:
    """Heading id -> heading text (HTML, as MkDocs' table of contents holds it)."""
    titles = {}
    stack = list(toc or [])
    while stack:
        item = stack.pop()
        titles[item.id] = Markup(item.title)
        stack.extend(item.children or [])
    return titles
