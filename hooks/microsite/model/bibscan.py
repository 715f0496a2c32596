"""A small brace scanner that cuts a .bib file into its entries before pybtex reads it.

pybtex reads a file as one stream: an entry with a brace too many or too few
swallows the text after it (its `publisher` then holds the next fields, paths
included) or ends early, and its error names the line where pybtex noticed,
often the start of the *next* entry, which is fine. Here each entry is taken on
its own — from an `@type{` at the start of a line to the next one — and its
braces are counted the way pybtex counts them (every `{` and `}`, escaped or
not). An entry whose braces do not close exactly at its end is reported with
the field and the line where the unclosed (or extra) brace is, and left out;
the entries after it are read as usual.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

# An entry (or @string, @preamble, @comment) starts with @type{ or @type( at the start of a line.
_START = re.compile(r"^[ \t]*@[ \t]*(?P<type>[A-Za-z][\w-]*)[ \t]*(?P<open>[{(])", re.MULTILINE)
_KEY = re.compile(r"[ \t\r\n]*(?P<key>[^\s,}]+)[ \t\r\n]*,")
_FIELD = re.compile(r"^[ \t]*(?P<name>[A-Za-z_][\w:.+\-]*)[ \t]*=", re.MULTILINE)
_BRACE = re.compile(r"[{}]")


@dataclass
class Chunk:
    """One `@…` block of a bib file: [start, end) in the text, `line` of its '@'."""

    type: str                   # lower case: "article", "string", "comment" …
    key: str | None
    line: int
    start: int
    end: int
    problem: str | None = None              # why it cannot be read
    problem_line: int | None = None
    hint: str = ""
    field_lines: dict[str, int] = field(default_factory=dict)    # lower-case name -> line

    @property
    def is_entry(self) -> bool:
        return self.type not in ("string", "preamble", "comment")


def split_entries(text: str) -> list[Chunk]:
    """The file's @-blocks, each checked for balanced braces."""
    starts = list(_START.finditer(text))
    chunks = []
    line, counted = 1, 0
    for index, match in enumerate(starts):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        kind = match.group("type").lower()
        key_match = _KEY.match(text, match.end()) if kind not in ("string", "preamble", "comment") else None
        chunk = Chunk(kind, key_match.group("key") if key_match else None, line, match.start(), end)
        if kind != "comment" and match.group("open") == "{":
            _check_braces(text, match.end(), chunk)
        chunks.append(chunk)
    return chunks


def _check_braces(text: str, body: int, chunk: Chunk) -> None:
    """Find where the entry's braces close; record its fields' lines and any problem."""
    lines = _LineCounter(text, chunk.start, chunk.line)
    fields = [(m.start("name"), m.group("name").lower()) for m in _FIELD.finditer(text, body, chunk.end)]
    depth, close, stack = 1, None, [chunk.start]
    depth_at: dict[int, int] = {}                 # field start -> brace depth there (1 when healthy)
    field_index = 0
    for brace in _BRACE.finditer(text, body, chunk.end):
        while field_index < len(fields) and fields[field_index][0] < brace.start():
            depth_at[fields[field_index][0]] = depth
            field_index += 1
        if brace.group() == "{":
            depth += 1
            stack.append(brace.start())
        else:
            depth -= 1
            stack.pop()
            if depth == 0:
                close = brace.start()
                break
    for position, _ in fields[field_index:]:
        depth_at.setdefault(position, depth if close is None else 0)
    for position, name in fields:
        if depth_at.get(position) == 1:
            chunk.field_lines.setdefault(name, lines.at(position))

    if close is None:
        _unclosed(text, chunk, fields, depth_at, stack, lines)
    else:
        after = text[close + 1:chunk.end]
        extra = _FIELD.search(after) or re.search(r"^\s*\}", after, re.MULTILINE)
        if extra:
            owner = _field_at(fields, close)
            where = f"in `{owner}` " if owner else ""
            chunk.problem = f"the '}}' {where}on this line closes the entry before its end: a brace too many"
            chunk.problem_line = lines.at(close)
            chunk.hint = "Remove the extra '}' (or add the '{' it should close)."


def _unclosed(text, chunk, fields, depth_at, stack, lines) -> None:
    """The entry never closes: name the field whose brace is still open at the next field."""
    for index, (position, name) in enumerate(fields):
        if depth_at.get(position, 1) > 1 and index > 0:
            owner = fields[index - 1][1]
            opened = max((p for p in stack[1:] if p < position), default=fields[index - 1][0])
            chunk.problem = (f"the brace opened in `{owner}` on this line is never closed, so the next "
                             f"field, `{name}` on line {lines.at(position)}, falls inside it")
            chunk.problem_line = lines.at(opened)
            chunk.hint = f"Add the missing '}}' (or remove the extra '{{') in `{owner}`; the other entries are read as usual."
            return
    if len(stack) > 1:
        owner = _field_at(fields, stack[-1])
        where = f"in `{owner}` " if owner else ""
        chunk.problem = f"the brace opened {where}on this line is never closed"
        chunk.problem_line = lines.at(stack[-1])
        chunk.hint = "Add the missing '}' (or remove the extra '{')."
    else:
        chunk.problem = "the entry has no closing '}'"
        chunk.problem_line = chunk.line
        chunk.hint = "End the entry with '}' after its last field."


def _field_at(fields, position: int) -> str | None:
    index = bisect.bisect_right([start for start, _ in fields], position) - 1
    return fields[index][1] if index >= 0 else None


class _LineCounter:
    """File line of a text offset, counting forward from a known line (offsets mostly increase)."""

    def __init__(self, text: str, offset: int, line: int):
        self.text, self.offset, self.line = text, offset, line

    def at(self, position: int) -> int:
        if position >= self.offset:
            self.line += self.text.count("\n", self.offset, position)
        else:
            self.line -= self.text.count("\n", position, self.offset)
        self.offset = position
        return self.line


def blank(text: str, chunks: list[Chunk]) -> str:
    """The text with the given chunks replaced by spaces (line numbers stay right)."""
    if not chunks:
        return text
    parts, position = [], 0
    for chunk in sorted(chunks, key=lambda c: c.start):
        parts.append(text[position:chunk.start])
        parts.append(re.sub(r"[^\n]", " ", text[chunk.start:chunk.end]))
        position = chunk.end
    parts.append(text[position:])
    return "".join(parts)


def chunk_at(chunks: list[Chunk], line: int | None) -> Chunk | None:
    """The chunk a file line belongs to."""
    if line is None or not chunks:
        return None
    index = bisect.bisect_right([chunk.line for chunk in chunks], line) - 1
    return chunks[index] if index >= 0 else None
