"""Bib files as they come from reference managers, publishers' pages and colleagues:
every mistake is a located message (never a traceback), the entries around it are still
read, and the keys the site accepts are exactly those pandoc reads (issues #11, #13)."""

from __future__ import annotations

import json
import logging
import re
import string
import subprocess

import pypandoc
import pytest

from conftest import build_project, prepare
from microsite.model.citations import KEY_PUNCTUATION, is_bare_key, key_problem, parse_cluster, written_form
from microsite.model.sources import Library, check_fields, load_library
from microsite.problems import Problems

ROOT = "untrusted-bib"
LATIN1 = "@book{latin2020,\n  author = {Müller, Hans},\n  title = {T},\n  publisher = {P},\n  year = {2020}\n}\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The scenario, built without --strict (so that its pages exist) and with --strict."""
    builds = {}
    for strict in (False, True):
        project = prepare(ROOT, tmp_path_factory.mktemp("strict" if strict else "lenient"))
        (project / "bib" / "latin1.bib").write_bytes(LATIN1.encode("latin-1"))
        before = {path: path.read_bytes() for path in project.rglob("*") if path.is_file()}
        builds[strict] = build_project(project, strict=strict)
        after = {path: path.read_bytes() for path in project.rglob("*")
                 if path.is_file() and "site" not in path.relative_to(project).parts}
        assert after == before, "a build changed a source file"
    return builds


EXPECTED = [
    "bib/braces.bib:12: BibTeX: syntax error: the brace opened in `publisher` on this line is never closed, so the "
    "next field, `doi` on line 13, falls inside it (in entry 'unclosed2009' starting on line 8); the entry is left "
    "out. Add the missing '}' (or remove the extra '{') in `publisher`; the other entries are read as usual.",
    "bib/braces.bib:26: BibTeX: syntax error: the '}' in `title` on this line closes the entry before its end: a "
    "brace too many (in entry 'extra2011' starting on line 24); the entry is left out. Remove the extra '}' (or add "
    "the '{' it should close).",
    "bib/eof.bib:1: BibTeX: syntax error: the entry has no closing '}' (in entry 'noend2013' starting on line 1); "
    "the entry is left out. End the entry with '}' after its last field.",
    "bib/latin1.bib: the file is not UTF-8 text (byte 0xFC at line 2); its entries are left out. Save it as UTF-8 "
    "(in the editor, or in the reference manager's export settings).",
    "bib/macros.bib:13: BibTeX: undefined @string macro 'jundefined' in `journal` (in entry 'undefined2015'). "
    "Define it before its first use (`@string{jundefined = {…}}`), or write the value in braces.",
    "bib/macros.bib:14: BibTeX: `year` appears twice in entry 'undefined2015' (the first is used). Keep one of them.",
    "bib/crossref.bib:25: `crossref` goes round in a circle: loopa2018 → loopb2018 → loopa2018. Give `crossref` "
    "the key of an entry that exists and does not point back to this one.",
    "bib/crossref.bib:18: `crossref = {missing2017}` in 'orphan2017' names no entry: there is no readable entry "
    "with the key 'missing2017'. Give `crossref` the key of an entry that exists and does not point back to this "
    "one.",
    "bib/keys.bib:1: the key 'a#b2019' contains '#', which pandoc's BibTeX reader does not accept; the entry is "
    "left out. Change the key (in the reference manager that writes this file, if one does) and its citations: a "
    "key may contain letters, digits and . : ; ? ! ' ( ) $ / * @ _ + = - & (no spaces, nor # % ~ < > \" , { } "
    "[ ] ^ | \\ `).",
    "bib/private.bib:23: `url = {javascript:alert(2)}` uses the scheme 'javascript:', which is not a web address "
    "(in entry 'script2021'); it is left out of the published BibTeX and shown as text. Write an address that "
    "starts with https:// (or http://), or leave the field out.",
    "bib/private.bib:20: `title` links to `javascript:alert(1)`, which is not a web address (in entry "
    "'script2021'); the link is removed and its text kept. Link only to addresses that start with https:// (or "
    "http://).",
    "bib/private.bib:24: `doi = {not-a-doi}` is not a DOI (in entry 'script2021'); it is left out of the published "
    "BibTeX and shown as text. A DOI is `10.`, the registrant's number, a slash and the suffix (e.g. "
    "`10.1000/xyz123`; `doi:…` and https://doi.org/… are read too): write the DOI only, put a web address in "
    "`url`, or leave the field out.",
]


