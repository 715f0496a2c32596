"""Content integrity (issue #17): two voices, provenance, no unsourced quotation.

- Text outside an `editors` admonition is the article's voice: every paragraph,
  list item and table row of a brief or glossary entry carries a citation or an
  `Article § …` link (class `mx-from-article`) to the article section it restates.
- The editors' own words sit in `!!! editors "<label>"` blocks with a fixed set
  of labels, which the About page explains.
- Every provenance link lands on a real heading of the article and names it.
- Every quotation outside the editors' blocks is in the article (the seed text)
  or in the title of a reference.

The checks read the real build (`real_site`), so they see what readers see.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from pybtex.database import parse_file

from conftest import DATA, REPO, build_project

DOCS = REPO / "docs"
BRIEFS = sorted(p for p in (DOCS / "briefs").glob("*.md") if p.name != "index.md")
GLOSSARY = sorted((DOCS / "glossary").glob("*.md"))
ARTICLE_PAGE = "articles/authoritarian-axis/index.html"

GLOSSARY_LABEL = "Definition (editors)"
BRIEF_LABELS = {"Editors’ note", "Editors’ analysis", "Editors’ recommendations"}
OPENING_LABEL = "Article, opening paragraph"     # the article's first paragraph has no heading of its own

# Where the page's own Markdown ends and generated or navigation sections begin.
BRIEF_END = {"related", "references"}
GLOSSARY_END = {"see-also", "sources", "mentioned-in"}

FIX = ("Add a citation [@key] where the article (in this edition) cites a source for it, end it with "
       "[Article § Heading](../articles/authoritarian-axis.md#heading){ .mx-from-article }, "
       "or move it into an `!!! editors` block if it is the editors' own.")


# -- reading built pages -------------------------------------------------------

def built(site: Path, source: Path) -> Path:
    page = source.relative_to(DOCS).with_suffix("")
    return site / (page.parent if page.name == "index" else page) / "index.html"


def content(site: Path, source: Path, end_ids: set[str]):
    """The page's own body: <article> from the title to the first generated or 'Related' section."""
    article = BeautifulSoup(built(site, source).read_text(encoding="utf-8"), "lxml").select_one(
        "article.md-content__inner")
    end = next((h for h in article.find_all("h2") if h.get("id") in end_ids), None)
    if end is not None:
        for later in list(end.find_next_siblings()):
            later.decompose()
        end.decompose()
    return article


def blocks(article):
    """Paragraph-like blocks of the body: paragraphs, list items and table rows (outermost only)."""
    for element in article.find_all(["p", "li", "tr"]):
        if element.name == "p" and ("admonition-title" in element.get("class", [])
                                    or "mx-byline" in element.get("class", [])):
            continue
        if element.find_parent(["li", "tr"]) is not None:
            continue                      # counted with the list item or row that holds it
        if element.find_parent("div", class_="mx-title-block") is not None:
            continue                      # the title block: its summary is labelled (test below)
        if element.name == "tr" and not element.find("td"):
            continue                      # header row
        yield element


def in_editors_block(element) -> bool:
    return element.find_parent("div", class_="editors") is not None


def has_provenance(element) -> bool:
    return element.select_one("span.citation, a.mx-from-article") is not None


def excerpt(element) -> str:
    text = " ".join(element.get_text().split())
    return text[:80] + ("…" if len(text) > 80 else "")


def editors_blocks(article):
    return article.select("div.admonition.editors")


def label(admonition) -> str:
    title = admonition.select_one("p.admonition-title")
    return title.get_text().strip() if title else ""


def unsourced(site: Path, source: Path, end_ids: set[str]) -> list[str]:
    return [f"docs/{source.relative_to(DOCS)}: “{excerpt(block)}” has no source. {FIX}"
            for block in blocks(content(site, source, end_ids))
            if not in_editors_block(block) and not has_provenance(block)]


# -- provenance ----------------------------------------------------------------

