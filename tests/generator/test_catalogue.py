"""The catalogue of bad input (issue #11, item 4): broken and hostile mini-projects,
each written over a copy of `tests/roots/catalogue` (a small clean site).

Every case asserts
- its exact located messages (whole warning lines, `path:line: what. What to do.`),
  and that no other warning names its own files;
- the exit status (in process: the strict build aborts exactly when a case expects
  a message; a few projects also run as `mkdocs build --strict` subprocesses);
- that no file under docs/ or bib/ changed and no traceback was logged;
- for injections: every HTML page under site/ and the search index, read with a real
  HTML parser (lxml), hold no script other than Material's own (those of a clean build
  of the same root; JSON data scripts must parse as JSON), no `on*` attribute, and no
  href/src with a scheme other than http, https or mailto; the hostile text is still
  shown as text where it belongs; the worst cases are opened in Chromium, hovering
  citations and terms and searching, and no dialog may fire.

Cases that can live in one project without masking each other share its build (the
catalogue runs in CI: keep it at about two minutes); every case with files of its own is
also built alone, a mini-project of its own, for its own exit status and messages (about
two minutes more). A case that does not behave yet is
written as it should behave and marked `xfail(strict=True)` for the test it fails, with
where the fix belongs; its `now` lists the (wrong) lines the build gives today, so that
the project's other cases still see an exact set of messages. notes/catalogue.md lists
every case with its message.
"""

from __future__ import annotations

import html

import json
import os
import re
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest
from bs4 import BeautifulSoup

from conftest import Built, build_project, prepare, serve

ROOT = "catalogue"
OWN_SCHEMES = {"http", "https", "mailto"}

# -- the messages' common parts -----------------------------------------------------------

KEY_FIX = ("Change the key (in the reference manager that writes this file, if one does) and its citations: a "
           "key may contain letters, digits and . : ; ? ! ' ( ) $ / * @ _ + = - & (no spaces, nor # % ~ < > \" , "
           "{ } [ ] ^ | \\ `).")
SAVE_UTF8 = "Save it as UTF-8 (in the editor, or in the reference manager's export settings)."
URL_FIX = "Write an address that starts with https:// (or http://), or leave the field out."
CHICAGO_FIX = "Add the field if you know it; never guess it."
UNDATED_FIX = CHICAGO_FIX + " If the work really has no date (e.g. an undated page), write `year = {n.d.}`."
CROSSREF_FIX = "Give `crossref` the key of an entry that exists and does not point back to this one."
CSL_FIX = ("Give the path of a CSL style file (.csl), relative to mkdocs.yml; the bundled Chicago author-date "
           "style is used meanwhile.")
ATTRIBUTE_FIX = "Write the citation in the text (for an image, in its caption); it is left as written meanwhile."
TIMELINE_DATES = "Write a year (2014), a month (2014-03), a day (2014-03-18) or a decade (2000s)."
# Material's content.tooltips builds each preview from the hovered element's `title` with
# `innerHTML +=` (material/templates/assets/javascripts: utilities/h appendChild, via
# components/tooltip2 renderInlineTooltip2): a title is HTML to it.
TOOLTIP_XSS = ("Material's content.tooltips renders an element's `title` as HTML (utilities/h appendChild: "
               "innerHTML +=), and the generator writes content text into `title` unescaped for it")


def bib(key: str, kind: str = "book", **fields: str) -> str:
    """One entry, a field a line (so that field lines are easy to count: the key is line 1)."""
    values = {"author": "Doe, Dana", "title": "A Title", "publisher": "Press", "year": "2020"}
    if kind != "book":
        values.pop("publisher")
    values.update(fields)
    body = ",\n".join(f"  {name} = {{{value}}}" if not value.startswith("=") else f"  {name} = {value[1:]}"
                      for name, value in values.items() if value is not None)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def _kept(built, url: str, selector: str, attribute: str, expected: str) -> None:
    """A citation Markdown put into an attribute stays there as written."""
    assert soup_of(built, url).select_one(selector)[attribute] == expected


def page(title: str, body: str) -> str:
    """A free-form page (no front matter needed): `# title` on line 1, body from line 3."""
    return f"# {title}\n\n{body}\n"


def article(body: str, **front: str) -> str:
    values = {"title": "An Article", "authors": "[Ada Author]", "summary": "One sentence."}
    values.update(front)
    lines = "".join(f"{key}: {value}\n" for key, value in values.items() if value is not None)
    return f"---\n{lines}---\n\n{body}\n"


# -- reading the built site ---------------------------------------------------------------

def norm(text: str) -> str:
    """Text as a reader sees it, with smarty's curly quotes made straight and spaces joined."""
    return " ".join(text.replace("‘", "'").replace("’", "'").replace("“", '"').replace("”", '"').split())


def soup_of(built: Built, url: str) -> BeautifulSoup:
    return built.page(url)


def text_of(built: Built, url: str, selector: str = "article") -> str:
    return norm(soup_of(built, url).select_one(selector).get_text())


def details(built: Built, key: str) -> dict[str, str]:
    table = soup_of(built, f"bibliography/{key}/").select("table.mx-source__fields tr")
    return {row.th.get_text(strip=True): norm(row.td.get_text()) for row in table}


def references_text(built: Built, url: str) -> str:
    return norm(" ".join(li.get_text() for li in soup_of(built, url).select("ul.mx-references > li")))


def bibliography_text(built: Built) -> str:
    return text_of(built, "bibliography/")


def hover_titles(built: Built, url: str) -> list[str]:
    """What a citation's preview shows: Material reads the title as HTML (the base root
    has content.tooltips), so the generator escapes it once more; shown, it is text."""
    return [norm(html.unescape(a["title"])) for a in soup_of(built, url).select("article a.citation__ref[title]")]


def toc_texts(built: Built, url: str) -> list[str]:
    return [norm(nav.get_text()) for nav in soup_of(built, url).select("nav.md-nav--secondary")]


def source_exists(built: Built, key: str) -> bool:
    return (built.site / "bibliography" / key / "index.html").is_file()


# -- the cases --------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    id: str
    project: str
    files: dict = field(default_factory=dict)           # path -> str | bytes, over the base root
    messages: tuple[str, ...] = ()                      # exact warning lines ({project}: its folder)
    infos: tuple[str, ...] = ()                         # exact info lines
    check: Callable[[Built], None] | None = None        # what the built site shows
    token: str = ""                                     # in every hostile payload of the case
    now: tuple[str, ...] = ()                           # xfail: the lines the build gives today
    browse: tuple[str, ...] = ()                        # pages to open in Chromium (hover, search)
    xfail: dict = field(default_factory=dict)           # test kind ("messages", "check", "safe") -> reason
    needs: tuple[str, ...] = ()                         # ids of cases whose files this one builds on


@dataclass(frozen=True)
class Project:
    settings: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)           # shared by its cases
    site: bool = True                                   # a site is written (no abort in on_config)
    config: dict = field(default_factory=dict)          # mkdocs.yml's own keys, replaced


PROJECTS: dict[str, Project] = {
    "clean": Project(),
    "bib": Project(settings={"bibliography_include": "all"}),
    "pages": Project(),
    "places": Project(),
    "inject": Project(),
    "inject-terms": Project(),          # hostile glossary terms: never linked, so reported (the build fails)
    "timeline": Project(),
    "private": Project(settings={"bibliography_include": "all",
                                            "private_fields": {"add": ["x-internal-*"],
                                                               "keep": ["annote", "colour"]}}),
    "option-unknown": Project(settings={"bibliografy_include": "all"}, site=False),
    "option-type": Project(settings={"pdf": "yes please"}, site=False),
    "option-private": Project(settings={"private_fields": 5}, site=False),
    "option-private-text": Project(settings={"private_fields": {"add": "x-internal"}}, site=False),
    "option-choice": Project(settings={"glossary_link": "firts"}, site=False),
    "references-title-empty": Project(settings={"references_title": " "}),
    "csl-text": Project(settings={"csl_file": "styles/notes.txt"}),
    "csl-xml": Project(settings={"csl_file": "styles/broken.csl"}),
    "csl-missing": Project(settings={"csl_file": "styles/nowhere.csl"}),
    "csl-dependent": Project(settings={"csl_file": "styles/dependent.csl"}),
    "cache-file": Project(settings={"cache_dir": "cache-is-a-file.txt/cache"}),
    "cache-in-docs": Project(settings={"cache_dir": "docs", "offline": True}),
    "cache-project": Project(settings={"cache_dir": "."}),
    "cache-in-bib": Project(settings={"cache_dir": "bib"}),
    "inject-config": Project(config={
        "site_name": "</title><script>alert(/x-cfg-name/.source)</script>",
        "site_description": '"><script>alert(/x-cfg-desc/.source)</script>',
        "site_author": 'Ann" onmouseover="alert(/x-cfg-author/.source)',       # no angle brackets: escaped
        "theme": {"name": "material", "font": False, "features": ["content.tooltips", "navigation.footer"]},
        "nav": [{"<img src=x onerror=alert(/x-cfg-page/.source)>": "index.md"},
                {"Section <b onmouseover=alert(/x-cfg-section/.source)>": [
                    {"<svg onload=alert(/x-cfg-nested/.source)>": "articles/base.md"}]},
                {"Link <script>alert(/x-cfg-link/.source)</script>": "https://example.org/"},
                "cases/qa.md"]}),
    # Material writes repo_url and the social links into href as they are, repo_name as HTML.
    "inject-repository": Project(config={
        "repo_url": 'https://example.org/repo" onmouseover="alert(/x-repo-url/.source)',
        "repo_name": "<img src=x onerror=alert(/x-repo-name/.source)>",
        "extra": {"microsite": {"offline": False, "pdf": False},
                  "social": [{"icon": "fontawesome/brands/github", "link": "https://example.org/ok"},
                             {"icon": "fontawesome/brands/github", "link": "javascript:alert(/x-social/.source)"}]}}),
    "theme-options": Project(config={"theme": {"name": "material", "font": False, "features": True, "language": ""}}),
    "theme-features-name": Project(config={"theme": {"name": "material", "font": False,
                                                     "features": "content.tooltips", "language": None}}),
    "theme-features-mapping": Project(config={"theme": {"name": "material", "font": False,
                                                        "features": {"content.tooltips": True}}}),
    "pdf-without-offline": Project(settings={"pdf": True, "offline": False}),
    "site-defaults": Project(settings={"license": "CC BY 4.0", "timezone": "Mars/Olympus", "offline_name": "../escape"},
                             config={"theme": {"name": "material", "font": False, "features": ["content.tooltips"],
                                               "language": "qq"}}),
}

CASES: list[Case] = []


def case(*args, **kwargs) -> Case:
    CASES.append(Case(*args, **kwargs))
    return CASES[-1]


# ---- the control: the base root builds clean ----------------------------------------------

def _clean(built):
    assert source_exists(built, "good2020book") and source_exists(built, "good2019article")
    assert "(Doe 2020, 5)" in text_of(built, "articles/base/")


case("clean-base", "clean", check=_clean)
# The theme's keys in the shapes Material documents: no message (content/theme_keys.py).
case("clean-theme-keys", "clean", {"docs/cases/theme-ok.md": "---\nicon: material/book-open-variant\nhide: [toc]\n"
                                   "search: {boost: 2}\ntags: [one, 2]\ntemplate: main.html\ndescription: Fine.\n"
                                   "comments: false\nstatus: new\n---\n\n# Fine\n\nText.\n"})

# ---- bib files: encodings, keys, syntax, fields, crossref, LaTeX, addresses ---------------

LATIN1_BIB = bib("latin2020", author="Müller, Hans").encode("latin-1")
case("bib-latin1", "bib", {"bib/latin1.bib": LATIN1_BIB,
                           "docs/cases/latin-cite.md": page("Latin cite", "See [@latin2020].")},
     (f"bib/latin1.bib: the file is not UTF-8 text (byte 0xFC at line 2); its entries are left out. {SAVE_UTF8}",
      # its keys are still found: a citation of one is not an "unknown key" to add
      "docs/cases/latin-cite.md:3: unknown citation key 'latin2020': its entry in bib/latin1.bib:1 cannot be read "
      "(see the message there). Correct the entry; the citation is shown as written meanwhile."),
     check=lambda b: not source_exists(b, "latin2020") or pytest.fail("a Latin-1 entry was read"))


def _key_case(ident: str, key: str, char: str) -> None:
    name = f"bib/{ident}.bib"
    neighbour = f"after{ident.replace('-', '')}2020"

    def check(built):
        assert source_exists(built, neighbour), "the entry after a bad key is read"

    case(ident, "bib", {name: bib(key) + "\n" + bib(neighbour)},
         (f"{name}:1: the key '{key}' contains '{char}', which pandoc's BibTeX reader does not accept; "
          f"the entry is left out. {KEY_FIX}",), check=check)


_key_case("key-lt", "lt<2020", "<")
_key_case("key-gt", "gt>2020", ">")
_key_case("key-hash", "hash#2020", "#")
_key_case("key-percent", "pct%2020", "%")
_key_case("key-tilde", "tilde~2020", "~")

case("key-twice-in-a-file", "bib",
     {"bib/twice.bib": bib("twice2020", title="First") + "\n" + bib("twice2020", title="Second")},
     ("bib/twice.bib:8: key 'twice2020' is defined twice in this file (first on line 1). Keys must be unique: "
      "rename one of the entries (and its citations).",),
     check=lambda b: details(b, "twice2020")["Title"] == "First" or pytest.fail("the first entry is used"))
case("key-twice-across-files", "bib", {"bib/across-a.bib": bib("across2020"), "bib/across-b.bib": bib("across2020")},
     ("bib/across-b.bib:1: key 'across2020' is already defined in bib/across-a.bib:1. Keys must be unique across "
      "all bib files: rename one of them (and its citations).",))
case("key-case-only", "bib", {"bib/case-a.bib": bib("Case2020"), "bib/case-b.bib": bib("case2020")},
     ("bib/case-b.bib:1: key 'case2020' differs only in letter case from 'Case2020'. Web addresses of source "
      "pages must differ: rename one of the keys.",))


case("date-that-does-not-exist", "bib",
     {"bib/dates.bib": bib("month2020", year=None, date="2020-13-01", urldate="2021-02-29")},
     ("bib/dates.bib:5: `date = {2020-13-01}` is not a real date: there is no month 13 (in entry 'month2020'); "
      "pandoc would show only what it can read. Correct the date (YYYY-MM-DD, YYYY-MM or YYYY; a range as "
      "start/end).",
      "bib/dates.bib:6: `urldate = {2021-02-29}` is not a real date: February 2021 has 28 days (in entry "
      "'month2020'); pandoc would show only what it can read. Correct the date (YYYY-MM-DD, YYYY-MM or YYYY; a "
      "range as start/end)."))


case("dates-pandoc-cannot-show", "bib",
     {"bib/unreadable-dates.bib": bib("letter2020", year="2020a") + bib("reversed2019", year=None, date="2021/2019")
      + bib("words2020", "online", url="https://example.org/w", urldate="yesterday")
      + bib("coming2021", year=None, pubstate="forthcoming")},
     ("bib/unreadable-dates.bib:5: `year = {2020a}` is not a date pandoc can read (in entry 'letter2020'); the "
      "references show 'n.d.' instead. Write the year as digits (`year = {2020}`; the style adds a, b … itself where "
      "it must tell two works apart), a range as `date = {2019/2021}`, an approximate year as `date = {2020~}`, a "
      "work not yet published as `pubstate = {forthcoming}` or `pubstate = {inpress}`; `year = {n.d.}` says the "
      "work has no date.",
      "bib/unreadable-dates.bib:11: `date = {2021/2019}` ends before it begins (in entry 'reversed2019'). Write the "
      "earlier date first (start/end).",
      "bib/unreadable-dates.bib:18: `urldate = {yesterday}` is not a date pandoc can read (in entry 'words2020'); "
      "the references show no access date. Write the date as YYYY-MM-DD, YYYY-MM or YYYY; a range as start/end "
      "(`2019-05/2021`)."))


case("month-pandoc-cannot-read", "bib",
     {"bib/months.bib": bib("spring2020", "online", month="spring", url="https://example.org/s") + "\n"
      + bib("macro2021", "online", month="=jan", url="https://example.org/m")},
     ("bib/months.bib:5: `month = {spring}` is not a month pandoc can read (in entry 'spring2020'); the references "
      "show no month. Write the month as BibTeX's macro without braces (`month = jan` … `month = dec`) or as a "
      "number from 1 to 12; a season or a span goes in `date` (`date = {2020-21}` for spring, "
      "`date = {2020-01/2020-03}`).",),
     check=lambda b: "January" in text_of(b, "bibliography/macro2021/", ".mx-source__reference")
     or pytest.fail("the month of `month = jan` is shown"))


def _brace_neighbours(built):
    assert not source_exists(built, "brace2020")
    assert details(built, "next2020")["Title"] == "The Next Entry"      # not swallowed by the broken one


case("brace-unbalanced", "bib",
     {"bib/brace.bib": bib("brace2020", "article", title="Unbalanced {Title", journal="J") + "\n"
      + bib("next2020", "article", title="The Next Entry", journal="J")},
     ("bib/brace.bib:3: BibTeX: syntax error: the brace opened in `title` on this line is never closed, so the "
      "next field, `year` on line 4, falls inside it (in entry 'brace2020' starting on line 1); the entry is "
      "left out. Add the missing '}' (or remove the extra '{') in `title`; the other entries are read as usual.",),
     check=_brace_neighbours)
