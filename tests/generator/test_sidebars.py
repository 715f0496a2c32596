"""Pages outside the navigation share their rendered sidebars (site/sidebars.py):
the output must be exactly what Material renders page by page."""

from __future__ import annotations

import pytest

from conftest import build_project, prepare
from microsite.site.sidebars import SharedSidebars

SOURCES = 40


def _bib() -> str:
    """Sources enough that most generated pages can reuse a rendered sidebar."""
    return "".join(f"@book{{author{n:02d}book,\n  author = {{Author{n:02d}, Ann}},\n  title = {{Book {n}}},\n"
                   f"  publisher = {{Press}},\n  year = {{{2000 + n}}},\n}}\n\n" for n in range(SOURCES))


def _project(tmp_path, name: str, use_directory_urls: bool, share_sidebars: bool = True):
    # Pages outside the navigation at other depths than the generated ones.
    pages = {f"docs/{name}": f"# {title}\n\nSee the [bibliography](/bibliography/index.md).\n"
             for name, title in (("colophon.md", "Colophon"), ("notes/deep/note.md", "A deep note"),
                                 ("notes/other.md", "Another note"))}
    return prepare("basic", tmp_path / name, files={"bib/more.bib": _bib(), **pages},
                   config={"use_directory_urls": use_directory_urls},
                   settings={"bibliography_include": "all", "share_sidebars": share_sidebars,
                             "cache_dir": str(tmp_path / "cache")})


def _pages(site):
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*.html"))}


@pytest.mark.parametrize("use_directory_urls", [True, False], ids=["directory-urls", "html-urls"])
def test_shared_sidebars_give_the_same_pages_as_rendering_each(tmp_path, monkeypatch, use_directory_urls):
    reused = []
    original_get = SharedSidebars.get

    def counting_get(self, key):
        html = original_get(self, key)
        reused.append(html is not None)
        return html

    monkeypatch.setattr(SharedSidebars, "get", counting_get)
    shared = build_project(_project(tmp_path, "shared", use_directory_urls))
    assert shared.ok, shared.warnings
    shared_reused = sum(reused)
    reused.clear()
    each = build_project(_project(tmp_path, "each", use_directory_urls, share_sidebars=False))
    assert each.ok, each.warnings

    assert not reused                       # share_sidebars: false renders every page itself
    # Most source and glossary pages reused a rendered sidebar ...
    assert shared_reused >= 30, f"{shared_reused} pages reused a sidebar"
    # ... and every page is byte for byte what Material renders for it alone.
    shared_pages, each_pages = _pages(shared.site), _pages(each.site)
    assert shared_pages.keys() == each_pages.keys()
    different = [name for name in shared_pages if shared_pages[name] != each_pages[name]]
    assert not different, different[:5]
