"""Pages formatted together in one citeproc document give what each gives alone.

`model/sharing.py` lets pages whose sources cannot affect each other share a
document (pandoc parses the style once a document). The oracle is each page
formatted as a document of its own (`citeproc.render`, itself compared with
`pandoc --citeproc` by test_citeproc_oracle.py): every cluster and every
reference list must be identical, on bib files no one here wrote, with
locators, prefixes, suppressed authors, several cites, notes, and names made
to collide.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from microsite.model import citeproc, formatting, sharing
from microsite.model.citations import written_form
from microsite.model.citeproc import Document, Note, Rendered, read_style
from microsite.model.formatting import DocumentFormatter, Request
from microsite.model.sources import load_library
from microsite.problems import Problems

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"
CHICAGO = REPO / "hooks" / "microsite" / "model" / "styles" / "chicago-author-date.csl"
STYLES = DATA / "styles"

# Invented records (not real works): Chicago's "primary-name" rule gives
# J. Smith and K. Smith their initials wherever both are cited (K. Smith also
# as the editor shown in place of a missing author), the same author twice in
# a year becomes 2019a/b, and an editor (not shown) whose surname is an author's.
COLLIDING = r"""
@book{smith-j, author = {Smith, John}, title = {Rivers}, year = {2020}, publisher = {P}}
@book{smith-k, author = {Smith, Karen}, title = {Lakes}, year = {2015}, publisher = {P}}
@book{doe-a, author = {Doe, Jane}, title = {Alpha}, year = {2019}, publisher = {P}}
@book{doe-b, author = {Doe, Jane}, title = {Beta}, year = {2019}, publisher = {P}}
@book{zed, author = {Zed, Ann}, title = {Gamma}, year = {2001}, publisher = {P}}
@incollection{young, author = {Young, Bo}, title = {Delta}, booktitle = {Essays}, editor = {Smith, Karen},
  year = {2002}, publisher = {P}}
