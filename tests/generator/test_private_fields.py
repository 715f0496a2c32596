"""Nothing of the owner's machine is published: private fields (file paths, reading notes,
ratings, bookkeeping, addresses into desktop applications) are left out of every
published form of a source — its page, its BibTeX and RIS, the whole-bibliography
downloads, the search index — including for a real 3,725-entry Zotero export (#11)."""

from __future__ import annotations

import re
import time

import pytest
import rispy
from pybtex.database import parse_string

from conftest import DATA, build_project, prepare
from microsite.model import exports
from microsite.model.privacy import DEFAULT_PRIVATE_FIELDS, PrivacyRules
from microsite.model.sources import load_library, slug_for
from microsite.problems import Problems
from microsite.settings import MicrositeSettings

# What the owner's data looks like in these bib files: none of it may appear in site/.
OWNER_TRACES = ["/Users/", "file:", "papers3:", "~/", "local-url", "date-added", "date-modified",
                "Dropbox", "BBTTEST", "mendeley", "My private note", "Library.papers3"]
# The theme's scripts (Material's and our worker shim) mention `file:` (location.protocol)
# and `~/` (source maps); no content is ever written under assets/.
THEME_ASSETS = ("assets/",)

PRIVATE_BIB = """@article{private2020,
  author = {Private, Pat},
  title = {An Article with an Owner's Fields},
  journal = {Journal},
  year = {2020},
  file = {~/Papers/private2020.pdf},
  local-url = {file://localhost/Users/owner/Dropbox/private2020.pdf},
  uri = {papers3://publication/uuid/0000},
  rating = {5},
  read = {Yes},
  date-added = {2017-11-16T14:45:04GMT},
  date-modified = {2019-01-31T14:14:12GMT},
  mendeley-groups = {Thesis},
  annote = {My private note},
  note = {See \\url{file:///Users/owner/notes.txt}},
  keywords = {to-read},
  url = {https://example.org/private2020},
  doi = {10.1234/private.2020}
}
"""


def traces(site, ignore_theme: bool = True) -> list[str]:
    found = []
    for path in site.rglob("*"):
        relative = path.relative_to(site).as_posix()
        if not path.is_file() or (ignore_theme and relative.startswith(THEME_ASSETS)):
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        found += [f"{relative}: {trace}" for trace in OWNER_TRACES if trace in text]
    return found


def test_private_fields_leave_no_trace_in_the_site(tmp_path):
    project = prepare("basic", tmp_path, settings={"bibliography_include": "all"},
                      files={"bib/private.bib": PRIVATE_BIB})
    built = build_project(project, strict=False)
    assert built.ok
    assert traces(built.site) == []
    assert (built.site / "search/search_index.json").is_file()
    # what is public stays: the page, its downloads, the links
    page = built.page("bibliography/private2020/")
    fields = {row.th.get_text(): row.td.get_text() for row in page.select("table.mx-source__fields tr")}
    assert fields["URL"] == "https://example.org/private2020" and fields["DOI"] == "10.1234/private.2020"
    record = parse_string((built.site / "bibliography/private2020/private2020.bib").read_text(), "bibtex")
    assert sorted(record.entries["private2020"].fields) == ["doi", "journal", "keywords", "title", "url", "year"]
    ris = rispy.loads((built.site / "bibliography/private2020/private2020.ris").read_text())
    assert ris[0]["urls"] == ["https://example.org/private2020"] and ris[0]["doi"] == "10.1234/private.2020"
    assert ("bib/private.bib: 10 private field(s) left out of everything published (annote, date-added, "
            "date-modified, file, local-url, mendeley-groups, note, rating, read, uri); see the private_fields "
            "option") in built.messages


def load(tmp_path, bib: str, rules=PrivacyRules()):
    (tmp_path / "bib").mkdir(exist_ok=True)
    (tmp_path / "bib" / "p.bib").write_text(bib, encoding="utf-8")
    problems = Problems()
    return load_library(str(tmp_path / "bib"), str(tmp_path), problems, None, privacy=rules), problems


def test_private_fields_are_out_of_every_form_of_a_source(tmp_path):
    library, problems = load(tmp_path, PRIVATE_BIB)
    source = library.sources["private2020"]
    published = [source.record, exports.bibtex([source]), exports.ris([source]), repr(source.fields),
                 repr(source.links)] + [source.html(name) for name in ("title", "note", "file")]
    for text in published:
        for trace in OWNER_TRACES:
            assert trace not in text, (trace, text)
    assert problems.found == []


