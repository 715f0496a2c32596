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


# -- pages in the navigation: sections they are not in are rendered once ----------------

def _nav_project(tmp_path, name: str, use_directory_urls: bool, features: list[str], share_sidebars: bool):
    """A navigation of nested sections, section index pages, a page in a sub-folder of
    another page's folder, a section whose page lives in another section's folder, a
    page listed twice, and an external link."""
    pages = {
        "part-one/index.md": "Part one", "part-one/a.md": "Page A", "part-one/a/inner.md": "Inside A",
        "part-one/deep/b.md": "Page B", "part-one/deep/c.md": "Page C",
        "part-two/d.md": "Page D", "part-two/e.md": "Page E", "part-two/sub/f.md": "Page F",
        "part-one/g.md": "Page G", "part-two/h.md": "Page H",
    }
    files = {f"docs/{path}": f"# {title}\n\nText of {title.lower()}.\n\n## A section\n\nMore.\n"
             for path, title in pages.items()}
    nav = [{"Home": "index.md"},
           {"Part one": ["part-one/index.md", "part-one/a.md", "part-one/a/inner.md",
                         {"Deeper": ["part-one/deep/b.md", "part-one/deep/c.md"]}]},
           {"Part two": ["part-two/d.md", {"Sub": ["part-two/sub/f.md", "part-two/e.md"]}, "part-one/g.md"]},
           {"Again": ["part-two/d.md", "part-two/h.md"]},    # d listed twice: active in one place only
           {"Articles": ["articles/one.md"]},
           {"Elsewhere": "https://example.org/"},
           {"Glossary": "glossary/index.md"}, {"Bibliography": "bibliography/index.md"}]
    return prepare("basic", tmp_path / name, files={"bib/more.bib": _bib(), **files},
                   config={"use_directory_urls": use_directory_urls, "nav": nav,
                           "theme": {"name": "material", "font": False, "features": features}},
                   settings={"share_sidebars": share_sidebars, "cache_dir": str(tmp_path / "cache")})


FEATURE_SETS = {
    "tabs-sections-indexes": ["navigation.tabs", "navigation.sections", "navigation.indexes", "content.tooltips"],
    "prune-expand": ["navigation.prune", "navigation.expand", "content.tooltips"],
    "plain": ["content.tooltips"],
}


@pytest.mark.parametrize("features", FEATURE_SETS.values(), ids=FEATURE_SETS.keys())
@pytest.mark.parametrize("use_directory_urls", [True, False], ids=["directory-urls", "html-urls"])
def test_sections_rendered_once_give_the_same_pages_as_material(tmp_path, monkeypatch, use_directory_urls,
                                                                 features):
    reused = []
    original_get = SharedSidebars.get

    def counting_get(self, key):
        html = original_get(self, key)
        if key[0] == "section":
            reused.append(html is not None)
        return html

    monkeypatch.setattr(SharedSidebars, "get", counting_get)
    shared = build_project(_nav_project(tmp_path, "shared", use_directory_urls, features, True))
    assert shared.ok, shared.warnings
    shared_reused = sum(reused)
    each = build_project(_nav_project(tmp_path, "each", use_directory_urls, features, False))
    assert each.ok, each.warnings

    assert shared_reused >= 10, f"{shared_reused} sections were reused"
    shared_pages, each_pages = _pages(shared.site), _pages(each.site)
    assert shared_pages.keys() == each_pages.keys()
    different = [name for name in shared_pages if shared_pages[name] != each_pages[name]]
    assert not different, different[:5]
