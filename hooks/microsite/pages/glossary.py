"""The generated glossary index (glossary/) and the sections added to each entry's page."""

from __future__ import annotations

from mkdocs.structure.files import File

from microsite.markdown.context import Appendix
from microsite.model.terms import Glossary, Term
from microsite.pages.markup import front_matter, md_text
from microsite.pages.placeholders import marker

INDEX = "glossary/index.md"


def add_index(config, files, glossary: Glossary) -> File:
    file = File.generated(config, INDEX, content=index_markdown(glossary))
    files.append(file)
    return file


def index_markdown(glossary: Glossary) -> str:
    by_letter: dict[str, list[Term]] = {}
    for term in glossary.terms.values():
        letter = term.term[:1].upper()
        by_letter.setdefault(letter if letter.isalpha() else "#", []).append(term)
    letters = sorted(by_letter)
    jump = " · ".join(f"[{letter}](#{_anchor(letter)})" for letter in letters)
    parts = [
        front_matter(title="Glossary", description="Terms and acronyms used on this site, with short definitions."),
        f"{len(glossary.terms)} terms, A–Z. Each term is linked where it first appears on a page; "
        "hover over or focus a linked term for its definition.\n",
        f"{jump}\n",
    ]
    for letter in letters:
        parts.append(f"## {letter if letter != '#' else 'Other'}\n")
        for term in by_letter[letter]:
            parts.append(f"- [{md_text(term.title)}]({term.slug}.md): {md_text(term.summary)}")
        parts.append("")
    return "\n".join(parts) + "\n"


def _anchor(letter: str) -> str:
    return letter.lower() if letter != "#" else "other"


def entry_appendix(term: Term, glossary: Glossary) -> Appendix:
    """See also (resolved links) and a late-filled Mentioned in, for an entry's page."""
    related = [glossary.terms[slug] for slug in term.see_also if slug in glossary.terms]
    return Appendix(see_also=related, mentioned_in=marker("mentioned-in", term.slug))


def entry_heading(term: Term) -> str:
    return f"# {md_text(term.title)}\n\n"
