"""Pandoc's citation syntax: `[@key]`, `[@key, p. 5]`, `[@a; @b]`, `[see @key, chap. 2]`,
and `[-@key]` (year only). A key starts with a letter, digit or underscore and may
contain internal punctuation (`:` `.` `/` `-` `#` `$` `%` `&` `+` `?` `<` `>` `~`),
so keys such as `westfahl:space` or `baez/article` work; a bib key outside
this form is reported where it is defined.

Only the bracketed forms are citations: a bare `@name` in prose, an e-mail
address or `[text with @name](url)` is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Pandoc: a key begins with a letter, digit or _, and may contain internal
# punctuation (:.#$%&-+?<>~/); trailing punctuation belongs to the text.
BARE_KEY = r"[\w](?:[\w]|[:.#$%&\-+?<>~/](?=[\w]))*"
_BARE_KEY_RE = re.compile(BARE_KEY + r"\Z")
_ITEM = re.compile(
    r"""\A(?P<prefix>.*?)                 # 'see', 'cf.' ...
        (?:(?<=\s)|(?<=\A))               # the @ starts a word
        (?P<suppress>-)?@
        (?P<key>""" + BARE_KEY + r""")
        (?P<rest>.*)\Z""",
    re.VERBOSE | re.DOTALL,
)

# Locator terms (CSL's), as authors write them; value: (canonical label, Chicago abbreviation or "" to omit).
LOCATOR_TERMS = {
    "p.": ("page", ""), "pp.": ("page", ""), "page": ("page", ""), "pages": ("page", ""),
    "chap.": ("chapter", "chap."), "chaps.": ("chapter", "chaps."), "chapter": ("chapter", "chap."),
    "chapters": ("chapter", "chaps."),
    "sec.": ("section", "sec."), "secs.": ("section", "secs."), "section": ("section", "sec."),
    "§": ("section", "§"), "§§": ("section", "§§"),
    "fig.": ("figure", "fig."), "figs.": ("figure", "figs."), "figure": ("figure", "fig."),
    "n.": ("note", "n."), "nn.": ("note", "nn."), "note": ("note", "n."), "notes": ("note", "nn."),
    "para.": ("paragraph", "para."), "paras.": ("paragraph", "paras."), "paragraph": ("paragraph", "para."),
    "vol.": ("volume", "vol."), "vols.": ("volume", "vols."), "volume": ("volume", "vol."),
    "bk.": ("book", "bk."), "pt.": ("part", "pt."), "part": ("part", "pt."),
    "col.": ("column", "col."), "l.": ("line", "l."), "ll.": ("line", "ll."), "line": ("line", "l."),
    "art.": ("article", "art."), "no.": ("issue", "no."), "app.": ("appendix", "app."),
    "table": ("table", "table"), "tab.": ("table", "table"),
}
_LOCATOR = re.compile(
    r"\A(?:(?P<term>" + "|".join(sorted((re.escape(t) for t in LOCATOR_TERMS), key=len, reverse=True))
    + r")\s*)?(?P<value>[0-9ivxlcdmIVXLCDM][0-9A-Za-z]*(?:\s*(?:[-–—]{1,2}|,|&|and)\s*[0-9ivxlcdmIVXLCDM][0-9A-Za-z]*)*)"
    r"(?P<after>.*)\Z",
    re.DOTALL,
)


@dataclass(frozen=True)
class CitationItem:
    key: str
    prefix: str = ""            # "see"
    label: str = ""             # canonical CSL label of the locator: "page", "chapter" ... ("" = none)
    locator: str = ""           # "5", "47-69"
    suffix: str = ""            # text after the locator
    suppress_author: bool = False
    term: str = ""              # the label as written, e.g. "chap."

    def locator_text(self) -> str:
        """The locator in Chicago author-date form: pages bare, other labels abbreviated."""
        if not self.locator:
            return ""
        value = re.sub(r"(?<=\w)\s*-{1,2}\s*(?=\w)", "–", self.locator)   # ranges take an en dash
        short = LOCATOR_TERMS.get(self.term.lower(), ("", ""))[1] if self.term else ""
        return f"{short} {value}" if short else value


@dataclass(frozen=True)
class Cluster:
    """One bracketed citation: the items of `[see @a, p. 5; @b]`."""

    items: tuple[CitationItem, ...]
    source: str                 # the text as written, brackets included


def is_bare_key(key: str) -> bool:
    return bool(_BARE_KEY_RE.match(key))


def written_form(key: str) -> str:
    return f"@{key}"


def parse_cluster(body: str) -> tuple[CitationItem, ...] | None:
    """Parse the text between the brackets; None when it is not a citation."""
    items = []
    for part in _split_items(body):
        match = _ITEM.match(part.strip())
        if not match:
            return None
        prefix = match.group("prefix").strip()
        if prefix.endswith(("-", "@")) or "@" in prefix:
            return None
        key = match.group("key")
        items.append(_with_locator(CitationItem(key=key.strip(), prefix=prefix,
                                                suppress_author=bool(match.group("suppress"))),
                                   match.group("rest")))
    return tuple(items) or None


def _split_items(body: str) -> list[str]:
    return body.split(";")


def _with_locator(item: CitationItem, rest: str) -> CitationItem:
    rest = rest.strip()
    if not rest:
        return item
    if rest.startswith(","):
        rest = rest[1:].strip()
    match = _LOCATOR.match(rest)
    if match and (match.group("term") or rest[:1].isdigit()):
        term = match.group("term") or ""
        label = LOCATOR_TERMS[term.lower()][0] if term else "page"
        return CitationItem(item.key, item.prefix, label, match.group("value").strip(),
                            match.group("after").strip(), item.suppress_author, term)
    return CitationItem(item.key, item.prefix, suffix=rest, suppress_author=item.suppress_author)


# A cheap scan of raw Markdown for the keys a page probably cites, used only to
# know which sources to format before the pages are rendered (never to change
# text). Fenced code blocks and code spans are skipped so that the scan agrees
# with the Markdown extension, which never looks inside code.
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,}).*?^[ \t]*\1[ \t]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
CLUSTER_PATTERN = r"\[(?P<body>[^\[\]]*?@[^\[\]]*?)\](?![(\[])"
_CLUSTER = re.compile(CLUSTER_PATTERN)


def scan_keys(markdown: str) -> set[str]:
    text = _CODE_SPAN.sub(" ", _FENCE.sub(" ", markdown))
    keys: set[str] = set()
    for match in _CLUSTER.finditer(text):
        items = parse_cluster(match.group("body"))
        if items:
            keys.update(item.key for item in items)
    return keys
