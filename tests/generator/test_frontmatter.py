"""Front matter and Markdown files as authors really write them: each mistake is one
located message with a fix, never a traceback, and the strict build fails (issue #11)."""

from __future__ import annotations

import datetime

import pytest

from conftest import build_project, prepare
from microsite.content.frontmatter import FrontMatterError, parse_front_matter

ROOT = "untrusted-frontmatter"


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    result = {}
    for strict in (False, True):
        project = prepare(ROOT, tmp_path_factory.mktemp("strict" if strict else "lenient"))
        (project / "docs/articles/latin1.md").write_bytes("---\ntitle: Caf\xe9\n---\n\nText.\n".encode("latin-1"))
        before = {path: path.read_bytes() for path in project.rglob("*") if path.is_file()}
        result[strict] = build_project(project, strict=strict)
        after = {path: path.read_bytes() for path in project.rglob("*")
                 if path.is_file() and "site" not in path.relative_to(project).parts}
        assert after == before, "a build changed a source file"
    return result


EXPECTED = [
    "docs/articles/impossible-date.md:4: `date: 2020-13-45` is not a real date (month must be in 1..12). Write the "
    "date as YYYY-MM-DD, e.g. `date: 2020-11-05`.",
    "docs/articles/latin1.md: the file is not UTF-8 text (byte 0xE9 at line 2); the page is left out of the site. "
    "Save it as UTF-8 in your editor (its encoding setting, e.g. \"Save with encoding\").",
    "docs/articles/unclosed.md:1: the front matter that starts on line 1 has no closing `---` line. End it with a "
    "line `---` before the text of the page.",
    "docs/articles/wrong-types.md:2: `title` must be text, not a number (2020). Put it in quotes: `title: \"2020\"`.",
    "docs/articles/wrong-types.md:3: `authors` must be a list of names, not a number (5). Write `authors: [First "
    "Author, Second Author]`, even for a single author.",
    "docs/articles/wrong-types.md:4: `summary` must be text (one paragraph), not a list. Write `summary: >` "
    "followed by an indented paragraph.",
    "docs/briefs/not-a-mapping.md:2: front matter must be a mapping of `key: value` lines. Write one `key: value` "
    "per line, e.g. `title: My title`.",
    "docs/briefs/repeated.md:5: `title` is written twice in the front matter (first on line 2); only this one is "
    "used. Keep one of them.",
    "docs/briefs/repeated.md:6: `date: 2020-02-30` is not a real date (day is out of range for month). Write the "
    "date as YYYY-MM-DD, e.g. `date: 2020-11-05`.",
]


def test_each_mistake_is_one_located_message(builds):
    # exactly these messages: one per mistake, no "missing field" echoes of an unreadable block
    assert sorted(builds[False].warnings) == sorted(EXPECTED)
    assert builds[False].ok
    assert not builds[True].ok
    assert sorted(w for w in builds[True].warnings if not w.startswith("ABORT")) == sorted(EXPECTED)


def test_a_file_that_is_not_utf8_is_left_out_and_the_rest_is_built(builds):
    site = builds[False].site
    assert not (site / "articles/latin1").exists()
    assert (site / "articles/good/index.html").is_file()
    assert builds[False].article("articles/good/").h1.get_text(strip=True).startswith("A Correct Article")


@pytest.mark.parametrize("text, data", [
    ("---\ntitle: A\ndate: 2020-13-45\n---\nbody", {"title": "A", "date": "2020-13-45"}),
    ("---\ntitle: A\ndate: 2020-11-05\n---\nbody", {"title": "A", "date": datetime.date(2020, 11, 5)}),
    ("---\n\nA page that starts with a rule", {}),
    ("No front matter", {}),
    # Text above a rule is a page, not front matter without its opening line: not `key: value`
    # lines, or not keys any front matter has.
    ("Note: a remark.\n\nMore text.\n\n---\n\nAfter the rule.", {}),
    ("Summary: what follows.\n---\n", {}),
    ("# A heading\n\n---\n", {}),
])
def test_front_matter_values(text, data):
    assert parse_front_matter(text).data == data


@pytest.mark.parametrize("text, line, message", [
    ("---\ntitle: A\nauthors: [x]\n\nBody", 1, "the front matter that starts on line 1 has no closing `---` line"),
    ("---\n# a comment first\ntitle: A\n", 1, "the front matter that starts on line 1 has no closing `---` line"),
    ("---\ntitle: A\n---", 3, "the front matter's closing `---` is the last line of the file, with no line break "
                              "after it, so MkDocs does not read the block"),
    # YAML notices an unclosed bracket where the block ends: the mistake is where it opens.
    ("---\ntitle: [A\n---\n", 2, "front matter is not valid YAML (the [ opened on this line is never closed)"),
    ("---\nkeywords: {a: 1\nsummary: s\n---\n", 2,
     "front matter is not valid YAML (the { opened on this line is never closed)"),
    ("---\nsummary: s\ntitle: \"Who: Decides?\nauthors: [A]\n---\n", 3,
     "front matter is not valid YAML (the quoted text that starts on this line is never closed)"),
    ("---\na: !!python/object:os.system x\n---\n", 2,
     "front matter is not valid YAML (could not determine a constructor for the tag "
     "'tag:yaml.org,2002:python/object:os.system')"),
    ("---\n- a\n---\n", 2, "front matter must be a mapping of `key: value` lines"),
    ("\ntitle: A\nsummary: s\n...\nbody", 1, "the front matter must start with a `---` line: the `key: value` lines "
                                          "that end with the `...` on line 4 have none above them, so MkDocs shows "
                                          "them as text"),
])
def test_front_matter_errors_have_a_line(text, line, message):
    with pytest.raises(FrontMatterError) as raised:
        parse_front_matter(text)
    assert (raised.value.line, str(raised.value)) == (line, message)


def test_keys_yaml_reads_as_other_values_keep_their_written_name():
    front = parse_front_matter("---\nnull: 1\nyes: 2\n012: 3\ntitle: A\n---\n")
    assert [front.key_name(key) for key in front.data] == ["null", "yes", "012", "title"]
    assert [front.line_of(front.key_name(key)) for key in front.data] == [2, 3, 4, 5]


def test_repeated_keys_are_recorded_with_both_lines():
    front = parse_front_matter("---\ntitle: A\nsummary: s\ntitle: B\n---\n")
    assert front.data["title"] == "B"
    assert front.repeated == [("title", 2, 4)]
    assert front.line_of("title") == 4          # messages about the title point at the one used


def test_yaml_that_cannot_be_constructed_is_located():
    with pytest.raises(FrontMatterError) as raised:
        parse_front_matter("---\ntitle: A\ncount: !!int 0x\n---\n")
    assert (raised.value.line, str(raised.value)) == (2, "front matter cannot be read (invalid literal for int() "
                                                         "with base 16: '')")


def test_a_page_that_cannot_be_read_is_named_and_left_out(tmp_path):
    """(A link to nothing: content/symlinks.py names it as one, before the page is read.)"""
    project = prepare(ROOT, tmp_path)
    (project / "docs/articles/gone.md").symlink_to("nowhere.md")
    built = build_project(project, strict=False)
    assert "docs/articles/gone.md: a symbolic link to nowhere.md, which does not exist: it is left out of the " \
           "site. Correct the link, or remove it." in built.warnings
    assert (built.site / "articles/good/index.html").is_file()