case("cite-a-left-out-entry", "bib", {"docs/cases/left-out.md": page("Left out", "The broken entry [@brace2020].")},
     ("docs/cases/left-out.md:3: unknown citation key 'brace2020': its entry in bib/brace.bib:1 cannot be read "
      "(see the message there). Correct the entry; the citation is shown as written meanwhile.",),
     needs=("brace-unbalanced",))
case("macro-undefined", "bib", {"bib/macro.bib": bib("macro2020", "article", journal="=nosuchmacro")},
     ("bib/macro.bib:5: BibTeX: undefined @string macro 'nosuchmacro' in `journal` (in entry 'macro2020'). Define "
      "it before its first use (`@string{nosuchmacro = {…}}`), or write the value in braces.",))
# An `and` with no name on one side was read as part of a name, by pandoc too, without a
# word: "Doe, Jane and. 2020."; with `and and` the source page's Details lost its Author row.
_NAMES_FIX = ("Write ` and ` only between two names (`Doe, Jane and Roe, Rita`): remove the extra 'and', or add the "
              "missing name.")
case("names-with-a-stray-and", "bib",
     {"bib/names.bib": bib("trailing2020", author="Doe, Jane and ") + "\n"
      + bib("doubled2020", author="Ames, Al and and Coe, Cy", editor="and")},
     ("bib/names.bib:2: `author` has an 'and' without a name on one side (in entry 'trailing2020'): the names are "
      f"read as 'Doe, Jane and'. {_NAMES_FIX}",
      "bib/names.bib:9: `author` has an 'and' without a name on one side (in entry 'doubled2020'): the names are "
      f"read as 'Ames, Al'; 'and Coe, Cy'. {_NAMES_FIX}",
      "bib/names.bib:13: `editor` has an 'and' without a name on one side (in entry 'doubled2020'): the names are "
      f"read as 'and'. {_NAMES_FIX}"))
case("type-unknown", "bib", {"bib/type.bib": bib("weird2020", "frobnicate", title="A Weird Type")},
     ("bib/type.bib:1: @frobnicate 'weird2020' is not an entry type the citation style knows; it is formatted as "
      "@misc. Use a BibTeX or biblatex type (@book, @article, @incollection, @report, @online, @misc …).",))
case("missing-journal", "bib", {"bib/nojournal.bib": bib("nojournal2020", "article", title="No Journal")},
     ("bib/nojournal.bib:1: @article 'nojournal2020' has no journaltitle or journal, which its reference "
      f"needs. {CHICAGO_FIX}",))
case("missing-title-and-year", "bib", {"bib/untitled.bib": bib("untitled", title=None, year=None)},
     (f"bib/untitled.bib:1: @book 'untitled' has no title, no year (or date), which its reference needs. "
      f"{UNDATED_FIX}",))
case("crossref-circular", "bib",
     {"bib/loop.bib": bib("loopa", "incollection", crossref="loopb") + "\n"
      + bib("loopb", "incollection", crossref="loopa")},
     (f"bib/loop.bib:5: `crossref` goes round in a circle: loopa → loopb → loopa. {CROSSREF_FIX}",))
case("crossref-missing", "bib", {"bib/orphan.bib": bib("orphan2017", "incollection", crossref="nowhere")},
     ("bib/orphan.bib:5: `crossref = {nowhere}` in 'orphan2017' names no entry: there is no readable entry with the "
      f"key 'nowhere'. {CROSSREF_FIX}",))
case("bib-extension-upper-case", "bib", {"bib/UPPER.BIB": bib("upper2021", title="Upper Case Extension")},
     check=lambda b: details(b, "upper2021")["Title"] == "Upper Case Extension" or pytest.fail("not read"))


def _emph(built):
    assert details(built, "emph2020")["Title"] == "An Emphasised Word"
    assert "An Emphasised Word" in bibliography_text(built)


case("latex-emph", "bib", {"bib/emph.bib": bib("emph2020", title=r"An \emph{Emphasised} Word")}, check=_emph)


def _unknown_command(built):
    assert details(built, "foo2020")["Title"] == "A Kept Word"
    assert "A Kept Word" in bibliography_text(built), bibliography_text(built)


case("latex-unknown-command", "bib", {"bib/foo.bib": bib("foo2020", title=r"A \foo{Kept} Word")},
     check=_unknown_command)


def _url_case(ident: str, written: str, shown: str, scheme: str) -> None:
    key = ident.replace("-", "") + "2020"
    name = f"bib/{ident}.bib"

    def check(built):
        soup = soup_of(built, f"bibliography/{key}/")
        assert not [a for a in soup.select("article a[href]") if "x-" + ident in a["href"]]
        assert "url =" not in (built.site / f"bibliography/{key}/{key}.bib").read_text(encoding="utf-8")

    case(ident, "bib", {name: bib(key, "misc", howpublished="Online", url=written)},
         (f"{name}:6: `url = {{{shown}}}` uses the scheme '{scheme}', which is not a web address (in entry "
          f"'{key}'); it is left out of the published BibTeX and shown as text. {URL_FIX}",),
         check=check, token="x-" + ident, browse=(f"bibliography/{key}/",))


_url_case("url-javascript-mixed-case", "JaVaScRiPt:alert(/x-url-javascript-mixed-case/.source)",
          "JaVaScRiPt:alert(/x-url-javascript-mixed-case/.source)", "javascript:")
_url_case("url-javascript-leading-space", " javascript:alert(/x-url-javascript-leading-space/.source)",
          "javascript:alert(/x-url-javascript-leading-space/.source)", "javascript:")
_url_case("url-javascript-entity", "&#106;avascript:alert(/x-url-javascript-entity/.source)",
          "javascript:alert(/x-url-javascript-entity/.source)", "javascript:")
_url_case("url-data", "data:text/html,<script>alert(/x-url-data/.source)</script>",
          "data:text/html,<script>alert(/x-url-data/.source)</script>", "data:")
_url_case("url-vbscript", "vbscript:msgbox('x-url-vbscript')", "vbscript:msgbox('x-url-vbscript')", "vbscript:")


def _href_title(built):
    assert details(built, "href2020")["Title"] == "A Linked Title"
    assert not soup_of(built, "bibliography/href2020/").select("article a[href^=javascript]")


case("href-javascript-in-title", "bib",
     {"bib/href.bib": bib("href2020", title=r"A \href{javascript:alert(/x-href-title/.source)}{Linked} Title")},
     ("bib/href.bib:3: `title` links to `javascript:alert(/x-href-title/.source)`, which is not a web address (in "
      "entry 'href2020'); the link is removed and its text kept. Link only to addresses that start with https:// (or "
      "http://).",), check=_href_title, token="x-href-title")
case("url-without-scheme", "bib", {"bib/noscheme.bib": bib("noscheme2020", "misc", url="www.example.org/page")},
     ("bib/noscheme.bib:5: `url = {www.example.org/page}` is not a full web address (in entry 'noscheme2020'); it "
      f"is left out of the published BibTeX and shown as text. {URL_FIX}",))


def _doi_as_url(built):
    assert details(built, "doiurl2020")["DOI"] == "10.1234/abc.2020"
    assert "https://doi.org/https://" not in bibliography_text(built), bibliography_text(built)


case("doi-written-as-address", "bib",
     {"bib/doiurl.bib": bib("doiurl2020", "misc", doi="https://doi.org/10.1234/abc.2020")}, check=_doi_as_url)
case("url-with-a-space", "bib", {"bib/space.bib": bib("space2020", "misc", url="https://example.org/a b")},
     ("bib/space.bib:5: `url = {https://example.org/a b}` contains a space, which a web address cannot contain "
      "(in entry 'space2020'); it is left out of the published BibTeX and shown as text. Write the space as %20, "
      "or correct the address.",))


def _identifiers_unlinked(built):
    for key in ("pmid2020", "arxiv2020"):
        assert not soup_of(built, "bibliography/").select(f"li[id='{key}'] a[href*='see'], li[id='{key}'] "
                                                          "a[href*='Cambridge']"), key


case("identifiers-their-service-does-not-write", "bib",
     {"bib/identifiers.bib": bib("pmid2020", "misc", pmid="Cambridge University Press")
      + bib("arxiv2020", "misc", eprint="see the preprint", eprinttype="arxiv")},
     ("bib/identifiers.bib:5: `pmid = {Cambridge University Press}` is not a PubMed ID (in entry 'pmid2020'); it is "
      "left out of the published BibTeX and shown as text. Write a PubMed ID as the service writes it: digits only "
      "(e.g. `12345678`); or leave the field out.",
      "bib/identifiers.bib:11: `eprint = {see the preprint}` is not an arXiv identifier (in entry 'arxiv2020'); it "
      "is left out of the published BibTeX and shown as text. Write an arXiv identifier as the service writes it: "
      "YYMM.NNNNN or archive/YYMMNNN, with `v2` … for a version (e.g. `2101.00001v2`, `hep-th/9901001`); or leave "
      "the field out."), check=_identifiers_unlinked)

# pandoc links a `doi` under https://doi.org/ whatever it holds ('https://doi.org/see%20publisher').
NOT_DOIS = {"notadoitext2020": "see publisher", "notadoiscript2020": "javascript:alert(/x-doi-script/.source)",
            "notadoiprefix2020": "10.1234",
            "notadoiproxy2020": "http://doi.acm.org.www.library.gatech.edu:2048/10.1145/1322192.1322216"}
DOI_FORM = ("A DOI is `10.`, the registrant's number, a slash and the suffix (e.g. `10.1000/xyz123`; `doi:…` and "
            "https://doi.org/… are read too)")
DOI_FIX = f"{DOI_FORM}: write the DOI only, put a web address in `url`, or leave the field out."


def _not_dois(built):
    listing = soup_of(built, "bibliography/")
    for key, written in NOT_DOIS.items():
        assert details(built, key)["DOI"] == written, key                 # shown, as text
        for place in (soup_of(built, f"bibliography/{key}/").select_one("article"), listing.select_one(f"li[id='{key}']")):
            assert not place.select("a[href*='doi.org']"), (key, place)
        assert "doi =" not in (built.site / f"bibliography/{key}/{key}.bib").read_text(encoding="utf-8")


def _not_doi(line: int, key: str, then: str = DOI_FIX) -> str:
    return (f"bib/not-a-doi.bib:{line}: `doi = {{{NOT_DOIS[key]}}}` is not a DOI (in entry '{key}'); it is left out of "
            f"the published BibTeX and shown as text. {then}")


case("doi-that-is-not-a-doi", "bib",
     {"bib/not-a-doi.bib": "".join(bib(key, "misc", doi=written) for key, written in NOT_DOIS.items())},
     (_not_doi(5, "notadoitext2020"), _not_doi(11, "notadoiscript2020"), _not_doi(17, "notadoiprefix2020"),
      _not_doi(23, "notadoiproxy2020", f"{DOI_FORM}. This address ends in `10.1145/1322192.1322216`: if that is "
                                       "the work's DOI, write it alone; a web address goes in `url`.")),
     check=_not_dois, token="x-doi-script", browse=("bibliography/notadoiscript2020/",))

DOI_FORMS = {"doiform1": "10.1000/182", "doiform2": "doi:10.1000/183", "doiform3": "DOI: 10.1000/184",
             "doiform4": "info:doi/10.1000/185", "doiform5": "https://doi.org/10.1000/186",
             "doiform6": "http://dx.doi.org/10.1000/187", "doiform7": "https://doi.org/10.1000/a%2Fb"}


def _doi_forms(built):
    for key, written in DOI_FORMS.items():
        doi = {"doiform7": "10.1000/a/b"}.get(key, "10.1000/" + written[-3:])
        assert details(built, key)["DOI"] == doi, key
        links = soup_of(built, f"bibliography/{key}/").select("table.mx-source__fields a[href]")
        assert [a["href"] for a in links] == ["https://doi.org/" + doi], key


case("doi-in-every-form-it-is-written", "bib",
     {"bib/doi-forms.bib": "".join(bib(key, "misc", doi=written) for key, written in DOI_FORMS.items())},
     check=_doi_forms)

def _long_key(built):
    from microsite.model.sources import slug_for

    assert source_exists(built, slug_for("long" + "k" * 296))


case("bib-key-longer-than-a-file-name", "bib", {"bib/long.bib": bib("long" + "k" * 296)}, check=_long_key)
case("isbn-with-a-wrong-check-digit", "bib", {"bib/isbn.bib": bib("isbn2020", isbn="978-0-19-953556-8")},
     ("bib/isbn.bib:6: `isbn = {978-0-19-953556-8}` is not an ISBN: its check digit does not match its other digits (a "
      "digit mistyped or two swapped?) (in entry 'isbn2020'); it is shown as written. Copy the ISBN again from the "
      "work itself or its publisher's page (hyphens allowed; several separated by spaces), or leave the field out.",))

# ---- pages: front matter, encodings, glossary, generated pages, citations that cannot be shown --

case("md-latin1", "pages", {"docs/articles/latin1.md": article("Text.", title="Caf\xe9").encode("latin-1")},
     ("docs/articles/latin1.md: the file is not UTF-8 text (byte 0xE9 at line 2); the page is left out of the "
      "site. Save it as UTF-8 in your editor (its encoding setting, e.g. \"Save with encoding\").",),
     check=lambda b: not (b.site / "articles/latin1").exists() or pytest.fail("a Latin-1 page was published"))
case("title-number", "pages", {"docs/articles/title-number.md": article("Text.", title="2020")},
     ("docs/articles/title-number.md:2: `title` must be text, not a number (2020). Put it in quotes: "
      "`title: \"2020\"`.",))
case("authors-number", "pages", {"docs/articles/authors-number.md": article("Text.", authors="5")},
     ("docs/articles/authors-number.md:3: `authors` must be a list of names, not a number (5). Write `authors: "
      "[First Author, Second Author]`, even for a single author.",))
case("summary-list", "pages", {"docs/articles/summary-list.md": article("Text.", summary="[a]")},
     ("docs/articles/summary-list.md:4: `summary` must be text (one paragraph), not a list. Write `summary: >` "
      "followed by an indented paragraph.",))
THEME_KEYS_PAGE = """---
search: yes
hide: [tco, toc, 5]
tags: a tag
template: nowhere.html
description: [a, b]
comments: maybe
icon: not/an-icon
status: 'new" onmouseover="alert(/x-status/.source)'
---

# Keys the theme reads

Text.
"""


def _theme_keys_ignored(built):
    page = soup_of(built, "cases/theme-keys/")
    assert page.select_one(".md-sidebar--secondary").has_attr("hidden")      # `toc` is still hidden
    description = page.select_one('meta[name="description"]')
    assert description is None or description["content"] != "['a', 'b']"


case("theme-keys", "pages", {"docs/cases/theme-keys.md": THEME_KEYS_PAGE},
     ("docs/cases/theme-keys.md:6: `description` must be text, not a list; it is ignored. Write it on one line: "
      "`description: The text`.",
      "docs/cases/theme-keys.md:3: `hide` cannot hide `tco`; it is ignored. Did you mean `toc`?",
      "docs/cases/theme-keys.md:3: `hide` cannot hide `a number (5)`; it is ignored. List the parts to hide, e.g. "
      "`hide: [toc]` (any of navigation, toc, footer, tags, feedback, path).",
      "docs/cases/theme-keys.md:2: `search` must be a mapping such as `search: {exclude: true}` or `search: "
      "{boost: 2}`, not `true` (yes/no); it is ignored. Write `search: {exclude: true}` to leave the page out of "
      "the search, or `search: {boost: 2}` to rank it higher.",
      "docs/cases/theme-keys.md:4: `tags` must be a list, not str; it is ignored. Write `tags: [one tag, another]`.",
      "docs/cases/theme-keys.md:7: `comments` must be yes or no, not str; it is ignored. Write `comments: true` or "
      "`comments: false`.",
      "docs/cases/theme-keys.md:5: `template: nowhere.html` is not a template of the theme or of the site's "
      "`custom_dir`; the page is rendered with the default template. Remove the line, or add the template to the "
      "folder `theme.custom_dir` names in mkdocs.yml.",
      "docs/cases/theme-keys.md:8: `icon: not/an-icon` is not an icon of the theme or of the site's `custom_dir`; "
      "it is ignored. Use an icon name as Material writes it, e.g. `icon: material/book-open-variant` (Material's "
      "\"Icons, Emojis\" page lists them), or add the SVG under `custom_dir`/.icons/.",
      "docs/cases/theme-keys.md:9: `status: new\" onmouseover=\"alert(/x-status/.source)` is not a status name; "
      "it is ignored. Write one word, as Material's statuses are: `status: new` or `status: deprecated` (or a name "
      "from `extra.status` in mkdocs.yml)."),
     check=_theme_keys_ignored)
case("theme-keys-search-options", "pages",
     {"docs/cases/theme-search.md": "---\nsearch: {exclude: sometimes, boost: 2, boots: 3}\n---\n\n# Search\n\nText.\n"},
     ("docs/cases/theme-search.md:2: `search: {exclude: ...}` must be yes or no (`exclude: true`), not str; it is "
      "ignored. Write `search: {exclude: true}`.",
      "docs/cases/theme-search.md:2: `search` has no option `boots`; it is ignored. Did you mean `boost`?"))
def _control_characters(built):
    html = (built.site / "articles/controls/index.html").read_text(encoding="utf-8")
    assert not re.search("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]", html)
    assert soup_of(built, "articles/controls/").select_one("article h1").find(string=True).strip() == "Controls"
    assert "Text with a NUL and an escape in it." in text_of(built, "articles/controls/")


