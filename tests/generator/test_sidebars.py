"""Pages outside the navigation share their rendered sidebars (site/sidebars.py):
the output must be exactly what Material renders page by page."""

from __future__ import annotations

import shutil

import pytest
import yaml

from conftest import HOOK, REPO, build_project
from microsite.site.sidebars import SharedSidebars


def _real_project(folder, use_directory_urls: bool, share_sidebars: bool = True):
    folder.mkdir(parents=True)
    for name in ("docs", "bib"):
        shutil.copytree(REPO / name, folder / name)
    # Pages outside the navigation at other depths than the generated ones.
    for name, title in (("colophon.md", "Colophon"), ("notes/deep/note.md", "A deep note"),
                        ("notes/other.md", "Another note")):
        (folder / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / "docs" / name).write_text(f"# {title}\n\nSee the [bibliography](/bibliography/index.md).\n",
                                           encoding="utf-8")
    data = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV [SITE_URL, null]", "null"))
    data["hooks"] = [str(HOOK)]
    data.pop("watch", None)
    data["use_directory_urls"] = use_directory_urls
    data["extra"]["microsite"].update(offline=False, pdf=False, cache_dir=str(folder.parent / "cache"),
                                      share_sidebars=share_sidebars)
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


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
    shared = build_project(_real_project(tmp_path / "shared", use_directory_urls))
    assert shared.ok, shared.warnings
    shared_reused = sum(reused)
    reused.clear()
    each = build_project(_real_project(tmp_path / "each", use_directory_urls, share_sidebars=False))
    assert each.ok, each.warnings

    assert not reused                       # share_sidebars: false renders every page itself
    # Most source and glossary pages reused a rendered sidebar ...
    assert shared_reused >= 30, f"{shared_reused} pages reused a sidebar"
    # ... and every page is byte for byte what Material renders for it alone.
    shared_pages, each_pages = _pages(shared.site), _pages(each.site)
    assert shared_pages.keys() == each_pages.keys()
    different = [name for name in shared_pages if shared_pages[name] != each_pages[name]]
    assert not different, different[:5]