@book{xu, author = {Xu, Li}, title = {Epsilon}, year = {2003}, publisher = {P}}
@collection{smith-ed, editor = {Smith, Karen}, title = {Waters}, year = {2010}, publisher = {P}}
"""


def _library(tmp_path: Path, text: str):
    (tmp_path / "bib").mkdir(exist_ok=True)
    (tmp_path / "bib" / "library.bib").write_text(text, encoding="utf-8")
    library = load_library(str(tmp_path / "bib"), str(tmp_path), Problems())
    return {key: source.record for key, source in library.sources.items()}


def _pages(keys: list[str], count: int, seed: int = 7) -> list[Document]:
    """Pages as authors write them: 1-5 clusters, some with a locator, a prefix,
    a suppressed author, several sources, or in a footnote."""
    rng = random.Random(seed)
    pages = []
    for index in range(count):
        parts = []
        for _ in range(rng.randint(1, 5)):
            chosen = rng.sample(keys, rng.choice([1, 1, 1, 2, 3]))
            items = []
            for key in chosen:
                item = written_form(key)
                roll = rng.random()
                if roll < 0.2:
                    item = f"{item}, p. {rng.randint(1, 300)}"
                elif roll < 0.3:
                    item = f"see {item}, chap. {rng.randint(1, 9)}"
                elif roll < 0.4 and len(chosen) == 1:
                    item = "-" + item
                items.append(item)
            cluster = "[" + "; ".join(items) + "]"
            parts.append(Note((cluster,), f"As argued {cluster}.") if rng.random() < 0.1 else cluster)
        pages.append(Document(f"page-{index:03}", tuple(parts)))
    return pages


def _alone(pages, records, style) -> dict[str, Rendered]:
    try:
        return citeproc.render(pages, records, style)
    except citeproc.RenderError as error:          # real exports hold records pandoc refuses
        return error.rendered


def _shared(pages, records, style, monkeypatch) -> tuple[dict[str, Rendered], DocumentFormatter]:
    monkeypatch.setattr(sharing, "SHARE_FROM", 2)
    order = {key: index for index, key in enumerate(records)}
    formatter = DocumentFormatter(style, None, None, lambda key: "ref-" + key, position=order.__getitem__)
    keys_of = {page.ident: tuple(key for cluster in sharing.cited_keys(page) for key in cluster) for page in pages}
    outcome = formatter.format_now([Request(page, keys_of[page.ident]) for page in pages], records.get)
    return outcome.rendered, formatter


def _same(pages, records, style, monkeypatch) -> DocumentFormatter:
    shared, formatter = _shared(pages, records, style, monkeypatch)
    alone = _alone(pages, records, style)
    assert set(shared) >= set(alone)
    for ident, rendered in alone.items():
        assert shared[ident].clusters == rendered.clusters, ident
        assert shared[ident].references == rendered.references, ident
    return formatter


@pytest.mark.parametrize("style", [CHICAGO, STYLES / "apa.csl"], ids=["chicago-author-date", "apa"])
def test_pages_of_biblatex_examples_share_documents(tmp_path, monkeypatch, style):
    records = _library(tmp_path, (DATA / "biblatex-examples.bib").read_text(encoding="utf-8"))
    formatter = _same(_pages(list(records), 60), records, read_style(str(style)), monkeypatch)
    assert formatter.stats["shared"] >= 30           # most pages did share a document


def test_pages_of_a_real_export_share_documents(tmp_path, monkeypatch):
    text = (DATA / "zotero-bbt-export-3725.bib").read_text(encoding="utf-8")
    records = _library(tmp_path, text)
    keys = random.Random(3).sample(sorted(records), 400)
    formatter = _same(_pages(keys, 80, seed=11), {key: records[key] for key in records if key in set(keys)},
                      read_style(str(CHICAGO)), monkeypatch)
    assert formatter.stats["shared"] >= 40


def test_colliding_names_never_share(tmp_path, monkeypatch):
    records = _library(tmp_path, COLLIDING)
    pages = [Document("only-j", ("[@smith-j]",)), Document("only-k", ("[@smith-k]",)),
             Document("doe-a", ("[@doe-a, p. 4]",)), Document("doe-both", ("[@doe-a; @doe-b]",)),
             Document("young", ("[@young]",)), Document("zed", ("[@zed]",)), Document("xu", ("[-@xu]",)),
             Document("j-and-k", ("[@smith-j]", "[@smith-k]")), Document("editor-k", ("[@smith-ed]",)),
             Document("j-and-editor-k", ("[@smith-j; @smith-ed]",))]
    style = read_style(str(CHICAGO))
    formatter = _same(pages, records, style, monkeypatch)
    shared, _ = _shared(pages, records, style, monkeypatch)
    assert "J. Smith" not in shared["only-j"].clusters[0].html          # initials only beside K. Smith
    assert "J. Smith" in shared["j-and-k"].clusters[0].html
    assert "J. Smith" in shared["j-and-editor-k"].clusters[0].html     # an editor shown for a missing author
    assert "K. Smith" not in shared["editor-k"].clusters[0].html
    assert "2019a" not in shared["doe-a"].clusters[0].html
    assert "2019a" in shared["doe-both"].clusters[0].html
    assert formatter.stats["shared"] >= 3              # zed, xu, young (an editor is not shown) ...


def test_styles_where_pages_affect_each_other_never_share(tmp_path, monkeypatch):
    records = _library(tmp_path, COLLIDING)
    pages = _pages(list(records), 20)
    for name in ("ieee.csl", "chicago-notes-bibliography.csl", "chicago-notes-bibliography-subsequent-ibid.csl",
                 "modern-language-association.csl"):      # numbers, notes, a dash for a repeated author
        style = read_style(str(STYLES / name))
        assert not sharing.possible(style)
        formatter = _same(pages, records, style, monkeypatch)
        assert formatter.stats["shared"] == 0


def test_a_page_with_a_problem_is_reported_as_alone(tmp_path, monkeypatch):
    records = _library(tmp_path, COLLIDING)
    pages = [Document("unknown", ("[@zed]", "[@nobody]")), Document("a", ("[@xu]",)), Document("b", ("[@doe-a]",)),
             Document("c", ("[@smith-j]",))]
    monkeypatch.setattr(sharing, "SHARE_FROM", 2)
    formatter = DocumentFormatter(read_style(str(CHICAGO)), None, None, lambda key: "ref-" + key)
    outcome = formatter.format_now([Request(page, ("zed", "nobody", "xu", "doe-a", "smith-j")) for page in pages],
                                   records.get)
    assert outcome.problems == {"unknown": ["no source for 'nobody'"]}
    assert formatter.stats["shared"] == 3
    assert {"a", "b", "c"} <= set(outcome.rendered)


def test_results_that_do_not_add_up_fall_back_to_pages_alone(tmp_path, monkeypatch):
    records = _library(tmp_path, COLLIDING)
    pages = [Document("a", ("[@xu]",)), Document("b", ("[@doe-a]", "[@zed]"))]
    real_split = sharing.split
    calls = []

    def broken_split(shared, rendered):
        calls.append(shared.document.ident)
        return real_split(shared, Rendered(rendered.clusters[:-1], rendered.references))

    monkeypatch.setattr(sharing, "split", broken_split)
    formatter = _same(pages, records, read_style(str(CHICAGO)), monkeypatch)
    assert calls and formatter.stats["shared"] == 2


def test_plan_keeps_related_pages_apart():
    groups = {"a": "g1", "b": "g1", "c": "g2", "d": "g3"}
    pages = [Document("p1", ("[@a]",)), Document("p2", ("[@b]",)), Document("p3", ("[@c]", "[@d]")),
             Document("p4", ("[@a]",)), Document("p5", ("[@unknown]",)), Document("p6", ("@a says",))]
    planned = sharing.plan(pages, groups)
    shared = [item for item in planned if isinstance(item, sharing.Shared)]
    alone = {item.ident for item in planned if isinstance(item, Document)}
    assert {"p5", "p6"} <= alone                       # no record; not a bracketed citation
    for item in shared:
        used = set()
        for member in item.members:
            mine = {groups[key] for cluster in sharing.cited_keys(member) for key in cluster}
            assert not mine & used, (item.document.ident, member.ident)
            used |= mine
        assert item.document.parts == tuple(part for member in item.members for part in member.parts)
    placed = [member.ident for item in shared for member in item.members] + sorted(alone)
    assert sorted(placed) == [f"p{index}" for index in range(1, 7)]
    assert [[member.ident for member in item.members] for item in shared] == [["p1", "p3"]]
    assert {"p2", "p4"} <= alone                       # related to p1 (the same group), and to each other


def test_shared_documents_are_capped(monkeypatch):
    monkeypatch.setattr(sharing, "SHARED_PARTS", 4)
    groups = {f"k{index}": f"g{index}" for index in range(20)}
    pages = [Document(f"p{index}", (f"[@k{index}]",)) for index in range(20)]
    planned = sharing.plan(pages, groups)
    assert all(len(item.document.parts) <= 4 for item in planned if isinstance(item, sharing.Shared))
    assert sum(len(item.members) for item in planned if isinstance(item, sharing.Shared)) == 20


def test_the_formatter_shares_only_from_a_dozen_pages(tmp_path):
    records = _library(tmp_path, COLLIDING)
    style = read_style(str(CHICAGO))
    # unrelated sources (xu, zed): any two of these pages could share, were there enough
    few = [Document(f"p{index}", (f"[@{'xu' if index % 2 else 'zed'}]",)) for index in range(sharing.SHARE_FROM - 1)]
    formatter = DocumentFormatter(style, None, None, lambda key: "ref-" + key)
    formatter.format_now([Request(page, ("xu", "zed")) for page in few], records.get)
    assert formatter.stats["shared"] == 0
    assert formatting.BATCH_PARTS >= sharing.SHARED_PARTS


def test_a_record_pandoc_cannot_read_leaves_the_other_pages_shared(tmp_path, monkeypatch):
    records = _library(tmp_path, COLLIDING)
    records["broken"] = "@book{broken, title = {Unbalanced, year = 2020}"      # pandoc refuses it
    pages = [Document("cites-broken", ("[@broken]", "[@zed]")), Document("a", ("[@xu]",)),
             Document("b", ("[@doe-a]",)), Document("c", ("[@smith-j]",))]
    monkeypatch.setattr(sharing, "SHARE_FROM", 2)
    formatter = DocumentFormatter(read_style(str(CHICAGO)), None, None, lambda key: "ref-" + key)
    outcome = formatter.format_now([Request(page, ("broken", "zed", "xu", "doe-a", "smith-j")) for page in pages],
                                   records.get)
    assert list(outcome.unreadable) == ["broken"]
    assert formatter.stats["shared"] == 3
    alone = _alone(pages, records, read_style(str(CHICAGO)))
    for ident in ("a", "b", "c", "cites-broken"):
        assert outcome.rendered[ident] == alone[ident]


def test_one_pass_serves_the_listing_and_the_pages_even_with_a_record_pandoc_refuses(tmp_path, monkeypatch):
    from microsite.model import listing

    records = _library(tmp_path, COLLIDING)
    records["broken"] = "@book{broken, title = {Unbalanced, year = 2020}"
    monkeypatch.setattr(listing, "SPLIT_FROM", 2)
    monkeypatch.setattr(listing, "PIECE", 1)
    monkeypatch.setattr(sharing, "SHARE_FROM", 2)
    monkeypatch.setattr(formatting, "BATCH_PARTS", 1)      # the listing in a batch of its own
    style = read_style(str(CHICAGO))
    whole_listing = Document("#listing", tuple(f"[@{key}]" for key in records))
    pages = [Document("a", ("[@xu]",)), Document("b", ("[@doe-a]",)), Document("c", ("[@broken]",))]
    passes = []
    real_order_pass = listing.order_pass
    monkeypatch.setattr(listing, "order_pass", lambda *args, **kw: passes.append(args[0].ident) or real_order_pass(*args, **kw))
    formatter = DocumentFormatter(style, None, None, lambda key: "ref-" + key)
    outcome = formatter.format_now([Request(whole_listing, tuple(records))]
                                   + [Request(page, ("xu", "doe-a", "broken")) for page in pages], records.get)
    assert passes == ["#first-pass"]                    # one pass for the listing and the pages
    assert formatter.stats["shared"] == 2               # a and b; c cites the refused record
    with pytest.raises(citeproc.RenderError) as whole:
        citeproc.render([whole_listing], records, style)
    assert outcome.rendered["#listing"] == whole.value.rendered["#listing"]
    assert list(outcome.unreadable) == ["broken"]
