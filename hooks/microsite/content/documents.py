"""The authored Markdown documents of a site and the content contract they follow.

Contract (README, "Writing content"):
- docs/articles/*.md and docs/briefs/*.md: front matter `title`, `authors` (list),
  optional `date` (ISO 8601), `summary` (one paragraph);
- docs/glossary/<slug>.md: one glossary entry per file (see microsite.model.terms).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

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
    """Read every authored Markdown page once; check the contract of articles and briefs."""
    documents: dict[str, Document] = {}
    for file in files.documentation_pages():
        if file.generated_by or not file.abs_src_path:
            continue
        path = os.path.relpath(file.abs_src_path, project_dir).replace(os.sep, "/")
        text = file.content_string
        try:
            front = parse_front_matter(text)
        except FrontMatterError as error:
            problems.report(path, error.line, str(error), "Fix the YAML between the two '---' lines.")
            front = FrontMatter(body=text)
        document = Document(file.src_uri, path, kind_of(file.src_uri), text, front)
        if document.kind in (ARTICLE, BRIEF):
            check_article_contract(document, problems)
        documents[file.src_uri] = document
    return documents


def check_article_contract(doc: Document, problems: Problems) -> None:
    meta, front = doc.meta, doc.front
    what = "an article" if doc.kind == ARTICLE else "a brief"

    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.report(doc.path, front.line_of("title"), f"{what} needs a `title` in its front matter",
                        "Add a line `title: The title of the piece`.")

    authors = meta.get("authors")
    if not isinstance(authors, list) or not authors:
        problems.report(doc.path, front.line_of("authors"), f"{what} needs `authors`, a list of names",
                        "Write `authors: [First Author, Second Author]`, even for a single author.")
    else:
        for index, author in enumerate(authors):
            if not isinstance(author, str) or not author.strip():
                problems.report(doc.path, front.line_of("authors", index),
                                f"author #{index + 1} is not a name", "Write each author as plain text.")

    if "date" in meta and not _is_iso_date(meta["date"]):
        problems.report(doc.path, front.line_of("date"), f"`date: {meta['date']}` is not an ISO date",
                        "Write the date as YYYY-MM-DD, e.g. `date: 2020-11-05`.")

    summary = meta.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        problems.report(doc.path, front.line_of("summary"), f"{what} needs a `summary` (one paragraph)",
                        "Add `summary: >` followed by an indented paragraph.")
    elif "\n\n" in summary.strip():
        problems.report(doc.path, front.line_of("summary"), "`summary` must be a single paragraph",
                        "Remove the blank lines inside the summary.")


def _is_iso_date(value) -> bool:
    if isinstance(value, dt.date):
        return True
    try:
        dt.date.fromisoformat(str(value))
        return True
    except ValueError:
        return False