@pytest.mark.parametrize("message", EXPECTED)
def test_every_mistake_is_a_located_message_and_fails_strict(built, message):
    assert message in built[False].warnings
    assert message in built[True].warnings
    assert not built[True].ok
    assert not any("Traceback" in line for line in built[True].messages + built[False].messages)


def test_a_crossref_problem_is_not_reported_as_missing_fields(built):
    for key in ("orphan2017", "loopa2018", "loopb2018", "undefined2015"):
        assert not any(f"'{key}' has no" in warning for warning in built[False].warnings), key


def test_the_entries_around_a_broken_one_are_read(built):
    site = built[False].site
    for key in ("before2019", "after2010", "last2012", "upper2021", "doe2020book", "macro2014", "chapter2016"):
        assert (site / "bibliography" / key / "index.html").is_file(), key
    for key in ("unclosed2009", "extra2011", "noend2013", "latin2020"):
        assert not (site / "bibliography" / key).exists(), key
    # nothing of the broken entry leaked into its neighbour (pybtex alone would put the
    # following fields into `publisher`)
    bibtex = (site / "bibliography" / "bibliography.bib").read_text(encoding="utf-8")
    assert "Somatosensory" not in bibtex and "08990229771042" not in bibtex


def test_inheritance_through_crossref(built):
    chapter = built[False].page("bibliography/chapter2016/")
    fields = {row.th.get_text(): row.td.get_text() for row in chapter.select("table.mx-source__fields tr")}
    assert fields["In"] == "The Collected Volume"            # title of an @collection -> booktitle
    assert fields["Publisher"] == "Press" and fields["Year"] == "2016"
    bibtex = (built[False].site / "bibliography/chapter2016/chapter2016.bib").read_text(encoding="utf-8")
    assert "booktitle = {The Collected Volume}" in bibtex
    assert "crossref" not in bibtex.lower()                   # resolved: the record stands alone


def test_a_key_pandoc_reads_only_in_braces_is_citable_and_the_page_says_how(built):
    page = built[False].site / "bibliography"
    (folder,) = [p for p in page.iterdir() if p.name.startswith("Anonymous-sADf10u")]
    soup = built[False].page(f"bibliography/{folder.name}/")
    assert soup.select_one("p.mx-source__label code").get_text() == "[@{Anonymous:sADf10u-}]"
    article = built[False].article("articles/cites/")
    assert not article.select("span.citation--unresolved")


# -- reading, unit by unit --------------------------------------------------------------

def load(tmp_path, files: dict[str, str | bytes], cache_dir=None) -> tuple[Library, list[str]]:
    bib = tmp_path / "bib"
    for name, content in files.items():
        target = bib / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    problems = Problems()
    library = load_library(str(bib), str(tmp_path), problems, cache_dir)
    return library, [str(problem) for problem in problems.found]


BOOK = "@book{%s,\n  author = {Doe, Jane},\n  title = {T},\n  publisher = {P},\n  year = {2020}\n}\n"


def test_any_letter_case_of_the_extension_is_read(tmp_path):
    library, problems = load(tmp_path, {"a.BIB": BOOK % "upper", "sub/b.Bib": BOOK % "mixed", "c.bib": BOOK % "lower",
                                        "notes.txt": BOOK % "ignored"})
    assert sorted(library.sources) == ["lower", "mixed", "upper"] and problems == []


def test_utf16_is_named(tmp_path):
    _, problems = load(tmp_path, {"w.bib": (BOOK % "w").encode("utf-16")})
    assert problems == ["bib/w.bib: the file is UTF-16 text, not UTF-8; its entries are left out. Save it as UTF-8 "
                        "(in the editor, or in the reference manager's export settings)."]


