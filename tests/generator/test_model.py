"""Unit tests of the model: LaTeX to text and rich text, addresses, private fields, citation
syntax and the pre-scan, the term matcher, slugs."""

from __future__ import annotations

import pytest

from microsite.model.bibtex_backend import plain_text
from microsite.model.citations import (Malformed, glued_keys, key_problem, parse_cluster, scan_clusters, scan_keys,
                                       written_form)
from microsite.model.latex import rich_html
from microsite.model.matcher import TermMatcher
from microsite.model.privacy import PrivacyRules
from microsite.model.sources import slug_for
from microsite.model.urls import Link, defuse, link_for, withheld


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
    long_key = "k" * 300          # a file name holds 255 bytes: the page of such a key could not be written
    assert len(slug_for(long_key)) <= 100 and slug_for(long_key) != slug_for("k" * 299)
    assert slug_for("k" * 100) == "k" * 100


# -- LaTeX in bib fields (pylatexenc; nh3 for rich text) ----------------------

@pytest.mark.parametrize("latex, text", [
    (r"\emph{Kept} and \foo{bar}", "Kept and bar"),            # unknown commands keep their text
    (r"\textsuperscript{th} \mkbibquote{Q}", "th “Q”"),
    (r"Stra{\ss}e \'{e}\`a \v{c} \L{}\'od\'z", "Straße éà č Łódź"),
    (r"pp. 181--188", "pp. 181–188"),
    (r"50% off, \% and Taylor & Francis", "50% off, % and Taylor & Francis"),  # % is no comment here
    (r"$\alpha$-helix", "α-helix"),
    (r"\href{https://example.org}{the text}", "the text"),
    (r"\noopsort{b}Title", "Title"),
    (r"<i>Homo sapiens</i> <script>x</script>", "Homo sapiens <script>x</script>"),
    (r"unbalanced \emph{", "unbalanced"),
])
def test_plain_text_keeps_the_text_of_every_command(latex, text):
    assert plain_text(latex) == text


@pytest.mark.parametrize("latex, html", [
    (r"\emph{Homo} \textbf{b} H\textsubscript{2}O x\textsuperscript{2}",
     "<i>Homo</i> <b>b</b> H<sub>2</sub>O x<sup>2</sup>"),
    ('<i>In</i> <b>bold</b> <sup>1</sup> <span class="nocase">iPhone</span>',
     '<i>In</i> <b>bold</b> <sup>1</sup> <span class="nocase">iPhone</span>'),
    ("<script>alert(1)</script> & <b onclick='x'>b</b>",
     "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b onclick='x'&gt;b"),
    ('<span style="color:red">x</span> <img src=x onerror=alert(1)>',
     '&lt;span style="color:red"&gt;x&lt;/span&gt; &lt;img src=x onerror=alert(1)&gt;'),
    (r"\emph{a < b & c}", "<i>a &lt; b &amp; c</i>"),
    ("<i>never closed", "<i>never closed</i>"),
])
def test_rich_html_keeps_allowed_markup_and_escapes_the_rest(latex, html):
    assert rich_html(latex) == html


# -- addresses ------------------------------------------------------------------

