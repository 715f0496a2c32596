"""citeproc.render() against the oracle: pandoc itself.

Each page below is rendered twice: by `pandoc --citeproc` on the page's
Markdown with the same CSL style and bib files (the oracle), and by
`render()` as a Document of its clusters and author notes. Clusters (in
running text and in notes, in the order a reader meets them) and references
are compared one by one, as text with white space normalised and emphasis,
strong, super- and subscripts marked, and by the targets of their links.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag

from microsite.model import citeproc
from microsite.model.citeproc import Document, Note, read_style, render
from microsite.model.sources import load_library
from microsite.problems import Problems

REPO = Path(__file__).resolve().parents[2]
STYLES_DIR = REPO / "tests" / "data" / "styles"
STYLES = {
    "chicago-author-date": REPO / "hooks" / "microsite" / "model" / "styles" / "chicago-author-date.csl",
    "apa": STYLES_DIR / "apa.csl",
    "ieee": STYLES_DIR / "ieee.csl",
    "modern-language-association": STYLES_DIR / "modern-language-association.csl",
    "chicago-notes-bibliography": STYLES_DIR / "chicago-notes-bibliography.csl",
    "chicago-shortened-notes-bibliography": STYLES_DIR / "chicago-shortened-notes-bibliography.csl",
    "chicago-notes-bibliography-subsequent-ibid": STYLES_DIR / "chicago-notes-bibliography-subsequent-ibid.csl",
}

# Synthetic sources for what the other bib files lack: the same author twice
# in a year (2020a/b) and the same surname with other given names (added
# initials or full given names). Invented test records, not real works.
SYNTHETIC_BIB = r"""
@book{roe2020gamma, author = {Roe, Rachel}, title = {Gamma}, publisher = {Example Press}, year = {2020}}
@book{roe2020delta, author = {Roe, Rachel}, title = {Delta}, publisher = {Example Press}, year = {2020}}
@article{roe2020epsilon, author = {Roe, Rachel and Poe, Paul}, title = {Epsilon}, journal = {Example Journal},
  volume = {3}, pages = {10--20}, year = {2020}}
@book{smith2019alpha, author = {Smith, John}, title = {Alpha}, publisher = {Example Press}, year = {2019}}
@book{smith2019beta, author = {Smith, Adam}, title = {Beta}, publisher = {Example Press}, year = {2019}}
@book{smith2019zeta, author = {Smith, Jane}, title = {Zeta}, publisher = {Example Press}, year = {2019}}
@incollection{poe2018eta, author = {Poe, Paul}, title = {Eta}, booktitle = {Example Collection},
  editor = {Roe, Rachel}, publisher = {Example Press}, address = {Example City}, pages = {5--9}, year = {2018}}
