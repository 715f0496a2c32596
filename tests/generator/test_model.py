"""Unit tests of the model: LaTeX to text, citation syntax, the term matcher, slugs."""

from __future__ import annotations

import pytest

from microsite.model.bibtex_backend import plain_text
from microsite.model.citations import parse_cluster, scan_keys
from microsite.model.matcher import TermMatcher
from microsite.model.sources import slug_for


@pytest.mark.parametrize("latex, text", [
    (r"Aks{\i}n", "Aksın"),
    (r"{\"O}zge", "Özge"),
    (r"{\c{C}}etinkaya", "Çetinkaya"),
    (r"J.~Organomet. Chem.", "J.\u00a0Organomet. Chem."),
    (r"Computers \& Typesetting", "Computers & Typesetting"),
    (r"The {\TeX book}", "The TeXbook"),
    (r"A {Pd-N} x", "A Pd-N x"),
    (r"A \texttt{collection} entry", "A collection entry"),
    ("plain text", "plain text"),
])
def test_plain_text_decodes_latex(latex, text):
    assert plain_text(latex) == text


@pytest.mark.parametrize("body, keys, locators", [
    ("@key", ["key"], [""]),
    ("@key, p. 5", ["key"], ["5"]),
    ("@key, pp. 5--7", ["key"], ["5–7"]),
    ("see @key, chap. 2", ["key"], ["chap. 2"]),
    ("@a; @b, sec. 3", ["a", "b"], ["", "sec. 3"]),
    ("@westfahl:space, 55", ["westfahl:space"], ["55"]),
    ("@baez/article", ["baez/article"], [""]),
    ("-@key", ["key"], [""]),
])
def test_citation_syntax(body, keys, locators):
    items = parse_cluster(body)
    assert [item.key for item in items] == keys
    assert [item.locator_text() for item in items] == locators


@pytest.mark.parametrize("body", ["contact foo@bar.com", "no at sign", "a@b"])
def test_not_citations(body):
    assert parse_cluster(body) is None


def test_scan_skips_code():
    markdown = "a [@x] `[@y]`\n\n```\n[@z]\n```\n\n[see @w, p. 3] [t @n](http://x) [me@x.com]"
    assert scan_keys(markdown) == {"x", "w"}


def test_matcher_longest_whole_word_case_rules():
    matcher = TermMatcher({"Eurasia": "e", "Greater Eurasia": "g", "SCO": "s", "sanction": "n", "IN": "i"})
    text = "Greater Eurasia, Eurasian, disco Sco SCO's sanctions in IN"
    found = [(text[m.start:m.end], m.slug) for m in matcher.find(text)]
    assert found == [("Greater Eurasia", "g"), ("SCO's", "s"), ("sanctions", "n"), ("IN", "i")]


def test_matcher_does_not_take_a_closing_quote():
    matcher = TermMatcher({"Authoritarian Axis": "a"})
    text = "an ‘Authoritarian Axis’ to"
    (match,) = matcher.find(text)
    assert text[match.start:match.end] == "Authoritarian Axis"


def test_slugs_are_stable_and_url_safe():
    assert slug_for("stent2020axis") == "stent2020axis"
    assert slug_for("westfahl:space") == slug_for("westfahl:space")
    assert slug_for("westfahl:space").startswith("westfahl-space-")
    assert slug_for("a:b") != slug_for("a/b")