@pytest.mark.parametrize("name, value, text, href, problem", [
    ("url", "https://example.org/a\"<>`'", "https://example.org/a\"<>`'",
     "https://example.org/a%22%3C%3E%60%27", None),
    ("url", "https://example.org/a b", "https://example.org/a b", None,
     "`url = {https://example.org/a b}` contains a space, which a web address cannot contain"),
    ("url", r"{https://example.org/a\_b\%20}", "https://example.org/a_b%20", "https://example.org/a_b%20", None),
    ("url", " JaVaScRiPt:alert(1)", "JaVaScRiPt:alert(1)", None,
     "`url = {JaVaScRiPt:alert(1)}` uses the scheme 'javascript:', which is not a web address"),
    ("url", "&#106;avascript:alert(1)", "javascript:alert(1)", None,
     "`url = {javascript:alert(1)}` uses the scheme 'javascript:', which is not a web address"),
    ("url", "java\tscript:alert(1)", "javascript:alert(1)", None,
     "`url = {javascript:alert(1)}` uses the scheme 'javascript:', which is not a web address"),
    ("url", "data:text/html,x", "data:text/html,x", None,
     "`url = {data:text/html,x}` uses the scheme 'data:', which is not a web address"),
    ("url", "www.example.org", "www.example.org", None, "`url = {www.example.org}` is not a full web address"),
    ("doi", "10.1080/08990229771042", "10.1080/08990229771042", "https://doi.org/10.1080/08990229771042", None),
    ("doi", "https://doi.org/10.1000/a<b>", "10.1000/a<b>", "https://doi.org/10.1000/a%3Cb%3E", None),
    ("doi", "info:doi/10.1076/jnmr.32.4.395.18858", "10.1076/jnmr.32.4.395.18858",
     "https://doi.org/10.1076/jnmr.32.4.395.18858", None),
    ("doi", "R. Parasuraman", "R. Parasuraman", None, "`doi = {R. Parasuraman}` is not a DOI"),
    ("urn", "urn:nbn:de:101:1-2020", "urn:nbn:de:101:1-2020", "https://nbn-resolving.org/urn:nbn:de:101:1-2020",
     None),
    ("urn", "urn:isbn:0451450523", "urn:isbn:0451450523", None, None),
    ("pmid", "12345", "12345", "https://pubmed.ncbi.nlm.nih.gov/12345/", None),
])
def test_addresses_become_links_only_when_safe(name, value, text, href, problem):
    link, found = link_for(name, value)
    assert (link.text, link.href) == (text, href)
    assert (found.message if found else None) == problem


def test_eprints_go_to_their_service_and_private_addresses_to_nothing():
    assert link_for("eprint", "2101.00001", "arXiv")[0].href == "https://arxiv.org/abs/2101.00001"
    assert link_for("eprint", "12345", "unknown-service") == (Link("eprint", "12345"), None)
    for identifier, kind in (("2101.00001v2", "arxiv"), ("arXiv:2101.00001", "arxiv"), ("hep-th/9901001", "arXiv"),
                             ("math.GT/0309136", "arxiv"), ("20.500.12345/678", "hdl")):
        assert link_for("eprint", identifier, kind)[0].href.endswith(identifier.removeprefix("arXiv:")), identifier
    assert link_for("eprint", "https://arxiv.org/abs/2101.00001", "arxiv")[0].href == "https://arxiv.org/abs/2101.00001"
    assert link_for("pmid", "PMID: 123")[0].href == "https://pubmed.ncbi.nlm.nih.gov/123/"
    assert link_for("pmcid", "pmc123")[0].href == "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC123/"
    assert link_for("eprint", "arXiv: 2101.00001", "arxiv")[0].href == "https://arxiv.org/abs/2101.00001"
    assert link_for("eprint", "1412.0001", "arxiv")[0].href == "https://arxiv.org/abs/1412.0001"
    assert link_for("eprint", "hdl:1721.1/12345", "hdl")[0].href == "https://hdl.handle.net/1721.1/12345"
    assert link_for("eprint", "123", "pubmed")[0].href == "https://pubmed.ncbi.nlm.nih.gov/123/"
    for value in ("file:///Users/dan/a.pdf", "papers3://publication/uuid/X", "~/BBTTEST/a.pdf",
                  "zotero://select/items/1", "C:\\Users\\dan\\a.pdf", "https://localhost/a"):
        assert link_for("url", value) == (None, None)


@pytest.mark.parametrize("name, value, kind, problem", [
    ("eprint", "not an id", "arxiv", "`eprint = {not an id}` is not an arXiv identifier"),
    ("eprint", "javascript:alert(1)", "arxiv", "`eprint = {javascript:alert(1)}` is not an arXiv identifier"),
    ("eprint", "2101.1", "arxiv", "`eprint = {2101.1}` is not an arXiv identifier"),
    ("eprint", "javascript:alert(1)", "hdl", "`eprint = {javascript:alert(1)}` is not a handle"),
    ("pmid", "Cambridge University Press", "", "`pmid = {Cambridge University Press}` is not a PubMed ID"),
    ("pmcid", "1811876", "", "`pmcid = {1811876}` is not a PubMed Central ID"),
    ("eprint", "2113.00001", "arxiv", "`eprint = {2113.00001}` is not an arXiv identifier"),          # month 13
    ("eprint", "1501.0001", "arxiv", "`eprint = {1501.0001}` is not an arXiv identifier"),            # 5 digits since 2015
    ("eprint", "HEP-TH/9901001", "arxiv", "`eprint = {HEP-TH/9901001}` is not an arXiv identifier"),
    ("eprint", "2101.00001v0", "arxiv", "`eprint = {2101.00001v0}` is not an arXiv identifier"),
    ("eprint", "n/a", "hdl", "`eprint = {n/a}` is not a handle"),
    ("eprint", "hdl.handle.net/20.500/1", "hdl", "`eprint = {hdl.handle.net/20.500/1}` is not a handle"),
    ("eprint", "Cambridge University Press", "pubmed", "`eprint = {Cambridge University Press}` is not a PubMed ID"),
])
def test_identifiers_that_are_not_what_their_service_writes_are_text_and_reported(name, value, kind, problem):
    link, found = link_for(name, value, kind)
    assert (link.text, link.href, found.message) == (value, None, problem)


