"""The generated downloads page: the offline edition, the PDFs and the bibliography files."""

from __future__ import annotations

import os

from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils import get_relative_url

from microsite.content.documents import ARTICLE, BRIEF
from microsite.pages import bibliography
from microsite.pages.markup import esc, front_matter, human_size
from microsite.pages.placeholders import marker

INDEX = "downloads/index.md"


def add_page(config, files, build) -> File:
    content = front_matter(title="Downloads", description="The offline edition, PDFs and the bibliography.") \
        + marker("download", "page") + "\n"
    file = File.generated(config, INDEX, content=content, inclusion=InclusionLevel.NOT_IN_NAV)
    files.append(file)
    return file


def late_section(ident: str, page, build) -> str:
    publisher = build.publisher
    parts = []
    link = lambda uri: esc(get_relative_url(uri, page.url))  # noqa: E731
    if publisher.offline_edition:
        parts.append("<h2 id=\"offline-edition\">Offline edition</h2>"
                     "<p>You are reading the offline edition: this folder works without a network connection.")
        if build.config.site_url:
            parts.append(f' The online edition is at <a href="{esc(build.config.site_url)}">'
                         f'{esc(build.config.site_url)}</a>.')
        parts.append("</p>")
    elif publisher.manifest:
        size = human_size(publisher.manifest["size"])
        parts.append(
            '<h2 id="offline-edition">Offline edition</h2>'
            f'<p><a class="md-button md-button--primary" href="{link(publisher.zip_uri())}" download>'
            f'Download the offline edition ({size}, zip)</a></p>'
            "<p>Unzip it anywhere and open <code>index.html</code> in a browser: navigation, search, the glossary "
            "and the bibliography work from the folder, with no network connection.</p>")
    else:
        parts.append('<h2 id="offline-edition">Offline edition</h2>'
                     "<p>The offline edition is made by the site's full build (<code>make site</code>); "
                     "this preview does not include it.</p>")

    documents = [doc for doc in build.documents.values() if doc.kind in (ARTICLE, BRIEF)]
    if publisher.makes_pdfs() and documents:
        made = set(publisher.manifest["pdfs"]) if publisher.manifest else None
        items = []
        for doc in sorted(documents, key=lambda d: (d.kind != ARTICLE, str(d.meta.get("title", "")))):
            path = publisher.pdf_path(doc.src_uri)
            if made is not None and path not in made:
                continue
            size = ""
            if publisher.manifest:
                full = os.path.join(publisher.output_dir, "site", path)
                if os.path.exists(full):
                    size = f" ({human_size(os.path.getsize(full))})"
            items.append(f'<li><a href="{link(path)}" download>{esc(str(doc.meta.get("title", doc.src_uri)))}</a>'
                         f"{size}</li>")
        parts.append('<h2 id="pdf">PDF</h2><ul>' + "".join(items) + "</ul>")

    if build.listed:
        parts.append(
            '<h2 id="bibliography">Bibliography</h2>'
            f'<p>All {len(build.listed)} sources: '
            f'<a href="{link(build.bibliography.files[bibliography.ALL_BIBTEX].url)}" download>BibTeX</a> · '
            f'<a href="{link(build.bibliography.files[bibliography.ALL_RIS].url)}" download>RIS</a>.</p>')
    return "\n".join(parts)