def test_an_unwritable_cache_is_skipped_with_one_message(tmp_path, caplog):
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("not a folder")
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.microsite"):
        library, problems = load(tmp_path, {"a.bib": BOOK % "a", "b.bib": BOOK % "b"}, cache_dir=str(blocker))
    assert sorted(library.sources) == ["a", "b"] and problems == []
    skipped = [record.getMessage() for record in caplog.records if "cache" in record.getMessage()]
    assert skipped == [f"The bib cache is skipped: {blocker}/bib cannot be written (Not a directory); "
                       "the build is only slower"]


def test_the_cache_gives_the_same_library(tmp_path):
    files = {"a.bib": (BOOK % "a") + "@misc{b,\n  title = {B},\n  file = {~/x.pdf},\n  year = {2020}\n}\n"}
    first, problems_first = load(tmp_path, files, cache_dir=str(tmp_path / "cache"))
    assert list((tmp_path / "cache" / "bib").iterdir())
    second, problems_second = load(tmp_path, files, cache_dir=str(tmp_path / "cache"))
    assert {k: s.record for k, s in first.sources.items()} == {k: s.record for k, s in second.sources.items()}
    assert problems_first == problems_second == []
    assert "file" not in second.sources["b"].record


def test_biblatex_title_inheritance_by_parent_type(tmp_path):
    bib = """@mvbook{mv, title = {The Whole Work}, subtitle = {In Volumes}, author = {Doe, Jane}, publisher = {P}}
@book{vol, title = {Volume One}, year = {2001}, crossref = {mv}}
@book{parent, title = {The Book}, subtitle = {Sub}, author = {Roe, Rich}, publisher = {P}, year = {2002}}
@inbook{part, title = {A Part}, crossref = {parent}}
@periodical{jour, title = {The Journal}, subtitle = {Of Things}, year = {2003}}
@article{art, author = {Art, Al}, title = {An Article}, crossref = {jour}}
@proceedings{proc, title = {Proceedings of X}, year = {2004}, publisher = {P}}
@inproceedings{paper, author = {Pap, Er}, title = {A Paper}, crossref = {proc}}
"""
    library, problems = load(tmp_path, {"i.bib": bib})
    assert problems == []
    fields = {key: library.sources[key].fields for key in ("vol", "part", "art", "paper")}
    assert (fields["vol"]["maintitle"], fields["vol"]["mainsubtitle"], fields["vol"]["title"]) == \
        ("The Whole Work", "In Volumes", "Volume One")
    assert (fields["part"]["booktitle"], fields["part"]["booksubtitle"], fields["part"]["title"]) == \
        ("The Book", "Sub", "A Part")
    assert [name.family for name in library.sources["part"].authors] == ["Roe"]
    assert "bookauthor" in library.sources["part"].entry.persons
    assert (fields["art"]["journaltitle"], fields["art"]["journalsubtitle"]) == ("The Journal", "Of Things")
    assert fields["paper"]["booktitle"] == "Proceedings of X" and fields["paper"]["year"] == "2004"
    for key in ("vol", "part", "art", "paper"):
        problems = Problems()
        check_fields(library.sources[key], problems)
        assert problems.found == [], key


def test_multilevel_crossref(tmp_path):
    bib = """@mvcollection{series, title = {The Series}, publisher = {P}, year = {2010}}
@collection{volume, title = {The Volume}, editor = {Ed, Ed}, crossref = {series}}
@incollection{chapter, author = {Ch, Ap}, title = {The Chapter}, crossref = {volume}}
"""
    library, problems = load(tmp_path, {"m.bib": bib})
    chapter = library.sources["chapter"].fields
    assert problems == []
    assert (chapter["booktitle"], chapter["maintitle"], chapter["publisher"]) == ("The Volume", "The Series", "P")


