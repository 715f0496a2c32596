"""The judges on built sites (tests/judges.py): the W3C Nu HTML checker with no
error on every page, axe-core with no serious or critical violation on every
kind of page in the light and the dark palette, Lighthouse's accessibility,
best practices and SEO at 100 on every kind of page; and the reviewed copies
of Material's templates that make this possible.

The real site (the `real_site` fixture) and a test root are judged; `make
audit` runs the same judges on site/ and also reports mobile performance.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import judges
from conftest import REPO, build_project, prepare

THEME_DIR = REPO / "hooks" / "microsite" / "site" / "theme"

# The test root is judged with Material's default colours in both schemes and the
# navigation features whose markup the theme overrides (sections, tabs, indexes).
TEST_ROOT_THEME = {
    "name": "material",
    "font": False,
    "features": ["navigation.tabs", "navigation.sections", "navigation.indexes", "navigation.footer",
                 "navigation.top", "toc.follow", "search.suggest", "search.highlight", "search.share",
                 "content.tooltips"],
    "palette": [
        {"media": "(prefers-color-scheme: light)", "scheme": "default",
         "toggle": {"icon": "material/weather-night", "name": "Switch to dark mode"}},
        {"media": "(prefers-color-scheme: dark)", "scheme": "slate",
         "toggle": {"icon": "material/weather-sunny", "name": "Switch to light mode"}},
    ],
}


def require(missing: str | None) -> None:
    """Skip when a judge cannot run here; with CI=true that is a failure."""
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(missing + " - with CI=true a missing judge is a failure")
        pytest.skip(missing)


@pytest.fixture(scope="module")
def test_root_site(tmp_path_factory) -> Path:
    project = prepare("basic", tmp_path_factory.mktemp("judges"), config={"theme": TEST_ROOT_THEME})
    built = build_project(project)
    assert built.ok, built.messages
    return built.site


@pytest.fixture(scope="module")
def offline_edition(real_site, tmp_path_factory) -> Path:
    archive = next((real_site / "downloads").glob("*.zip"))
    target = tmp_path_factory.mktemp("offline-edition")
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(target)
    return target


# -- Material's templates, overridden ---------------------------------------------------

def material_templates() -> Path:
    import material

    return Path(material.__file__).parent / "templates"


def overrides() -> list[Path]:
    """Our templates that replace one of Material's. Not main.html: Material's is
    only `{% extends "base.html" %}`, the documented place for a theme's blocks."""
    upstream = material_templates()
    return sorted(path for path in THEME_DIR.rglob("*.html")
                  if path != THEME_DIR / "main.html" and (upstream / path.relative_to(THEME_DIR)).is_file())


def test_the_theme_overrides_the_templates_it_says():
    names = {path.relative_to(THEME_DIR).as_posix() for path in overrides()}
    assert names == {"base.html", "partials/footer.html", "partials/nav-item.html", "partials/search.html",
                     "partials/toc.html"}


@pytest.mark.parametrize("override", overrides(), ids=lambda path: path.relative_to(THEME_DIR).as_posix())
def test_each_override_copies_the_installed_upstream_template(override):
    """An override is a copy of Material's file with a small change. When an
    upgrade changes the upstream file, this fails: compare the override with
    the new upstream, re-apply the change and record the new hash."""
    name = override.relative_to(THEME_DIR).as_posix()
    header = override.read_text(encoding="utf-8").split("-#}", 1)[0]
    assert f"Override of Material's templates/{name}" in header, f"{override}: the header must name its upstream file"
    recorded = re.search(r"upstream sha256: ([0-9a-f]{64})", header)
    assert recorded, f"{override}: the header must record the upstream file's sha256"
    installed = hashlib.sha256((material_templates() / name).read_bytes()).hexdigest()
    assert recorded.group(1) == installed, (
        f"Material's templates/{name} has changed since {override.relative_to(REPO)} was copied from it "
        f"(recorded {recorded.group(1)[:12]}..., installed {installed[:12]}...). Compare the two, re-apply "
        f"our change to the new upstream, and record its sha256 in the header.")


# -- the W3C Nu HTML checker: 0 errors on every page --------------------------------------

def assert_no_vnu_error(folder: Path) -> None:
    require(judges.vnu_missing())
    pages = list(folder.rglob("*.html"))
    assert pages, f"no HTML page in {folder}"
    errors = judges.vnu_errors(judges.run_vnu([folder]))
    assert errors == [], f"{len(errors)} error(s) on {len(pages)} pages:\n" + "\n".join(
        judges.describe_vnu(message, folder) for message in errors)


def test_w3c_checker_finds_no_error_on_the_real_site(real_site):
    assert_no_vnu_error(real_site)


