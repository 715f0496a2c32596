"""What an article or a brief shows under its title: authors, date and PDF link."""

from __future__ import annotations

import datetime as dt

from microsite.pages.markup import esc, md_text


def with_byline(markdown: str, meta: dict, pdf_href: str | None) -> str:
    """The page's Markdown with a byline after its title (adding the title from the front matter)."""
    parts = []
    authors = [a for a in meta.get("authors") or [] if isinstance(a, str)]
    if authors:
        names = authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + " and " + authors[-1]
        parts.append(f"By {esc(names)}")
    date = _date(meta.get("date"))
    if date:
        parts.append(f'<time datetime="{date.isoformat()}">{date.day} {date:%B %Y}</time>')
    if pdf_href:
        parts.append(f'<a class="mx-pdf" href="{esc(pdf_href)}" download>PDF</a>')
    if not parts:
        return markdown
    byline = f'<p class="mx-byline">{" · ".join(parts)}</p>\n\n'
    title = meta.get("title")
    if isinstance(title, str) and not markdown.lstrip().startswith("# "):
        return f"# {md_text(title)}\n\n{byline}{markdown}"
    head, newline, rest = markdown.lstrip().partition("\n")
    return f"{head}\n\n{byline}{rest}"


def _date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
