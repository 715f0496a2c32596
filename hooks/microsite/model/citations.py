"""Pandoc's citation syntax: `[@key]`, `[@key, p. 5]`, `[@a; @b]`, `[see @key, chap. 2]`,
`[-@key]` (year only), and the braced form `[@{key}]` for any key that cannot be
written bare.

Keys, as pandoc 3.9 reads them (notes/bib-input.md has the evidence):
- its BibTeX reader takes a key made of letters, digits (any script) and
  `. : ; ? ! ` ' ( ) $ / * @ _ + = - [ ] &`, and stops with an error at any other
  character (`# % ~ < > " , { } ^ | \\`, spaces);
- its Markdown reader takes a key bare, `@key`, when it begins with a letter, a
  digit, `_` (or `*`) and has punctuation from `: . # $ % & - + ? < > ~ /` only
  between letters or digits (also `:` or `/` before a `/`); trailing punctuation
  belongs to the text. Any key goes in braces: `@{Anonymous:sADfNu-}`.

A site's keys are those both accept, minus `[ ]` (a citation is bracketed) and
the backtick (Markdown reads it as code): `key_problem()` says what is wrong
with any other; `written_form()` gives the form a page shows for citing a key.

Only the bracketed forms are citations: a bare `@name` in prose, an e-mail
address or `[text with @name](url)` is not. A bracket that tries to cite but
cannot (`[@]`, `[@:key]`, `[@a; see]`, or an emphasis mark pandoc never sees
closed: `[@a, 2*3]`) parses to `Malformed`, with a reason.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

# Pandoc's Markdown reader (Text.Pandoc.Readers.Markdown, citeKey): a bare key.
BARE_KEY = r"(?:\w|\*)(?:\w|[:.#$%&\-+?<>~/](?=\w)|[:/](?=/))*"
_BARE_KEY_RE = re.compile(BARE_KEY + r"\Z")
_BARE_KEY_START = re.compile(BARE_KEY)
# Pandoc's BibTeX reader (Text.Pandoc.Citeproc.BibTeX, isBibtexKeyChar): alphanumerics and these.
PANDOC_BIBTEX_KEY_PUNCTUATION = ".:;?!`'()$/*@_+=-[]&"
# What a citation on our pages can carry: the above minus the brackets and the backtick.
KEY_PUNCTUATION = "".join(c for c in PANDOC_BIBTEX_KEY_PUNCTUATION if c not in "[]`")

# A word-initial @ (not an e-mail address), with pandoc's `-` for "suppress author".
_AT = re.compile(r"(?:(?<=\s)|\A)(?P<suppress>-)?@")

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


@dataclass(frozen=True)
class Malformed:
    """A bracket that tries to cite (it has a word-initial @) but cannot be read.

    False in a boolean test, like None, so that a caller written for
    `parse_cluster(...) -> items | None` still leaves the text alone; a caller that
    reports it checks `isinstance(result, Malformed)`.
    """

    reason: str                 # "'@' is not followed by a citation key"
    hint: str                   # what to write instead

    def __bool__(self) -> bool:
        return False


def is_bare_key(key: str) -> bool:
    """Whether pandoc's Markdown reader reads `@key` as this whole key."""
    return bool(_BARE_KEY_RE.match(key))


def written_form(key: str) -> str:
    """How to cite a key inside brackets: `@key`, or `@{key}` when it cannot be written bare."""
    return f"@{key}" if is_bare_key(key) else f"@{{{key}}}"


def key_problem(key: str) -> str | None:
    """What keeps a bib key from being cited (None when nothing does)."""
    if not key:
        return "the entry has no key"
    bad = sorted({c for c in key if not (c.isalnum() or c in KEY_PUNCTUATION)}, key=key.index)
    if not bad:
        return None
    shown = ", ".join("a space" if c.isspace() else f"a character a reader cannot see ({named_character(c)})"
                      if unicodedata.category(c) in _INVISIBLE else
                      f"'{c}' ({named_character(c)})" if unicodedata.category(c) in _UNSEEN else f"'{c}'" for c in bad)
    if all(c in "[]`" for c in bad):
        return f"the key '{key}' contains {shown}, which a citation in Markdown cannot carry"
    return f"the key '{key}' contains {shown}, which pandoc's BibTeX reader does not accept"


KEY_RULE = ("a key may contain letters, digits and " + " ".join(KEY_PUNCTUATION)
            + " (no spaces, nor # % ~ < > \" , { } [ ] ^ | \\ `)")