def test_w3c_checker_finds_no_error_in_the_offline_edition(offline_edition):
    assert_no_vnu_error(offline_edition)


def test_w3c_checker_finds_no_error_on_a_test_root(test_root_site):
    assert_no_vnu_error(test_root_site)


# -- landmarks -----------------------------------------------------------------------------

def test_the_offline_edition_link_is_in_the_footer_landmark_of_every_page(real_site):
    outside = []
    # 404.html is rendered without a page context, so it has no link (a known gap).
    for path in sorted(set(real_site.rglob("*.html")) - {real_site / "404.html"}):
        link = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml").select_one(".mx-download a[download]")
        if link is None or link.find_parent("footer", class_="md-footer") is None:
            outside.append(path.relative_to(real_site).as_posix())
    assert outside == []


# -- axe-core: no serious or critical violation on every kind of page, light and dark ------

@pytest.fixture(scope="module")
def served_real_site(real_site):
    with judges.serve_gzip(real_site) as base:
        yield base


def judge_with_axe(browser, base: str, kind: judges.PageKind, palette: str) -> list[str]:
    context, page, scheme = judges.open_page(browser, base, kind, palette)
    try:
        assert scheme == judges.SCHEMES[palette], f"{kind.name}: Material applied {scheme!r} for {palette}"
        return [f"{kind.name} ({kind.path or '/'}), {palette}: {judges.describe_axe(v)}"
                for v in judges.failing(judges.run_axe(page))]
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("palette", judges.PALETTES)
@pytest.mark.parametrize("kind_name", judges.KIND_NAMES)
def test_axe_finds_no_serious_violation_on_the_real_site(browser, real_site, served_real_site, kind_name, palette):
    kind = kind_of(real_site, kind_name)
    assert judge_with_axe(browser, served_real_site, kind, palette) == []


def kind_of(site, kind_name: str):
    """The page of that kind; a kind the site does not have (no briefs, no timeline) is skipped."""
    kinds = {kind.name: kind for kind in judges.page_kinds(site)}
    if kind_name not in kinds:
        pytest.skip(f"this site has no page of the kind '{kind_name}'")
    return kinds[kind_name]


@pytest.mark.browser
@pytest.mark.parametrize("palette", judges.PALETTES)
def test_axe_finds_no_serious_violation_on_a_test_root(browser, test_root_site, palette):
    kinds = judges.page_kinds(test_root_site)
    assert {"landing", "article", "glossary entry", "source page", "search open"} <= {k.name for k in kinds}
    with judges.serve_gzip(test_root_site) as base:
        found = [problem for kind in kinds for problem in judge_with_axe(browser, base, kind, palette)]
    assert found == []


# Links in prose must be told from text without colour: underlined on screen (axe's
# link-in-text-block also accepts 3:1 against the text; we want the line) and on paper.
PROSE_LINKS = {
    "citation": "article span.citation a",
    "glossary term": "article a.mx-term",
    "ordinary link": "article p a[href]:not(.mx-term):not(.citation__ref):not(.headerlink):not(.mx-pdf)",
}


@pytest.mark.browser
@pytest.mark.parametrize("medium", ["light", "dark", "print"])
def test_links_in_prose_are_underlined(browser, real_site, served_real_site, medium):
    context = browser.new_context(color_scheme="dark" if medium == "dark" else "light")
    page = context.new_page()
    if medium == "print":
        page.emulate_media(media="print")
    article = {kind.name: kind for kind in judges.page_kinds(real_site)}["article"]
    page.goto(served_real_site + article.path)
    lines = {name: page.eval_on_selector(selector, "a => getComputedStyle(a).textDecorationLine")
             for name, selector in PROSE_LINKS.items()}
    context.close()
    assert lines == {name: "underline" for name in PROSE_LINKS}


# -- Lighthouse: accessibility, best practices and SEO at 100 on every kind of page --------

# About 13 s a page here: the suite runs Lighthouse on the kinds the issue names (about
# 2 minutes); axe judges every kind, and `make audit` runs Lighthouse on every kind.
LIGHTHOUSE_KINDS = [name for name in judges.KIND_NAMES if name not in judges.SPECIAL_PAGES]


@pytest.mark.browser
@pytest.mark.parametrize("kind_name", LIGHTHOUSE_KINDS)
def test_lighthouse_scores_100_on_the_real_site(real_site, served_real_site, kind_name):
    chromium = judges.find_chromium()
    require(judges.lighthouse_missing(chromium))
    kind = kind_of(real_site, kind_name)
    result = judges.run_lighthouse(judges.url_of(served_real_site, kind), chromium)
    missed = {category: (score, result.failed[category]) for category, score in result.scores.items() if score < 100}
    assert missed == {}, f"{kind.name} ({kind.path or '/'}): {missed}"
