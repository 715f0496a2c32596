"""The site's content: the article against its seed text, the sources, briefs and glossary."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from pybtex.database import parse_file

from conftest import DATA, REPO

SEED = (DATA / "authoritarian-axis.txt").read_text(encoding="utf-8")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    for curly, straight in (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"'), ("\u00a0", " ")):
        text = text.replace(curly, straight)
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s+([.,;:])", r"\1", text).strip()


def seed_body() -> list[str]:
    body = SEED.split("\n", 1)[1].split("By Ryan Chan")[0]
    return [p.strip() for p in body.split("\n\n") if p.strip()]


def sentences(paragraph: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+(?=[A-Z‘])", paragraph) if s]


@pytest.fixture(scope="module")
def article(real_site):
    soup = BeautifulSoup((real_site / "articles/authoritarian-axis/index.html").read_text(), "lxml")
    article = soup.select_one("article")
    for citation in article.select("span.citation"):
        citation.decompose()
    for permalink in article.select("a.headerlink"):
        permalink.decompose()
    return normalise(" ".join(block.get_text() for block in article.find_all(["p", "h1", "h2", "h3", "li"])))


def test_every_sentence_of_the_seed_body_is_in_the_article(article):
    paragraphs = seed_body()
    headings = [p for p in paragraphs if not p.endswith((".", "’", "'"))]
    assert headings == ["The Post-Crimea Sino-Russian Relationship: Fundamental Change?",
                        "A Non-Existent Axis", "Policy Implications"]
    missing = [s for p in paragraphs for s in sentences(p) if normalise(s) not in article]
    assert missing == []


def test_author_bio_and_image_credit_are_kept_and_blog_artefacts_dropped(article):
    bio = SEED.split("By Ryan Chan", 1)[1].split("Header Image", 1)[0].strip()
    assert normalise(bio) in article
    assert "Header Image by bob renner from Flickr" in article
    # only the editorial note may name the dropped artefact
    assert "Leave a Reply" not in article.replace('a stray "Leave a Reply" line', "")
    assert "Accessed 1st November 2020" not in article      # the hand-typed list is not pasted


def bib_entries():
    entries = {}
    for path in sorted((REPO / "bib").glob("*.bib")):
        entries.update(parse_file(str(path)).entries)
    return entries


SEED_REFERENCES = {  # the seed's reference list (and the NDS the body names) -> bib key
    "Bellacqua, James (ed). The Future of China-Russia Relations": "bellacqua2010future",
    "Bolt, Paul J. “Sino-Russian Relations in a Changing World Order.”": "bolt2014sino",
    "Cao, Sunny and Huong Le Thu. ‘Russia’s Growing Interests in the South China Sea’": "cao2019south",
    "Deyermond, Ruth. ‘The Collective Security Treaty Organization’": "deyermond2018csto",
    "Diesen, Glenn. ‘China’s Geoeconomics and the New Cold War’": "diesen2018geoeconomics",
    "Lukin, Artyom. ‘How Russia emerged as key mediator in the China-India dispute’": "lukin2020mediator",
    "‘Foreign Policy Concept of the Russian Federation": "mfa2016concept",
    "‘Main Foreign Policy Results in 2018’": "mfa2018results",
    "Putin, Vladimir. ‘Russia and the Changing World’": "putin2012changing",
    "Trenin, Dmitri. ‘From Greater Europe to Greater Asia? The Sino-Russian Entente’": "trenin2015entente",
    "Rettman, Andrew. ‘NATO: China-Russian Axis threatens Western power’": "rettman2020axis",
    "‘Moscow is helping Beijing build missile-attack warning system that only Russia & US have’": "rt2019warning",
    "Stent, Angela. ‘Russia and China: Axis of Revisionists?’": "stent2020axis",
    "Dmitry. ‘The Birth of Greater Eurasia’": "yefremenko2017eurasia",
    "The US National Defence Strategy (2018)": "dod2018nds",
}


def test_every_seed_reference_has_a_bib_entry_with_its_title_and_year():
    entries = bib_entries()
    assert len(entries) == 15
    for reference, key in SEED_REFERENCES.items():
        assert normalise(reference) in normalise(SEED), reference
        entry = entries[key]
        title = re.sub(r"[{}]", "", entry.fields["title"]).lower()
        words = [w for w in re.findall(r"[a-z]{4,}", normalise(reference).lower())
                 if w not in ("accessed", "november", "strategy", "defence")]
        assert any(w in title for w in words), (key, title)
        year = entry.fields.get("year") or entry.fields.get("date", "")[:4]
        assert year.isdigit()
    assert str(entries["yefremenko2017eurasia"].persons["author"][0]) == "Yefremenko, Dmitry"


def test_web_sources_carry_the_access_date_and_no_unconfirmed_url_or_doi():
    for path in sorted((REPO / "bib").glob("*.bib")):
        text = path.read_text()
        for match in re.finditer(r"(?ms)^@(\w+)\{(\S+),(.*?)^\}", text):
            kind, key, body = match.groups()
            if kind.lower() == "online":
                assert "urldate      = {2020-11-01}" in body or re.search(r"urldate\s*=\s*\{2020-11-01\}", body), key
            if re.search(r"^\s*(url|doi)\s*=", body, re.M):
                before = text[: match.start()].rstrip().splitlines()[-4:]
                assert any("confirmed" in line.lower() for line in before if line.startswith("%")), \
                    f"{key}: a URL or DOI needs a comment saying where it was confirmed"


def test_every_source_is_cited_and_every_citation_resolves(real_site):
    index = BeautifulSoup((real_site / "bibliography/index.html").read_text(), "lxml")
    counts = {li["id"]: li.select_one(".mx-bibliography__count").get_text() for li in index.select(
        "ul.mx-bibliography > li")}
    assert set(counts) == set(bib_entries())
    assert all(count.startswith("cited on") for count in counts.values()), counts
    for page in real_site.rglob("*.html"):
        assert "citation--unresolved" not in page.read_text()


def front(path: Path) -> tuple[dict, str]:
    text = path.read_text()
    _, meta, body = text.split("---", 2)
    return yaml.safe_load(meta), body


def test_briefs_are_self_contained_and_of_the_right_length():
    briefs = [p for p in (REPO / "docs/briefs").glob("*.md") if p.name != "index.md"]
    assert len(briefs) >= 5
    for path in briefs:
        meta, body = front(path)
        assert meta["title"] and meta["authors"] and meta["summary"]
        prose = re.sub(r"\[Article[^\]]*\]\([^)]*\)\{ \.mx-from-article \}", "", body)   # provenance links
        words = len(re.findall(r"\b\w[\w'’-]*\b", re.sub(r"\[@[^\]]*\]|\([^)]*\.md[^)]*\)", "", prose)))
        assert 400 <= words <= 900, (path.name, words)
        assert '!!! abstract "Key points"' in body, path.name
        assert "## Related" in body, path.name


def test_glossary_is_a_connected_web_of_at_least_twenty_entries():
    entries = {p.stem: front(p)[0] for p in (REPO / "docs/glossary").glob("*.md")}
    assert len(entries) >= 20
    required = ["bri", "csto", "greater-eurasia", "eeu", "sco", "nato", "un-security-council",
                "national-defense-strategy", "liberal-international-order", "authoritarian-axis",
                "strategic-partnership", "multipolarity", "revisionist-powers", "non-interference",
                "post-soviet-space", "great-power-status", "asymmetrical-partnership", "sanctions-2014",
                "annexation-of-crimea", "yellow-peril"]
    assert set(required) <= set(entries)
    linked_to = set()
    for slug, meta in entries.items():
        assert meta["term"] and meta["summary"]
        assert meta["see_also"], slug
        for other in meta["see_also"]:
            assert other in entries and other != slug
            linked_to.add(other)
    assert linked_to == set(entries), set(entries) - linked_to