def parse_cluster(body: str) -> tuple[CitationItem, ...] | Malformed | None:
    """Parse the text between the brackets: the items of a citation, `Malformed` when it
    tries to cite and cannot, None when it is no citation (`[me@example.com]`)."""
    if not _AT.search(body):
        return None
    items = []
    for part in _split_items(body):
        item = _parse_item(part)
        if isinstance(item, Malformed):
            return item
        if item is None:
            words = part.strip()
            return Malformed(f"'{words}' has no citation key" if words else "an empty part between ';'",
                             "Each part between ';' cites one source: `[@a, p. 5; see @b]`")
        items.append(item)
    return tuple(items)


def escaped_cluster(raw: str) -> str | None:
    """The cluster with every ASCII punctuation character of its prefixes and suffixes
    backslash-escaped and its keys in braces: what pandoc reads as one citation when the
    cluster as written holds Markdown it stops at (`[@key, p. 5 *]`). None when the
    cluster has a part without a key, or is not a cluster."""
    if not _CLUSTER.fullmatch(raw):
        return None
    parts = []
    for part in _split_items(raw[1:-1]):
        text = part.strip()
        at = _AT.search(text)
        if not at:
            return None
        prefix, after = text[:at.start()], text[at.end():]
        close, bare = after.find("}"), _BARE_KEY_START.match(after)
        if after.startswith("{") and close > 0:
            key, rest = after[1:close], after[close + 1:]
        elif bare:
            key, rest = bare.group(0), after[bare.end():]
        else:
            return None
        comma, rest = ("," if rest.startswith(",") else ""), rest.removeprefix(",")
        parts.append(f"{_escaped(prefix)}{at.group(0)}{{{key}}}{comma}{_escaped(rest)}")
    return "[" + "; ".join(parts) + "]"


def _escaped(text: str) -> str:
    return "".join("\\" + c if c in _PUNCTUATION else c for c in text)


_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


# A character reference up to its `;` (`&amp`, `&#8211`, `&#x2013`), which pandoc reads as
# one character: its `;` separates no items.
_REFERENCE_BEFORE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+)\Z")