def test_pandoc_finishes_on_every_record_even_with_crossref_loops(tmp_path):
    """pandoc 3.9 loops forever on a circular crossref or xdata: no record may carry one."""
    bib = """@incollection{a, title = {A}, year = {2018}, crossref = {b}}
@incollection{b, title = {B}, year = {2018}, crossref = {a}}
@incollection{c, title = {C}, year = {2018}, crossref = {c}, xdata = {c}}
"""
    library, problems = load(tmp_path, {"l.bib": bib})
    assert problems == [
        "bib/l.bib:1: `crossref` goes round in a circle: a → b → a. Give `crossref` the key of an entry that exists "
        "and does not point back to this one.",
        "bib/l.bib:3: `crossref` goes round in a circle: c → c. Give `crossref` the key of an entry that exists and "
        "does not point back to this one.",
    ]
    records = tmp_path / "records.bib"
    records.write_text("\n".join(source.record for source in library.sources.values()), encoding="utf-8")
    result = subprocess.run([pypandoc.get_pandoc_path(), "--citeproc", "--bibliography", str(records),
                             "-f", "markdown", "-t", "plain"], input="[@a; @b; @c]\n",
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


# -- keys: what pandoc reads ----------------------------------------------------------------

def _pandoc(args: list[str], text: str) -> str:
    return subprocess.run([pypandoc.get_pandoc_path(), *args], input=text, capture_output=True, text=True,
                          timeout=600).stdout


# Every ASCII punctuation character and three non-ASCII letters, inside, before and after letters.
KEYS = [form.format(c) for c in string.punctuation + " éΩ日\u200b\ufeff\u00ad\u0308" for form in ("a{}b", "{}ab", "ab{}")] + [
    "a--b", "a::b", "a://b", "Anonymous:sADf10u-", "Anonymous:OQ--toxY", "westfahl:space"]


def _pandoc_bibtex_accepts(key: str) -> bool:
    bib = "@book{%s,\n  title = {T},\n  year = {2020}\n}\n" % key
    result = subprocess.run([pypandoc.get_pandoc_path(), "-f", "bibtex", "-t", "csljson"], input=bib,
                            capture_output=True, text=True, timeout=60)
    return result.returncode == 0 and [item["id"] for item in json.loads(result.stdout)] == [key]


def _cited_ids(forms: list[str]) -> list[list[str]]:
    """The citation ids pandoc's Markdown reader finds in each form, one paragraph each."""
    document = json.loads(_pandoc(["-f", "markdown", "-t", "json"], "\n\n".join(forms)))
    found = []
    for block in document["blocks"]:
        ids: list[str] = []

        def walk(node):
            if isinstance(node, dict):
                if node.get("t") == "Cite":
                    ids.extend(citation["citationId"] for citation in node["c"][0])
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(block)
        found.append(ids)
    return found


def test_our_key_rules_are_pandocs():
    """What a key may contain is what pandoc's BibTeX reader accepts (minus what a bracketed
    Markdown citation cannot carry); `[@key]` works exactly when pandoc's Markdown reader
    reads the whole key bare, `[@{key}]` always."""
    for key in KEYS:
        pandoc_reads_it = _pandoc_bibtex_accepts(key)
        if any(c in key for c in "[]`"):
            assert pandoc_reads_it and "which a citation in Markdown cannot carry" in key_problem(key), key
        else:
            assert (key_problem(key) is None) == pandoc_reads_it, key
    ours = [key for key in KEYS if key_problem(key) is None]
    assert set(KEY_PUNCTUATION) <= {c for key in ours for c in key}       # every allowed character tried
    bare = _cited_ids([f"[@{key}]" for key in ours])
    written = _cited_ids([f"[{written_form(key)}]" for key in ours])
    for key, bare_ids, written_ids in zip(ours, bare, written, strict=True):
        assert (bare_ids == [key]) == is_bare_key(key), key
        assert written_ids == [key], key


def _read_as_one_citation(forms: list[str]) -> list[list[str] | None]:
    """For each form (one paragraph each): the ids of the one bracketed citation pandoc's
    Markdown reader reads it as, or None when it reads something else (text, a narrative `@a`)."""
    document = json.loads(_pandoc(["-f", "markdown", "-t", "json"], "\n\n".join(forms)))
    found = []
    for block in document["blocks"]:
        inlines = [node for node in block["c"] if node["t"] not in ("Space", "SoftBreak")] \
            if block["t"] == "Para" else []
        cite = inlines[0] if len(inlines) == 1 and inlines[0]["t"] == "Cite" else None
        bracketed = cite and all(c["citationMode"]["t"] != "AuthorInText" for c in cite["c"][0])
        found.append([c["citationId"] for c in cite["c"][0]] if bracketed else None)
    return found


# Emphasis marks in a prefix or suffix: pandoc reads an opening `*` or `_` that is never
# closed as a mark followed by the rest of the paragraph, `]` included (no citation then).
EMPHASIS = ["@a*b", "@a, 2*3", "@a, 2 * 3", "@a, *see* p. 5", "@a, see _x", "@a, a_b", "@a, **bold", "see *a @a",
            "see ab* @a", "see *x* @a", "@a, p. 5*", "@a, *x; @b", "@a, x*", r"@a, \*x", "@a, `*x`", "@a, *x*y",
            "@a, _x_", "@a, x_", "@a, __x__", "@a, ***x***", "@a, *x **y** z*", "@a, *x* and *y", "@a, x * y*",
            "@a, *x_y*", "@a, _x*y_", "-@a, *emph*", "@a, pp. 3-5, *passim*", "@{a*b}, *x"]


def test_a_bracket_is_a_citation_exactly_when_pandoc_reads_one():
    """Emphasis marks and every ASCII punctuation character after a key, in a suffix and in
    a prefix: our parser reads a citation (with the same keys) exactly where pandoc does;
    where it does not, the bracket is reported and shown as written, and the page's other
    citations are formatted (before, pandoc refused the page's whole document)."""
    others = [key for key in KEYS if not any(c in key for c in "[]\\\u200b\ufeff\u00ad\u0308@")]
    bodies = EMPHASIS + [f"@{key}" for key in others] + [f"@a, {key}" for key in others] + \
        [f"see {key} @a" for key in others]
    pandoc = _read_as_one_citation([f"[{body}]" for body in bodies])
    for body, theirs in zip(bodies, pandoc, strict=True):
        items = parse_cluster(body)
        assert ([item.key for item in items] if items else None) == theirs, body


@pytest.mark.parametrize("bib, expected", [
    ("@book{x,\n  title = {T},\n  year = {{{2020}\n}\n",
     "bib/e.bib:3: BibTeX: syntax error: the brace opened in `year` on this line is never closed (in entry 'x' "
     "starting on line 1); the entry is left out. Add the missing '}' (or remove the extra '{')."),
    ("@book{x,\n  title = {A}\n  author = {B},\n  year = {2020}\n}\n",
     "bib/e.bib:3: BibTeX: syntax error: '}' expected (in entry 'x' starting on line 1); the entry is left out. "
     "Fix the entry (balanced braces, `name = {value},` fields, defined @string macros)."),
    ("@string{a = {x}\n\n@book{y,\n  title = {Y},\n  year = {2020}\n}\n",
     "bib/e.bib:1: BibTeX: syntax error in @string: the entry has no closing '}'; it is left out. End the entry "
     "with '}' after its last field."),
    ((BOOK % "twice") + (BOOK % "twice"),
     "bib/e.bib:7: key 'twice' is defined twice in this file (first on line 1). Keys must be unique: rename one of "
     "the entries (and its citations)."),
    (BOOK % "note[1]",
     "bib/e.bib:1: the key 'note[1]' contains '[', ']', which a citation in Markdown cannot carry; the entry is "
     "left out. Change the key (in the reference manager that writes this file, if one does) and its citations: a "
     "key may contain letters, digits and . : ; ? ! ' ( ) $ / * @ _ + = - & (no spaces, nor # % ~ < > \" , { } "
     "[ ] ^ | \\ `)."),
])
def test_more_mistakes_each_with_its_message(tmp_path, bib, expected):
    library, problems = load(tmp_path, {"e.bib": bib})
    assert expected in problems, problems
    assert len(problems) == 1, problems


def test_keys_that_differ_only_in_letter_case(tmp_path):
    library, problems = load(tmp_path, {"a.bib": BOOK % "Case", "b.bib": BOOK % "case"})
    assert problems == ["bib/b.bib:1: key 'case' differs only in letter case from 'Case'. Web addresses of source "
                        "pages must differ: rename one of the keys."]
    assert list(library.sources) == ["Case"]


def test_a_file_that_cannot_be_read_is_named(tmp_path):
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "gone.bib").symlink_to(tmp_path / "nowhere.bib")
    library, problems = load(tmp_path, {"a.bib": BOOK % "a"})
    assert list(library.sources) == ["a"]
    assert problems == ["bib/gone.bib: the file cannot be read (No such file or directory). Check that it is a "
                        "readable file."]