def test_a_public_note_goes_into_the_ris_export_as_n1(tmp_path):
    """`note` is public (the source page's Details show it): a reference manager importing the RIS
    gets it too, e.g. who supplied an entry's details; private reading notes (`annote`) never."""
    library, problems = load(tmp_path, "@report{nds2018,\n  title = {Summary},\n  year = {2018},\n"
                                       "  note = {Title supplied by the {site} editors},\n"
                                       "  annote = {my reading notes},\n}\n")
    (record,) = rispy.loads(exports.ris([library.sources["nds2018"]]))
    assert record["notes"] == ["Title supplied by the site editors"]
    assert "my reading notes" not in exports.ris([library.sources["nds2018"]])
    assert problems.found == []


def test_inherited_private_fields_stay_private(tmp_path):
    library, _ = load(tmp_path, """@collection{parent, title = {P}, year = {2020}, publisher = {X},
  file = {~/parent.pdf}, rating = {3}}
@incollection{child, author = {C, C}, title = {C}, crossref = {parent}}
""")
    assert "file" not in library.sources["child"].fields and "rating" not in library.sources["child"].fields
    assert library.sources["child"].fields["booktitle"] == "P"


def test_the_option_extends_and_narrows_the_list(tmp_path):
    settings = MicrositeSettings()
    settings.load_dict({"private_fields": {"add": ["keywords"], "keep": ["annote"]}})
    assert settings.validate() == ([], [])
    rules = PrivacyRules.from_option(settings.private_fields.add, settings.private_fields.keep)
    library, problems = load(tmp_path, PRIVATE_BIB, rules)
    fields = library.sources["private2020"].fields
    assert "keywords" not in fields and fields["annote"] == "My private note"
    assert "file" not in fields and "local-url" not in fields
    assert problems.found == []


def test_keeping_a_field_that_is_not_private_is_reported(tmp_path):
    _, problems = load(tmp_path, PRIVATE_BIB, PrivacyRules.from_option(keep=["anote"]))
    assert [str(problem) for problem in problems.found] == [
        "mkdocs.yml: extra.microsite.private_fields.keep: 'anote' is not a private field by default, so keeping "
        "it changes nothing. List only names from the default list (README, 'Private fields'); check the spelling."]


def test_the_default_list_covers_the_issue():
    rules = PrivacyRules()
    for name in ("file", "local-url", "annote", "annotation", "rating", "read", "date-added", "date-modified",
                 "owner", "timestamp", "mendeley-tags", "groups"):
        assert rules.is_private_name(name), name
    assert "mendeley-*" in DEFAULT_PRIVATE_FIELDS


# -- a real reference library ----------------------------------------------------------------

@pytest.fixture(scope="module")
def zotero(tmp_path_factory):
    bib = (DATA / "zotero-bbt-export-3725.bib").read_text(encoding="utf-8")
    project = prepare("zotero-export", tmp_path_factory.mktemp("zotero"), files={"bib/library.bib": bib})
    started = time.perf_counter()
    built = build_project(project, strict=False)
    seconds = time.perf_counter() - started
    print(f"\nzotero-bbt-export-3725.bib, bibliography_include: all: built in {seconds:.1f} s "
          f"({len(built.warnings)} located messages)")
    return built, bib


def test_a_real_export_every_entry_is_a_page_or_a_located_message(zotero):
    built, bib = zotero
    keys = [m.group(1) for m in re.finditer(r"^@\w+\{([^,\s]+),", bib, re.MULTILINE)]
    assert len(keys) == 3725
    located = "\n".join(w for w in built.warnings if re.match(r"bib/library\.bib:\d+: ", w))
    without_page = [key for key in keys if not (built.site / "bibliography" / slug_for(key) / "index.html").is_file()]
    assert len(without_page) == 23                       # the entries with an unbalanced brace
    for key in without_page:
        assert f"(in entry '{key}' starting on line " in located, key
    # keys a reference manager wrote with trailing punctuation are citable (braced)
    article = built.article("articles/cites/")
    assert not article.select("span.citation--unresolved")


def test_a_real_export_publishes_nothing_of_the_owner(zotero):
    built, _ = zotero
    assert traces(built.site) == []
    bibtex = (built.site / "bibliography/bibliography.bib").read_text(encoding="utf-8")
    assert len(parse_string(bibtex, "bibtex").entries) == 3702