@pytest.mark.parametrize("brief", BRIEFS, ids=lambda p: p.stem)
def test_every_brief_paragraph_is_sourced_or_the_editors(real_site, brief):
    assert unsourced(real_site, brief, BRIEF_END) == []


@pytest.mark.parametrize("piece", BRIEFS + sorted((DOCS / "articles").glob("*.md")), ids=lambda p: p.stem)
def test_the_summary_under_each_title_is_labelled_as_the_editors(real_site, piece):
    """The summaries are the editors' wording (About): where one is shown under a title, its
    label says so, and it is never presented as the author's abstract."""
    article = BeautifulSoup(built(real_site, piece).read_text(encoding="utf-8"), "lxml").select_one(
        "article.md-content__inner")
    shown = article.select(".mx-title-block .mx-abstract")
    assert [block.select_one(".mx-abstract__title").get_text(strip=True) for block in shown] == \
        ["Summary (editors)"], f"docs/{piece.relative_to(DOCS)}"
    assert not shown[0].has_attr("role")


@pytest.mark.parametrize("entry", GLOSSARY, ids=lambda p: p.stem)
def test_every_glossary_paragraph_in_the_articles_voice_cites_or_links_the_article(real_site, entry):
    article = content(real_site, entry, GLOSSARY_END)
    article_voice = [b for b in blocks(article) if not in_editors_block(b)]
    assert article_voice, f"docs/{entry.relative_to(DOCS)}: say first what the article says about the term"
    assert unsourced(real_site, entry, GLOSSARY_END) == []


def article_headings(site: Path) -> dict[str, tuple[str, str]]:
    soup = BeautifulSoup((site / ARTICLE_PAGE).read_text(encoding="utf-8"), "lxml")
    headings = {}
    for heading in soup.select("article.md-content__inner :is(h1, h2, h3, h4, h5, h6)[id]"):
        for permalink in heading.select("a.headerlink"):
            permalink.decompose()
        headings[heading["id"]] = (heading.name, heading.get_text().strip())
    return headings


def pages_with_provenance(site: Path) -> list[Path]:
    return [built(site, p) for p in BRIEFS + GLOSSARY]


def test_every_provenance_link_lands_on_an_article_heading_and_names_it(real_site):
    headings = article_headings(real_site)
    article_url = "/" + ARTICLE_PAGE.removesuffix("index.html")
    seen = 0
    problems = []
    for page in pages_with_provenance(real_site):
        page_url = "/" + page.relative_to(real_site).as_posix()
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        for link in soup.select("article a.mx-from-article"):
            seen += 1
            target = urlsplit(urljoin(page_url, link["href"]))
            text = " ".join(link.get_text().split())
            where = f"{page.relative_to(real_site)}: link “{text}” → {link['href']}"
            if target.path != article_url:
                problems.append(f"{where}: does not point to the article")
                continue
            anchor = unquote(target.fragment)
            if anchor not in headings:
                problems.append(f"{where}: the article has no heading #{anchor}")
                continue
            level, heading = headings[anchor]
            expected = OPENING_LABEL if level == "h1" else f"Article § {heading}"
            if text != expected:
                problems.append(f"{where}: write “{expected}”")
    assert seen >= len(BRIEFS) + len(GLOSSARY)       # the check ran on real links
    assert problems == []


def test_every_link_into_the_article_from_briefs_and_glossary_resolves(real_site):
    """Also the 'Related' lists: MkDocs' anchor validation is off under -v, this is not."""
    headings = article_headings(real_site)
    article_url = "/" + ARTICLE_PAGE.removesuffix("index.html")
    broken = []
    for page in pages_with_provenance(real_site):
        page_url = "/" + page.relative_to(real_site).as_posix()
        for link in BeautifulSoup(page.read_text(encoding="utf-8"), "lxml").select("article a[href]"):
            target = urlsplit(urljoin(page_url, link["href"]))
            if target.path == article_url and target.fragment and unquote(target.fragment) not in headings:
                broken.append(f"{page.relative_to(real_site)}: {link['href']}")
    assert broken == []


