"""citeproc.render() against the oracle: pandoc itself.

Each page below is rendered twice: by `pandoc --citeproc` on the page's
Markdown with the same CSL style and bib files (the oracle), and by
`render()` as a Document of its clusters and author notes. Clusters (in
running text and in notes, in the order a reader meets them) and references
are compared one by one, as text with white space normalised and emphasis,
strong, super- and subscripts marked, and by the targets of their links.
"""

from __future__ import annotations

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
        "site": sorted((REPO / "bib").glob("*.bib")),
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


def oracle(markdown: str, bib_files: list[Path], style: Path, nocite: tuple[str, ...] = ()):
    """(clusters, references) of pandoc --citeproc's HTML, each as a Tag."""
    if nocite:
        markdown = "---\nnocite: |\n  " + ", ".join("@" + key for key in nocite) + "\n---\n\n" + markdown
    command = [citeproc.pandoc_path(), "--citeproc", "--csl", str(style), "-f", "markdown", "-t", "html",
               "--wrap=none", "-M", "link-citations=true"]
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
    ours, theirs = rendered[page].clusters, expected[page][0]
    assert len(ours) == len(theirs), f"{name}/{page}: {len(ours)} clusters, pandoc has {len(theirs)}"
    for index, (cluster, oracle_tag) in enumerate(zip(ours, theirs)):
        tag = fragment(cluster.html)
        where = f"{name}/{page} cluster {index + 1}"
        assert shown(tag) == shown(oracle_tag), where
        assert links(tag) == links(oracle_tag), where


@pytest.mark.parametrize("page", list(PAGES) + ["listing"])
def test_references_are_what_pandoc_renders(style_run, page):
    name, rendered, expected = style_run
    ours, theirs = rendered[page].references, expected[page][1]
    assert [reference.key for reference in ours] == [key for key, _ in theirs], f"{name}/{page}: order"
    for reference, (key, entry) in zip(ours, theirs):
        text = shown(fragment(reference.html))
        if reference.label is not None:
            text = shown(fragment(reference.label)) + " " + text
        assert text == shown(entry), f"{name}/{page} reference {key}"
        assert links(fragment(reference.html)) == links(entry), f"{name}/{page} reference {key}"


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


def test_citations_link_to_the_callers_anchors(records):
    page = Document("page", ("[@roe2020gamma; @smith2019alpha, 5]",))
    rendered = render([page], records, read_style(str(STYLES["chicago-author-date"])),
                      anchor=lambda key: "source-" + key.replace(":", "-"))
    assert links(fragment(rendered["page"].clusters[0].html)) == ["#source-roe2020gamma", "#source-smith2019alpha"]
    assert all(a.get("role") == "doc-biblioref" for a in fragment(rendered["page"].clusters[0].html).find_all("a"))
