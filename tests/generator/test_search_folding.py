"""Search forgives accents and case (features/search.py, assets/microsite/search-folding.js):
`Muller`, `Mueller`, `Ostergaard`, `Sokolova`, `Turkmen` find the pages that spell the
names with diacritics, online and in the offline edition from file://, and Material's
highlighting marks the words as they are written, in the results and on the page.

The test root (tests/roots/search-folding) cites two entries of
tests/data/biblatex-examples.bib (Aksın, Türkmen, Hünenberger) and names fictional
people (Müller, Østergaard, Sokolová).
"""

from __future__ import annotations

import fnmatch
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import DATA, build_project, prepare, serve
from microsite.features.search import FOLDING_SCRIPT, MATERIAL_WORKER
from microsite.site.material import THEME_DIR

ARTICLE = "articles/names/"
# query, the word as the page spells it, a page that must be found
FOUND = [
    ("Muller", "Müller", ARTICLE),
    ("Mueller", "Müller", ARTICLE),            # German transliteration of ü
    ("MÜLLER", "Müller", ARTICLE),             # case, with the accent typed
    ("Ostergaard", "Østergaard", ARTICLE),
    ("Sokolova", "Sokolová", ARTICLE),
    ("Turkmen", "Türkmen", ARTICLE),           # in the article's references (biblatex-examples.bib)
    ("Aksin", "Aksın", "bibliography/"),       # dotless ı, in the bibliography (biblatex-examples.bib)
    ("Hunenberger", "Hünenberger", ARTICLE),
]


@pytest.fixture(scope="module")
def folding_site(tmp_path_factory) -> Path:
    bib = (DATA / "biblatex-examples.bib").read_text(encoding="utf-8")
    project = prepare("search-folding", tmp_path_factory.mktemp("folding"), settings={"offline": True},
                      files={"bib/biblatex-examples.bib": bib})
    built = build_project(project)
    assert built.ok, built.warnings
    return built.site


@pytest.fixture(scope="module")
def offline_root(folding_site, tmp_path_factory) -> str:
    (archive,) = (folding_site / "downloads").glob("*.zip")
    target = tmp_path_factory.mktemp("folding-offline")
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(target)
    (folder,) = [path for path in target.iterdir() if path.is_dir()]
    return folder.as_uri() + "/"


def search(page, query: str) -> list[tuple[str, list[str], str]]:
    """Type a query into Material's search box; (page path, marked words, ?h= value) of each result."""
    page.click("input.md-search__input")
    page.locator("input.md-search__input").press_sequentially(query, delay=20)   # Material listens to keyup
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    results = []
    for link in page.query_selector_all(".md-search-result__item > a.md-search-result__link"):
        address = urlsplit(link.get_attribute("href"))
        marked = [mark.inner_text().strip(".,;:") for mark in link.query_selector_all("mark")]
        results.append((address.path, marked, " ".join(parse_qs(address.query).get("h", []))))
    return results


def record_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


# -- the build ------------------------------------------------------------------------------------

def published_worker(site: Path) -> bytes:
    (worker,) = [path for path in site.rglob("*.js")
                 if fnmatch.fnmatch(path.relative_to(site).as_posix(), MATERIAL_WORKER)]
    return worker.read_bytes()


def materials_worker() -> bytes:
    from material import __file__ as material_init
    return next((Path(material_init).parent / "templates").glob(MATERIAL_WORKER)).read_bytes()


def test_the_worker_is_materials_with_the_folding_script_first(folding_site):
    script = (Path(THEME_DIR) / FOLDING_SCRIPT).read_bytes()
    assert published_worker(folding_site) == script + b"\n" + materials_worker()
    assert not (folding_site / FOLDING_SCRIPT).exists(), "the script is published inside the worker only"