# -- the editors' voice ----------------------------------------------------------

def test_editors_blocks_are_labelled_consistently(real_site):
    problems = []
    for source in BRIEFS + GLOSSARY:
        is_entry = source in GLOSSARY
        article = content(real_site, source, GLOSSARY_END if is_entry else BRIEF_END)
        allowed = {GLOSSARY_LABEL} if is_entry else BRIEF_LABELS
        for block in editors_blocks(article):
            if label(block) not in allowed:
                problems.append(f"docs/{source.relative_to(DOCS)}: editors' block labelled “{label(block)}”; "
                                f"use one of {sorted(allowed)}")
        for admonition in article.select("div.admonition:not(.editors)"):
            if "editor" in label(admonition).lower():
                problems.append(f"docs/{source.relative_to(DOCS)}: “{label(admonition)}” is the editors' voice: "
                                "write it as `!!! editors`")
    assert problems == []


@pytest.mark.parametrize("entry", GLOSSARY, ids=lambda p: p.stem)
def test_a_glossary_entry_states_the_article_first_and_at_most_one_editors_definition_last(real_site, entry):
    article = content(real_site, entry, GLOSSARY_END)
    definitions = editors_blocks(article)
    assert len(definitions) <= 1, entry.name
    if definitions:
        later = [b for b in definitions[0].find_all_next(["p", "li", "tr"]) if not in_editors_block(b)]
        assert later == [], f"docs/{entry.relative_to(DOCS)}: the editors' definition comes after the article's part"


def test_every_brief_opens_with_the_editors_note(real_site):
    for brief in BRIEFS:
        body = [child for child in content(real_site, brief, BRIEF_END).find_all(recursive=False)
                if child.name != "h1" and not {"mx-byline", "mx-title-block"} & set(child.get("class", []))]
        assert "editors" in body[0].get("class", []) and label(body[0]) == "Editors’ note", \
            f"docs/{brief.relative_to(DOCS)}: begin with `!!! editors \"Editors’ note\"` saying what the brief is"


def test_the_site_explains_every_label_it_uses(real_site):
    """The About page, the landing page and the briefs index name each label and the provenance link."""
    used = set()
    for source in BRIEFS + GLOSSARY:
        ends = GLOSSARY_END if source in GLOSSARY else BRIEF_END
        used |= {label(b) for b in editors_blocks(content(real_site, source, ends))}
    assert GLOSSARY_LABEL in used and "Editors’ analysis" in used and "Editors’ recommendations" in used
    for page, must_name in (("about.md", used | {"Article §"}),
                            ("index.md", (used - {"Editors’ note"}) | {"Article §"}),
                            ("briefs/index.md", (used & BRIEF_LABELS) | {"Article §"})):
        text = " ".join(content(real_site, DOCS / page, set()).get_text().split())
        missing = sorted(name for name in must_name if name not in text)
        assert missing == [], f"docs/{page} does not explain {missing}"


# -- quotations --------------------------------------------------------------------