def test_what_reaches_the_published_bibtex_links_only_to_web_addresses():
    # pandoc turns the url field and \url, \href in any field into live links, whatever their scheme
    assert withheld("url", "vbscript:x").message == \
        "`url = {vbscript:x}` uses the scheme 'vbscript:', which is not a web address"
    assert withheld("url", "https://example.org") is None
    assert withheld("title", "javascript:x") is None               # not an address field: text
    value, problem = defuse("title", r"A \href{javascript:alert(1)}{\emph{Linked}} Title")
    assert value == r"A \emph{Linked} Title"
    assert problem.message == "`title` links to `javascript:alert(1)`, which is not a web address"
    assert defuse("note", r"See \url{data:text/html,x} and \url{https://example.org}")[0] == \
        r"See \nolinkurl{data:text/html,x} and \url{https://example.org}"
    assert defuse("note", r"\href{https://example.org}{fine}") == (r"\href{https://example.org}{fine}", None)
    assert defuse("title", "Data: a history") == ("Data: a history", None)


# -- private fields ---------------------------------------------------------------

def test_private_fields_by_name_and_by_value():
    rules = PrivacyRules()
    for name in ("file", "local-url", "annote", "annotation", "rating", "read", "date-added", "date-modified",
                 "owner", "timestamp", "mendeley-groups", "Mendeley-Tags", "groups"):
        assert rules.is_private(name, "x"), name
    for value in ("file://localhost/Users/dan/Dropbox/a.pdf", "papers3://publication/doi/10.1",
                  "~/BBTTEST/x.pdf", "/home/ann/papers/x.pdf", r"E:/{{Articolele Mele}}/a.dvi", r"\url{file:///x}"):
        assert rules.is_private("note", value), value
    for value in ("Message: a title", "https://example.org", "10.1234/x", "Data: a history"):
        assert not rules.is_private("note", value), value
    assert not rules.is_private("title", "A title")


def test_private_fields_option_extends_and_narrows_the_list():
    rules = PrivacyRules.from_option(add=["keywords", "x-*"], keep=["annote"])
    assert rules.is_private("keywords", "to read") and rules.is_private("X-Internal", "1")
    assert not rules.is_private("annote", "a public annotation")
    assert rules.is_private("file", "a.pdf")
    assert PrivacyRules.from_option(keep=["annote", "titel"]).unknown_keep() == ["titel"]


# -- citation syntax: braced keys, malformed brackets, the pre-scan -------------------

@pytest.mark.parametrize("body, keys", [
    ("@{Anonymous:sADf10u-}", ["Anonymous:sADf10u-"]),
    ("see @{a--b}, p. 3; -@{a;b}", ["a--b", "a;b"]),
    ("@Anonymous:sADf10u-", ["Anonymous:sADf10u"]),      # pandoc: trailing punctuation is text
    ("@a://b", ["a://b"]),
    ("@élan:x", ["élan:x"]),
])
def test_braced_and_bare_keys_as_pandoc_reads_them(body, keys):
    assert [item.key for item in parse_cluster(body)] == keys


@pytest.mark.parametrize("body, reason", [
    ("@", "'@' is not followed by a citation key"),
    ("see @", "'@' is not followed by a citation key"),
    ("@:key", "a citation key cannot begin with ':' when written bare"),
    ("@{}", "'@{}' is not a key in braces"),
    ("@{ab", "'@{ab' is not a key in braces"),
    ("@a; see", "'see' has no citation key"),
    ("@a;", "an empty part between ';'"),
])
def test_malformed_brackets_say_why(body, reason):
    result = parse_cluster(body)
    assert isinstance(result, Malformed) and result.reason == reason
    assert not result                   # callers testing `if not items` leave the text alone