case("md-control-characters", "pages",
     {"docs/articles/controls.md": article("Text with a NUL\x00 and an escape\x1b in it.\n\nAnd a C1 control\x85.",
                                           title="Con\x07trols")},
     ("docs/articles/controls.md:2: the file holds 4 control characters (the first: U+0007 BELL), which are not "
      "text; they are left out of the page. Delete them (often pasted from a PDF or a word processor; an editor that "
      "shows invisible characters finds them).",),
     check=_control_characters)


def _old_mac_line_ends(built):
    assert soup_of(built, "articles/old-mac/").select_one("article h1").find(string=True).strip() == "Old Mac"


case("md-old-mac-line-ends", "pages",
     {"docs/articles/old-mac.md": article("A first paragraph.\n\nA typo [@good2020bok].",
                                          title="Old Mac").replace("\n", "\r")},
     ("docs/articles/old-mac.md:9: unknown citation key 'good2020bok'. Did you mean 'good2020book'?",),
     check=_old_mac_line_ends)
case("date-impossible", "pages", {"docs/articles/bad-date.md": article("Text.", date="2020-13-45")},
     ("docs/articles/bad-date.md:5: `date: 2020-13-45` is not a real date (month must be in 1..12). Write the date "
      "as YYYY-MM-DD, e.g. `date: 2020-11-05`.",))
case("front-matter-unclosed", "pages",
     {"docs/articles/unclosed.md": "---\ntitle: Unclosed\nauthors: [A]\nsummary: S.\n\nText, no closing line.\n"},
     ("docs/articles/unclosed.md:1: the front matter that starts on line 1 has no closing `---` line. End it with a "
      "line `---` before the text of the page.",))
case("generated-page-taken", "pages", {"docs/bibliography/index.md": page("My own bibliography", "Mine.")},
     ("docs/bibliography/index.md: docs/bibliography/index.md is generated by the site. Remove this file: the build "
      "writes it from the bib files, the glossary and the site's options.",))
GENERATED_FIX = "Rename or remove this file: the build writes that page from the bib files, the glossary and the site's options."


def _generated_address(*urls: str):
    """At each address the generated page is published (at most once in the search index:
    source pages are left out of it), the author's page nowhere, and no link of the
    navigation carries the author's title."""
    def check(built):
        index = json.loads((built.site / "search/search_index.json").read_text(encoding="utf-8"))
        for url in urls:
            assert "Mine, not generated" not in norm(soup_of(built, url).get_text()), url
            assert [doc["location"] for doc in index["docs"]].count(url) <= 1, url
        assert not [doc for doc in index["docs"] if "Mine, not generated" in doc["text"]]
        nav = norm(soup_of(built, "").select_one("nav.md-nav--primary").get_text())
        assert "Authored over" not in nav, nav
    return check


def _authored(title: str) -> str:
    return page(f"Authored over {title}", "Mine, not generated.")


case("generated-address-taken", "pages",
     {"docs/bibliography.md": _authored("the bibliography"), "docs/glossary.md": _authored("the glossary"),
      "docs/downloads.md": _authored("the downloads"),
      "docs/bibliography/good2020book/index.md": _authored("a source page")},
     ("docs/bibliography.md: its address, bibliography/, is that of docs/bibliography/index.md, which is generated "
      "by the site. " + GENERATED_FIX,
      "docs/glossary.md: its address, glossary/, is that of docs/glossary/index.md, which is generated by the site. "
      + GENERATED_FIX,
      "docs/downloads.md: its address, downloads/, is that of docs/downloads/index.md, which is generated by the "
      "site. " + GENERATED_FIX,
      "docs/bibliography/good2020book/index.md: its address, bibliography/good2020book/, is that of "
      "docs/bibliography/good2020book.md, which is generated by the site. " + GENERATED_FIX),
     check=_generated_address("bibliography/", "glossary/", "downloads/", "bibliography/good2020book/"))


def _numbers_as_written(built):
    soup = soup_of(built, "articles/numbers/")

    def meta(name):
        return [m["content"] for m in soup.select(f'meta[name="{name}"]')]

    assert meta("citation_technical_report_number") == ["012"]
    assert meta("citation_publisher") == ["1:30"]
    assert meta("citation_technical_report_institution") == ["12.10"]
    assert meta("citation_keywords") == ["012", "1.10", "yes", "2020-01-02"]
    assert meta("citation_abstract") == ["0x1F"]
    people = soup_of(built, "articles/people/")
    assert [m["content"] for m in people.select('meta[name^="citation_author"]')] == [
        "1984", "1:30", "12.10", "Smith, 012", "0x1F"]
    index = json.loads((built.site / "search/search_index.json").read_text(encoding="utf-8"))
    (entry,) = [doc for doc in index["docs"] if doc["location"] == "articles/numbers/"]
    assert entry["tags"] == ["012", "1.10"]
    glossary = text_of(built, "glossary/")
    assert "Nineteen Eighty-Four" in glossary and "A novel of 1949." in glossary and "12.10" in glossary
    (entry,) = [doc for doc in index["docs"] if doc["location"] == "glossary/nineteen-eighty-four/"]
    assert entry["tags"] == ["Nineteen Eighty-Four", "1984", "012"]           # the entry's forms, as written


case("front-matter-numbers-as-written", "pages",
     {"docs/articles/numbers.md": article("Text.", report_number="012", publisher="1:30", institution="12.10",
                                          keywords="[012, 1.10, yes, 2020-01-02]", abstract="0x1F",
                                          tags="[012, 1.10]"),
      "docs/articles/people.md": article("Text.", authors="[1984, {name: 1:30, affiliation: 12.10}, "
                                                          "{given: 012, family: Smith, affiliations: [0x1F]}]"),
      "docs/glossary/nineteen-eighty-four.md": "---\nterm: Nineteen Eighty-Four\naliases: [1984, 012]\nsummary: A "
                                               "novel of 1949.\n---\n\nA novel by George Orwell.\n",
      "docs/glossary/decimal-point.md": "---\nterm: Decimal Point\nsummary: 12.10\n---\n\nA point.\n"},
     check=_numbers_as_written)
case("front-matter-keys-yaml-reads-as-other-values", "pages",
     {"docs/articles/odd-keys.md": article("Text.", **{"null": "1", "true": "2", "012": "3"})},
     tuple(f"docs/articles/odd-keys.md:{line}: unknown front matter key `{key}`. Remove it, or use one of: `abstract`, "
           "`author`, `authors`, `comments`, `date`, `description`, `doi`, `hide`, `icon`, `image`, `institution`, "
           "`keywords`, `language`, `license`, `publisher`, `report_number`, `search`, `social`, `status`, "
           "`subtitle`, `summary`, `tags`, `template`, `title`, `updated` (the key is not read)"
           for line, key in ((5, "null"), (6, "true"), (7, "012"))))
case("front-matter-values-as-written-in-messages", "pages",
     {"docs/articles/odd-values.md": article("Text.", license="null", language="012", doi="10.10",
                                             institution="!!binary aGVsbG8="),
      "docs/cases/binary.md": "---\ndescription: !!binary aGVsbG8=\nsubtitle: 0x1F\n---\n\n# Binary\n\nText.\n"},
     ("docs/articles/odd-values.md:5: `license: null` must be one SPDX identifier, not empty. Write e.g. `license: "
      "CC-BY-4.0`, or remove the line.",
      "docs/articles/odd-values.md:6: `language: 012` is not a language tag. Write a BCP 47 tag such as `en`, "
      "`en-GB` or `fr`",
      "docs/articles/odd-values.md:7: `doi: 10.10` is not a DOI (it starts with `10.`, a registrant number, `/` "
      "and a suffix). Write the DOI as registered, e.g. `doi: 10.5281/zenodo.1003150` (https://doi.org/… and doi:… "
      "are accepted); never guess one",
      "docs/articles/odd-values.md:8: `institution` must be text, not binary data (`!!binary aGVsbG8=`). Write the "
      "text itself, without a tag such as `!!binary`: `institution: The text`.",
      "docs/cases/binary.md:2: `description` must be text, not binary data (`!!binary aGVsbG8=`); it is ignored. "
      "Write the text itself, without a tag such as `!!binary`: `description: The text`.",
      "docs/cases/binary.md:3: `subtitle` must be text, not a number (0x1F); it is ignored. Put it in quotes: "
      "`subtitle: \"0x1F\"`."))
case("glossary-term-a-number", "pages", {"docs/glossary/y1984.md": "---\nterm: 1984\n---\n\nA year.\n"},
     ("docs/glossary/y1984.md:2: `term` must be text, not a number (1984). Put it in quotes: `term: \"1984\"`.",))
# A glossary entry's summary is plain text (the hover preview of every linked term).
case("glossary-summary-with-a-citation", "pages",
     {"docs/glossary/quota-cite.md": "---\nterm: Import quota\nsummary: A cap on imports [@good2020book, 5].\n---\n\nA cap.\n"},
     ("docs/glossary/quota-cite.md:3: `summary` is plain text: the citation [@good2020book, 5] in it is shown as written, "
      "in every preview of the term. Cite the source in the page's text, and name it in words here (e.g. "
      "'Doe (2020)').",))
case("glossary-front-matter-not-yaml", "pages", {"docs/glossary/broken.md": "---\nterm: [Broken\n---\n\nA broken one.\n"},
     ("docs/glossary/broken.md:2: front matter is not valid YAML (the [ opened on this line is never closed). Fix the "
      "YAML "
      "between the two '---' lines.",))
case("glossary-front-matter-without-its-opening-line", "pages",
     {"docs/glossary/boycott.md": "term: Boycott\nsummary: A refusal to trade.\n---\n\nA refusal to trade.\n",
      "docs/articles/unopened.md": "title: Unopened\nauthors: [Ada Author]\nsummary: One.\n---\n\nText.\n"},
     ("docs/glossary/boycott.md:1: the front matter must start with a `---` line: the `key: value` lines that end "
      "with the `---` on line 3 have none above them, so MkDocs shows them as text. Add a line `---` at the top of "
      "the file, above `term: Boycott`.",
      "docs/articles/unopened.md:1: the front matter must start with a `---` line: the `key: value` lines that end "
      "with the `---` on line 4 have none above them, so MkDocs shows them as text. Add a line `---` at the top of "
      "the file, above `title: Unopened`."))
case("see-also-missing", "pages",
     {"docs/glossary/sanction.md": "---\nterm: Sanction\nsee_also: [no-such-entry]\n---\n\nA penalty.\n"},
     ("docs/glossary/sanction.md:3: see_also: no glossary entry 'no-such-entry'. Use the file name of another "
      "entry, without .md.",))
case("glossary-key-unknown", "pages",
     {"docs/glossary/tariff.md": "---\nterm: Tariff\nsumary: A tax on imports.\n---\n\nA tax on imports.\n"},
     ("docs/glossary/tariff.md:3: unknown front matter key `sumary` in a glossary entry. Did you mean `summary`?",))
case("see-also-itself", "pages",
     {"docs/glossary/embargo.md": "---\nterm: Embargo\nsee_also: [embargo]\n---\n\nA ban on trade.\n"},
     ("docs/glossary/embargo.md:3: see_also: 'embargo' is this entry itself. List other entries only; remove it "
      "from `see_also`.",))
case("alias-in-two-entries", "pages",
     {"docs/glossary/pact.md": "---\nterm: Pact\naliases: [Treaty]\n---\n\nAn agreement.\n"},
     ("docs/glossary/treaty.md:2: the term 'Treaty' is also 'Treaty' in docs/glossary/pact.md:3. A term or alias "
      "must belong to one entry: remove it from one of the two files.",))
def _decomposed_term_linked(built):
    links = soup_of(built, "cases/cafe-text/").select("article a.mx-term")
    assert [a.get_text() for a in links] == ["Caf\u00e9 Society", "NATO"], links


case("glossary-term-typed-decomposed-and-with-an-invisible-character", "pages",
     {"docs/glossary/cafe-society.md": "---\nterm: Cafe\u0301 Society\nsee_also: [alliance-n\u0103]\n---\n\nA group.\n",
      "docs/glossary/alliance-na\u0306.md": "---\nterm: Pact of Steel\naliases: [\"NA\u200bTO\"]\n---\n\nA pact.\n",
      "docs/cases/cafe-text.md": page("Cafe text", "The Caf\u00e9 Society met NATO.")},
     ("docs/glossary/alliance-na\u0306.md:3: the alias 'NA\u200bTO' contains a character a reader cannot see "
      "(U+200B ZERO WIDTH SPACE). Delete it (retype the word); it is left out meanwhile, so that the text is linked.",),
     check=_decomposed_term_linked)
case("glossary-no-definition", "pages", {"docs/glossary/empty.md": "---\nterm: Empty Entry\n---\n"},
     ("docs/glossary/empty.md:4: the glossary entry 'Empty Entry' has no definition. Write at least one paragraph "
      "explaining the term below the front matter.",))
case("alias-one-letter-word", "pages",
     {"docs/glossary/article-word.md": "---\nterm: Indefinite Article\naliases:\n  - a\n---\n\nA word.\n"},
     ("docs/glossary/article-word.md:4: the alias 'a' is a common English word and would be linked everywhere. "
      "Write it in capitals if it is an acronym (e.g. 'US'), or remove it.",))
case("alias-two-letter-word", "pages",
     {"docs/glossary/verb.md": "---\nterm: Copula\naliases:\n  - is\n---\n\nA verb.\n"},
     ("docs/glossary/verb.md:4: the alias 'is' is a common English word and would be linked everywhere. Write it "
      "in capitals if it is an acronym (e.g. 'US'), or remove it.",))
# The linker reads a page's text after Markdown's inline processing: a form Markdown turns into
# something else (code, emphasis, a character reference, an escape, HTML) is in no page's text.
NEVER_LINKED_FIX = ("Write it as readers see it, without Markdown marks, HTML tags, character references (`&amp;`) "
                    "or backslash escapes; or remove it.")


def _never_linked(line: int, form: str, seen: str, path: str = "docs/glossary/markup-forms.md",
                  what: str = "alias") -> str:
    return (f"{path}:{line}: the {what} '{form}' is never linked: Markdown reads it as markup, not as text, wherever "
            f"a page writes it (a reader sees '{seen}'). {NEVER_LINKED_FIX}")


def _only_the_term_linked(built):
    links = soup_of(built, "cases/markup-text/").select("article a.mx-term")
    assert [a.get_text() for a in links] == ["Procter and Gamble"], links


case("glossary-forms-markdown-reads-as-markup", "pages",
     {"docs/glossary/markup-forms.md": "---\nterm: Procter and Gamble\naliases:\n  - Procter &amp; Gamble\n"
                                       "  - '`pg code`'\n  - '*P&G*'\n  - P\\_and\\_G\n  - <i>PnG</i>\n---\n\nA company.\n",
      "docs/cases/markup-text.md": page("Markup text", "Procter and Gamble, Procter & Gamble, `pg code`, *P&G*, "
                                                       "P\\_and\\_G, <i>PnG</i>.")},
     (_never_linked(4, "Procter &amp; Gamble", "Procter & Gamble"), _never_linked(5, "`pg code`", "pg code"),
      _never_linked(6, "*P&G*", "P&G"), _never_linked(7, "P\\_and\\_G", "P_and_G"),
      _never_linked(8, "<i>PnG</i>", "PnG")), check=_only_the_term_linked)


def _curly_quotes_linked(built):
    links = soup_of(built, "cases/quotes-text/").select("article a.mx-term")
    assert [norm(a.get_text()) for a in links] == ["People's Liberation Army", '"Pivot to Asia"'], links


# smarty makes a page's quotes curly after the linker has read them straight; forms are often
# copied from a page that shows them curly.
case("glossary-forms-with-curly-quotes", "pages",
     {"docs/glossary/pla.md": "---\nterm: People\u2019s Liberation Army\n---\n\nAn army.\n",
      "docs/glossary/pivot.md": "---\nterm: Pivot\naliases: [\u201cPivot to Asia\u201d]\n---\n\nA policy.\n",
      "docs/cases/quotes-text.md": page("Quotes text", "The People's Liberation Army and the \"Pivot to Asia\".")},
     check=_curly_quotes_linked)
case("cite-unknown-key", "pages", {"docs/cases/typo.md": page("Typo", "A typo [@good2020bok].")},
     ("docs/cases/typo.md:3: unknown citation key 'good2020bok'. Did you mean 'good2020book'?",))
case("cite-in-image-alt", "pages", {"docs/cases/alt.md": page("Alt", "![A map [@good2020book]](map.png)"),
                                    "docs/cases/map.png": "not really a picture"},
     ("docs/cases/alt.md:3: the citation [@good2020book] is inside an image's description, where it cannot be shown "
      "as a citation. " + ATTRIBUTE_FIX,),
     check=lambda built: _kept(built, "cases/alt/", "article img", "alt", "A map [@good2020book]"))
case("cite-in-link-title", "pages",
     {"docs/cases/link-title.md": page("Link title", '[a link](https://example.org "see [@good2020book]")')},
     ("docs/cases/link-title.md:3: the citation [@good2020book] is inside a link's title, where it cannot be shown "
      "as a citation. " + ATTRIBUTE_FIX,),
     check=lambda built: _kept(built, "cases/link-title/", 'article a[href="https://example.org"]', "title",
                               "see [@good2020book]"))
