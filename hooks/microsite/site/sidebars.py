"""Render the sidebars once for the many pages that share them.

Material renders the whole navigation tree into every page; on a site with
hundreds of pages that is most of the build time. For a page outside the
navigation (a generated source page, a glossary entry) nothing in that tree
is active, so the rendered sidebars depend only on where the page lives
(links are relative to its URL) and on its table of contents. Pages with the
same of both get the same HTML: the first renders it, the others reuse it.

The template asks `key(page, nav)`; None means "render as usual".

Pages in the navigation render their own sidebars, but most of that tree is
the same for many of them: a section that holds neither the page nor its
ancestors renders the same HTML wherever the links it holds are relative to
the same folder (nothing in it depends on the page otherwise). Our copy of
Material's `partials/nav-item.html` asks `item_key(...)` for each section;
None means "render as usual".
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
        # Per navigation section: the folders its links point into.
        self._sections: dict[int, tuple[object, set[int], set[str]]] = {}

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
        return id(nav), _where(page.url, nav_folders), toc, hide if not isinstance(hide, list) else tuple(hide)

    def item_key(self, nav_item, path, level, parent, page) -> tuple | None:
        """The key of a navigation section's rendered HTML, or None: only a section
        the page is not in (Material marks the page's ancestors active), and only
        MkDocs' own sections (a plugin's item may list pages of its own)."""
        if page is None or page.url is None or getattr(nav_item, "active", True) \
                or not getattr(nav_item, "children", None) or hasattr(nav_item, "pages"):
            return None
        known = self._sections.get(id(nav_item))
        if known is None:
            # The item is kept here with its pages and folders, so that its id stays its own.
            known = self._sections[id(nav_item)] = (nav_item, {id(item) for item in _nav_items([nav_item])},
                                                    _folders(_nav_urls([nav_item])))
        if id(page) in known[1]:
            # A page listed twice in the nav is active in one place only: the other shows it too.
            return None
        # With navigation.tabs and .sections, a level-2 section is shown open when its parent is.
        parent_open = level == 2 and bool(parent.active)
        return "section", id(nav_item), path, level, parent_open, _where(page.url, known[2])

    def get(self, key: tuple) -> Markup | None:
        return self._html.get(key)

    def put(self, key: tuple, html: str) -> Markup:
        self._html[key] = Markup(html)
        return self._html[key]

    def _learn(self, nav) -> tuple[set[int], set[str]]:
        # The nav is kept alive by the build while its id is a key here.
        self._navs[id(nav)] = learned = ({id(page) for page in nav.pages}, _folders(_nav_urls(nav.items)))
        return learned


def _where(page_url: str, link_folders: set[str]) -> tuple[str, str]:
    """What links to these folders are relative to, seen from this page."""
    folder = page_url if page_url.endswith("/") else _folder_of(page_url)
    if folder == "" or folder in link_folders:
        # Some link points inside this page's own folder: links are relative to
        # exactly this folder.
        return "folder", folder
    # No link points inside it, so every link climbs out of it: pages in sibling
    # folders (bibliography/a/, bibliography/b/) get the same links.
    return "parent", posixpath.dirname(folder.rstrip("/"))


def _folders(urls) -> set[str]:
    """Every folder the URLs point into: 'a/b/' and 'a/b/c.html' -> a/, a/b/."""
    folders: set[str] = set()
    for url in urls:
        parts = url.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            folders.add("/".join(parts[:depth]) + "/")
    return folders


def _nav_items(items):
    """Every item of the navigation below these, these included."""
    for item in items:
        yield item
        yield from _nav_items(getattr(item, "children", None) or [])


def _nav_urls(items):
    """The site-relative URLs of every page and link below these items, these included."""
    for item in _nav_items(items):
        url = getattr(item, "url", None)
        if isinstance(url, str) and "://" not in url and not url.startswith("/"):
            yield url


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
