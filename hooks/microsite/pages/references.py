"""The HTML of citations and reference lists, written once the references are
formatted (formatting runs beside page rendering; see state.Build.on_env)."""

from __future__ import annotations

from typing import Callable

from microsite.model.bibtex_backend import Formatted
from microsite.model.citations import CitationItem
from microsite.model.sources import Library, Source
from microsite.pages.markup import esc


def cluster_html(items: tuple[CitationItem, ...], library: Library, formatted: dict[str, Formatted]) -> str:
    """`[see @a, p. 5; @b]` as "(see <a>A 2020, 5</a>; <a>B 2019</a>)" in Chicago author-date."""
    parts = []
    for index, item in enumerate(items):
        source = library.get(item.key)
        reference = formatted.get(item.key)
        label = reference.label_text if reference else item.key
        if item.suppress_author:
            label = label.rsplit(" ", 1)[-1]
        locator = item.locator_text()
        text = f"{label}, {locator}" if locator else label
        title = reference.reference_text if reference else item.key
        part = ("; " if index else "") + (esc(item.prefix) + " " if item.prefix else "")
        part += f'<a class="citation__ref" href="#ref-{esc(source.slug)}" title="{esc(title)}">{esc(text)}</a>'
        if item.suffix:
            part += ("" if item.suffix[:1] in ",;:." else " ") + esc(item.suffix)
        parts.append(part)
    return "(" + "".join(parts) + ")"


def references_html(sources: list[Source], formatted: dict[str, Formatted],
                    details_href: Callable[[Source], str]) -> str:
    """A page's references, sorted as Chicago sorts them (by the reference's text)."""
    listed = sorted((s for s in sources if s.key in formatted),
                    key=lambda s: (formatted[s.key].reference_text.casefold(), s.key))
    items = [
        f'<li id="ref-{esc(source.slug)}">{formatted[source.key].reference_html} '
        f'<a class="mx-references__details" href="{esc(details_href(source))}" '
        f'title="About this source: its fields, where the site cites it, BibTeX and RIS">Source details</a></li>'
        for source in listed
    ]
    return '<ul class="mx-references">\n' + "\n".join(items) + "\n</ul>"