def _refused_with_citations(built):
    """A refused link is text: a citation in it is a citation again."""
    refused = [norm(span.get_text()) for span in soup_of(built, "cases/refused/").select("article .mx-link-refused")]
    assert refused[0] == "map [@good2020book]" and refused[1].startswith("see (") and "@" not in refused[1], refused


case("cite-in-a-refused-image-and-link", "pages",
     {"docs/cases/refused.md": page("Refused", "An image ![map [@good2020book]](javascript:alert(1)) here.\n\n"
                                              "A link [see [@good2019article]](javascript:alert(2)) here.")},
     ("docs/cases/refused.md:3: the citation [@good2020book] is inside an image's description, where it cannot be "
      "shown as a citation. " + ATTRIBUTE_FIX,
      "docs/cases/refused.md:3: the image 'map [@good2020book]' leads to 'javascript:alert(1)', which is not a web "
      "address. Link to an http(s) address, a page of the site or an e-mail address (mailto:); the link is shown as "
      "text meanwhile.",
      "docs/cases/refused.md:5: the link 'see [@good2019article]' leads to 'javascript:alert(2)', which is not a web "
      "address. Link to an http(s) address, a page of the site or an e-mail address (mailto:); the link is shown as "
      "text meanwhile."),
     check=_refused_with_citations)
case("cite-in-link-text", "pages",
     {"docs/cases/link-text.md": page("Link text", "[as argued in [@good2020book]](https://example.org)")},
     ("docs/cases/link-text.md:3: the citation [@good2020book] is inside the text of a link, where it cannot link "
      "to its reference. Move the citation out of the link's [text].",))
case("cite-in-raw-html", "pages",
     {"docs/cases/raw-html.md": page("Raw HTML", '<div class="box">\nA box citing [@good2020book].\n</div>')},
     ("docs/cases/raw-html.md:4: the citation [@good2020book] is inside raw HTML, which Markdown does not convert. "
      'Add markdown="1" to the HTML element around it, or move it out.',))
# The same citation in raw HTML and later in the text: the raw one was located at the later line
# (the line search went on from the last citation the text scan had placed).
case("cite-in-raw-html-and-later-in-text", "pages",
     {"docs/cases/raw-html-twice.md": page("Raw HTML twice", '<div class="box">\nA box citing [@good2019article].\n'
                                                             '</div>\n\nThe text cites [@good2019article] too.')},
     ("docs/cases/raw-html-twice.md:4: the citation [@good2019article] is inside raw HTML, which Markdown does not "
      'convert. Add markdown="1" to the HTML element around it, or move it out.',))
case("cite-key-with-invisible-characters", "pages",
     {"docs/cases/unseen.md": page("Unseen", "Zero width [@good\u200b2020book], byte order mark [@\ufeffgood2020book], "
                                             "decomposed [see @goo\u0301d2020book, p. 5], braced [@{good2020book\u00ad}].")},
     ("docs/cases/unseen.md:3: [@good\u200b2020book] is not a citation: the key 'good' is followed by an invisible "
      "character (U+200B ZERO WIDTH SPACE). Delete it (retype the key).",
      "docs/cases/unseen.md:3: [@\ufeffgood2020book] is not a citation: '@' is followed by an invisible character "
      "(U+FEFF ZERO WIDTH NO-BREAK SPACE). Delete it (retype the key).",
      "docs/cases/unseen.md:3: [see @goo\u0301d2020book, p. 5] is not a citation: the key 'goo' is followed by a "
      "separate accent (U+0301 COMBINING ACUTE ACCENT), which pandoc does not join to the letter before it. Retype "
      "the key with the accented letter as one character: `go\u00f3d2020book`",
      "docs/cases/unseen.md:3: unknown citation key 'good2020book\u00ad': it contains a character a reader cannot "
      "see (U+00AD SOFT HYPHEN). Retype the key without it. Did you mean 'good2020book'?"))
case("cite-empty", "pages", {"docs/cases/empty.md": page("Empty", "An empty [@] cluster.")},
     ("docs/cases/empty.md:3: [@] is not a citation: '@' is not followed by a citation key. Write the key right "
      "after the @: `[@key]`",))
case("cite-colon", "pages", {"docs/cases/colon.md": page("Colon", "A [@:good2020book] cluster.")},
     ("docs/cases/colon.md:3: [@:good2020book] is not a citation: a citation key cannot begin with ':' when written "
      "bare. If the key really is ':good2020book', write it in braces: `[@{:good2020book}]`",))
case("cite-dangling-part", "pages", {"docs/cases/dangling.md": page("Dangling", "A [@good2020book; see] cluster.")},
     ("docs/cases/dangling.md:3: [@good2020book; see] is not a citation: 'see' has no citation key. Each part "
      "between ';' cites one source: `[@a, p. 5; see @b]`",))
case("cite-unclosed-brace-key", "pages", {"docs/cases/brace-key.md": page("Brace key", "A [@{good2020book] cluster.")},
     ("docs/cases/brace-key.md:3: [@{good2020book] is not a citation: '@{good2020book' is not a key in braces. "
      "Write the key between braces, whole, with no space: `[@{key}]`",))


def _inline_comment(built):
    article_ = built.article("cases/inline-comment/")
    assert not article_.select("ul.mx-references") and "[missing" not in article_.decode()


case("cite-in-inline-comment", "pages",
     {"docs/cases/inline-comment.md": page("Inline comment", "More text <!-- [@good2019article] --> inline.")},
     check=_inline_comment)


def _md_javascript_link(built):
    assert "click here" in text_of(built, "cases/js-link/")


case("md-javascript-link", "pages",
     {"docs/cases/js-link.md": page("JS link", "Please [click here](javascript:alert(1)//x-md-link).")},
     ("docs/cases/js-link.md:3: the link 'click here' leads to 'javascript:alert(1)//x-md-link', which is not a "
      "web address. Link to an http(s) address, a page of the site or an e-mail address (mailto:); the link is "
      "shown as text meanwhile.",),
     check=_md_javascript_link, token="x-md-link")

# Found by an audit (seventh session): a browser decodes character references in an
# address before it reads the scheme, so must the guard; attributes written with attr_list
# cannot hold an event handler; aliases in front matter are walked once.
def _entity_links(built):
    shown = text_of(built, "cases/entity-links/")
    assert "one two three four" in shown


case("md-entity-javascript-links", "pages",
     {"docs/cases/entity-links.md": page("Entity links",
                                         "[one](java&#115;cript:alert(1)//x-md-entity)\n"
                                         "[two](&#x6A;avascript:alert(1)//x-md-entity)\n"
                                         "[three](javascript&colon;alert(1)//x-md-entity)\n"
                                         "[four][r]\n\n[r]: java&#115;cript:alert(2)//x-md-entity")},
     tuple(f"docs/cases/entity-links.md:{line}: the link '{text}' leads to '{href}', which is not a web address. "
           "Link to an http(s) address, a page of the site or an e-mail address (mailto:); the link is shown as "
           "text meanwhile." for line, text, href in (
               (3, "one", "java&#115;cript:alert(1)//x-md-entity"),
               (4, "two", "&#x6A;avascript:alert(1)//x-md-entity"),
               (5, "three", "javascript&colon;alert(1)//x-md-entity"),
               (8, "four", "java&#115;cript:alert(2)//x-md-entity"))),
     check=_entity_links, token="x-md-entity")


def _attr_handler(built):
    paragraph = soup_of(built, "cases/attr-handler/").select_one("article p.kept")
    assert paragraph is not None and paragraph.get_text(strip=True) == "A paragraph."


case("attr-list-event-handler", "pages",
     {"docs/cases/attr-handler.md": page("Attr handler",
                                         'A paragraph.\n{ .kept onclick="alert(/x-attr-on/.source)" }')},
     ("docs/cases/attr-handler.md:4: the attribute `onclick` would run a script in the reader's browser. Remove "
      "it: attributes written in Markdown ({ … }) cannot hold scripts; the element is shown without it meanwhile.",),
     check=_attr_handler, token="x-attr-on")

def _laughs() -> str:
    lines, previous = [], '"lol"'
    for name in "abcdefghi":
        lines.append(f"{name}: &{name} [{', '.join([previous] * 9)}]")
        previous = "*" + name
    return "\n".join(lines) + "\n"


case("front-matter-alias-bomb", "pages",
     {"docs/articles/laughs.md": "---\ntitle: Laughs\nauthors: [Ada Author]\nsummary: One sentence.\n"
                                 "date: 2021-03-04\n" + _laughs() + "keywords: *i\n---\n\nText.\n"},
     tuple(f"docs/articles/laughs.md:{line}: unknown front matter key `{name}`. Remove it, or use one of: "
           "`abstract`, `author`, `authors`, `comments`, `date`, `description`, `doi`, `hide`, `icon`, `image`, "
           "`institution`, `keywords`, `language`, `license`, `publisher`, `report_number`, `search`, `social`, "
           "`status`, `subtitle`, `summary`, `tags`, `template`, `title`, `updated` (the key is not read)"
           for line, name in enumerate("abcdefghi", start=6))
     + tuple(f"docs/articles/laughs.md:15: keyword #{number} is not text. Write each keyword as text"
             for number in range(1, 10)))


case("glossary-entry-without-term-and-a-see-also-to-it", "pages",
     {"docs/glossary/no-term.md": "---\nsummary: Headless.\n---\n\nA definition.\n",
      "docs/glossary/pointer.md": "---\nterm: Pointer\nsummary: Points.\nsee_also: [no-term]\n---\n\nPoints.\n"},
     ("docs/glossary/no-term.md:1: a glossary entry needs a `term` (its headword). Add a line `term: No term` (the "
      "headword as readers should see it) to the front matter.",
      "docs/glossary/pointer.md:4: see_also: the entry 'no-term' cannot be read (see the message for "
      "docs/glossary/no-term.md). Correct that entry; this line is then fine."))

def _html_attribute(built):
    soup = soup_of(built, "cases/html-attribute/")
    assert soup.select_one("article span.kept")["title"] == "[@good2020book]"
    assert soup.select_one("article abbr")["title"] == "see [@good2019article]"
    assert not soup.select("article .mx-late-missing") and not soup.select("article ul.mx-references")


case("cite-in-html-attribute", "pages",
     {"docs/cases/html-attribute.md": page("HTML attribute",
                                           'A <span class="kept" title="[@good2020book]">span</span> and '
                                           '<abbr title="see [@good2019article]">X</abbr>.')},
     tuple(f"docs/cases/html-attribute.md:3: the citation {raw} is inside an HTML tag's attribute, where it cannot be "
           "shown as a citation. Write the citation in the text, outside the tag; it is left as written meanwhile."
           for raw in ("[@good2020book]", "[@good2019article]")),
     check=_html_attribute)


def _written_attributes(built):
    soup = soup_of(built, "cases/written-attributes/")
    assert soup.select_one('article a[href="https://example.org"]')["title"] == "see [@good2020book]"
    assert [abbr["title"] for abbr in soup.select("article abbr")] == ["Organisation [@good2019article]"] * 2


def _attribute_message(raw: str, where: str, line: int) -> str:
    return (f"docs/cases/written-attributes.md:{line}: the citation {raw} is inside {where}, where it cannot be "
            "shown as a citation. " + ATTRIBUTE_FIX)


case("cite-in-written-attributes", "pages",
     {"docs/cases/written-attributes.md": page("Written attributes",
                                               "A [reference link][ref] to ORG, and ORG again [@good2020book].\n\n"
                                               "[ref]: https://example.org \"see [@good2020book]\"\n\n"
                                               "*[ORG]: Organisation [@good2019article]")},
     (_attribute_message("[@good2020book]", "a link's title", 5),
      _attribute_message("[@good2019article]", "an abbreviation's definition", 7)),
     check=_written_attributes)

# `summary` and `abstract` are plain text: a citation in them was shown as written on the page,
# in <meta name="description"> and in the JSON-LD, without a word.
_PLAIN_FIX = "Cite the source in the page's text, and name it in words here (e.g. 'Doe (2020)')."
case("front-matter-citation-in-summary-and-abstract", "pages",
     {"docs/articles/plain-cite.md": article("Text [@good2020book].", summary='"As [@good2020book] argues."',
                                             abstract='"We follow [see @good2019article, p. 3]."')},
     ("docs/articles/plain-cite.md:4: `summary` is plain text: the citation [@good2020book] in it is shown as written, "
      "on the page and in its metadata. " + _PLAIN_FIX,
      "docs/articles/plain-cite.md:5: `abstract` is plain text: the citation [see @good2019article, p. 3] in it is "
      "shown as written, on the page and in its metadata. " + _PLAIN_FIX))
case("front-matter-lists-for-a-date-and-a-licence", "pages",
     {"docs/articles/listed.md": article("Text.", date="2021-03-04", updated="[2021-03-05]", license="[CC-BY-4.0]")},
     ("docs/articles/listed.md:6: `updated: [2021-03-05]` is a list, not a date. Write the date as YYYY-MM-DD, e.g. "
      "`date: 2020-11-05`.",
      "docs/articles/listed.md:7: `license: [CC-BY-4.0]` must be one SPDX identifier, not a list. Write e.g. "
      "`license: CC-BY-4.0`."))

case("front-matter-materials-author-and-a-year-for-the-date", "pages",
     {"docs/articles/material-author.md": article("Text.", authors=None, author="Jane Doe", date="2024",
                                                  updated="2024-06")},
     ("docs/articles/material-author.md:4: an article names its authors under `authors`, a list; `author` only sets "
      "the page's <meta name=\"author\">. Write `authors: [First Author, Second Author]`, even for a single author.",
      "docs/articles/material-author.md:5: `date: 2024` gives only a year, not a day. Write the date as YYYY-MM-DD, "
      "e.g. `date: 2020-11-05`.",
      "docs/articles/material-author.md:6: `updated: 2024-06` gives only a month, not a day. Write the date as "
      "YYYY-MM-DD, e.g. `date: 2020-11-05`."))

EMPHASIS_FIX = "Escape it (`\\*`), or close the emphasis (`*see*`)."


def _unclosed_emphasis(built):
    text = text_of(built, "cases/emphasis/")
    assert "One [@good2020book, 2*3] and (Smith 2019)." in text     # the page's other citations are formatted
    assert "Two [see *the @good2019article]." in text and "missing cite" not in text


case("cite-with-an-emphasis-mark-never-closed", "pages",
     {"docs/cases/emphasis.md": page("Emphasis", "One [@good2020book, 2*3] and [@good2019article].\n\n"
                                                 "Two [see *the @good2019article].")},
     tuple(f"docs/cases/emphasis.md:{line}: {cluster} is not a citation: the `*` in '{text}' opens emphasis that "
           "is never closed, so pandoc reads the rest of the paragraph as emphasized text, not as this citation. "
           + EMPHASIS_FIX for line, cluster, text in ((3, "[@good2020book, 2*3]", "2*3"),
                                                      (5, "[see *the @good2019article]", "see *the"))),
     check=_unclosed_emphasis)


def _glued_key(built):
    text = text_of(built, "cases/glued-key/")
    assert "One (J. Doe 2020, =2nd) and (D. Doe 2021)." in text       # as pandoc reads each


case("cite-a-key-that-only-its-braced-form-cites", "pages",
     {"bib/glued.bib": bib("good2020book=2nd", title="Second Edition", year="2021"),
      "docs/cases/glued-key.md": page("Glued key", "One [@good2020book=2nd] and [@{good2020book=2nd}].")},
     ("docs/cases/glued-key.md:3: [@good2020book=2nd] cites 'good2020book' followed by the text '=2nd', not the "
      "source 'good2020book=2nd'. To cite 'good2020book=2nd', write it in braces: [@{good2020book=2nd}].",),
     check=_glued_key)


IMAGE_FIX = ("Give the path of a PNG, JPEG, GIF or WebP image in the docs folder, relative to this page "
             "(`image: figures/cover.png`), or its https:// address.")


def _no_image(built):
    for name in ("image-missing", "image-svg", "image-outside", "image-script"):
        head = soup_of(built, f"articles/{name}/").head
        assert head.select('meta[property="og:image"], meta[name="twitter:image"]') == [], name
        assert "image" not in json.loads(head.select_one('script[type="application/ld+json"]').string), name


case("front-matter-image-that-is-no-image-of-the-site", "pages",
     {"docs/articles/image-missing.md": article("Text.", image="figures/cover.png"),
      "docs/articles/image-svg.md": article("Text.", image="cover.svg"),
      "docs/articles/image-outside.md": article("Text.", image="../../cover.png"),
      "docs/articles/image-script.md": article("Text.", image="javascript:alert(1)")},
     ("docs/articles/image-missing.md:5: `image: figures/cover.png` names no image file: "
      "docs/articles/figures/cover.png does not exist. Put the image there, or correct the path (relative to this "
      "page); the page's link previews have no image meanwhile.",
      "docs/articles/image-svg.md:5: `image: cover.svg` is not a PNG, JPEG, GIF or WebP image (link previews and "
      "Google read those). " + IMAGE_FIX,
      "docs/articles/image-outside.md:5: `image: ../../cover.png` points outside the docs folder, which the site "
      "does not publish. " + IMAGE_FIX,
      "docs/articles/image-script.md:5: `image: javascript:alert(1)` is neither a web address nor a path to an "
      "image. " + IMAGE_FIX),
     check=_no_image)

# ---- places: citations that work wherever Markdown puts them ------------------------------