def test_a_bib_dir_that_is_a_file_is_reported_at_its_option(tmp_path):
    (tmp_path / "refs.bib").write_text("@book{a, title = {A}, year = {2020}}\n", encoding="utf-8")
    problems = Problems()
    library = load_library(str(tmp_path / "refs.bib"), str(tmp_path), problems,
                           option_place=lambda *path: ("mkdocs.yml", 7))
    assert not library.sources
    assert [str(problem) for problem in problems.found] == [
        "mkdocs.yml:7: extra.microsite.bib_dir: refs.bib is a file, not a folder. Name the folder that holds "
        "the .bib files, relative to mkdocs.yml (default `bib`)"]
    assert load_library(str(tmp_path / "nowhere"), str(tmp_path), Problems()).sources == {}


@pytest.mark.parametrize("value, problem", [
    ("2020-13-01", "there is no month 13"), ("2020-00", "there is no month 0"),
    ("2021-02-29", "February 2021 has 28 days"), ("2019-11-31T10:00:00", "November 2019 has 30 days"),
    ("2020-05/2021-13", "there is no month 13"), ("../2020-13", "there is no month 13"),
    ("2020-21-01", "there is no month 21"),
    ("10000-02-30", "February 10000 has 29 days"), ("-0001-02-29", "February -1 has 28 days"),   # beyond datetime
    ("0000-02-29", None),                                                                        # year 0 is leap
    # what biblatex reads (ISO 8601-2) is never judged wrong
    ("2020", None), ("2020-02-29", None), ("2020-21", None), ("2020?", None), ("2020-05-31~", None),
    ("199X", None), ("-0379~", None), ("unknown/2006", None), ("2004-06-01/..", None), ("1999-12/2000-01", None),
])
def test_biblatex_dates_that_name_no_real_day(value, problem):
    from microsite.model.bib_dates import biblatex_date_problem

    assert biblatex_date_problem(value) == problem