@online{doe2020theta, author = {Doe, Jane}, title = {Theta}, year = {2020}, month = jan,
  url = {https://example.org/theta}}
@article{moe2019iota, author = {Moe, Mary}, title = {Iota}, journaltitle = {Example Weekly},
  entrysubtype = {magazine}, year = {2019}, month = 3}
@report{moe2017kappa, author = {Moe, Mary}, title = {Kappa}, institution = {Example Institute},
  year = {2017}, month = {11}}
"""

# Pages: neutral filler text around citations of every kind. Footnote
# definitions are one line each.
PAGES = {
    "site": """\
Text [@stent2020axis]. Text [@stent2020axis, p. 5] and [@bolt2014sino, pp. 47-69].
Text [see @deyermond2018csto, chap. 2] and [@cao2019south; @lukin2020mediator].
As [-@stent2020axis] has it, text [@trenin2015entente, sec. 3] and [@bellacqua2010future, § 4].
Text [@putin2012changing, 12].[^1] Text [@mfa2016concept; @mfa2018results, para. 7].
Text [@rt2019warning] [@rt2019warning] [@rt2019warning, 3].[^2] Text [cf. @yefremenko2017eurasia, 14, with a suffix].
Text [@dod2018nds, fig. 2] and [@diesen2018geoeconomics; @rettman2020axis].[^3]

[^1]: See [@stent2020axis, 7] and [@bolt2014sino].
[^2]: A note without a citation.
[^3]: [@rettman2020axis, 4] opens this note.
""",
    "examples": """\
Text [@knuth:ct:a, p. 5] and [see @knuth:ct:b, chap. 2; @aristotle:physics].
Text [@knuth:ct:a, pp. 7-9].[^1] Text [@knuth:ct:a, pp. 7-9]. As [-@sigfridsson] has it,
text [@sigfridsson, sec. 3]; compare [@sigfridsson, § 4] and [@sigfridsson, 12].
Text [@baez/article; @baez/online] and [@kant:kpv, 23; @kant:ku].
Text [@kant:ku, 5] [@kant:ku, 6].[^2] Text [cf. @westfahl:frontier, pp. 3-10, with a suffix]
and [@westfahl:space]. Text [@companion, fig. 2] and [@nietzsche:ksa1, vol. 1].
Text [-@knuth:ct:b] and [@knuth:ct:b, chap. 3].[^3] Text [@iliad; @cicero, 4].

[^1]: See [@westfahl:space, 56] and [@knuth:ct:a].
[^2]: A note without a citation.
[^3]: [@kant:kpv, 12] opens this note.
""",
    "synthetic": """\
Text [@roe2020gamma] and [@roe2020delta, 4]. Text [@smith2019alpha; @smith2019beta] and [@smith2019zeta, 9].
Text [@roe2020epsilon, 12] and [-@roe2020gamma].[^1] Text [see @poe2018eta, 6].
Text [@roe2020delta, 4] [@roe2020delta, 4] [@roe2020delta, 5].[^2]
Months as BibTeX writes them (a macro, a number, a braced number) [@doe2020theta; @moe2019iota, 2; @moe2017kappa].

[^1]: [@smith2019beta, 2]; see also [@roe2020gamma].
[^2]: A note without a citation.
""",
}

CLUSTER = r"\[[^\[\]]*@[^\[\]]*\]"
TOKEN = re.compile(r"\[\^(\w+)\]|" + CLUSTER)
DEFINITION = re.compile(r"^\[\^(\w+)\]: (.*)$", re.MULTILINE)


# --------------------------------------------------------------------------
# Fixtures: bib files and the records the site would hand render()


@pytest.fixture(scope="module")
def bibs(tmp_path_factory) -> dict[str, list[Path]]:
    synthetic = tmp_path_factory.mktemp("synthetic") / "bib"
    synthetic.mkdir()
    (synthetic / "synthetic.bib").write_text(SYNTHETIC_BIB, encoding="utf-8")
    return {
        "site": [REPO / "tests" / "data" / "oracle" / "policy-article-sources.bib"],
        "examples": [REPO / "tests" / "data" / "biblatex-examples.bib"],
        "synthetic": [synthetic / "synthetic.bib"],
    }


@pytest.fixture(scope="module")
def records(bibs, tmp_path_factory) -> dict[str, str]:
    """Standalone records as the site makes them (pybtex, crossrefs resolved)."""
    result = {}
    for name, files in bibs.items():
        folder = tmp_path_factory.mktemp(f"lib-{name}")
        (folder / "bib").mkdir()
        for file in files:
            (folder / "bib" / file.name).write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
        problems = Problems()
        library = load_library(str(folder / "bib"), str(folder), problems)
        assert not problems.found, [str(problem) for problem in problems.found]
        result.update({key: source.record for key, source in library.sources.items()})
    return result


# --------------------------------------------------------------------------
# The page as a Document, and as pandoc renders it


def document_from(ident: str, markdown: str, nocite: tuple[str, ...] = ()) -> Document:
    notes = {label: text for label, text in DEFINITION.findall(markdown)}
    body = DEFINITION.sub("", markdown)
    parts = []
    for match in TOKEN.finditer(body):
        if match.group(1):
            text = notes[match.group(1)]
            parts.append(Note(clusters=tuple(re.findall(CLUSTER, text)), text=text))
        else:
            parts.append(match.group(0))
    return Document(ident, tuple(parts), nocite)


def oracle(markdown: str, bib_files: list[Path], style: Path, nocite: tuple[str, ...] = (), lang: str | None = None):
    """(clusters, references) of pandoc --citeproc's HTML, each as a Tag."""
    if nocite:
        # Braced keys: a real export's keys may end in punctuation (`Anonymous:sADfNu-`).
        markdown = "---\nnocite: |\n  " + ", ".join("@{" + key + "}" for key in nocite) + "\n---\n\n" + markdown
    command = [citeproc.pandoc_path(), "--citeproc", "--csl", str(style), "-f", "markdown", "-t", "html",
               "--wrap=none", "-M", "link-citations=true"] + (["-M", f"lang={lang}"] if lang else [])
    command += [f"--bibliography={file}" for file in bib_files]
    html = subprocess.run(command, input=markdown, capture_output=True, text=True, check=True).stdout
    soup = BeautifulSoup(html, "html.parser")
    notes = {item["id"]: item for item in soup.select("section.footnotes li")}
    clusters = []
    for element in soup.find_all(["span", "a"]):
        if element.find_parent("section", class_="footnotes"):
            continue
        classes = element.get("class", [])
        if element.name == "span" and "citation" in classes:
            mark = element.find("a", class_="footnote-ref")
            clusters.append(notes[mark["href"][1:]] if mark else element)    # a note style: the note
        elif element.name == "a" and "footnote-ref" in classes and not element.find_parent("span", class_="citation"):
            clusters.extend(notes[element["href"][1:]].select("span.citation"))   # an author's note
    references = [(entry["id"][len("ref-"):], entry) for entry in soup.select("#refs > .csl-entry")]
    return clusters, references


MARKS = {"em": "_", "i": "_", "strong": "*", "b": "*", "sup": "^", "sub": "~"}


def shown(node: Tag) -> str:
    """Text as a reader sees it: white space normalised, emphasis etc. marked."""
    def walk(element) -> str:
        pieces = []
        for child in element.children:
            if isinstance(child, NavigableString):
                pieces.append(str(child))
            elif child.name == "a" and "footnote-back" in child.get("class", []):
                continue
            else:
                mark = "°" if "smallcaps" in child.get("class", []) else MARKS.get(child.name, "")
                pieces.append(f"{mark}{walk(child)}{mark}")
        return "".join(pieces)
    return re.sub(r"[ \t\r\n]+", " ", walk(node)).strip()


def links(node: Tag) -> list[str]:
    return [a["href"] for a in node.find_all("a", href=True) if "footnote-back" not in a.get("class", [])]


def fragment(html: str) -> Tag:
    return BeautifulSoup(f"<div>{html}</div>", "html.parser").div


# --------------------------------------------------------------------------
# The oracle comparisons


@pytest.fixture(scope="module", params=list(STYLES))
def style_run(request, bibs, records):
    """One render() batch per style with every page (and a listing), and the oracle of each."""
    style = STYLES[request.param]
    documents = [document_from(name, markdown) for name, markdown in PAGES.items()]
    listing = ("knuth:ct:c", "stent2020axis", "roe2020gamma", "roe2020delta", "smith2019alpha", "wilde")
    documents.append(document_from("listing", "", nocite=listing))
    rendered = render(documents, records, read_style(str(style)))
    expected = {name: oracle(markdown, bibs[name], style) for name, markdown in PAGES.items()}
    expected["listing"] = oracle("", [file for files in bibs.values() for file in files], style, nocite=listing)
    return request.param, rendered, expected


@pytest.mark.parametrize("page", list(PAGES) + ["listing"])
def test_clusters_are_what_pandoc_renders(style_run, page):
    name, rendered, expected = style_run
    assert_same_clusters(f"{name}/{page}", rendered[page].clusters, expected[page][0])


def assert_same_clusters(name, ours, theirs):
    assert len(ours) == len(theirs), f"{name}: {len(ours)} clusters, pandoc has {len(theirs)}"
    for index, (cluster, oracle_tag) in enumerate(zip(ours, theirs)):
        tag = fragment(cluster.html)
        assert shown(tag) == shown(oracle_tag), f"{name} cluster {index + 1}"
        assert links(tag) == links(oracle_tag), f"{name} cluster {index + 1}"


@pytest.mark.parametrize("page", list(PAGES) + ["listing"])
def test_references_are_what_pandoc_renders(style_run, page):
    name, rendered, expected = style_run
    assert_same_references(f"{name}/{page}", rendered[page].references, expected[page][1])


def assert_same_references(name, ours, theirs):
    assert [reference.key for reference in ours] == [key for key, _ in theirs], f"{name}: order"
    for reference, (key, entry) in zip(ours, theirs):
        text = shown(fragment(reference.html))
        if reference.label is not None:
            text = shown(fragment(reference.label)) + " " + text
        assert text == shown(entry), f"{name} reference {key}"
        assert links(fragment(reference.html)) == links(entry), f"{name} reference {key}"


@pytest.mark.parametrize("style", ["apa", "chicago-notes-bibliography"])
def test_another_language_is_what_pandoc_renders(bibs, records, style):
    page = document_from("examples", PAGES["examples"])
    rendered = render([page], records, read_style(str(STYLES[style])), lang="de-DE")["examples"]
    clusters, references = oracle(PAGES["examples"], bibs["examples"], STYLES[style], lang="de-DE")
    assert_same_clusters(f"{style}/de-DE", rendered.clusters, clusters)
    assert_same_references(f"{style}/de-DE", rendered.references, references)
    english = render([page], records, read_style(str(STYLES[style])))["examples"]
    assert rendered.clusters != english.clusters                    # the terms did change


def test_a_styles_default_locale_is_what_pandoc_renders(bibs, records, tmp_path):
    german_apa = tmp_path / "apa-de.csl"
    german_apa.write_text(STYLES["apa"].read_text(encoding="utf-8").replace("<style ", '<style default-locale="de-DE" ', 1),
                          encoding="utf-8")
    assert read_style(str(german_apa)).default_locale == "de-DE"
    page = document_from("examples", PAGES["examples"])
    rendered = render([page], records, read_style(str(german_apa)))["examples"]
    clusters, references = oracle(PAGES["examples"], bibs["examples"], german_apa)
    assert_same_clusters("apa default-locale de-DE", rendered.clusters, clusters)
    assert_same_references("apa default-locale de-DE", rendered.references, references)


def test_identical_documents_are_formatted_once(records, monkeypatch):
    sent = []
    run = citeproc._run_pandoc

    def counting(job, locale):
        sent.append(len(json.loads(job)["documents"]))
        return run(job, locale)
    monkeypatch.setattr(citeproc, "_run_pandoc", counting)
    documents = [Document("a", ("[@roe2020gamma]",)), Document("b", ("[@roe2020gamma]",)),
                 Document("c", ("[@roe2020gamma, 5]",))]
    rendered = render(documents, records, read_style(str(STYLES["chicago-author-date"])))
    assert sent == [2] and rendered["a"] == rendered["b"] != rendered["c"]


def test_the_pages_exercise_what_they_should(style_run):
    """The comparisons above are only worth what the pages contain."""
    name, rendered, _ = style_run
    texts = {page: [shown(fragment(cluster.html)) for cluster in rendered[page].clusters] for page in PAGES}
    style = read_style(str(STYLES[name]))
    if name == "chicago-author-date":
        # 2020a/b in title order (Delta before Gamma); given names where initials would collide
        assert texts["synthetic"][:3] == ["(Roe 2020b)", "(Roe 2020a, 4)", "(John Smith 2019; A. Smith 2019)"]
        assert "(see Deyermond 2018, chap. 2)" in texts["site"]
        assert "(2020)" in texts["site"]
    if name == "ieee":
        assert all(text.startswith(("[", "see [", "cf. [")) for text in texts["site"] if text)
        assert [reference.label for reference in rendered["site"].references][:2] == ["[1]", "[2]"]
    if style.note:
        notes = [cluster for cluster in rendered["examples"].clusters if cluster.note]
        in_notes = [cluster for cluster in rendered["examples"].clusters if not cluster.note]
        assert notes and len(in_notes) == 3
    if name == "chicago-notes-bibliography-subsequent-ibid":
        assert any(text.startswith("Ibid.") for text in texts["examples"]), texts["examples"]


# --------------------------------------------------------------------------
# Pages are independent within a batch


def test_two_pages_in_one_batch_give_what_each_gives_alone(records):
    first = Document("first", ("[@roe2020gamma]", "[@roe2020delta, 4]", "[@smith2019alpha]"))
    second = Document("second", ("[@roe2020delta]", "[@smith2019alpha, 3]"))
    for style in ("chicago-author-date", "ieee", "chicago-notes-bibliography-subsequent-ibid"):
        info = read_style(str(STYLES[style]))
        together = render([first, second], records, info)
        assert together["first"] == render([first], records, info)["first"], style
        assert together["second"] == render([second], records, info)["second"], style
    together = render([first, second], records, read_style(str(STYLES["chicago-author-date"])))
    assert [shown(fragment(c.html)) for c in together["first"].clusters][:2] == ["(Roe 2020b)", "(Roe 2020a, 4)"]
    assert shown(fragment(together["second"].clusters[0].html)) == "(Roe 2020)"      # no 2020a/b on its own
    numeric = render([first, second], records, read_style(str(STYLES["ieee"])))
    assert [shown(fragment(c.html)) for c in numeric["second"].clusters] == ["[1]", "[2, p. 3]"]
    assert [r.label for r in numeric["second"].references] == ["[1]", "[2]"]


def test_a_large_batch_keeps_each_documents_results_in_place(records):
    """The HTML of a batch is written in groups of documents: every piece must land in its place."""
    documents = [Document(f"page{i}", (f"[@roe2020gamma, {i + 1}]", Note((f"[@smith2019alpha, {i + 2}]",)),
                                       f"[see @poe2018eta, {i + 3}]")) for i in range(60)]
    style = read_style(str(STYLES["chicago-author-date"]))
    rendered = render(documents, records, style)
    for i in range(60):
        assert [shown(fragment(c.html)) for c in rendered[f"page{i}"].clusters] == [
            f"(Roe 2020, {i + 1})", f"(Smith 2019, {i + 2})", f"(see Poe 2018, {i + 3})"]
        assert [r.key for r in rendered[f"page{i}"].references] == ["poe2018eta", "roe2020gamma", "smith2019alpha"]
    assert rendered["page37"] == render([documents[37]], records, style)["page37"]


def test_citations_link_to_the_callers_anchors(records):
    page = Document("page", ("[@roe2020gamma; @smith2019alpha, 5]",))
    rendered = render([page], records, read_style(str(STYLES["chicago-author-date"])),
                      anchor=lambda key: "source-" + key.replace(":", "-"))
    assert links(fragment(rendered["page"].clusters[0].html)) == ["#source-roe2020gamma", "#source-smith2019alpha"]
    assert all(a.get("role") == "doc-biblioref" for a in fragment(rendered["page"].clusters[0].html).find_all("a"))


# --------------------------------------------------------------------------
# Untrusted bib fields and cluster text come out inert

HOSTILE_BIB = r"""
@online{hostile, author = {Evil, Eve}, title = {<img src=x onerror=alert(1)> and <script>alert(2)</script>},
  url = {javascript:alert(3)}, year = {2020}, organization = {<svg onload=alert(4)>},
  note = {<a href="javascript:alert(5)">click</a> and <b onclick="alert(6)">bold</b>}}
@book{hostile2, author = {Evil, Eve}, title = {Second <i onmouseover="alert(7)">one</i>}, year = {2020},
  publisher = {P}, doi = {10.1000/x"onmouseover="alert(8)}, url = {data:text/html,<script>alert(9)</script>}}
"""


def _records_of(bib: str) -> dict[str, str]:
    return {match.group(1): match.group(0) for match in re.finditer(r"@\w+\{([^,]+),.*?\n(?=@|\Z)", bib.strip() + "\n",
                                                                    re.DOTALL)}


@pytest.mark.parametrize("style", ["chicago-author-date", "ieee", "chicago-notes-bibliography"])
def test_hostile_bib_entries_and_cluster_text_render_inert(style):
    records = _records_of(HOSTILE_BIB)
    # raw HTML in a prefix is raw HTML to pandoc's Markdown reader
    page = Document("page", ('[<b onclick="alert(10)">see</b> @hostile]', "[see <img src=x onerror=alert(11)> @hostile2, 5]",
                             Note(("[@hostile]",), text='Note <iframe src="javascript:alert(12)"></iframe> [@hostile]')))
    rendered = render([page], records, read_style(str(STYLES[style])))["page"]
    fragments = [cluster.html for cluster in rendered.clusters] + [reference.html for reference in rendered.references]
    assert len(rendered.clusters) == 3 and len(rendered.references) == 2
    for html in fragments:
        tree = fragment(html)
        assert not tree.find(["script", "img", "svg", "iframe", "style", "object", "embed"]), html
        for element in tree.find_all(True):
            assert element.name in citeproc.ALLOWED_TAGS | {"div"}, html
            assert not [name for name in element.attrs if name.lower().startswith("on")], html
            href = element.get("href")
            assert href is None or href.startswith(("#", "https://", "http://")), html
        assert "javascript:" not in " ".join(a.get("href", "") for a in tree.find_all("a")), html
    # the hostile text is still there, as text
    assert any("alert(1)" in fragment(html).get_text() for html in fragments)


def test_links_go_only_to_web_addresses_and_the_callers_anchors():
    """citeproc.lua vets every link (nh3 alone would keep relative addresses)."""
    records = _records_of(r"""
@book{relative, author = {Roe, Ray}, title = {See \href{pages/other.html}{the relative}}, year = {2020}, publisher = {P}}
@book{schemeless, author = {Roe, Ray}, title = {See \href{//evil.example/x}{the schemeless}}, year = {2021}, publisher = {P}}
@book{mail, author = {Roe, Ray}, title = {See \href{mailto:roe@example.org}{the mail}}, year = {2022}, publisher = {P}}
@book{web, author = {Roe, Ray}, title = {See \href{HTTPS://www.example.org/x}{the web}}, year = {2023}, publisher = {P}}
""")
    page = Document("page", ("[@relative; @schemeless; @mail; @web]",))
    rendered = render([page], records, read_style(str(STYLES["chicago-author-date"])),
                      anchor=lambda key: "source-" + key)["page"]
    hrefs = [href for reference in rendered.references for href in links(fragment(reference.html))]
    assert hrefs == ["HTTPS://www.example.org/x"]
    texts = " ".join(fragment(reference.html).get_text() for reference in rendered.references)
    for text in ("the Relative", "the Schemeless", "the Mail", "the Web"):
        assert text in texts                                   # the link's text stays
    assert links(fragment(rendered.clusters[0].html)) == [
        "#source-relative", "#source-schemeless", "#source-mail", "#source-web"]


@pytest.mark.parametrize("html_titles", [False, True])
def test_a_citations_title_is_its_reference_as_text_escaped_once_more_for_html_tooltips(html_titles):
    records = _records_of(r"""
@book{marks, author = {Roe, Ray}, title = {Less $<$ More \& $>$ Less}, year = {2020},
  publisher = {P}}
""")
    rendered = render([Document("page", ("[@marks]",))], records, read_style(str(STYLES["chicago-author-date"])),
                      html_titles=html_titles)["page"]
    text = fragment(rendered.references[0].html).get_text()
    assert "< More & > Less" in text
    title = fragment(rendered.clusters[0].html).find("a")["title"]
    assert title == (html.escape(text, quote=False) if html_titles else text)


def test_fragments_are_sanitised_together_unless_markup_spans_them():
    fragments = ["<i>one</i> <script>x</script>", '<a href="javascript:y" title="t">two</a>', "", "three <b>3</b>"]
    assert citeproc.clean_fragments(fragments) == [
        "<i>one</i>", '<a title="t">two</a>', "", "three <b>3</b>"]
    # an element left open would swallow the next fragments: each is cleaned alone
    assert citeproc.clean_fragments(["<i>open", "next", "<b>last</b>"]) == ["<i>open</i>", "next", "<b>last</b>"]
    marker = "citeproc-piece-0123"
    wholes = ("<i>a<br>b</i> M <b>c</b>", "<i>open M</i>", "M close</i>", "<b>x</i> M", "<i>a M b</i>",
              '<a title="<i> M <i>">x</a> M', '<a title="&lt;i>">x</a> M <i>y</i>', "M M", "<b>M")
    assert [citeproc._markers_outside_elements(whole.replace("M", marker), marker) for whole in wholes] \
        == [True, False, False, False, False, True, True, True, False]


# --------------------------------------------------------------------------
# Zotero's rich text in titles

def test_zotero_rich_text_becomes_latex_pandoc_understands():
    convert = citeproc.latex_from_rich_text
    assert convert("title = {The <i>Titanic</i> and H<sub>2</sub>O}") == \
        r"title = {The \textit{Titanic} and H\textsubscript{2}O}"
    assert convert("title = {x<sup>2</sup>, <b>bold</b>, <span class=\"nocase\">Python</span>}") == \
        r"title = {x\textsuperscript{2}, \textbf{bold}, {Python}}"
    assert convert("title = {<i>outer <b>inner</b></i>}") == r"title = {\textit{outer \textbf{inner}}}"
    # anything else, or anything not properly paired, stays text
    for text in ("title = {Unclosed <i>italics}", "title = {A stray </b> tag}", "title = {<i>crossed <b>tags</i></b>}",
                 "title = {<span style=\"color:red\">red</span>}", "title = {<i class=\"x\">attributes</i>}",
                 "title = {<img src=x onerror=alert(1)>}", "title = {a < b and c > d}"):
        assert convert(text) == text, text
    # never across fields of a record
    record = "title = {A <i>title},\n  note = {a note</i>}"
    assert convert(record) == record


def test_rich_text_renders_as_markup():
    records = _records_of(r"""
@article{rich, author = {Doe, Jane}, title = {The <i>Titanic</i> and H<sub>2</sub>O in the <span class="nocase">Python</span> era},
  journal = {Example Journal}, volume = {1}, pages = {1--2}, year = {2021}}
""")
    rendered = render([Document("page", ("[@rich]",))], records, read_style(str(STYLES["apa"])))["page"]
    entry = fragment(rendered.references[0].html)
    assert [em.get_text().lower() for em in entry.find_all("em")][:1] == ["titanic"]   # APA: sentence case
    assert entry.find("sub").get_text() == "2"
    assert "Python era" in entry.get_text()           # APA's sentence case leaves the nocase word alone
    assert "<i>" not in entry.get_text() and "textit" not in entry.get_text()


# --------------------------------------------------------------------------
# Errors: named, never a lost batch

GOOD = {
    "good2020": "@book{good2020, author = {Doe, Jane}, title = {Good}, publisher = {P}, year = {2020}}",
    "fine2021": "@book{fine2021, author = {Roe, Rick}, title = {Fine}, publisher = {P}, year = {2021}}",
}


def test_an_unreadable_record_is_named_and_the_rest_of_the_batch_is_kept():
    records = {"bad%key": "@book{bad%key, title = {X}, year = {2000}}",
               "unclosed": "@book{unclosed, title = {X}, year = {2000}",
               **GOOD}
    documents = [Document("one", ("[@good2020]", "[@unclosed]")), Document("two", ("[@fine2021, 4]",))]
    with pytest.raises(citeproc.RenderError) as caught:
        render(documents, records, read_style(str(STYLES["chicago-author-date"])))
    error = caught.value
    assert set(error.unreadable) == {"bad%key", "unclosed"}
    assert "'bad%key'" in str(error) and "'unclosed'" in str(error)
    assert error.unknown == {"one": ("unclosed",)}
    assert [r.key for r in error.rendered["one"].references] == ["good2020"]
    assert shown(fragment(error.rendered["two"].clusters[0].html)) == "(Roe 2021, 4)"


def test_a_key_without_a_record_is_named_per_document():
    documents = [Document("page", ("[@good2020; @nosuchkey]",))]
    with pytest.raises(citeproc.RenderError) as caught:
        render(documents, GOOD, read_style(str(STYLES["chicago-author-date"])))
    assert caught.value.unknown == {"page": ("nosuchkey",)}
    assert "'nosuchkey'" in str(caught.value)


def test_text_pandoc_does_not_read_as_the_citations_given_is_reported():
    documents = [Document("plain", ("[not a citation]",)), Document("link", ("[@good2020](https://example.org)",)),
                 Document("note", (Note(("[@good2020]",), text="A note that cites nothing."),)),
                 Document("fine", ("[@fine2021]",))]
    with pytest.raises(citeproc.RenderError) as caught:
        render(documents, GOOD, read_style(str(STYLES["chicago-author-date"])))
    assert set(caught.value.problems) == {"plain", "link", "note"}
    assert "not read as one citation" in caught.value.problems["plain"][0]
    assert "reads 0 citations in the note, not 1" in caught.value.problems["note"][0]
    assert caught.value.rendered["fine"].clusters and not caught.value.rendered["plain"].clusters


def test_a_citation_pandoc_stops_at_is_read_escaped_and_flagged():
    """pandoc reads `[@good2020, p. 5 *]` as text with an author-in-text citation in it; the
    cluster is read again with its punctuation escaped (its text shown as text), flagged, and
    the document's other citations are formatted as usual."""
    documents = [Document("odd", ("[@good2020, p. 5 *]", "[see -@good2020, p. <b>x</b> _]", "[@good2020, p. 7]"))]
    rendered = render(documents, GOOD, read_style(str(STYLES["chicago-author-date"])))["odd"]
    assert [shown(fragment(c.html)) for c in rendered.clusters] == ["(Doe 2020, 5 *)", "(see 2020, p. <b>x</b> _)",
                                                                   "(Doe 2020, 7)"]
    assert [c.escaped for c in rendered.clusters] == [True, True, False]
    # In an author's note, pandoc read it as an author-in-text citation ("Doe (2020)").
    note = Note(("[@good2020, p. 5 *]", "[@good2020, p. 7]"), text="See [@good2020, p. 5 *] and [@good2020, p. 7].")
    rendered = render([Document("note", (note,))], GOOD, read_style(str(STYLES["chicago-author-date"])))["note"]
    assert [shown(fragment(c.html)) for c in rendered.clusters] == ["(Doe 2020, 5 *)", "(Doe 2020, 7)"]
    assert [c.escaped for c in rendered.clusters] == [True, False]


def test_pandoc_failing_is_an_error_with_its_message(monkeypatch, tmp_path):
    style = read_style(str(STYLES["chicago-author-date"]))
    broken = tmp_path / "broken.csl"
    broken.write_text('<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">'
                      "<info><title>Broken</title><id>x</id></info>"
                      '<citation><layout><text macro="no-such-macro"/></layout></citation></style>', encoding="utf-8")
    with pytest.raises(citeproc.RenderError) as caught:
        render([Document("page", ("[@good2020]",))], GOOD, read_style(str(broken)))
    assert "citeproc failed" in str(caught.value) or "no-such-macro" in str(caught.value)
    monkeypatch.setattr(citeproc, "pandoc_path", lambda: "/bin/false")
    with pytest.raises(citeproc.CiteprocError, match="exit status 1"):
        render([Document("page", ("[@good2020]",))], GOOD, style)


# --------------------------------------------------------------------------
# Styles

def test_read_style_describes_real_styles():
    author_date = read_style(str(STYLES["chicago-author-date"]))
    assert (author_date.note, author_date.numeric) == (False, False)
    assert author_date.title == "Chicago Manual of Style 18th edition (author-date)"
    ieee = read_style(str(STYLES["ieee"]))
    assert (ieee.note, ieee.numeric, ieee.id) == (False, True, "http://www.zotero.org/styles/ieee")
    notes = read_style(str(STYLES["chicago-notes-bibliography"]))
    assert (notes.note, notes.numeric) == (True, False)


@pytest.mark.parametrize("content, reason", [
    ("not xml at all <", "not well-formed XML"),
    ("<html><body>A web page</body></html>", "root element is <html>"),
    ('<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text"><info><title>T</title>'
     '<link href="http://www.zotero.org/styles/apa" rel="independent-parent"/></info></style>',
     "dependent style that only names its parent (http://www.zotero.org/styles/apa)"),
    ('<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text"><info><title>T</title></info>'
     "<bibliography><layout/></bibliography></style>", "no <citation> element"),
    ('<style xmlns="http://purl.org/net/xbiblio/csl" class="footnote"><citation><layout/></citation></style>',
     "class is 'footnote'"),
])
def test_read_style_refuses_what_is_not_a_style(tmp_path, content, reason):
    path = tmp_path / "style.csl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(citeproc.StyleError, match=re.escape(reason)) as caught:
        read_style(str(path))
    assert str(path) in str(caught.value)
    with pytest.raises(citeproc.StyleError, match="cannot be read"):
        read_style(str(tmp_path / "missing.csl"))


# --------------------------------------------------------------------------
# A real reference library no one here wrote: a sample of the Zotero export


BRACED_PARTICLE = re.compile(r"\b(?:author|editor)\s*=\s*\{[^\n]*\{(?:van|von|de|der|du|da|di|la|le)\b")


@pytest.mark.parametrize("style", ["chicago-author-date", "apa", "chicago-notes-bibliography"])
def test_a_sample_of_a_real_zotero_export_is_what_pandoc_renders(style, tmp_path):
    """Every 10th readable entry of the 3,725-entry Better BibTeX export (tests/data/README.md),
    and every entry with a braced family name that starts with a particle (`{van der Linden}`),
    cited and listed on one page, against `pandoc --citeproc` on the same entries as exported. Real
    exports write what the hand-made bibs above do not (month macros, braced particles,
    `langid`, Zotero's rich text, odd types); what the site hands pandoc must read the same.
    The one difference on purpose: a DOI written as an address or with a `doi:` prefix is
    the bare DOI on the site (README, "Addresses"), so the oracle's copy gets it bare too."""
    from microsite.model import urls
    from microsite.model.bibscan import split_entries

    text = (REPO / "tests" / "data" / "zotero-bbt-export-3725.bib").read_text(encoding="utf-8")
    chunks = [chunk for chunk in split_entries(text) if chunk.key and not chunk.problem
              and chunk.type not in ("string", "preamble", "comment")]
    sample = [chunk for index, chunk in enumerate(chunks)
              if index % 10 == 0 or BRACED_PARTICLE.search(text[chunk.start:chunk.end])]
    exported = "\n".join(text[chunk.start:chunk.end] for chunk in sample)
    folder = tmp_path / "bib"
    folder.mkdir()
    (folder / "sample.bib").write_text(exported, encoding="utf-8")
    oracle_bib = tmp_path / "oracle.bib"
    oracle_bib.write_text(re.sub(r"(\bdoi = \{)([^{}\n]*)\}",
                                 lambda m: m.group(1) + (urls.bare_doi(m.group(2)) or m.group(2)) + "}", exported),
                          encoding="utf-8")
    problems = Problems()
    library = load_library(str(folder), str(tmp_path), problems)
    records = {key: source.record for key, source in library.sources.items()}
    keys = tuple(chunk.key for chunk in sample if chunk.key in records)
    assert len(keys) >= 370 and sum(1 for c in sample if BRACED_PARTICLE.search(text[c.start:c.end])) >= 5
    # Each key cited once, with a locator, or with a prefix beside another key (braced: keys
    # with trailing punctuation), and every key listed.
    markdown = "\n".join(f"Text [@{{{key}}}, {index % 40 + 1}]." if index % 3 else
                          f"Text [see @{{{key}}}; @{{{keys[index * 7 % len(keys)]}}}]."
                          for index, key in enumerate(keys)) + "\n"
    rendered = render([document_from("sample", markdown, nocite=keys)], records, read_style(str(STYLES[style])))
    clusters, expected = oracle(markdown, [oracle_bib], STYLES[style], nocite=keys)
    assert_same_clusters(f"{style}/zotero-sample", rendered["sample"].clusters, clusters)
    assert_same_references(f"{style}/zotero-sample", rendered["sample"].references, expected)