def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    for curly, straight in (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"')):
        text = text.replace(curly, straight)
    return " ".join(text.split())


def verbatim(quotation: str, sources: str) -> bool:
    """Word for word, whole words at both ends ('revisionist power' is not in 'revisionist powers')."""
    return re.search(rf"(?<!\w){re.escape(normalise(quotation))}(?!\w)", sources) is not None


def reference_titles() -> list[str]:
    titles = []
    for path in sorted((REPO / "bib").glob("*.bib")):
        for entry in parse_file(str(path)).entries.values():
            titles.append(entry.fields["title"].replace("\\&", "&").replace("{", "").replace("}", ""))
    return titles


@pytest.fixture(scope="module")
def quotable() -> str:
    """The article as published (the seed text, whose end is its reference list) and the bib titles."""
    seed = (DATA / "authoritarian-axis.txt").read_text(encoding="utf-8").replace("Leave a Reply", "")
    return normalise("\n".join([seed, *reference_titles()]))


CLOSING = {"‘": "’", "“": "”"}


def quotations(text: str) -> list[list[str]]:
    """Each quotation as its possible readings, shortest first.

    A closing ’ is also the apostrophe ("Russia’s", "parties’ interests"), so
    every ’ not followed by a letter, up to the next opening mark, may end the
    quotation; it passes if one reading is verbatim in the sources."""
    found = []
    for match in re.finditer("[‘“]", text):
        start, close = match.end(), CLOSING[match.group()]
        stop = next((m.start() for m in re.finditer("[‘“]", text[start:])), len(text) - start) + start
        ends = [m.start() for m in re.finditer(close, text[start:stop + 1]) if not
                re.match(r"\w", text[start + m.end():start + m.end() + 1])]
        if ends:
            found.append([text[start:start + end] for end in ends])
    return found


def visible_text(article) -> str:
    for removed in article.select("span.citation, a.headerlink, a.mx-from-article, div.admonition.editors"):
        removed.decompose()
    return " ".join(article.get_text().split())


def front_matter_text(source: Path) -> str:
    meta = yaml.safe_load(source.read_text(encoding="utf-8").split("---", 2)[1]) or {}
    return " ".join(str(meta.get(key, "")) for key in ("title", "term", "summary"))


@pytest.mark.parametrize("source", BRIEFS + GLOSSARY + [DOCS / "briefs/index.md", DOCS / "index.md"],
                         ids=lambda p: str(p.relative_to(DOCS)))
def test_every_quotation_outside_the_editors_blocks_is_verbatim_in_the_article_or_a_reference_title(
        real_site, quotable, source):
    article = content(real_site, source, GLOSSARY_END if source in GLOSSARY else BRIEF_END)
    text = visible_text(article) + " " + front_matter_text(source)
    unfound = [readings[-1] for readings in quotations(text)
               if not any(verbatim(reading, quotable) for reading in readings)]
    assert unfound == [], (f"docs/{source.relative_to(DOCS)}: quoted but not in the article or a reference "
                           f"title: {unfound}. Quote the article word for word, or drop the quotation marks.")


def test_the_quotation_check_can_fail(quotable):
    """Apostrophes inside a quotation are read right; altered wording and cut words are rejected."""
    assert quotations("says ‘Russia’s great power status’ here") == [["Russia’s great power status"]]
    assert quotations("‘parties’ interests do not coincide’, “x”") == [
        ["parties", "parties’ interests do not coincide"], ["x"]]
    assert verbatim("parties’ interests do not coincide", quotable)
    assert verbatim("revisionist powers", quotable)
    assert not verbatim("revisionist power", quotable)
    assert not verbatim("revisionist states", quotable)
    assert verbatim("Russia and China: Axis of Revisionists?", quotable)     # a reference title


# -- MkDocs anchor validation (mkdocs.yml) -----------------------------------------

def test_a_link_to_a_missing_heading_fails_the_strict_build(tmp_path):
    project = tmp_path / "site"
    project.mkdir()
    for name in ("docs", "bib"):
        shutil.copytree(REPO / name, project / name)
    (project / "hooks").symlink_to(REPO / "hooks")
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))
    assert config["validation"]["links"]["anchors"] == "warn"
    config["site_url"] = None
    config["extra"]["microsite"].update(offline=False, pdf=False, cache_dir=str(tmp_path / "cache"))
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    brief = project / "docs/briefs/key-judgments.md"
    text = brief.read_text(encoding="utf-8")
    assert "#policy-implications)" in text
    brief.write_text(text.replace("#policy-implications)", "#policy-implication)", 1), encoding="utf-8")
    result = build_project(project)
    assert not result.ok
    assert any("does not contain an anchor '#policy-implication'" in w for w in result.warnings), result.warnings
