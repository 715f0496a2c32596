"""This site's own content checks: examples of editorial rules, to keep, change or replace.

tests/generator/ tests the generator and the rules every site follows (every source
cited, every `see_also` leads somewhere, every page reachable ...) on whatever content is
in docs/ and bib/: leave it as it is. This folder is for the rules of *your* site, such as
"every article cites its sources" or "the article quotes its seed text word for word".
`real_site` (tests/conftest.py) is the site built as readers get it.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from conftest import REPO

ARTICLES = sorted((REPO / "docs" / "articles").glob("*.md"))
GLOSSARY = sorted(path for path in (REPO / "docs" / "glossary").glob("*.md") if path.name != "index.md")
CITATION = re.compile(r"\[[^\]]*-?@[\w{]")       # [@key], [see @key, p. 5], [-@key], [@{key}]


@pytest.mark.parametrize("article", ARTICLES, ids=lambda path: path.name)
def test_every_article_cites_its_sources(article):
    assert CITATION.search(article.read_text(encoding="utf-8")), f"{article.name} cites no source"


@pytest.mark.parametrize("entry", GLOSSARY, ids=lambda path: path.stem)
def test_every_glossary_entry_is_used_on_the_site(real_site, entry):
    page = real_site / "glossary" / entry.stem / "index.html"
    mentioned = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml").select("ul.mx-backlinks a")
    assert mentioned, f"docs/glossary/{entry.name}: no page mentions this term; use it or remove the entry"