def _split_items(body: str) -> list[str]:
    """Split on `;` outside braced keys and character references."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(body):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == ";" and depth == 0 and not _REFERENCE_BEFORE.search(body, max(start, index - 40), index):
            parts.append(body[start:index])
            start = index + 1
    parts.append(body[start:])
    return parts


def _parse_item(part: str) -> CitationItem | Malformed | None:
    text = part.strip()
    at = _AT.search(text)
    if not at:
        return None
    prefix, after = text[:at.start()].strip(), text[at.end():]
    if after.startswith("{"):
        close = after.find("}")
        key = after[1:close] if close > 0 else ""
        if close < 0 or not key or any(c.isspace() or c == "{" for c in key):
            written = after.split()[0] if after.split() else after
            return Malformed(f"'@{written}' is not a key in braces",
                             "Write the key between braces, whole, with no space: `[@{key}]`")
        rest = after[close + 1:]
    else:
        match = _BARE_KEY_START.match(after)
        if not match:
            following = after[:1]
            if _splits_key(after):
                return _unseen_in_key("", after)
            if not following or following.isspace():
                return Malformed("'@' is not followed by a citation key",
                                 "Write the key right after the @: `[@key]`")
            return Malformed(f"a citation key cannot begin with '{following}' when written bare",
                             f"If the key really is '{after.split()[0]}', write it in braces: "
                             f"`[@{{{after.split()[0]}}}]`")
        key, rest = match.group(0), after[match.end():]
        if _splits_key(rest):
            return _unseen_in_key(key, rest)
    for text, following in ((prefix, " "), (rest, "]")):         # the prefix ends before " @key"
        mark = _unclosed_emphasis(text, following)
        if mark:
            braced = f" If the key is '{key}{rest.split()[0]}', write it in braces: `[@{{{key}{rest.split()[0]}}}]`." \
                if text is rest and rest[:1] == mark[:1] else ""
            written = text.strip().lstrip(",").strip()
            return Malformed(f"the `{mark}` in '{written}' opens emphasis that is never closed, so pandoc reads "
                             "the rest of the paragraph as emphasized text, not as this citation",
                             f"Escape it (`\\{mark[0]}`), or close the emphasis (`{mark}see{mark}`).{braced}")
    return _with_locator(CitationItem(key=key, prefix=prefix, suppress_author=bool(at.group("suppress"))), rest)


_CODE_OR_ESCAPE = re.compile(r"(`+).*?(?<!`)\1(?!`)|\\.", re.DOTALL)
_DELIMITER_RUN = re.compile(r"\*+|_+")


def _unclosed_emphasis(text: str, following: str) -> str | None:
    """The run of `*` or `_` in a citation's prefix or suffix that opens emphasis and is
    never closed, or None. pandoc's Markdown reader (`enclosure`) reads an opening mark
    that finds no closing one as a literal mark followed by *everything it parsed*,
    which takes the cluster's `]` or `;` with it: the bracket is then no citation.
    A mark opens when text (or the closing bracket) follows it, a `_` only when no
    letter or digit precedes it; it closes when text precedes it (a `_` only when no
    letter or digit follows). Code spans and escaped characters are no marks.
    `following`: the character after `text` in the cluster."""
    text = _CODE_OR_ESCAPE.sub(lambda match: "x" * len(match.group(0)), text.strip()) + following
    opened: list[str] = []
    for match in _DELIMITER_RUN.finditer(text):
        run, before, after = match.group(0), text[match.start() - 1:match.start()], text[match.end():match.end() + 1]
        underscore = run[0] == "_"
        can_close = bool(before) and not before.isspace() and not (underscore and after.isalnum())
        can_open = bool(after) and not after.isspace() and not (underscore and before.isalnum())
        if can_close and opened and opened[-1][0] == run[0]:
            opened.pop()
        elif can_open:
            opened.append(run)
    return opened[0] if opened else None


_WRITTEN_BARE = re.compile(r"(?:(?<=\s)|\A)-?@(?!\{)(?P<token>[^\s,;]+)")


def glued_keys(body: str, has_key) -> list[tuple[str, str]]:
    """(the key pandoc reads, the key written) for each bare `@token` of a cluster whose
    whole token is another existing key (`has_key`): `[@c=d]` cites `c` followed by the
    text `=d`, never the source `c=d`, which only its braced form cites."""
    glued = []
    for match in _WRITTEN_BARE.finditer(body):
        token = match.group("token")
        read = _BARE_KEY_START.match(token)
        if read and read.group(0) != token and has_key(token) and has_key(read.group(0)):
            glued.append((read.group(0), token))
    return glued


# Characters that split a key where an author sees none: format characters (zero-width
# space, joiners, byte order mark, soft hyphen, direction marks: invisible) and
# combining marks (the accent of a 'ü' typed as 'u' + U+0308, as some keyboards and
# macOS file names write it; the vowel signs of Indic scripts). pandoc ends a bare key
# before either; its BibTeX reader accepts neither in a key.
_INVISIBLE = {"Cf"}
_UNSEEN = _INVISIBLE | {"Mn", "Mc", "Me"}


def named_character(character: str) -> str:
    return f"U+{ord(character):04X} {unicodedata.name(character, 'an unnamed character')}"


def unseen_character(text: str) -> str | None:
    """The first invisible character of `text`, named (`U+200B ZERO WIDTH SPACE`), or None."""
    for character in text:
        if unicodedata.category(character) in _INVISIBLE:
            return named_character(character)
    return None


def _splits_key(rest: str) -> bool:
    """A character that splits a key: invisible or a combining mark, with more of the key after it."""
    if not rest or unicodedata.category(rest[0]) not in _UNSEEN:
        return False
    after = rest[1:2]
    # An invisible character after a whole key (a direction mark in right-to-left text) is no
    # part of it: pandoc reads the key before it, and so do we.
    return unicodedata.category(rest[0]) not in _INVISIBLE or bool(after) and (after.isalnum() or after == "_")


def _unseen_in_key(key: str, rest: str) -> Malformed:
    character = rest[0]
    code = named_character(character)
    if unicodedata.category(character) in _INVISIBLE:
        where = f"the key '{key}' is followed by" if key else "'@' is followed by"
        return Malformed(f"{where} an invisible character ({code})", "Delete it (retype the key).")
    written = key + rest.split()[0].rstrip(",;]")
    composed = unicodedata.normalize("NFC", written)
    if composed != written and not any(unicodedata.category(c) in _UNSEEN for c in composed):
        return Malformed(f"the key '{key}' is followed by a separate accent ({code}), which pandoc does not join "
                         "to the letter before it",
                         f"Retype the key with the accented letter as one character: `{composed}`")
    return Malformed(f"the key '{key}' is followed by a combining mark ({code}), which pandoc does not read as "
                     "part of a key",
                     "Give the entry a key without combining marks (pandoc's BibTeX reader does not accept them "
                     "either) and cite that key.")


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


# --------------------------------------------------------------------------
# The pre-scan: which citations a page's Markdown holds, before it is rendered.

CLUSTER_PATTERN = r"\[(?P<body>[^\[\]]*?@[^\[\]]*?)\](?![(\[])"


PLAIN_TEXT_CITATION_FIX = "Cite the source in the page's text, and name it in words here (e.g. 'Doe (2020)')."


def citations_in(text: str | None) -> list[str]:
    """The citations written in a plain-text value (a summary, an abstract), as written: such a
    value is never converted, so a citation in it would be shown as its brackets."""
    found = []
    for match in re.finditer(CLUSTER_PATTERN, text or ""):
        items = parse_cluster(match.group("body"))
        if items and not isinstance(items, Malformed):
            found.append(match.group(0))
    return found
_CLUSTER = re.compile(CLUSTER_PATTERN)


@dataclass(frozen=True)
class ScannedCluster:
    """A bracketed citation found by the pre-scan."""

    text: str                                       # as written, brackets included
    line: int                                       # file line of its opening bracket
    items: tuple[CitationItem, ...] | Malformed

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items) if isinstance(self.items, tuple) else ()

    @property
    def is_malformed(self) -> bool:
        return isinstance(self.items, Malformed)

    @property
    def malformed(self) -> Malformed | None:
        """The reason it cannot be read, or None (compare with None: a Malformed is false)."""
        return self.items if isinstance(self.items, Malformed) else None


_NEWLINE = re.compile("\n")


def scan_clusters(markdown: str, first_line: int = 1) -> list[ScannedCluster]:
    """Every citation bracket in a page's Markdown, the way the rendered page sees them:
    nothing inside fenced or indented code, code spans, backslash-escaped brackets or
    HTML comments. `first_line` is the file line of the Markdown's first line (after
    the front matter)."""
    visible = visible_text(markdown)
    newlines = [match.start() for match in _NEWLINE.finditer(visible)]
    found = []
    for match in _CLUSTER.finditer(visible):
        items = parse_cluster(match.group("body"))
        if items is None:
            continue
        line = first_line + bisect.bisect_left(newlines, match.start())
        found.append(ScannedCluster(markdown[match.start():match.end()], line, items))
    return found


def scan_keys(markdown: str) -> set[str]:
    """The keys a page's Markdown cites (see `scan_clusters`)."""
    return {key for cluster in scan_clusters(markdown) for key in cluster.keys}