def _heading(built):
    soup = soup_of(built, "places/heading/")
    heading = soup.select_one("article h2#why-matters")
    assert norm(heading.select_one("span.citation").get_text()) == "(Doe 2020)"
    for toc in toc_texts(built, "places/heading/"):
        assert "Why matters" in toc and "mx-late" not in toc and "missing" not in toc and "@" not in toc
    cited = [a["href"] for a in soup_of(built, "bibliography/good2020book/").select("ul.mx-backlinks a")]
    assert "../../places/heading/#why-matters" in cited, cited
    index = json.loads((built.site / "search/search_index.json").read_text(encoding="utf-8"))
    (section,) = [doc for doc in index["docs"] if doc["location"] == "places/heading/#why-matters"]
    assert "mx-late" not in section["title"] and "missing" not in section["title"], section


case("cite-in-heading", "places",
     {"docs/places/heading.md": page("Heading", "Intro.\n\n## Why [@good2020book] matters\n\nText.")},
     check=_heading)


def _cited_in(url: str, expected: str, selector: str):
    def check(built):
        place = built.article(url).select_one(selector)
        assert place is not None and expected in norm(place.get_text()), built.article(url)
        assert built.article(url).select("ul.mx-references > li")
    return check


case("cite-in-raw-html-markdown-1", "places",
     {"docs/places/md-in-html.md": page("In HTML",
                                        '<div class="box" markdown="1">\nA box citing [@good2019article].\n</div>')},
     check=_cited_in("places/md-in-html/", "(Smith 2019)", "div.box"))
case("cite-in-footnote", "places",
     {"docs/places/footnote.md": page("Footnote", "A claim.[^1]\n\n[^1]: As shown in [@good2019article, p. 12].")},
     check=_cited_in("places/footnote/", "(Smith 2019, 12)", "div.footnote"))
case("cite-in-table", "places",
     {"docs/places/table.md": page("Table", "| Claim | Source |\n| --- | --- |\n| One | [@good2020book, p. 3] |")},
     check=_cited_in("places/table/", "(Doe 2020, 3)", "table td:nth-of-type(2)"))
case("cite-in-admonition", "places",
     {"docs/places/admonition.md": page("Admonition", "!!! note\n\n    A note citing [@good2019article].")},
     check=_cited_in("places/admonition/", "(Smith 2019)", "div.admonition"))


# An HTML element inside a `markdown="1"` block without a `markdown` of its own (a <p>, a
# <summary>) keeps its text as written: a citation in it stayed literal without a word.
case("cite-in-html-element-inside-markdown-1", "places",
     {"docs/places/md-in-html-p.md": page("In a p", '<div markdown="1">\n<p>A paragraph citing [@good2019article].</p>'
                                                    '\n</div>\n\n<details markdown="1"><summary>Why [@good2020book]'
                                                    '</summary>\nInside.\n</details>\n\nA mail <me@example.org>, '
                                                    "a link <https://example.org/a@b> and `[@good2020book]`.")},
     ("docs/places/md-in-html-p.md:4: the citation [@good2019article] is inside raw HTML, which Markdown does not "
      'convert. Add markdown="1" to the HTML element around it, or move it out.',
      "docs/places/md-in-html-p.md:7: the citation [@good2020book] is inside raw HTML, which Markdown does not "
      'convert. Add markdown="1" to the HTML element around it, or move it out.'))


def _block_comment(built):
    article_ = built.article("places/comment/")
    assert not article_.select("span.citation") and not article_.select("ul.mx-references")


case("cite-in-block-comment", "places",
     {"docs/places/comment.md": page("Comment", "Text.\n\n<!-- [@good2019article] -->")},
     check=_block_comment)


def _code(built):
    article_ = built.article("places/code/")
    assert article_.code.get_text() == "[@good2020book]" and not article_.select("span.citation")


case("cite-in-code", "places", {"docs/places/code.md": page("Code", "Written as `[@good2020book]` in code.")},
     check=_code)


def _prefix(built):
    citation = built.article("places/prefix/").select_one("span.citation")
    assert norm(citation.get_text()) == "(see Doe 2020)", citation


case("cite-prefix-raw-html", "places",
     {"docs/places/prefix.md": page("Prefix",
                                    "A [<b onclick=\"alert(/x-prefix/.source)\">see</b> @good2020book] cluster.")},
     check=_prefix, token="x-prefix", browse=("places/prefix/",))


def _escaped_in_cluster(built):
    soup = soup_of(built, "places/escaped/")
    assert "klzzwxh" not in str(soup) and "\x02" not in str(soup), "an inline placeholder reached the page"
    shown = [norm(span.get_text()) for span in built.article("places/escaped/").select("span.citation")]
    assert shown == ['(Smith 2019, a " b)', "(Doe 2020, 5 * 6)", "(Doe 2020, 5 x<y)"], shown


def _citations_shown(url: str, expected: list[str], selector: str = "span.citation"):
    """The page's citations (those `selector` picks), as a reader sees them."""
    def check(built):
        shown = [norm(span.get_text()) for span in built.article(url).select(selector)]
        assert shown == expected, shown
    return check


# Backslash escapes and code spans in a cluster are placeholders when the citation pattern
# runs: they were written into the citation as Markdown's internal placeholder, control
# characters included ("(Smith 2019, a \x02klzzwxh:0000\x03 b)"); a footnote mark in one
# vanished from the text with its citation's brackets left, without a word.
case("cite-with-escapes-and-code", "places",
     {"docs/places/escaped.md": page("Escaped", 'A [@good2019article, a \\" b].\n\n'
                                                 "B [@good2020book, p. 5 \\* 6].\n\n"
                                                 "C [@good2020book, p. 5 `x<y`].")},
     check=_escaped_in_cluster)
case("cite-holding-a-footnote-mark", "places",
     {"docs/places/note-mark.md": page("Note mark", "A claim [@good2020book, p. 5[^n]].\n\n[^n]: A note.")},
     ("docs/places/note-mark.md:3: the citation [@good2020book, p. 5[^n]] holds `[^n]`, which a citation cannot "
      "carry. Move it out of the brackets (a footnote mark after them); the citation is shown as written meanwhile.",),
     check=lambda b: "[@good2020book, p. 5" in text_of(b, "places/note-mark/")
     and b.article("places/note-mark/").select_one("sup a.footnote-ref") is not None
     or pytest.fail("the footnote mark and the brackets are shown as written"))


# pandoc's Markdown reader does not read `[@key, p. 5 *]` (nor a locator holding a lone `_` or
# a <script> element) as one citation. The page's whole document failed: every citation on
# it showed "[missing cite: N]", with internal messages ("the cite section has no target '0'",
# "part 1 is not read as one citation") and no line for the one at fault. Such a cluster is
# now read with its punctuation escaped (model/citeproc.lua `check_parts`) and reported.
_ODD = ("Escape the punctuation it stops at with a backslash (`\\*`), or leave it out; the citation is shown with "
        "its text as plain text meanwhile.")
case("cite-pandoc-does-not-read-as-one", "places",
     {"docs/places/odd-locator.md": page("Odd locator", "A claim [@good2020book, p. 5 *].\n\n"
                                                         "Another claim [@good2019article].\n\n"
                                                         "A third [@good2020book, p. <script>alert(/x-odd/.source)"
                                                         "</script>].")},
     # a lone `*` never closed is found before pandoc reads the page (cite-with-an-emphasis-mark-never-closed)
     ("docs/places/odd-locator.md:3: [@good2020book, p. 5 *] is not a citation: the `*` in 'p. 5 *' opens emphasis "
      "that is never closed, so pandoc reads the rest of the paragraph as emphasized text, not as this citation. "
      "Escape it (`\\*`), or close the emphasis (`*see*`).",
      "docs/places/odd-locator.md:7: pandoc does not read the citation [@good2020book, p. <script>alert(/x-odd/"
      ".source)</script>] as one citation. " + _ODD),
     check=_citations_shown("places/odd-locator/", ["(Smith 2019)",
                                                    "(Doe 2020, p. <script>alert(/x-odd/.source)</script>)"]))


# A character reference's `;` was read as the separator of two citations: `[@key, p. 5 &amp; 6]`
# was refused with "'6' has no citation key", though pandoc reads it as one citation.
case("cite-with-character-references", "places",
     {"docs/places/entities.md": page("Entities", "A [@good2020book, p. 5 &amp; 6].\n\n"
                                                  "B [see &ndash; @good2020book; @good2019article, p. 3&#8211;4].")},
     check=_citations_shown("places/entities/", ["(Doe 2020, 5 & 6)", "(see – Doe 2020; Smith 2019, 3–4)"]))


# In an author's footnote the same cluster was read as an author-in-text citation with its
# bracket and locator dropped: the note showed "Doe (2020)", without a word.
case("cite-pandoc-does-not-read-as-one-in-a-footnote", "places",
     {"docs/places/odd-note.md": page("Odd note", "A claim.[^1]\n\n"
                                                  "[^1]: In a note [@good2020book, p. <script>alert(/x-note/.source)"
                                                  "</script>] and [@good2019article].")},
     ("docs/places/odd-note.md:5: pandoc does not read the citation [@good2020book, p. <script>alert(/x-note/"
      ".source)</script>] as one citation. " + _ODD,),
     check=_citations_shown("places/odd-note/", ["(Doe 2020, p. <script>alert(/x-note/.source)</script>)",
                                                 "(Smith 2019)"], "div.footnote span.citation"))


def _heading_lt(built):
    assert norm(built.article("places/heading-lt/").h2.get_text()).startswith("Trade < Security")
    assert all("Trade < Security" in toc for toc in toc_texts(built, "places/heading-lt/"))


case("heading-with-lt", "places", {"docs/places/heading-lt.md": page("Heading lt", "## Trade < Security\n\nText.")},
     check=_heading_lt)

# ---- injection: bib fields, front matter, glossary; the build is clean -------------------


def _cite_page(ident: str, key: str) -> dict:
    return {f"docs/articles/{ident}.md": article(f"Cites [@{key}].", title=f'"Citing {ident}"')}


def _bib_title(built):
    title = "<script>alert(/x-bib-title/.source)</script> Title"
    soup = soup_of(built, "bibliography/xsstitle2020/")
    assert norm(soup.select_one("article h1").get_text()).startswith(title)
    assert norm(soup.title.get_text()).startswith(title)
    assert norm(soup.select_one(".md-header__topic:last-child").get_text()).startswith(title)
    assert details(built, "xsstitle2020")["Title"] == title
    # the style may change the case of a title
    assert "<script>alert(/x-bib-title/.source)</script> title" in references_text(built, "articles/bib-title/").lower()
    assert any("<script>alert(/x-bib-title/.source)</script> title" in t.lower()
               for t in hover_titles(built, "articles/bib-title/"))
    assert "<script>alert(/x-bib-title/.source)</script> title" in bibliography_text(built).lower()


case("bib-title-script", "inject",
     {"bib/xss-title.bib": bib("xsstitle2020", title="<script>alert(/x-bib-title/.source)</script> Title"),
      **_cite_page("bib-title", "xsstitle2020")}, check=_bib_title, token="x-bib-title",
     browse=("articles/bib-title/", "bibliography/xsstitle2020/", "bibliography/"))


def _bib_author(built):
    author = "<img src=x onerror=alert(/x-bib-author/.source)>"
    assert details(built, "xssauthor2020")["Author"] == author
    heading = soup_of(built, "bibliography/xssauthor2020/").select_one("article h1")
    assert norm(heading.get_text()).endswith(f"({author} 2020)")
    assert author in references_text(built, "articles/bib-author/")
    assert any(t.startswith(author) for t in hover_titles(built, "articles/bib-author/"))
    assert f"({author} 2020)" in text_of(built, "articles/bib-author/")


case("bib-author-onerror", "inject",
     {"bib/xss-author.bib": bib("xssauthor2020", "report", author="{<img src=x onerror=alert(/x-bib-author/.source)>}",
                                title="A Report", institution="Institute"),
      **_cite_page("bib-author", "xssauthor2020")}, check=_bib_author, token="x-bib-author",
     browse=("articles/bib-author/", "bibliography/xssauthor2020/"))


def _bib_note(built):
    assert details(built, "xssnote2020")["Note"] == "<script>alert(/x-bib-note/.source)</script>"


case("bib-note-script", "inject",
     {"bib/xss-note.bib": bib("xssnote2020", note="<script>alert(/x-bib-note/.source)</script>"),
      **_cite_page("bib-note", "xssnote2020")},
     check=_bib_note, token="x-bib-note", browse=("bibliography/xssnote2020/",))


def _bib_organisation(built):
    assert "<svg onload=alert(/x-bib-organization/.source)>" in references_text(built, "articles/bib-organization/")
    assert details(built, "xssorg2020")["Publisher"].startswith("<b onmouseover=alert(/x-bib-organization/.source)>")


case("bib-institution-and-organization", "inject",
     {"bib/xss-org.bib": bib("xssorg2020", "report", title="A Report",
                             institution="<b onmouseover=alert(/x-bib-organization/.source)>Inst</b>",
                             organization="<svg onload=alert(/x-bib-organization/.source)>"),
      **_cite_page("bib-organization", "xssorg2020")}, check=_bib_organisation, token="x-bib-organization",
     browse=("articles/bib-organization/",))


def _fm_title(built):
    title = "</title><script>alert(/x-fm-title/.source)</script> Title"
    soup = soup_of(built, "articles/fm-title/")
    assert norm(soup.title.get_text()) == f"{title} - Catalogue base"
    assert norm(soup.select_one("article h1").get_text()).startswith(title)
    assert title in [norm(a.get_text()) for a in soup.select("nav.md-nav--primary a")]
    assert soup.find("meta", attrs={"name": "citation_title"})["content"] == title


case("front-matter-title-script", "inject",
     {"docs/articles/fm-title.md": article("Text.",
                                           title="\"</title><script>alert(/x-fm-title/.source)</script> Title\"")},
     check=_fm_title, token="x-fm-title", browse=("articles/fm-title/", "articles/terms/"))

FM_SUMMARY = "A summary '\"><img src=x onerror=alert(/x-fm-summary/.source)> and </title>."


def _fm_summary(built):
    soup = soup_of(built, "articles/fm-summary/")
    assert soup.find("meta", attrs={"name": "description"})["content"] == FM_SUMMARY
    assert soup.find("meta", attrs={"property": "og:description"})["content"] == FM_SUMMARY


case("front-matter-summary-img", "inject",
     {"docs/articles/fm-summary.md": article("Text.", summary=json.dumps(FM_SUMMARY))},
     check=_fm_summary, token="x-fm-summary", browse=("articles/fm-summary/",))


def _fm_quoted(built):
    soup = soup_of(built, "articles/fm-quoted/")
    assert soup.find("meta", attrs={"name": "description"})["content"] == 'A "quoted" summary, whole.'
    index = json.loads((built.site / "search/search_index.json").read_text(encoding="utf-8"))
    assert not [doc for doc in index["docs"] if "fm-quoted" in doc["location"] and "&amp;quot;" in doc["text"]]


case("front-matter-quoted-summary", "inject",
     {"docs/articles/fm-quoted.md": article("Text.", summary="'A \"quoted\" summary, whole.'")}, check=_fm_quoted)


def _fm_math(built):
    soup = soup_of(built, "articles/fm-math/")
    assert norm(soup.title.get_text()) == "When $x<y$ holds - Catalogue base"
    assert norm(soup.select_one("article h1").get_text()).startswith("When $x<y$ holds")


case("front-matter-title-math", "inject", {"docs/articles/fm-math.md": article("Text.", title="'When $x<y$ holds'")},
     check=_fm_math)


def _fm_author(built):
    byline = text_of(built, "articles/fm-author/", "article")
    assert "By <img src=x onerror=alert(/x-fm-author/.source)>" in byline


case("front-matter-author-img", "inject",
     {"docs/articles/fm-author.md": article("Text.", authors="[\"<img src=x onerror=alert(/x-fm-author/.source)>\"]")},
     check=_fm_author, token="x-fm-author", browse=("articles/fm-author/",))

GLOSSARY_SUMMARY = ("A \"quoted\" summary with </title><script>alert(/x-gl-summary/.source)</script> and "
                    "\"><img src=x onerror=alert(/x-gl-summary/.source)>.")


def _glossary_summary(built):
    soup = soup_of(built, "glossary/hostile/")
    assert soup.find("meta", attrs={"name": "description"})["content"] == GLOSSARY_SUMMARY
    titles = [norm(html.unescape(a["title"])) for a in soup_of(built, "articles/terms/").select("article a.mx-term")]
    assert f"Hostile Term: {GLOSSARY_SUMMARY}" in titles, titles
    assert GLOSSARY_SUMMARY in text_of(built, "glossary/")


case("glossary-summary-hostile", "inject",
     {"docs/glossary/hostile.md": f"---\nterm: Hostile Term\nsummary: {json.dumps(GLOSSARY_SUMMARY)}\n---\n\n"
                                  "The body.\n",
      "docs/articles/terms.md": article("The Hostile Term and the Escaped Term, hovered.")},
     check=_glossary_summary, token="x-gl-summary",
     browse=("articles/terms/", "glossary/", "glossary/hostile/"))


TAG_TERM = "Hostile Tag <img src=x onerror=alert(/x-tags/.source)>"
TAG_FRONT_MATTER = "<img src=y onerror=alert(/x-tags/.source)>"


