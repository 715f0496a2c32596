"""The authored Markdown documents of a site and the content contract they follow.

Contract (README, "Writing content"; notes/scholarly.md):
- docs/articles/*.md and docs/briefs/*.md: front matter `title`, `authors` (list of
  names or author mappings), optional `date` (ISO 8601), `summary` (one paragraph),
  and the optional academic fields `scholarly.work` reads;
- docs/glossary/<slug>.md: one glossary entry per file (see microsite.model.terms).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from microsite.content.encoding import decode_utf8, without_control_characters
from microsite.content.frontmatter import FrontMatter, FrontMatterError, parse_front_matter
from microsite.problems import Problems
from microsite.scholarly.site import SiteInfo
from microsite.scholarly.work import read_work

ARTICLE, BRIEF, GLOSSARY_ENTRY, PAGE = "article", "brief", "glossary-entry", "page"
ARTICLES_DIR, BRIEFS_DIR, GLOSSARY_DIR = "articles", "briefs", "glossary"


@dataclass
class Document:
    src_uri: str        # inside docs/, e.g. "articles/a.md"
    path: str           # for messages, relative to mkdocs.yml, e.g. "docs/articles/a.md"
    kind: str
    text: str           # the whole file, front matter included
    front: FrontMatter
    cleaned: bool = False    # text differs from what MkDocs would read (control characters left out)
    readable: bool = True    # its front matter could be read (else it is reported already)

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
        clean = without_control_characters(text, path, problems)
        text, cleaned = clean, clean != text
        readable = True
        try:
            front = parse_front_matter(text)
        except FrontMatterError as error:
            problems.report(path, error.line, str(error), error.hint)
            front, readable = FrontMatter(body=text), False
        for key, first, later in front.repeated:
            problems.report(path, later, f"`{key}` is written twice in the front matter (first on line {first}); "
                                         "only this one is used", "Keep one of them.")
        document = Document(file.src_uri, path, kind_of(file.src_uri), text, front, cleaned=cleaned,
                            readable=readable)
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
    text = decode_utf8(data, path, problems, "the page is left out of the site")
    # Line ends as MkDocs reads them (text mode: \r\n and a lone \r are \n), so that lines
    # are counted alike and a file saved with old Mac line ends has its front matter read.
    return text.replace("\r\n", "\n").replace("\r", "\n") if text is not None else None


def check_article_contract(doc: Document, problems: Problems) -> None:
    """Title, authors (names or mappings with affiliations, ORCID ...), dates, summary and
    the academic fields: one check, `scholarly.work.read_work`, which the scholarly
    feature runs again (silently) with the site's defaults to get the `Work`."""
    read_work(doc, doc.kind, SiteInfo(name=""), problems)