# Block structure, line by line: what Python-Markdown (and its usual extensions)
# read as code, and the lines that open an indented container, whose indented
# lines are text (list items, admonitions, details, tabs, footnotes, definitions).
_FENCE_OPEN = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})")
_CONTAINER = re.compile(r"^ {0,3}(?:[-*+]\s|\d+[.)]\s|!!!|\?\?\?|===|\[\^[^\]]+\]:|:\s)")
_SPAN_START = re.compile(r"\\.|`+|<!--", re.DOTALL)


def visible_text(markdown: str) -> str:
    """The Markdown with code and comments replaced by spaces (line breaks kept)."""
    lines = markdown.replace("\r\n", "\n").split("\n")
    fence, in_code, in_container, after_blank = None, False, False, True
    for number, line in enumerate(lines):
        stripped = line.strip()
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))
        if fence:
            if re.match(r"^[ \t]*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$", line):
                fence = None
            lines[number] = _blank(line)
            continue
        opening = _FENCE_OPEN.match(line)
        if opening and not (in_code and indent >= 4):
            fence, in_code = opening.group("fence"), False
            lines[number] = _blank(line)
            continue
        if not stripped:
            after_blank = True
            continue
        if in_code and indent < 4:
            in_code = False
        if not in_code and after_blank and indent >= 4 and not in_container:
            in_code = True
        if in_code:
            lines[number] = _blank(line)
        elif indent < 4:
            if _CONTAINER.match(line):
                in_container = True
            elif after_blank and indent == 0:
                in_container = False
        after_blank = False
    return _blank_spans("\n".join(lines))


def _blank_spans(text: str) -> str:
    """Blank code spans, backslash-escaped characters and HTML comments, left to right."""
    parts, copied, position = [], 0, 0
    while match := _SPAN_START.search(text, position):
        start, end, token = match.start(), match.end(), match.group(0)
        position = end
        if token == "<!--":
            close = text.find("-->", end)
            at_block_start = not text[text.rfind("\n", 0, start) + 1:start].strip(" ")
            if close < 0 or (not at_block_start and _PARAGRAPH_BREAK.search(text, end, close)):
                continue                      # not a comment: Python-Markdown shows it as text
            end = close + 3
        elif token.startswith("`"):
            close = re.compile(r"(?<!`)" + token + r"(?!`)").search(text, end)
            if not close or _PARAGRAPH_BREAK.search(text, end, close.start()):
                continue                      # no closing run in the paragraph: literal backticks
            end = close.end()
        # else: a backslash-escaped character, never syntax
        parts += [text[copied:start], _blank(text[start:end])]
        copied = position = end
    parts.append(text[copied:])
    return "".join(parts)


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)
