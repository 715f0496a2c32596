"""Which front-matter keys an article or brief may have, and suggestions for the others."""

from __future__ import annotations

import difflib

# Keys MkDocs and Material for MkDocs read from a page's front matter (MkDocs
# "Writing your docs: Meta-Data"; Material "Reference: Usage" and its templates
# and plugins: search, social, tags, comments, status, subtitle, icon, hide).
THEME_KEYS = frozenset({
    "title", "description", "template", "hide", "search", "tags", "icon", "status", "subtitle",
    "comments", "social", "author",
})
# The generator's own keys for articles and briefs.
WORK_KEYS = frozenset({
    "title", "authors", "date", "updated", "summary", "abstract", "doi", "license", "keywords",
    "report_number", "publisher", "institution", "language", "image",
})
AUTHOR_KEYS = frozenset({"name", "given", "family", "affiliation", "affiliations", "orcid", "email", "url",
                         "organisation", "organization"})
AUTHOR_ONLY = AUTHOR_KEYS - WORK_KEYS - THEME_KEYS


def check_keys(reader) -> None:
    """Report every key that is neither the theme's nor the generator's (`reader.report`)."""
    known = sorted(THEME_KEYS | WORK_KEYS)
    for key in reader.meta:
        key = reader.document.front.key_name(key)
        if key in THEME_KEYS or key in WORK_KEYS:
            continue
        if key in AUTHOR_ONLY:
            reader.report((key,), f"`{key}` belongs to an author, not to {reader.what}",
                          f"Write it under the author: `authors: [{{name: A. Author, {key}: ...}}]`")
            continue
        reader.report((key,), f"unknown front matter key `{key}`", did_you_mean(key, known, "the key"))


def did_you_mean(word: str, choices, what: str) -> str:
    close = difflib.get_close_matches(word.lower(), list(choices), n=1, cutoff=0.6)
    if close:
        return f"Did you mean `{close[0]}`?"
    return f"Remove it, or use one of: {', '.join(f'`{c}`' for c in sorted(choices))} ({what} is not read)"