def test_a_bare_key_glued_to_text_that_makes_another_key_is_found():
    keys = {"c", "c=d", "smith2020", "smith2020.", "a"}
    assert glued_keys("@c=d", keys.__contains__) == [("c", "c=d")]
    assert glued_keys("see @smith2020., p. 4; -@c=d", keys.__contains__) == [("smith2020", "smith2020."),
                                                                              ("c", "c=d")]
    # braced, spaced or a comma after the key, or no such key: nothing to say
    assert glued_keys("@{c=d}; @c, =d; @c =d; @a*b; @c=e", keys.__contains__) == []


def test_written_form_braces_keys_that_cannot_be_written_bare():
    assert written_form("westfahl:space") == "@westfahl:space"
    assert written_form("Anonymous:sADf10u-") == "@{Anonymous:sADf10u-}"
    assert written_form("Anonymous:OQ--toxY") == "@{Anonymous:OQ--toxY}"
    assert key_problem("Anonymous:sADf10u-") is None
    assert key_problem("a#b") == "the key 'a#b' contains '#', which pandoc's BibTeX reader does not accept"
    assert key_problem("a[1]") == "the key 'a[1]' contains '[', ']', which a citation in Markdown cannot carry"


def test_scan_clusters_skips_comments_and_code_and_gives_lines():
    markdown = "\n".join([
        "a [@x]",                                   # 3
        "<!-- [@commented] -->",                    # 4
        "text <!-- [@inline]",                      # 5
        "--> more [@y] `[@code]` \\[@escaped]",      # 6
        "",                                         # 7
        "Para.",                                    # 8
        "",                                         # 9
        "    [@indented]",                          # 10
        "",                                         # 11
        "- item",                                   # 12
        "",                                         # 13
        "    continued [@in-list]",                 # 14
        "",                                         # 15
        "!!! note",                                 # 16
        "",                                         # 17
        "    in a note [@in-note]",                 # 18
        "",                                         # 19
        "~~~~",                                     # 20
        "[@fenced]",                                # 21
        "~~~~",                                     # 22
        "[@] and [@{Anonymous:sADf10u-}, p. 4]",    # 23
        "a <!-- never closed [@open]",              # 24
    ])
    found = [(c.line, c.text, c.keys, c.malformed.reason if c.is_malformed else None)
             for c in scan_clusters(markdown, first_line=3)]
    assert found == [
        (3, "[@x]", ("x",), None),
        (6, "[@y]", ("y",), None),
        (14, "[@in-list]", ("in-list",), None),
        (18, "[@in-note]", ("in-note",), None),
        (23, "[@]", (), "'@' is not followed by a citation key"),
        (23, "[@{Anonymous:sADf10u-}, p. 4]", ("Anonymous:sADf10u-",), None),
        (24, "[@open]", ("open",), None),       # Python-Markdown shows an unclosed comment as text
    ]
    assert scan_keys(markdown) == {"x", "y", "in-list", "in-note", "Anonymous:sADf10u-", "open"}


# -- formatting: the queue of batches ----------------------------------------------


def _formatter_with_fake_pandoc(monkeypatch, seconds: float, fail: bool = False):
    """A DocumentFormatter whose citeproc is a stand-in that records which thread
    formatted each batch (one document a batch)."""
    import threading
    import time

    from microsite.model import citeproc, formatting
    from microsite.model.citeproc import Cluster, Rendered, StyleInfo

    calls = []

    def render(documents, records, style, **options):
        if fail:
            raise RuntimeError("a defect in formatting")
        calls.append(([document.ident for document in documents], threading.current_thread().name))
        time.sleep(seconds)
        return {document.ident: Rendered((Cluster(document.ident, False, ()),), ()) for document in documents}

    monkeypatch.setattr(citeproc, "render", render)
    monkeypatch.setattr(formatting, "BATCH_PARTS", 1)
    style = StyleInfo(path="x.csl", title="X", id="x", note=False, numeric=False, default_locale=None, digest="0" * 40)
    return formatting.DocumentFormatter(style, None, None, lambda key: "ref-" + key), calls