def test_a_site_without_search_keeps_materials_worker(tmp_path):
    built = build_project(prepare("basic", tmp_path, config={"plugins": []}))
    assert built.ok, built.warnings
    assert published_worker(built.site) == materials_worker()
    assert not (built.site / FOLDING_SCRIPT).exists()


# -- the folding rules ------------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("word, forms", [
    ("Müller", ["muller", "mueller"]), ("MÜLLER", ["muller", "mueller"]), ("Tragödie", ["tragodie", "tragoedie"]),
    ("Østergaard", ["ostergaard"]), ("Aksın", ["aksin"]), ("İstanbul", ["istanbul"]), ("Straße", ["strasse"]),
    ("Encyclopædia", ["encyclopaedia"]), ("Sokolová", ["sokolova"]), ("Łódź", ["lodz"]), ("Þór", ["thor"]),
    ("Mu\u0308ller", ["muller", "mueller"]),          # a decomposed ü folds like the composed one
    ("plain", ["plain"]),
    ("हिन्दी", ["हिन्दी"]), ("がくせい", ["がくせい"]),   # vowel signs and kana voicing are letters, not accents
])
def test_folding_rules(browser, word, forms):
    page = browser.new_page()
    page.add_script_tag(content=(Path(THEME_DIR) / FOLDING_SCRIPT).read_text(encoding="utf-8"))
    assert page.evaluate("word => self.micrositeFoldings(word)", word) == forms
    page.close()


# -- online ---------------------------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("query, written, expected", FOUND, ids=[query for query, _, _ in FOUND])
def test_search_forgives_accents_and_marks_the_word_as_written(browser, folding_site, query, written, expected):
    with serve(folding_site) as base:
        page = browser.new_page()
        errors = record_errors(page)
        page.goto(base)
        results = search(page, query)
        found = [result for result in results if result[0] == "/" + expected and written in result[1]]
        assert found, f"{query!r}: no result for /{expected} marking {written!r}: {results}"
        assert written in found[0][2].split(), "the result's ?h= names the word as written, for the page"
        page.close()
    assert errors == []


@pytest.mark.browser
def test_following_a_result_marks_the_accented_word_on_the_page(browser, folding_site):
    with serve(folding_site) as base:
        page = browser.new_page()
        errors = record_errors(page)
        page.goto(base)
        search(page, "Ostergaard")
        links = page.query_selector_all(".md-search-result__item > a.md-search-result__link")
        next(link for link in links if "Østergaard" in parse_qs(urlsplit(link.get_attribute("href")).query)
             .get("h", [""])[0]).click()
        page.wait_for_url(f"**/{ARTICLE}**")
        marks = page.locator("article mark[data-md-highlight]")
        marks.first.wait_for(timeout=5000)
        assert "Østergaard" in marks.all_inner_texts()
        page.close()
    assert errors == []


@pytest.mark.browser
def test_unfolded_search_still_works_and_a_missing_word_shows_as_typed(browser, folding_site):
    with serve(folding_site) as base:
        page = browser.new_page()
        page.goto(base)
        assert any(path == "/" + ARTICLE and "questionnaire" in marked
                   for path, marked, _ in search(page, "questionnaire"))
        page.goto(base)
        search(page, "Müller Zyxwöv")            # one word found, one missing
        missing = page.locator(".md-search-result__terms del").all_inner_texts()
        assert missing and all(word == "zyxwöv" for word in missing), missing
        page.close()


# -- offline, from file:// ------------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("query, written", [("Mueller", "Müller"), ("Ostergaard", "Østergaard"),
                                            ("Turkmen", "Türkmen")])
def test_offline_edition_search_forgives_accents(browser, offline_root, query, written):
    context = browser.new_context()
    outside: list[str] = []

    def guard(route):
        if route.request.url.startswith(offline_root):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    errors = record_errors(page)
    page.goto(offline_root + "index.html")
    results = search(page, query)
    assert any(path.endswith("articles/names.html") and written in marked for path, marked, _ in results), results
    context.close()
    assert outside == [] and errors == []
