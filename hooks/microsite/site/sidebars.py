"""Render the sidebars once for the many pages that share them.

Material renders the whole navigation tree into every page; on a site with
hundreds of pages that is most of the build time. For a page outside the
navigation (a generated source page, a glossary entry) nothing in that tree
is active, so the rendered sidebars depend only on where the page lives
(links are relative to its URL) and on its table of contents. Pages with the
same of both get the same HTML: the first renders it, the others reuse it.

The template asks `key(page, nav)`; None means "render as usual".
"""

from __future__ import annotations

import posixpath

from markupsafe import Markup


class SharedSidebars:
    def __init__(self):
        self._html: dict[tuple, Markup] = {}
        # Per navigation (plugins such as i18n give each language its own): the ids of
        # its pages and the folders its links point into.
        self._navs: dict[int, tuple[set[int], set[str]]] = {}

    def key(self, page, nav) -> tuple | None:
        if page is None or nav is None or page.url is None:
            return None
        in_nav, nav_folders = self._navs.get(id(nav)) or self._learn(nav)
        if id(page) in in_nav:
            return None
        toc = _toc_signature(page.toc)
        hide = (page.meta or {}).get("hide")
        if toc is None or not _hashable(hide):
            return None
        folder = page.url if page.url.endswith("/") else _folder_of(page.url)
        if folder == "" or folder in nav_folders:
            # Some navigation link points inside this page's own folder: links are
            # relative to exactly this folder.
            where = ("folder", folder)
        else:
            # No navigation link points inside it, so every link climbs out of it:
            # pages in sibling folders (bibliography/a/, bibliography/b/) share them.
            where = ("parent", posixpath.dirname(folder.rstrip("/")))
        return id(nav), where, toc, hide if not isinstance(hide, list) else tuple(hide)

    def get(self, key: tuple) -> Markup | None:
        return self._html.get(key)

    def put(self, key: tuple, html: str) -> Markup:
        self._html[key] = Markup(html)
        return self._html[key]

    def _learn(self, nav) -> tuple[set[int], set[str]]:
        folders: set[str] = set()
        for url in _nav_urls(nav.items):
            parts = url.split("/")[:-1]              # 'a/b/' and 'a/b.html' -> a/
            for depth in range(1, len(parts) + 1):
                folders.add("/".join(parts[:depth]) + "/")
        # The nav is kept alive by the build while its id is a key here.
        self._navs[id(nav)] = learned = ({id(page) for page in nav.pages}, folders)
        return learned


def _nav_urls(items):
    """The URLs of every page and link in the navigation, sections included."""
    for item in items:
        url = getattr(item, "url", None)
        if isinstance(url, str) and "://" not in url and not url.startswith("/"):
            yield url
        yield from _nav_urls(getattr(item, "children", None) or [])


def _folder_of(url: str) -> str:
    """'a/b.html' -> 'a/'; 'b.html' -> ''."""
    parent = posixpath.dirname(url)
    return parent + "/" if parent else ""


def _toc_signature(toc) -> tuple | None:
    """What Material's partials/toc.html shows of a page's table of contents (the
    page title's children when the title leads, and whether it does, which
    changes the white space); None if it holds something we do not compare."""
    items = list(toc or [])
    if items and items[0].level == 1:
        shown = _items_signature(items[0].children)
        return None if shown is None else ("under-title", shown)
    shown = _items_signature(items)
    return None if shown is None else ("whole", shown)


def _items_signature(items) -> tuple | None:
    signature = []
    for item in items or []:
        if getattr(item, "typeset", None):           # Material's typeset plugin: not handled
            return None
        children = _items_signature(item.children)
        if children is None:
            return None
        signature.append((item.level, item.title, item.url, children))
    return tuple(signature)


def _hashable(value) -> bool:
    if isinstance(value, list):
        return all(isinstance(v, str) for v in value)
    return value is None or isinstance(value, str)