def _tags_escaped(built):
    """Material's search results insert a page's tags as HTML: the entry's own tag (front matter)
    and the forms the glossary ranks it first by (its term) reach the index escaped."""
    index = json.loads((built.site / "search/search_index.json").read_text(encoding="utf-8"))
    tags = [tag for doc in index["docs"] if doc["location"].startswith("glossary/hostile-tags/")
            for tag in doc.get("tags", [])]
    assert html.escape(TAG_FRONT_MATTER) in tags and html.escape(TAG_TERM) in tags, tags
    assert not [tag for tag in tags if "<" in tag], tags


case("glossary-term-and-tags-in-search", "inject-terms",
     {"docs/glossary/hostile-tags.md": f"---\nterm: {json.dumps(TAG_TERM)}\ntags: [{json.dumps(TAG_FRONT_MATTER)}]\n"
                                       "summary: An entry whose term and tag carry markup.\n---\n\nThe body.\n"},
     (_never_linked(2, TAG_TERM, "Hostile Tag", "docs/glossary/hostile-tags.md", "term"),),
     check=_tags_escaped, token="x-tags", browse=("glossary/hostile-tags/",))


def _glossary_paragraph(built):
    shown = ("An entry showing <script>alert(/x-gl-paragraph/.source)</script> and "
             "<img src=x onerror=alert(/x-gl-paragraph/.source)> as text.")
    assert soup_of(built, "glossary/escaped/").find("meta", attrs={"name": "description"})["content"] == shown
    assert norm(soup_of(built, "glossary/escaped/").select_one("article p").get_text()) == shown
    titles = [norm(html.unescape(a["title"])) for a in soup_of(built, "articles/terms/").select("article a.mx-term")]
    assert f"Escaped Term: {shown}" in titles, titles


case("glossary-first-paragraph-escaped", "inject",
     {"docs/glossary/escaped.md": "---\nterm: Escaped Term\n---\n\nAn entry showing "
                                  "&lt;script&gt;alert(/x-gl-paragraph/.source)&lt;/script&gt; and "
                                  "&lt;img src=x onerror=alert(/x-gl-paragraph/.source)&gt; as text.\n"},
     check=_glossary_paragraph, token="x-gl-paragraph",
     browse=("articles/terms/", "glossary/", "glossary/escaped/"))


def _ampersand_key(built):
    soup = soup_of(built, "articles/amp-key/")
    link = soup.select_one("article a.mx-references__details")["href"]
    assert (built.site / "articles/amp-key" / link / "index.html").resolve().is_file()
    assert "(Amp 2020)" in text_of(built, "articles/amp-key/")
    assert "@book{amp&key2020," in (built.site / "bibliography/bibliography.bib").read_text(encoding="utf-8")


case("key-with-ampersand", "inject",
     {"bib/amp.bib": bib("amp&key2020", author="Amp, Ann"),
      "docs/articles/amp-key.md": article("Cites [@amp&key2020].")},
     check=_ampersand_key)

# Found by an audit (seventh session): the page title in <title> went through `striptags`,
# which turns escaped text back into markup (site/theme/base.html now escapes it again).
GL_TITLE = "Pact </title><img src=x onerror=alert(/x-title-break/.source)>"
H1_TITLE = "About </title><img src=x onerror=alert(/x-title-break/.source)>"


def _title_breakout(built):
    assert norm(soup_of(built, "glossary/pact/").title.get_text()) == f"{GL_TITLE} - Catalogue base"
    assert norm(soup_of(built, "cases/h1-code/").title.get_text()) == f"{H1_TITLE} - Catalogue base"
    assert norm(soup_of(built, "cases/h1-code/").select_one("article h1").get_text()).startswith(H1_TITLE)


case("title-breakout-from-term-and-heading", "inject-terms",
     {"docs/glossary/pact.md": f"---\nterm: {json.dumps(GL_TITLE)}\nsummary: A pact.\n---\n\nA pact.\n",
      "docs/cases/h1-code.md": "# About `</title><img src=x onerror=alert(/x-title-break/.source)>`\n\nText.\n"},
     (_never_linked(2, GL_TITLE, "Pact", "docs/glossary/pact.md", "term"),),
     check=_title_breakout, token="x-title-break", browse=("glossary/pact/", "cases/h1-code/"))


def _term_file_names(built):
    hrefs = {a.get_text(): a["href"] for a in soup_of(built, "cases/odd-names/").select("article a.mx-term")}
    assert hrefs == {"Hashtag": "../../glossary/hash%23tag/", "Question": "../../glossary/what%3F/"}, hrefs
    assert (built.site / "glossary" / "hash#tag" / "index.html").is_file()


case("glossary-file-names-with-hash-and-question-mark", "inject",
     {"docs/glossary/hash#tag.md": "---\nterm: Hashtag\nsummary: A tag.\n---\n\nA tag.\n",
      "docs/glossary/what?.md": "---\nterm: Question\nsummary: A question.\n---\n\nA question.\n",
      "docs/cases/odd-names.md": page("Odd names", "A Hashtag and a Question.")},
     check=_term_file_names)


# ---- the timeline's data (docs/timeline.yml): hostile values and mistakes ------------------

TIMELINE = """\
title: "Timeline <script>alert(/x-tl-page/.source)</script>"
intro: >-
  Events, with their sources.
events:
  - date: 2019-05
    title: "An event <script>alert(/x-tl-title/.source)</script>"
    date_note: "<b onclick=alert(/x-tl-note/.source)>note</b>"
    description: A description.
    sources: ["[@good2020book, p. 4]"]
    terms: [alliance]

  - date: 2019-06
    title: Raw HTML in a description
    description: A picture <img src="x" onerror="alert(/x-tl-description/.source)"> in a description.
    sources: ["[@good2020book]"]

  - date: 2019-07
    title: A link in a description
    description: Please [click here](javascript:alert(1)//x-tl-link) for more.
    sources: ["[@good2020book]"]

  - date: 2018
    title: Unknown term
    description: Something happened.
    sources: ["[@good2020book]"]
    terms: [no-such-term]

  - date: 2020-02-30
    title: Impossible date
    description: Something happened.
    sources: ["[@good2020book]"]

  - date: 2017
    title: Unknown key
    description: Something happened [@nosuchkey2017].

  - date: 2016
    title: No source
    description: Something happened.

  - date: 2015
    title: Unknown field
    description: Something happened.
    sources: ["[@good2019article]"]
    colour: red

  - date: [2014, 2015]
    title: Two dates
    description: Something happened.
    sources: ["[@good2020book]"]

  - date: ""
    title: Empty date
    description: Something happened.
    sources: ["[@good2020book]"]

  - date: 2013
    title: A source whose file cannot be read
    description: Something happened.
    sources: ["[@latin2013]"]

  - date: 2012
    title: 012
    date_note: 1:30
    description: 12.10
    sources: ["[@good2020book]"]

  - date: 2011
    title: A complex key
    description: Something happened.
    sources: ["[@good2020book]"]
    ? [a, b]
    : x
? [x, y]
: z
"""
PROJECTS["timeline"] = Project(files={"docs/timeline.yml": TIMELINE})
case("timeline-source-in-an-unreadable-file", "timeline",
     {"bib/latin-timeline.bib": bib("latin2013", author="Müller, Hans").encode("latin-1")},
     (f"bib/latin-timeline.bib: the file is not UTF-8 text (byte 0xFC at line 2); its entries are left out. {SAVE_UTF8}",
      "docs/timeline.yml:60: unknown citation key 'latin2013': its entry in bib/latin-timeline.bib:1 cannot be "
      "read (see the message there). Correct the entry; the citation is shown as written meanwhile."))


def _event(built, anchor: str):
    heading = soup_of(built, "timeline/").select_one(f"article h3#{anchor}")
    assert heading is not None, anchor
    return heading.find_parent("li")


def _tl_title(built):
    soup = soup_of(built, "timeline/")
    assert norm(soup.title.get_text()).startswith("Timeline <script>alert(/x-tl-page/.source)</script>")
    assert norm(soup.select_one("article h1").get_text()) == "Timeline <script>alert(/x-tl-page/.source)</script>"
    event = soup.select("article li.mx-event h3")
    assert any(norm(h.get_text()).startswith("An event <script>alert(/x-tl-title/.source)</script>") for h in event)


PROJECTS["timeline-latin1"] = Project(files={"docs/timeline.yml": (
    "events:\n  - date: 2014\n    title: Caf\xe9 talks\n    description: Something happened.\n"
    "    sources: [\"[@good2020book]\"]\n").encode("latin-1")})


def _no_timeline_events(built):
    page = soup_of(built, "timeline/")
    assert page.select(".mx-event") == [] and "which cannot be read" in page.get_text()


case("timeline-latin1", "timeline-latin1", messages=(
    "docs/timeline.yml: the file is not UTF-8 text (byte 0xE9 at line 3); the timeline page shows no events. Save it as "
    "UTF-8 in your editor (its encoding setting, e.g. \"Save with encoding\").",), check=_no_timeline_events)
case("timeline-title-script", "timeline", check=_tl_title, token="x-tl-title", browse=("timeline/",))
case("timeline-page-title-script", "timeline",
     check=lambda b: "x-tl-page" in norm(soup_of(b, "timeline/").title.get_text()) or pytest.fail("title"),
     token="x-tl-page")


def _tl_note(built):
    notes = [norm(n.get_text()) for n in soup_of(built, "timeline/").select("article .mx-event__note")]
    assert "(<b onclick=alert(/x-tl-note/.source)>note</b>)" in notes, notes


case("timeline-date-note-onclick", "timeline", check=_tl_note, token="x-tl-note")


def _tl_description(built):
    item = _event(built, "event-raw-html-in-a-description")
    assert "<img src=\"x\" onerror=\"alert(/x-tl-description/.source)\">" in norm(item.get_text())


case("timeline-description-raw-html", "timeline", check=_tl_description, token="x-tl-description",
     browse=("timeline/",))

def _tl_link(built):
    assert "click here" in norm(_event(built, "event-a-link-in-a-description").get_text())


case("timeline-javascript-link", "timeline",
     messages=("docs/timeline.yml:19: the link 'click here' in `description` leads to 'javascript:alert(1)//x-tl-link', "
               "which is not a web address. Link to an http(s) address, a page of the site or an e-mail address "
               "(mailto:); the link is shown as text meanwhile.",),
     check=_tl_link, token="x-tl-link")
case("timeline-unknown-term", "timeline",
     messages=("docs/timeline.yml:26: terms: no glossary entry 'no-such-term'. Use the file name of a glossary entry, "
               "without .md.",))
case("timeline-impossible-date", "timeline",
     messages=("docs/timeline.yml:28: date: '2020-02-30' does not exist (February 2020 has 29 days). "
               f"{TIMELINE_DATES}",))
case("timeline-unknown-key", "timeline",
     messages=("docs/timeline.yml:35: unknown citation key 'nosuchkey2017'. Add an entry with this key to a file in "
               "bib/, or correct the key.",),
     check=lambda b: "[@nosuchkey2017]" in norm(_event(b, "event-unknown-key").get_text()) or pytest.fail("shown"))
case("timeline-no-source", "timeline",
     messages=("docs/timeline.yml:37: the event 'No source' has no source. Write `sources: [\"[@key]\"]` with a "
               "citation of the bibliography, or the page of this site that states it (`sources: "
               "[articles/a.md#section]`).",))
case("timeline-date-list", "timeline",
     messages=("docs/timeline.yml:47: `date` must be text, not a list. Write one date: a year (2014), a month "
               "(2014-03), a day (2014-03-18) or a decade (2000s); for a period, the first in `date:` and the last "
               "in `end:`.",
               f"docs/timeline.yml:52: the event 'Empty date' needs a `date`. Add `date:` with {TIMELINE_DATES[6:]}",))
case("timeline-address-taken", "timeline", {"docs/timeline.md": _authored("the timeline")},
     ("docs/timeline.md: its address, timeline/, is that of docs/timeline/index.md, which is generated by the site. "
      + GENERATED_FIX,),
     check=_generated_address("timeline/"))
case("timeline-unknown-field", "timeline",
     messages=("docs/timeline.yml:45: unknown field 'colour' in the event 'Unknown field'. Fields: date, end, "
               "date_note, title, description, sources, terms, pages.",))



def _tl_numbers_as_written(built):
    item = _event(built, "event-012")
    assert norm(item.select_one("h3").get_text()).startswith("012"), item
    assert "(1:30)" in [norm(n.get_text()) for n in item.select(".mx-event__note")]
    assert "12.10" in norm(item.get_text())


case("timeline-numbers-as-written", "timeline", check=_tl_numbers_as_written)
case("timeline-complex-keys", "timeline",
     messages=("docs/timeline.yml:72: unknown field '[a, b]' in the event 'A complex key'. Fields: date, end, "
               "date_note, title, description, sources, terms, pages.",
               "docs/timeline.yml:74: unknown field '[x, y]' in the timeline. Fields: title, intro, events."))

# ---- private data: nothing of the owner's machine is published --------------------------

ZOTERO = r"""@article{zotero2019,
  author = {Owner, Olga},
  title = {An Article from a Reference Manager},
  journal = {Journal of Exports},
  year = {2019},
  file = {Full Text PDF:/Users/secret-owner/Zotero/storage/ABCD1234/owner.pdf:application/pdf},
  local-url = {file:///Users/secret-owner/Documents/owner.pdf},
  uri = {papers3://publication/uuid/SECRET-0001},
  rating = {5},
  read = {Yes},
  date-added = {2017-11-16 14:45:04 +0000},
  mendeley-tags = {secret-tag},
  groups = {secret-group},
  owner = {secret-login},
  timestamp = {2019.01.31},
  url = {https://example.org/zotero2019}
}
"""
OPTIONS = bib("options2020", title="An Entry for the Options", annote="A public annotation",
              **{"x-internal-note": "internal-only-value"})
# What the owner's data looks like: none of it may be anywhere in site/ (outside the theme's assets).
OWNER_TRACES = ["secret-", "/Users/", "file:", "papers3", "SECRET-0001", "2017-11-16", "2019.01.31", "rating",
                "mendeley", "date-added", "local-url"]


def _owner_traces(built) -> list[str]:
    found = []
    for path in sorted(built.site.rglob("*")):
        relative = path.relative_to(built.site).as_posix()
        if path.is_file() and not relative.startswith("assets/"):
            text = path.read_bytes().decode("utf-8", errors="replace")
            found += [f"{relative}: {trace}" for trace in OWNER_TRACES if trace in text]
    return found


def _private(built):
    assert _owner_traces(built) == []
    assert details(built, "zotero2019")["URL"] == "https://example.org/zotero2019"
    for name in ("bibliography/bibliography.bib", "bibliography/bibliography.ris", "search/search_index.json",
                 "bibliography/zotero2019/zotero2019.bib", "bibliography/zotero2019/zotero2019.ris"):
        assert (built.site / name).is_file(), name


case("private-zotero-fields", "private", {"bib/zotero.bib": ZOTERO},
     infos=("bib/zotero.bib: 10 private field(s) left out of everything published (date-added, file, groups, "
            "local-url, mendeley-tags, owner, rating, read, timestamp, uri); see the private_fields option",),
     check=_private)


def _option_add_keep(built):
    published = (built.site / "bibliography/options2020/options2020.bib").read_text(encoding="utf-8")
    assert "annote = {A public annotation}" in published and "x-internal" not in published
    assert details(built, "options2020").get("Annote") == "A public annotation"
    assert not [p for p in built.site.rglob("*") if p.is_file() and b"internal-only-value" in p.read_bytes()]


case("private-option-add-and-keep", "private", {"bib/options.bib": OPTIONS},
     infos=("bib/options.bib: 1 private field(s) left out of everything published (x-internal-note); see the "
            "private_fields option",), check=_option_add_keep)
case("private-option-keep-unknown", "private",
     messages=("mkdocs.yml:12: extra.microsite.private_fields.keep: 'colour' is not a private field by default, so "
               "keeping it changes nothing. List only names from the default list (README, 'Private fields'); "
               "check the spelling.",))


# A bib folder inside docs_dir: MkDocs copied its files to the site as they are, private fields
# and all (`site/refs/base.bib` with `file = {/Users/…}`), while the build said they were left out
# of everything published.
_BASE_BIB = (Path(__file__).resolve().parents[1] / "roots" / ROOT / "bib" / "base.bib").read_text(encoding="utf-8")
PROJECTS["bib-in-docs"] = Project(settings={"bib_dir": "docs/refs"}, files={"docs/refs/base.bib": _BASE_BIB.replace(
    "  year = {2020}\n", "  year = {2020},\n  file = {/Users/owner/Papers/doe.pdf}\n")})


def _bib_in_docs(built):
    assert details(built, "good2020book")["Title"] == "A Book about Alliances"
    assert not list(built.site.rglob("refs/*.bib")) and _owner_traces(built) == []


# A bib folder named in mkdocs.yml that is not there: the site silently had no sources (only
# its citations were reported, as unknown keys, each telling to add an entry to a file in it).
PROJECTS["bib-dir-missing"] = Project(settings={"bib_dir": "bibs"})
case("bib-dir-that-is-not-there", "bib-dir-missing",
     messages=("mkdocs.yml:3: extra.microsite.bib_dir: there is no folder bibs. Did you mean `bib_dir: bib`? Name the "
               "folder that holds the .bib files, relative to mkdocs.yml, or create it; the site has no sources "
               "meanwhile.",
               # its citations, as before
               "docs/articles/base.md:8: unknown citation key 'good2020book'. Add an entry with this key to a file in "
               "bibs/, or correct the key.",
               "docs/articles/base.md:12: unknown citation key 'good2019article'. Add an entry with this key to a file "
               "in bibs/, or correct the key.",
               "docs/glossary/alliance.md:6: unknown citation key 'good2020book'. Add an entry with this key to a file "
               "in bibs/, or correct the key."))


