"""What the Markdown extension knows about the page being converted, and what it records."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element


@dataclass
class Occurrence:
    name: str                   # a source key, or a glossary slug
    heading: Element | None     # nearest heading above (its id is known after conversion)


@dataclass
class Appendix:
    """Sections the page scan appends after the page's own text."""

    see_also: list = field(default_factory=list)        # glossary terms
    mentioned_in: str = ""                              # a late-filled marker


@dataclass
class PageContext:
    src_uri: str
    path: str                   # for messages, relative to mkdocs.yml
    url: str                    # the page's URL, for relative links
    raw: str                    # the whole source file, for line numbers
    body_offset: int = 0        # characters before the Markdown body (front matter)
    own_term: str | None = None # the glossary slug of this page, if it is an entry
    link_terms: bool = True
    references_title: str = "References"
    citations: list[Occurrence] = field(default_factory=list)
    mentions: list[Occurrence] = field(default_factory=list)
    cited_keys: list[str] = field(default_factory=list)      # first-cited order, unique
    _cursor: int = 0

    def line_of(self, snippet: str) -> int | None:
        """The file line of the next occurrence of `snippet` (citations are met in order)."""
        index = self.raw.find(snippet, self._cursor)
        if index < 0:
            index = self.raw.find(snippet)
        if index < 0:
            return None
        self._cursor = index + len(snippet)
        return self.raw.count("\n", 0, index) + 1

    def cite(self, key: str) -> None:
        if key not in self.cited_keys:
            self.cited_keys.append(key)