def _requests(sizes):
    from microsite.model.citeproc import Document
    from microsite.model.formatting import Request

    return [Request(Document(f"doc{index}", tuple(f"[@k{part}]" for part in range(size))), ())
            for index, size in enumerate(sizes)]


def test_the_build_thread_formats_beside_the_workers_largest_batch_first(monkeypatch):
    import threading

    formatter, calls = _formatter_with_fake_pandoc(monkeypatch, seconds=0.3)
    requests = _requests([1, 5, 2, 1, 1, 1])
    job = formatter.start(requests, lambda key: None)
    outcome = job.result()
    assert sorted(outcome.rendered) == [f"doc{index}" for index in range(6)]
    assert all(outcome.rendered[ident].clusters[0].html == ident for ident in outcome.rendered)
    assert calls[0][0] == ["doc1"]                       # the largest document went first
    threads = {thread for _, thread in calls}
    assert threading.current_thread().name in threads    # the waiting thread formatted too
    assert len(threads) >= 2
    assert formatter.stats["batches"] == 6 and formatter.stats["formatted"] == 6


def test_with_an_order_batches_come_as_the_pages_need_them(monkeypatch):
    """A build renders page after page: the batch the next page needs comes first, and a
    long listing shown only by the last pages comes last instead of holding them up."""
    from microsite.model import formatting

    formatter, calls = _formatter_with_fake_pandoc(monkeypatch, seconds=0.2)
    monkeypatch.setattr(formatting.os, "cpu_count", lambda: 2)     # one formatting thread, no helpers
    requests = _requests([1, 5, 2, 1, 1, 1])
    needed = {"doc3": 0, "doc0": 1, "doc2": 2, "doc5": 3, "doc4": 4, "doc1": 5}   # doc1: the largest, last
    job = formatter.start(requests, lambda key: None, order=lambda request: needed[request.document.ident])
    job.future.result()          # the formatting thread alone, so that the order it takes them in shows
    job.result()
    taken = [idents[0] for idents, _ in calls]
    assert taken[0] == "doc3"
    assert sorted(taken[:2]) == ["doc0", "doc3"] and "doc1" in taken[-2:]
    assert taken == sorted(needed, key=needed.get)


def test_the_render_order_is_the_order_of_mkdocs_files():
    from mkdocs.structure.files import File, Files

    from microsite.features.formatting import _render_order
    from microsite.model.citeproc import Document
    from microsite.model.formatting import Request

    files = Files([File(uri, "docs", "site", True) for uri in ("index.md", "a.md", "bibliography/index.md", "b.md")])
    files.append(File("style.css", "docs", "site", True))
    rank = _render_order(files)
    page = Request(Document("b.md", ("[@k]",)), ("k",))
    cite_this = Request(Document("#cite:a.md", ("[@a]",)), ("a",), page="a.md")
    listing = Request(Document("#bibliography", ("[@k]",)), ("k",), page="bibliography/index.md")
    unknown = Request(Document("#elsewhere", ("[@k]",)), ("k",))
    assert [rank(request) for request in (cite_this, listing, page, unknown)] == [1, 2, 3, 4]
    # Where a request is needed is not part of what it asks: predicted and found requests compare equal.
    assert Request(Document("b.md", ("[@k]",)), ("k",), page="x.md") == page


def test_a_defect_while_formatting_is_raised_not_a_hang(monkeypatch):
    formatter, _ = _formatter_with_fake_pandoc(monkeypatch, seconds=0.0, fail=True)
    job = formatter.start(_requests([1, 1, 1]), lambda key: None)
    with pytest.raises(RuntimeError, match="a defect in formatting"):
        job.result()