case("private-bib-folder-inside-docs", "bib-in-docs",
     infos=("docs/refs/base.bib: 1 private field(s) left out of everything published (file); see the private_fields "
            "option",
            "docs/refs: 1 bib file(s) inside docs_dir are not published as they are (their private fields would be); "
            "the bibliography's BibTeX and RIS downloads publish their sources"),
     check=_bib_in_docs)

# ---- the site's options, the style, the cache -----------------------------------------------

case("option-unknown", "option-unknown",
     messages=("mkdocs.yml:3: extra.microsite.bibliografy_include: Unrecognised configuration name: "
               "bibliografy_include. See README, 'Site options'.",))
case("option-wrong-type", "option-type",
     messages=("mkdocs.yml:5: extra.microsite.pdf must be true or false, not 'yes please'. Write `pdf: true` or "
               "`pdf: false`. See README, 'Site options'.",))
case("option-choice-misspelt", "option-choice",
     messages=("mkdocs.yml:4: extra.microsite.glossary_link must be one of `first`, `first-per-section`, `all`, not "
               "'firts'. Did you mean `glossary_link: first`? See README, 'Site options'.",))


def _references_heading(built):
    headings = [h2.get_text(strip=True).rstrip("¶") for h2 in soup_of(built, "articles/base/").select("article h2")]
    assert "References" in headings and "" not in headings, headings


case("option-references-title-empty", "references-title-empty",
     messages=("mkdocs.yml:6: extra.microsite.references_title is empty: every page's list of its sources would "
               "have an empty heading. Write the text you want, e.g. `references_title: Works cited`, or leave "
               "the key out; `References` is used meanwhile.",), check=_references_heading)
# A list or a mapping in a message was Python's repr: "not {'add': 'x-internal'}".
case("option-private-fields-as-written", "option-private-text",
     messages=("mkdocs.yml:6: extra.microsite.private_fields must be a mapping of `add` and `keep`, each a list of "
               "field names, not {add: x-internal}. Write e.g. `private_fields: {add: [x-internal], keep: [annote]}`. "
               "See README, 'Site options'.",))
case("option-private-fields-shape", "option-private",
     messages=("mkdocs.yml:6: extra.microsite.private_fields must be a mapping of `add` and `keep`, each a list of "
               "field names, not 5. Write e.g. `private_fields: {add: [x-internal], keep: [annote]}`. See README, "
               "'Site options'.",))
case("site-options-unusable", "site-defaults",
     messages=("mkdocs.yml:4: `extra.microsite.license: CC BY 4.0` is not an SPDX license identifier. "
               "Did you mean `CC-BY-4.0`?",
               "mkdocs.yml:8: `extra.microsite.timezone: Mars/Olympus` is not a time zone. "
               "Write an IANA time zone name such as `UTC` or `Europe/London`",
               "mkdocs.yml:6: extra.microsite.offline_name: '../escape' is not a file name. Write a name of "
               "letters, digits, '-', '_' and '.', without a folder, e.g. `catalogue-base-offline` (used meanwhile)",
               "mkdocs.yml:28: `theme.language: qq` is not a language Material for MkDocs has. Use one of the "
               "codes Material lists under 'Site language' (e.g. `en`, `de`, `zh-Hant`); English is used meanwhile"))
case("csl-text-file", "csl-text", {"styles/notes.txt": "This is not a style.\n"},
     (f"mkdocs.yml:4: extra.microsite.csl_file: {{project}}/styles/notes.txt is not a CSL style: it is not well-formed "
      f"XML (syntax error: line 1, column 0). {CSL_FIX}",))
case("csl-malformed-xml", "csl-xml",
     {"styles/broken.csl": "<?xml version='1.0'?>\n<style xmlns='http://purl.org/net/xbiblio/csl' class='in-text'>\n"
                           "  <info><title>Broken</title>\n</style\n"},
     (f"mkdocs.yml:4: extra.microsite.csl_file: {{project}}/styles/broken.csl is not a CSL style: it is not well-formed "
      f"XML (unclosed token: line 4, column 0). {CSL_FIX}",))
case("csl-missing-file", "csl-missing",
     messages=(f"mkdocs.yml:4: extra.microsite.csl_file: {{project}}/styles/nowhere.csl: the CSL style cannot be read "
               f"(No such file or directory). {CSL_FIX}",))
DEPENDENT_CSL = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" default-locale="en-US">
  <info>
    <title>Journal of Dependent Studies</title>
    <id>http://www.zotero.org/styles/journal-of-dependent-studies</id>
    <link href="http://www.zotero.org/styles/journal-of-dependent-studies" rel="self"/>
    <link href="http://www.zotero.org/styles/apa" rel="independent-parent"/>
    <category citation-format="author-date"/>
    <updated>2020-01-01T00:00:00+00:00</updated>
  </info>
</style>
"""
case("csl-dependent-style", "csl-dependent", {"styles/dependent.csl": DEPENDENT_CSL},
     (f"mkdocs.yml:4: extra.microsite.csl_file: {{project}}/styles/dependent.csl is not a usable CSL style: it is a "
      f"dependent style that only names its parent (http://www.zotero.org/styles/apa); use the parent style's file "
      f"instead. {CSL_FIX}",))
case("cache-dir-under-a-file", "cache-file", {"cache-is-a-file.txt": "a file, not a folder\n"},
     infos=("The bib cache is skipped: {project}/cache-is-a-file.txt/cache/bib cannot be written (Not a directory); "
            "the build is only slower",
            "The citation cache could not be written ([Errno 20] Not a directory: "
            "'{project}/cache-is-a-file.txt/cache'): the next build formats again"),
     check=lambda b: "(Doe 2020, 5)" in text_of(b, "articles/base/") or pytest.fail("not built"))

# ---- mkdocs.yml's own text: site identity and navigation titles -------------------------------

ANGLE_FIX = "Write it without angle brackets; they are shown as ‹ › meanwhile"
TITLE_FIX = "Write it without angle brackets; it is shown as text meanwhile"


def _config_name(built):
    home = soup_of(built, "")
    shown = "‹/title›‹script›alert(/x-cfg-name/.source)‹/script›"
    assert norm(home.title.get_text()) == shown
    assert shown in norm(home.select_one("header").get_text())
    assert norm(soup_of(built, "articles/base/").title.get_text()).endswith(" - " + shown)


def _config_meta(built):
    home = soup_of(built, "")
    assert home.select_one('meta[name="description"]')["content"] == '"›‹script›alert(/x-cfg-desc/.source)‹/script›'


def _config_author(built):
    assert soup_of(built, "").select_one('meta[name="author"]')["content"] == \
        'Ann" onmouseover="alert(/x-cfg-author/.source)'


def _heading_title(built):
    """A title from the page's first heading is HTML (MkDocs keeps its entities): escaped once, not twice."""
    assert "Q&A bold <x>" in norm(soup_of(built, "").select_one("nav.md-nav--primary").get_text())
    forward = soup_of(built, "articles/base/").select_one("a.md-footer__link--next")
    assert forward["aria-label"].endswith(": Q&A bold <x>") and norm(forward.get_text()).endswith("Q&A bold <x>")
    assert norm(soup_of(built, "cases/qa/").title.get_text()).startswith("Q&A bold <x> - ")


def _config_nav(built):
    for url in ("", "articles/base/"):
        nav = norm(soup_of(built, url).select_one("nav.md-nav--primary").get_text())
        for title in ("<img src=x onerror=alert(/x-cfg-page/.source)>", "Section <b onmouseover=alert(/x-cfg-section/.source)>",
                      "<svg onload=alert(/x-cfg-nested/.source)>", "Link <script>alert(/x-cfg-link/.source)</script>"):
            assert title in nav, (url, title, nav)
    footer = norm(soup_of(built, "").select_one("nav.md-footer__inner").get_text())
    assert "<svg onload=alert(/x-cfg-nested/.source)>" in footer
    back = soup_of(built, "articles/base/").select_one("a.md-footer__link--prev")
    assert back["aria-label"].endswith(": <img src=x onerror=alert(/x-cfg-page/.source)>")


def _repository(built):
    home = soup_of(built, "")
    assert not home.select("a.md-source") and not home.select('a[href^="javascript"]')
    assert [a["href"] for a in home.select("a.md-social__link")] == ["https://example.org/ok"]


# repo_url with a quote, repo_name with a tag and a `javascript:` social link reached every
# page as live markup (an onmouseover on the repository link, an <img onerror>, a script link),
# without a word.
case("config-repository-and-social-links", "inject-repository",
     messages=("mkdocs.yml:24: `repo_name` contains '<' or '>', which Material for MkDocs writes into every page "
               "as HTML. " + ANGLE_FIX,
               "mkdocs.yml:25: `repo_url: https://example.org/repo\" onmouseover=\"alert(/x-repo-url/.source)` is "
               "not a web address Material for MkDocs can link to. Write the repository's address as its site shows it "
               "(https://…, no quotes, spaces or angle brackets); the repository link is left out meanwhile",
               "mkdocs.yml:5: `extra.social`: the link `javascript:alert(/x-social/.source)` is not a web or "
               "e-mail address. Write an https:// (or mailto:) address; this icon is left out meanwhile"),
     check=_repository, token="x-repo", browse=("",))
case("config-social-link-script", "inject-repository", token="x-social")
case("config-site-name-script", "inject-config",
     messages=("mkdocs.yml:28: `site_name` contains '<' or '>', which Material for MkDocs writes into every page as "
               "HTML. " + ANGLE_FIX,), check=_config_name, token="x-cfg-name", browse=("",))
case("config-site-description-script", "inject-config",
     messages=("mkdocs.yml:27: `site_description` contains '<' or '>', which Material for MkDocs writes into every "
               "page as HTML. " + ANGLE_FIX,), check=_config_meta, token="x-cfg-desc")
case("config-site-author-quote", "inject-config", check=_config_author, token="x-cfg-author")
case("config-nav-heading-title", "inject-config", {"docs/cases/qa.md": "# Q&A <b>bold</b> &lt;x&gt;\n\nText.\n"},
     check=_heading_title)
case("config-nav-page-title", "inject-config",
     messages=("mkdocs.yml:19: the navigation title '<img src=x onerror=alert(/x-cfg-page/.source)>' contains '<' or "
               "'>', which Material for MkDocs writes into pages as HTML. " + TITLE_FIX,),
     check=_config_nav, token="x-cfg-page", browse=("articles/base/",))
case("config-nav-section-title", "inject-config",
     messages=("mkdocs.yml:20: the navigation title 'Section <b onmouseover=alert(/x-cfg-section/.source)>' contains "
               "'<' or '>', which Material for MkDocs writes into pages as HTML. " + TITLE_FIX,), token="x-cfg-section")
case("config-nav-nested-title", "inject-config",
     messages=("mkdocs.yml:21: the navigation title '<svg onload=alert(/x-cfg-nested/.source)>' contains '<' or "
               "'>', which Material for MkDocs writes into pages as HTML. " + TITLE_FIX,), token="x-cfg-nested")
case("config-nav-link-title", "inject-config",
     messages=("mkdocs.yml:22: the navigation title 'Link <script>alert(/x-cfg-link/.source)</script>' contains "
               "'<' or '>', which Material for MkDocs writes into pages as HTML. " + TITLE_FIX,), token="x-cfg-link")

EMPTY_LANGUAGE = ("`theme.language` is empty. Write one of the codes Material lists under 'Site language' (e.g. `en`, "
                  "`de`, `zh-Hant`), or leave the key out; English is used meanwhile")


def _english(built):
    assert soup_of(built, "").html["lang"] == "en"
    assert "(Doe 2020, 5)" in text_of(built, "articles/base/")


def _features_read_as_a_list(built):
    _english(built)
    assert soup_of(built, "articles/base/").select("a.citation__ref[title]")       # content.tooltips is on


case("theme-language-empty", "theme-options",
     messages=("mkdocs.yml:24: " + EMPTY_LANGUAGE,), check=_english)
case("theme-features-not-a-list", "theme-options",
     messages=("mkdocs.yml:22: `theme.features` must be a list of Material's feature names, not `true`. Write e.g. "
               "`features: [content.tooltips]`, or leave the key out; it is ignored meanwhile",))
case("theme-language-null", "theme-features-name",
     messages=("mkdocs.yml:24: " + EMPTY_LANGUAGE,), check=_english)
case("theme-features-one-name", "theme-features-name",
     messages=("mkdocs.yml:22: `theme.features` must be a list of Material's feature names, not `content.tooltips`. "
               "Write it as a list: `features: [content.tooltips]`; it is read so meanwhile",),
     check=_features_read_as_a_list)
# shown as YAML, as written (Python's repr said `{'content.tooltips': True}`)
case("theme-features-a-mapping", "theme-features-mapping",
     messages=("mkdocs.yml:22: `theme.features` must be a list of Material's feature names, not "
               "`{content.tooltips: true}`. Write e.g. `features: [content.tooltips]`, or leave the key out; it is "
               "ignored meanwhile",))

case("pdf-without-the-offline-edition", "pdf-without-offline",
     messages=("mkdocs.yml:5: extra.microsite.pdf: true makes no PDFs with `offline: false`: they are printed from "
               "the offline edition's pages. Set `offline: true` to have the PDFs (and the offline edition), or "
               "`pdf: false` to build without them; none are made meanwhile",),
     check=lambda b: not list(b.site.rglob("*.pdf")) or pytest.fail("a PDF"))

CACHE_DIR_FIX = ("Give a folder of its own, outside docs_dir, the bib folder and site_dir, e.g. "
                 "`cache_dir: .cache/microsite`; `.cache/microsite` is used meanwhile")


def _cache_kept_apart(built):
    """The caches (and the offline edition's working folder) are in the default folder."""
    assert (built.project / "docs/offline/keep.md").read_text(encoding="utf-8") == page("Keep", "Authored.")
    assert (built.project / ".cache/microsite").is_dir()
    assert not [p for p in built.site.rglob("*") if p.name.startswith("citeproc-") or p.name == "jinja"]


def _cache_offline_apart(built):
    _cache_kept_apart(built)
    assert (built.project / ".cache/microsite/offline/.microsite-offline-edition").is_file()
    assert (built.site / "downloads/catalogue-base-offline.zip").is_file()


case("cache-dir-is-docs", "cache-in-docs", {"docs/offline/keep.md": page("Keep", "Authored.")},
     ("mkdocs.yml:3: extra.microsite.cache_dir: 'docs' is docs_dir (`docs`): the build would write its caches there "
      "and clear a folder in it. " + CACHE_DIR_FIX,),
     check=_cache_offline_apart)
case("cache-dir-is-the-project", "cache-project", {"docs/offline/keep.md": page("Keep", "Authored.")},
     ("mkdocs.yml:3: extra.microsite.cache_dir: '.' is the project's folder (that of mkdocs.yml): the build would "
      "write its caches there and clear a folder in it. " + CACHE_DIR_FIX,),
     check=_cache_kept_apart)
case("cache-dir-is-bib", "cache-in-bib", {"docs/offline/keep.md": page("Keep", "Authored.")},
     ("mkdocs.yml:3: extra.microsite.cache_dir: 'bib' is the bib folder (`bib`): the build would write its "
      "caches there and clear a folder in it. " + CACHE_DIR_FIX,),
     check=lambda b: _cache_kept_apart(b) or not list((b.project / "bib").glob("*.json")) or pytest.fail("in bib/"))

assert len({c.id for c in CASES}) == len(CASES), "case ids must be unique"
_TOKENS = [c.token for c in CASES if c.token]
assert not [a for a in _TOKENS for b in _TOKENS if a != b and a in b], "no token may contain another"


# -- building ----------------------------------------------------------------------------

def _write(project: Path, files: dict) -> None:
    for name, content in files.items():
        target = project / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


def make_project(name: str, folder: Path, only: tuple[Case, ...] | None = None) -> Path:
    """The project's mini-site with all its cases, or with the cases `only` (none: the project's
    own settings and files alone)."""
    definition = PROJECTS[name]
    project = prepare(ROOT, folder, settings=definition.settings, config=definition.config)
    _write(project, definition.files)
    for item in CASES:
        if item.project == name and (only is None or item in only):
            _write(project, item.files)
    return project


class Builds:
    """Each project built once (in this process, strict), on first use."""

    def __init__(self, factory):
        self.factory = factory
        self.built: dict[str, Built] = {}
        self.seconds: dict[str, float] = {}

    def __call__(self, name: str) -> Built:
        if name not in self.built:
            start = time.perf_counter()
            self.built[name] = build_project(make_project(name, self.factory.mktemp(name)), strict=True)
            self.seconds[name] = time.perf_counter() - start
        return self.built[name]


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    result = Builds(tmp_path_factory)
    yield result
    print("\ncatalogue builds (s): " + ", ".join(f"{k} {v:.1f}" for k, v in result.seconds.items()))


def fails(name: str) -> bool:
    """Whether the project's strict build fails: a case expects a message, or gives one today."""
    return any((item.messages and "messages" not in item.xfail) or item.now
               for item in CASES if item.project == name)


def expand(line: str, built: Built) -> str:
    return line.replace("{project}", str(built.project))


def _params(kind: str, cases):
    params = []
    for item in cases:
        marks = [pytest.mark.xfail(strict=True, reason=item.xfail[kind])] if kind in item.xfail else []
        params.append(pytest.param(item, id=item.id, marks=marks))
    return params