# -- dates pandoc cannot show --------------------------------------------------------------
# Each value as `year` and as `date`: shown (True) or not (False) by pandoc, which formats
# every reference; test_date_readability_is_what_pandoc_shows renders them all.
DATE_VALUES = {
    "2020": (True, True), "20": (True, False), "-50": (True, False), "12345": (True, False), "0": (False, False),
    "2020?": (True, True), "2020~": (True, True), "2020%": (True, True), "2020-05": (True, True),
    "2020-05-01": (True, True), "2020-05-01T10:00": (True, True), "2020-05-01T10:00:00+01:00": (True, True),
    "2020-05-01T10:00-0500": (True, True), "+2020": (False, False), "2020-21": (True, True), "-0050": (True, True),
    "2020/2021": (True, True), "2020-03/2021": (True, True), "2020?/2021": (True, True), "2020/": (True, True),
    "/2020": (True, True), "forthcoming": (True, False), "Forthcoming": (False, False), "in press": (False, False),
    "2020a": (False, False), "c. 2020": (False, False), "2020--2021": (False, False), "1999-2000": (False, False),
    "2020.": (False, False), "19XX": (False, False), "../2020": (False, False), "2020/..": (False, False),
    "2020-5": (False, False), "yesterday": (False, False), "May 2020": (False, False), "Y-12000": (False, False),
    "0000": (False, False),
}