def test_a_page_gets_its_own_result_without_waiting_for_the_rest(monkeypatch):
    """`FormatJob.get`: the asking thread formats the batch it needs at once, even while
    every other batch is stuck; a document never asked for is None at once."""
    import threading

    from microsite.model import citeproc, formatting
    from microsite.model.citeproc import Cluster, Rendered, StyleInfo

    gate, formatted = threading.Event(), []

    def render(documents, records, style, **options):
        idents = [document.ident for document in documents]
        if "doc5" not in idents:
            assert gate.wait(10), "get() waited for batches it does not need"
        formatted.append((idents, threading.current_thread().name))
        return {ident: Rendered((Cluster(ident, False, ()),), ()) for ident in idents}

    monkeypatch.setattr(citeproc, "render", render)
    monkeypatch.setattr(formatting, "BATCH_PARTS", 1)
    style = StyleInfo(path="x.csl", title="X", id="x", note=False, numeric=False, default_locale=None, digest="0" * 40)
    formatter = formatting.DocumentFormatter(style, None, None, lambda key: "ref-" + key)
    job = formatter.start(_requests([3, 2, 2, 1, 1, 1]), lambda key: None)
    assert job.get("doc5").clusters[0].html == "doc5"          # the last batch in the queue
    assert formatted == [(["doc5"], threading.current_thread().name)]
    assert job.get("not-asked-for") is None
    gate.set()
    outcome = job.result()
    assert sorted(outcome.rendered) == [f"doc{index}" for index in range(6)]
    assert job.get("doc0").clusters[0].html == "doc0"


def test_a_cached_result_is_keyed_by_the_formatter_script(monkeypatch):
    """citeproc.lua decides how records reach citeproc: results the old script made must not
    be reused after it changes (the cache lives on in `cache_dir` between versions)."""
    from microsite.model import formatting
    from microsite.model.citeproc import Document, StyleInfo
    from microsite.model.formatting import Request

    style = StyleInfo(path="x.csl", title="X", id="x", note=False, numeric=False, default_locale=None, digest="0" * 40)
    formatter = formatting.DocumentFormatter(style, None, None, lambda key: "ref-" + key)
    request = Request(Document("doc", ("[@k]",)), ("k",))
    before = formatter.fingerprint(request, lambda key: "@book{k, title={T}}")
    assert formatter.fingerprint(request, lambda key: "@book{k, title={T}}") == before
    monkeypatch.setattr(formatting, "FORMATTER_DIGEST", "another script")
    assert formatter.fingerprint(request, lambda key: "@book{k, title={T}}") != before


@pytest.mark.parametrize("name, value, problem", [
    ("isbn", "0-7695-1877-X", None),                                    # ISBN-10 with X (tests/data's Zotero export)
    ("isbn", "978-0-19-953556-9 0-19-953556-6", None),                   # an ISBN-13 and its ISBN-10
    ("isbn", "978 0 19 953556 9", None),
    ("issn", "1234-5679", None),
    ("isbn", "978160558012X", "`isbn = {978160558012X}` is not an ISBN: its check digit does not match its other "
                              "digits (a digit mistyped or two swapped?)"),
    ("isbn", "978-0-19-953556-9 0-19-953565-6", "'0-19-953565-6' in `isbn = {978-0-19-953556-9 0-19-953565-6}` is not "
                                                "an ISBN: its check digit does not match its other digits (a digit "
                                                "mistyped or two swapped?)"),
    ("isbn", "19930092208", "`isbn = {19930092208}` is not an ISBN (10 or 13 digits)"),
    ("issn", "0000-0001", "`issn = {0000-0001}` is not an ISSN: its check digit does not match its other digits (a "
                          "digit mistyped or two swapped?)"),
])
def test_isbns_and_issns_are_checked_by_their_check_digits(name, value, problem):
    from microsite.model.standard_numbers import number_problem

    found = number_problem(name, value)
    assert (found.what if found else None) == problem


def test_a_direction_mark_after_a_whole_key_is_no_part_of_it_and_a_mark_inside_one_is_named():
    # pandoc reads `@smith2020` before a right-to-left mark (editors of Arabic, Hebrew, Persian add them)
    assert parse_cluster("@smith2020\u200f, p. 5")[0].key == "smith2020"
    assert parse_cluster("see @doe2020\u00ad")[0].key == "doe2020"
    split = parse_cluster("@doe\u200b2020")
    assert isinstance(split, Malformed) and "U+200B ZERO WIDTH SPACE" in split.reason
    indic = parse_cluster("@\u0939\u093f\u0928\u094d\u0926\u09402020")
    assert isinstance(indic, Malformed) and indic.reason == (
        "the key '\u0939' is followed by a combining mark (U+093F DEVANAGARI VOWEL SIGN I), which pandoc does not "
        "read as part of a key")
    assert "without combining marks" in indic.hint
