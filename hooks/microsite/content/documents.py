"""The authored Markdown documents of a site and the content contract they follow.

Contract (README, "Writing content"):
- docs/articles/*.md and docs/briefs/*.md: front matter `title`, `authors` (list),
  optional `date` (ISO 8601), `summary` (one paragraph);
- docs/glossary/<slug>.md: one glossary entry per file (see microsite.model.terms).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass

from microsite.content.encoding import decode_utf8
from microsite.content.frontmatter import FrontMatter, FrontMatterError, parse_front_matter
from microsite.problems import Problems

ARTICLE, BRIEF, GLOSSARY_ENTRY, PAGE = "article", "brief", "glossary-entry", "page"
ARTICLES_DIR, BRIEFS_DIR, GLOSSARY_DIR = "articles", "briefs", "glossary"


@dataclass
class Document:
    src_uri: str        # inside docs/, e.g. "articles/a.md"
    path: str           # for messages, relative to mkdocs.yml, e.g. "docs/articles/a.md"
    kind: str
    text: str           # the whole file, front matter included
    front: FrontMatter

    @property
    def meta(self) -> dict:
        return self.front.data

    def release_text(self) -> None:
        """Drop the text once the page is rendered (a large site holds it twice otherwise)."""
        self.text = self.front.body = ""


def kind_of(src_uri: str) -> str:
    folder, _, name = src_uri.rpartition("/")
    if not name.endswith(".md") or name in ("index.md", "README.md"):
        return PAGE
    return {ARTICLES_DIR: ARTICLE, BRIEFS_DIR: BRIEF, GLOSSARY_DIR: GLOSSARY_ENTRY}.get(folder, PAGE)


def load_documents(files, project_dir: str, problems: Problems) -> dict[str, Document]:
    """Read every authored Markdown page once; check the contract of articles and briefs.

    A page that cannot be read as UTF-8 is reported and taken out of `files` (MkDocs
    would stop the build with a traceback reading it).
    """
    documents: dict[str, Document] = {}
    for file in list(files.documentation_pages()):
        if file.generated_by or not file.abs_src_path:
            continue
        path = os.path.relpath(file.abs_src_path, project_dir).replace(os.sep, "/")
        text = _read(file, path, problems)
        if text is None:
            files.remove(file)
            continue
        readable = True
        try:
            front = parse_front_matter(text)
        except FrontMatterError as error:
            problems.report(path, error.line, str(error), error.hint)
            front, readable = FrontMatter(body=text), False
        for key, first, later in front.repeated:
            problems.report(path, later, f"`{key}` is written twice in the front matter (first on line {first}); "
                                         "only this one is used", "Keep one of them.")
        document = Document(file.src_uri, path, kind_of(file.src_uri), text, front)
        if readable and document.kind in (ARTICLE, BRIEF):
            check_article_contract(document, problems)
        documents[file.src_uri] = document
    return documents


def _read(file, path: str, problems: Problems) -> str | None:
    try:
        data = file.content_bytes
    except OSError as error:
        problems.report(path, None, f"the file cannot be read ({error.strerror or error}); "
                                    "the page is left out of the site", "Check that it is a readable file.")
        return None
    return decode_utf8(data, path, problems, "the page is left out of the site")


def check_article_contract(doc: Document, problems: Problems) -> None:
    meta, front = doc.meta, doc.front
    what = "an article" if doc.kind == ARTICLE else "a brief"

    title = meta.get("title")
    if title is not None and not isinstance(title, str):
        problems.report(doc.path, front.line_of("title"), f"`title` must be text, not {_kind(title)}",
                        _as_text_hint("title", title))
    elif not isinstance(title, str) or not title.strip():
        problems.report(doc.path, front.line_of("title"), f"{what} needs a `title` in its front matter",
                        "Add a line `title: The title of the piece`.")

    authors = meta.get("authors")
    if authors is not None and not isinstance(authors, (list, str)):
        problems.report(doc.path, front.line_of("authors"), f"`authors` must be a list of names, not {_kind(authors)}",
                        "Write `authors: [First Author, Second Author]`, even for a single author.")
    elif not isinstance(authors, list) or not authors:
        problems.report(doc.path, front.line_of("authors"), f"{what} needs `authors`, a list of names",
                        "Write `authors: [First Author, Second Author]`, even for a single author.")
    else:
        for index, author in enumerate(authors):
            if not isinstance(author, str) or not author.strip():
                problems.report(doc.path, front.line_of("authors", index),
                                f"author #{index + 1} is not a name", "Write each author as plain text.")

    if "date" in meta:
        problem = _date_problem(meta["date"])
        if problem:
            problems.report(doc.path, front.line_of("date"), problem,
                            "Write the date as YYYY-MM-DD, e.g. `date: 2020-11-05`.")

    summary = meta.get("summary")
    if summary is not None and not isinstance(summary, str):
        problems.report(doc.path, front.line_of("summary"), f"`summary` must be text (one paragraph), "
                                                            f"not {_kind(summary)}",
                        "Write `summary: >` followed by an indented paragraph.")
    elif not isinstance(summary, str) or not summary.strip():
        problems.report(doc.path, front.line_of("summary"), f"{what} needs a `summary` (one paragraph)",
                        "Add `summary: >` followed by an indented paragraph.")
    elif "\n\n" in summary.strip():
        problems.report(doc.path, front.line_of("summary"), "`summary` must be a single paragraph",
                        "Remove the blank lines inside the summary.")


def _kind(value) -> str:
    """What YAML made of a value, in an author's words."""
    if isinstance(value, bool):
        return f"`{str(value).lower()}` (yes/no)"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"a date ({value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of `key: value` lines"
    return type(value).__name__


def _as_text_hint(key: str, value) -> str:
    if isinstance(value, (list, dict)):
        return f"Write it on one line: `{key}: The text`."
    return f'Put it in quotes: `{key}: "{value}"`.'


def _date_problem(value) -> str | None:
    if isinstance(value, dt.date):
        return None
    try:
        dt.date.fromisoformat(str(value))
        return None
    except ValueError as error:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
            return f"`date: {value}` is not a real date ({error})"
        return f"`date: {value}` is not an ISO date"