def test_date_problems_say_what_readers_see_and_what_to_write():
    from microsite.model.bib_dates import DATE_HINT, PUBLICATION_HINT, date_problem

    problem = date_problem("year", "2020a")
    assert (problem.what, problem.consequence, problem.hint) == (
        "`year = {2020a}` is not a date pandoc can read", "the references show 'n.d.' instead", PUBLICATION_HINT)
    problem = date_problem("urldate", "yesterday")
    assert (problem.what, problem.consequence, problem.hint) == (
        "`urldate = {yesterday}` is not a date pandoc can read", "the references show no access date", DATE_HINT)
    problem = date_problem("date", "2021/2019")
    assert (problem.what, problem.consequence) == ("`date = {2021/2019}` ends before it begins", "")
    assert date_problem("date", "2021-05/2021-03").what.endswith("ends before it begins")
    for fine in ("2019/2021", "2021-03/2021", "2021/2021-03", "n.d.", "N.D.", "-0100/0050"):
        assert date_problem("date", fine) is None, fine
    assert date_problem("year", "n.d.") is None and date_problem("year", "forthcoming") is None
    assert date_problem("date", "2020-13").what == "`date = {2020-13}` is not a real date: there is no month 13"
    assert date_problem("date", "c. 2020", fallback="year").consequence == "the references show the `year` instead"


def test_date_readability_is_what_pandoc_shows(tmp_path):
    """The oracle for bib_dates: every value above, rendered by the build, shows a date
    exactly when date_problem finds nothing unreadable in it."""
    from microsite.model.bib_dates import date_problem

    entries, page = [], []
    for number, value in enumerate(DATE_VALUES):
        for name in ("year", "date"):
            key = f"{name}{number}"
            entries.append(f"@book{{{key},\n  author = {{Doe, {key}}},\n  title = {{Title {key}}},\n"
                           f"  publisher = {{P}},\n  {name} = {{{value}}}\n}}\n")
            page.append(f"[@{key}]")
        entries.append(f"@online{{url{number},\n  author = {{Doe, url{number}}},\n  title = {{Title url{number}}},\n"
                       f"  url = {{https://example.org/{number}}},\n  urldate = {{{value}}}\n}}\n")
        page.append(f"[@url{number}]")
    # With both `year` and `date`, pandoc shows the readable one (what the message says).
    entries.append("@book{both0,\n  author = {Doe, both0},\n  title = {Title both0},\n  publisher = {P},\n"
                   "  year = {2019},\n  date = {c. 2020}\n}\n")
    entries.append("@book{both1,\n  author = {Doe, both1},\n  title = {Title both1},\n  publisher = {P},\n"
                   "  year = {2020a},\n  date = {2021}\n}\n")
    page += ["[@both0]", "[@both1]"]
    project = prepare("basic", tmp_path, files={"bib/dates.bib": "".join(entries),
                                                "docs/dates.md": "# Dates\n\n" + " ".join(page) + "\n"})
    built = build_project(project, strict=False)
    from bs4 import BeautifulSoup
    soup = BeautifulSoup((built.site / "dates/index.html").read_text(encoding="utf-8"), "lxml")
    shown = {}
    for item in soup.select("ul.mx-references li"):
        text = " ".join(item.get_text(" ").split())
        key, date = re.match(r"Doe, (\w+) \. (.*?)“?Title ", text).groups()     # "Doe, year4 . 20 AD. Title …"
        date = date.strip(" .")
        shown[key] = ("Accessed" in text) if key.startswith("url") else date not in ("", "n.d")
        if key.startswith("both"):
            shown[key] = date
    assert (shown["both0"], shown["both1"]) == ("2019", "2021")
    messages = "\n".join(built.warnings)
    assert "`date = {c. 2020}` is not a date pandoc can read (in entry 'both0'); the references show the `year` " \
           "instead" in messages
    assert "`year = {2020a}` is not a date pandoc can read (in entry 'both1'); the references show the `date` " \
           "instead" in messages
    for number, (value, expected) in enumerate(DATE_VALUES.items()):
        for name, seen in zip(("year", "date"), expected):
            assert shown[f"{name}{number}"] == seen, (name, value)
            unreadable = date_problem(name, value)
            assert (unreadable is not None and "pandoc can read" in unreadable.what) == (not seen), (name, value)
        problem = date_problem("urldate", value)
        assert shown[f"url{number}"] == (problem is None or "pandoc can read" not in problem.what), ("urldate", value)