def _owned(item: Case) -> set[str]:
    """The case's own files: written by no other case of its project."""
    others = {name for other in CASES if other.project == item.project and other is not item for name in other.files}
    return {name for name in item.files if name not in others and name.startswith(("docs/", "bib/"))}


def _names(warning: str, paths: set[str]) -> bool:
    return any(warning.startswith((path + ":", path + " ")) for path in paths)


# -- 1. each case: its exact messages, nothing else about its files, the exit status -------

@pytest.mark.parametrize("item", _params("messages", CASES))
def test_each_case_reports_exactly_its_messages(builds, item):
    built = builds(item.project)
    expected = [expand(m, built) for m in item.messages]
    for message in expected:
        assert message in built.warnings, f"not reported: {message!r}\nreported:\n" + "\n".join(built.warnings)
    for info in item.infos:
        assert expand(info, built) in built.messages, f"not logged: {info!r}"
    own = _owned(item)
    about_its_files = [w for w in built.warnings if _names(w, own)]
    assert sorted(about_its_files) == sorted(m for m in expected if _names(m, own))
    assert built.ok == (not fails(item.project))          # the strict build's outcome
    if expected:
        assert not built.ok


# -- 2. each project: nothing but its cases' messages, no traceback, no source changed -----

@pytest.mark.parametrize("name", list(PROJECTS))
def test_each_project_reports_nothing_else(builds, name):
    built = builds(name)
    cases = [item for item in CASES if item.project == name]
    required = {expand(m, built) for item in cases if "messages" not in item.xfail for m in item.messages}
    allowed = required | {expand(m, built) for item in cases for m in item.messages + item.now}
    warnings = [w for w in built.warnings if not w.startswith("ABORT:")]
    unexpected = [w for w in warnings if w not in allowed and not _today(w, cases, built)]
    assert unexpected == [] and required <= set(warnings)
    assert len(warnings) == len(set(warnings)), "a message is repeated"
    assert not [m for m in built.messages if "Traceback" in m]
    assert built.changed_sources == []
    assert built.ok == (not fails(name))
    if not fails(name):
        assert warnings == []
    # The placeholder a citation holds while a page converts never stays: not in a page, the
    # search index (which writes it as an escape) or a message.
    assert not [w for w in built.messages if "\ue000" in w]
    if built.site.is_dir():
        for path in [*built.site.rglob("*.html"), *built.site.rglob("*.json")]:
            text = path.read_text(encoding="utf-8")
            assert "\ue000" not in text and "\\ue000" not in text.lower(), path


# -- 2b. each case alone: a mini-project of its own ---------------------------------------

@pytest.fixture(scope="module")
def project_bases(tmp_path_factory):
    """Each project built with its own settings and shared files but no case's files: what
    every case of the project is built on."""
    built: dict[str, Built] = {}

    def base(name: str) -> Built:
        if name not in built:
            built[name] = build_project(make_project(name, tmp_path_factory.mktemp(f"base-{name}"), only=()))
        return built[name]
    return base


def _by_id(ids) -> tuple[Case, ...]:
    return tuple(item for item in CASES if item.id in ids)


@pytest.mark.parametrize("item", _params("messages", [c for c in CASES if c.files]))
def test_each_case_alone_fails_or_passes_with_exactly_its_messages(tmp_path, project_bases, item):
    """Shared builds keep the catalogue fast; here every case with files of its own is built
    without its neighbours (its project's settings and shared files, the cases it `needs`), so
    its exit status, its messages and the untouched sources are its own. What the project's
    shared part reports (its base build) may appear too."""
    base = project_bases(item.project)
    built = build_project(make_project(item.project, tmp_path, only=(item, *_by_id(item.needs))))
    warnings = [w for w in built.warnings if not w.startswith("ABORT:")]
    expected = {expand(m, built) for m in item.messages}
    assert expected <= set(warnings), "not reported:\n" + "\n".join(sorted(expected - set(warnings)))
    allowed = expected | {expand(m, built) for m in item.now} | {
        w.replace(str(base.project), str(built.project)) for w in base.warnings}
    needed = _by_id(item.needs)
    allowed |= {expand(m, built) for other in needed for m in other.messages + other.now}
    unexpected = [w for w in warnings if w not in allowed and not _today(w, [item, *needed], built)]
    assert unexpected == [], "\n".join(unexpected)
    fails_alone = bool((item.messages and "messages" not in item.xfail) or item.now) or not base.ok
    assert built.ok == (not fails_alone)
    assert not [m for m in built.messages if "Traceback" in m]
    assert built.changed_sources == []


def _today(warning: str, cases, built) -> bool:
    """A line an xfail case gives today, where it holds a number the build chooses ({cluster})."""
    for item in cases:
        for line in item.now:
            if "{cluster}" in line:
                pattern = re.escape(expand(line, built)).replace(re.escape("{cluster}"), r"\d+")
                if re.fullmatch(pattern, warning):
                    return True
    return False


# -- 3. what the built site shows --------------------------------------------------------

@pytest.mark.parametrize("item", _params("check", [c for c in CASES if c.check]))
def test_each_case_shows_what_it_should(builds, item):
    built = builds(item.project)
    assert PROJECTS[item.project].site and (built.site / "index.html").is_file()
    item.check(built)


# -- 4. injections: no live script, no on* attribute, no other scheme ------------------------

SCRIPT_DATA_TYPES = {"application/json", "application/ld+json"}
LINK_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data")


def _script_signature(element) -> str:
    if element.get("src"):
        return "src:" + re.sub(r"^(?:\.\./|\./|/)+", "", element["src"])
    return "inline:" + re.sub(r'"[./]*"', '""', element.get_text())


def _findings(soup: BeautifulSoup, where: str, allowed_scripts: set[str]) -> list[str]:
    found = []
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if name.lower().startswith("on"):
                found.append(f"{where}: <{element.name} {name}={value!r}>")
            if name.lower() in LINK_ATTRIBUTES:
                bare = re.sub(r"[\x00-\x20]", "", value).lower()
                scheme = re.match(r"([a-z][a-z0-9+.\-]*):", bare)
                if scheme and scheme.group(1) not in OWN_SCHEMES:
                    found.append(f"{where}: <{element.name} {name}={value!r}>")
        if element.name == "script":
            kind = (element.get("type") or "").lower()
            if kind in SCRIPT_DATA_TYPES:
                try:
                    json.loads(element.get_text())
                except ValueError:
                    found.append(f"{where}: a {kind} script that is not JSON: {element.get_text()[:200]!r}")
            elif _script_signature(element) not in allowed_scripts:
                found.append(f"{where}: <script> {element.get_text()[:200]!r} {element.attrs}")
        if element.name in ("iframe", "object", "embed", "base", "frame", "frameset"):
            found.append(f"{where}: <{element.name}> {element.attrs}")
    return found


class Scans:
    def __init__(self, builds):
        self.builds = builds
        self.done: dict[str, list[str]] = {}
        self.allowed: set[str] | None = None

    def allowed_scripts(self) -> set[str]:
        if self.allowed is None:
            site = self.builds("clean").site
            self.allowed = {_script_signature(element) for path in site.rglob("*.html")
                            for element in BeautifulSoup(path.read_bytes(), "lxml").find_all("script")
                            if (element.get("type") or "").lower() not in SCRIPT_DATA_TYPES}
        return self.allowed

    def __call__(self, name: str) -> list[str]:
        if name not in self.done:
            site = self.builds(name).site
            allowed = self.allowed_scripts()
            found = []
            for path in sorted(site.rglob("*.html")):
                found += _findings(BeautifulSoup(path.read_bytes(), "lxml"), path.relative_to(site).as_posix(), allowed)
            index = site / "search/search_index.json"
            for doc in json.loads(index.read_text(encoding="utf-8"))["docs"]:
                for part in ("title", "text"):
                    fragment = BeautifulSoup(f"<div>{doc[part]}</div>", "lxml")
                    found += _findings(fragment, f"search index {doc['location']} {part}", set())
            self.done[name] = found
        return self.done[name]


@pytest.fixture(scope="module")
def scans(builds):
    return Scans(builds)


@pytest.mark.parametrize("item", _params("safe", [c for c in CASES if c.token]))
def test_hostile_input_stays_text(scans, item):
    assert [finding for finding in scans(item.project) if item.token in finding.lower()] == []


@pytest.mark.parametrize("name", [name for name, p in PROJECTS.items() if p.site])
def test_every_page_holds_only_materials_scripts(scans, name):
    tokens = [item.token for item in CASES if item.token]
    assert [finding for finding in scans(name) if not any(token in finding.lower() for token in tokens)] == []


# -- 5. the exit status of `mkdocs build --strict` -----------------------------------------

SUBPROCESS = ["bib", "pages", "inject", "inject-config", "theme-options", "option-unknown", "csl-text"]


def run_mkdocs(project: Path, timeout: int = 600, *options: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1600000000")
    env.pop("SITE_URL", None)
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", *options], cwd=project, env=env,
                          capture_output=True, text=True, timeout=timeout)


def _snapshot(project: Path) -> dict[str, bytes]:
    return {str(p.relative_to(project)): p.read_bytes() for folder in ("docs", "bib")
            for p in sorted((project / folder).rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", SUBPROCESS)
def test_strict_build_exit_status(tmp_path, name):
    project = make_project(name, tmp_path)
    before = _snapshot(project)
    result = run_mkdocs(project)
    assert result.returncode == (1 if fails(name) else 0), result.stderr[-3000:]
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    for item in CASES:
        if item.project == name and "messages" not in item.xfail:
            for message in item.messages:
                line = message.replace("{project}", str(project))
                assert re.search(r"^(WARNING|ERROR) +-  " + re.escape(line) + "$", result.stderr, re.M), line
    assert _snapshot(project) == before


def test_quiet_does_not_let_a_strict_build_pass_with_problems(tmp_path):
    """MkDocs counts the warnings it logs for --strict, and --quiet logs none: the generator fails
    the build itself, with its problems as the message."""
    project = make_project("bib", tmp_path)
    result = run_mkdocs(project, 600, "--quiet")
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output, output[-3000:]
    expected = [message.replace("{project}", str(project)) for item in CASES if item.project == "bib"
                and "messages" not in item.xfail for message in item.messages]
    assert expected and f"Aborted with {len(expected)} problem(s) in strict mode (--quiet hides the warnings):" in output
    for message in expected:
        assert f"\n  {message}\n" in output + "\n", message


def test_a_python_without_the_generator_gets_a_message_not_a_traceback(tmp_path):
    """MkDocs from another environment (the generator's package or one of its libraries not
    importable): one configuration error saying what to run. Simulated by a module named
    `microsite` beside a copy of the hook file, which MkDocs puts first on the import path."""
    from conftest import HOOK

    project = prepare(ROOT, tmp_path)
    hooks = project / "elsewhere"
    hooks.mkdir()
    (hooks / "microsite_events.py").write_bytes(HOOK.read_bytes())
    (hooks / "microsite.py").write_text("# not the generator\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(str(HOOK), "elsewhere/microsite_events.py"),
                      encoding="utf-8")
    result = run_mkdocs(project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout, result.stderr[-3000:]
    assert re.search(r"^ERROR +-  Config value 'hooks': the generator could not be loaded \(cannot import name "
                     r"'events' from 'microsite' .*\): this Python environment lacks the project's packages\. "
                     r"Run `make site` from the project folder", result.stderr, re.M), result.stderr


# -- 6. the offline edition and PDFs with odd addresses and markup in titles ----------------

PDF_BIB = r"""@misc{odd2020,
  author = {Odd, Olive},
  title = {The <i>Italic</i> \& {\em Emphasis} <script>alert(/x-pdf-title/.source)</script> Title},
  howpublished = {Online},
  year = {2020},
  url = {www.example.org/no-scheme}
}

@misc{odd2021,
  author = {Odd, Otto},
  title = {An Address with Markup},
  howpublished = {Online},
  year = {2021},
  url = {https://example.org/a?b=<c>&d="e"}
}
"""


def test_pdf_and_offline_edition_with_odd_input(tmp_path):
    """One slow case: PDFs and the offline edition on, odd `url` values and markup in a title."""
    project = prepare(ROOT, tmp_path, settings={"pdf": True, "offline": True}, files={
        "bib/odd.bib": PDF_BIB,
        "docs/articles/odd.md": article("Cites [@odd2020] and [@odd2021].",
                                        title="\"An Article <b>with</b> </title> Markup\"")})
    before = _snapshot(project)
    result = run_mkdocs(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-3000:]
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    assert warnings == [
        "WARNING -  bib/odd.bib:6: `url = {www.example.org/no-scheme}` is not a full web address (in entry 'odd2020'); "
        f"it is left out of the published BibTeX and shown as text. {URL_FIX}"]
    site = project / "site"
    pdf = site / "articles/odd/odd.pdf"
    assert pdf.is_file() and (site / "articles/base/base.pdf").is_file()
    assert list((site / "downloads").glob("*.zip"))
    from pypdf import PdfReader
    text = norm(" ".join(p.extract_text() for p in PdfReader(pdf).pages))
    assert "An Article <b>with</b> </title> Markup" in text
    assert "<script>alert(/x-pdf-title/.source)</script> title" in text.lower()     # printed as text
    clean = BeautifulSoup((site / "articles/base/index.html").read_bytes(), "lxml")
    allowed = {_script_signature(s) for s in clean.find_all("script")}
    for url in ("articles/odd/", "bibliography/odd2020/", "bibliography/odd2021/"):
        soup = BeautifulSoup((site / url / "index.html").read_bytes(), "lxml")
        assert _findings(soup, url, allowed) == []
    # the offline edition's copies of the same pages (.html addresses)
    (zipped,) = (site / "downloads").glob("*.zip")
    with zipfile.ZipFile(zipped) as archive:
        folder = archive.namelist()[0].split("/")[0]
        pages = {name: BeautifulSoup(archive.read(f"{folder}/{name}"), "lxml")
                 for name in ("articles/base.html", "articles/odd.html", "bibliography/odd2020.html")}
    allowed = {_script_signature(s) for s in pages.pop("articles/base.html").find_all("script")}
    for name, soup in pages.items():
        assert _findings(soup, f"offline {name}", allowed) == []
        assert "x-pdf-title" in soup.select_one("article").get_text().lower()
    assert _snapshot(project) == before


# -- 7. the worst cases in Chromium: no dialog while hovering and searching -----------------

SEARCHES = ("alert", "Hostile")
TOOLTIP = ".md-tooltip2--active .md-tooltip2__inner, .md-tooltip--active .md-tooltip__inner"
# Markup a preview may hold (formatted references): anything else, or any on* attribute, is live
# markup made from the hovered element's text.
PREVIEW_MARKUP = """p => Array.from(p.querySelectorAll('*')).filter(e =>
    !['I', 'EM', 'B', 'STRONG', 'SUP', 'SUB', 'SPAN', 'CODE', 'SMALL'].includes(e.tagName)
    || Array.from(e.attributes).some(a => a.name.toLowerCase().startsWith('on'))).map(e => e.outerHTML)"""
POINTER_OVER = ("p => p.querySelectorAll('*').forEach(e => e.dispatchEvent("
                "new MouseEvent('mouseover', {bubbles: true})))")


@pytest.fixture(scope="module")
def chromium(builds, browser) -> list[str]:
    """Open every page a case names, hover and focus its citations and terms (Material shows
    their previews), pass the pointer over each preview's text, search for the hostile words.
    Returns every dialog that fired and every live element a preview held, with its page."""
    found: list[str] = []
    urls: dict[str, list[str]] = {}
    for item in CASES:
        for url in item.browse:
            if url not in urls.setdefault(item.project, []):
                urls[item.project].append(url)
    for name, pages in urls.items():
        with serve(builds(name).site) as base:
            context = browser.new_context()
            tab = context.new_page()
            tab.on("dialog", lambda dialog: (found.append(f"dialog on {tab.url}: {dialog.message}"), dialog.dismiss()))
            for url in pages:
                tab.goto(base + url)
                tab.wait_for_load_state("load")
                tab.wait_for_timeout(200)
                for link in tab.query_selector_all("article a.citation__ref, article a.mx-term"):
                    if not link.is_visible():
                        continue
                    link.hover()
                    tab.wait_for_timeout(100)
                    preview = tab.query_selector(TOOLTIP)
                    if preview is not None:
                        found += [f"preview on {tab.url}: {html}" for html in preview.evaluate(PREVIEW_MARKUP)]
                        preview.evaluate(POINTER_OVER)
                        tab.wait_for_timeout(100)
                    link.focus()
            for query in SEARCHES if name == "inject" else ():      # the hostile texts of the search index
                tab.click("input.md-search__input")
                tab.locator("input.md-search__input").fill("")
                tab.locator("input.md-search__input").press_sequentially(query, delay=15)
                tab.wait_for_timeout(500)
                for result in tab.query_selector_all(".md-search-result__item")[:5]:
                    result.evaluate("r => r.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}))")
            tab.wait_for_timeout(300)
            context.close()
    return found


@pytest.mark.parametrize("item", _params("browser", [c for c in CASES if c.browse]))
def test_no_dialog_fires_and_no_preview_holds_markup(chromium, item):
    assert [finding for finding in chromium if item.token in finding.lower()] == []


def test_every_finding_in_chromium_belongs_to_a_case(chromium):
    tokens = [item.token for item in CASES if item.token]
    assert [finding for finding in chromium if not any(token in finding.lower() for token in tokens)] == []
