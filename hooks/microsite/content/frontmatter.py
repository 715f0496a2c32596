"""YAML front matter with the file line of every key and list item.

MkDocs strips the front matter before plugins see the Markdown, so locations
for error messages are computed here from the file's own text. Nothing an
author writes raises out of here: invalid YAML, a block with no closing line
and an impossible date become a `FrontMatterError` with its line, or (a date
YAML cannot construct) a plain string the content contract then reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from microsite.model.yaml_errors import mistake_place
from microsite.scholarly.keys import THEME_KEYS, WORK_KEYS

# The same delimiters MkDocs accepts (mkdocs.utils.meta.YAML_RE).
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_OPENING = re.compile(r"-{3}[ \t]*\n")
_CLOSING_LINE = re.compile(r"^(?:\.{3}|-{3})[ \t]*$", re.MULTILINE)
_YAML_KEY = re.compile(r"[A-Za-z_][\w-]*[ \t]*:(?:[ \t]|$)")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's safe loader when PyYAML has it (much faster); nodes keep their line either way."""


def _timestamp_or_text(loader, node):
    """`date: 2020-13-45` looks like a date to YAML, which then raises ValueError: keep the
    text, for the content contract to report with its line."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


class FrontMatterError(ValueError):
    def __init__(self, line: int, message: str, hint: str = "Fix the YAML between the two '---' lines."):
        super().__init__(message)
        self.line = line
        self.hint = hint


@dataclass
class FrontMatter:
    data: dict = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)          # key -> line
    item_lines: dict[str, list[int]] = field(default_factory=dict)   # key -> line of each list item
    body: str = ""
    body_line: int = 1      # file line where the body starts
    # keys written twice: (key, first line, later line); YAML keeps the later value
    repeated: list[tuple[str, int, int]] = field(default_factory=list)
    # a key YAML made into another value, as written: None -> "null", True -> "yes", 12 -> "012"
    written_keys: dict = field(default_factory=dict)

    def key_name(self, key) -> str:
        """A key of `data` as the author wrote it (for messages and `line_of`)."""
        return key if isinstance(key, str) else self.written_keys.get(key, str(key))

    def line_of(self, key: str, index: int | None = None) -> int:
        if index is not None and index < len(self.item_lines.get(key, [])):
            return self.item_lines[key][index]
        return self.key_lines.get(key, 1)


def parse_front_matter(text: str) -> FrontMatter:
    text = text.replace("\r\n", "\n")
    match = _FRONT_MATTER.match(text)
    if not match:
        _check_unopened(text)
        _check_unclosed(text)
        return FrontMatter(body=text, body_line=1)
    block = match.group(1)
    first_line = 2  # the block starts on the line after the opening '---'
    try:
        loader = _Loader(block)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
            written_keys = _written_keys(loader, node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        problem, mark = mistake_place(error)       # an unclosed quote or bracket: where it opens
        line = first_line + (mark.line if mark else 0)
        raise FrontMatterError(line, f"front matter is not valid YAML ({problem})") from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as error:
        raise FrontMatterError(first_line, f"front matter cannot be read ({error})") from None
    if data is None:
        data, node = {}, None
    if not isinstance(data, dict):
        raise FrontMatterError(first_line, "front matter must be a mapping of `key: value` lines",
                               "Write one `key: value` per line, e.g. `title: My title`.")
    front = FrontMatter(data=data, body=text[match.end():], written_keys=written_keys)
    front.body_line = text[: match.end()].count("\n") + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = first_line + key_node.start_mark.line
            if key in front.key_lines:
                front.repeated.append((key, front.key_lines[key], line))
            front.key_lines[key] = line
            if isinstance(value_node, yaml.SequenceNode):
                front.item_lines[key] = [first_line + item.start_mark.line for item in value_node.value]
    return front


def _written_keys(loader, node) -> dict:
    """Keys YAML read as something other than text (`null:`, `yes:`, `012:`), each with its
    text as written."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    written = {}
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            key = loader.construct_object(key_node)
            if not isinstance(key, str):
                written.setdefault(key, key_node.value)
    return written


# Keys that show a block of `key: value` lines is meant as front matter (the theme's, an
# article's or brief's, a glossary entry's; scholarly.keys and model.terms list them).
_FRONT_KEYS = THEME_KEYS | WORK_KEYS | {"term", "aliases", "see_also"}


def _check_unopened(text: str) -> None:
    """A page that starts with `key: value` lines closed by a `---` line, with no `---`
    above them, is front matter whose opening line is missing (MkDocs would show it as text,
    the last line as a heading)."""
    if _OPENING.match(text):
        return
    closing = _CLOSING_LINE.search(text)
    if closing is None:
        return
    block = text[:closing.start()]
    first = next((line for line in block.split("\n") if line.strip() and not line.lstrip().startswith("#")), "")
    key = _YAML_KEY.match(first)
    if key is None or first[:key.end()].rstrip(" \t:") not in _FRONT_KEYS:
        return
    try:
        node = yaml.compose(block, Loader=_Loader)
    except (yaml.YAMLError, RecursionError):
        return
    if isinstance(node, yaml.MappingNode):
        line = text.count("\n", 0, closing.start()) + 1
        raise FrontMatterError(1, f"the front matter must start with a `---` line: the `key: value` lines that end "
                                  f"with the `{closing.group().strip()}` on line {line} have none above them, so "
                                  "MkDocs shows them as text",
                               f"Add a line `---` at the top of the file, above `{first.strip()}`.")


def _check_unclosed(text: str) -> None:
    """A file that opens a front matter block (`---` then `key: value`) and never closes it
    is one mistake, not a page with three missing fields."""
    if not _OPENING.match(text):
        return
    rest = text[_OPENING.match(text).end():]
    first = next((line for line in rest.split("\n") if line.strip() and not line.lstrip().startswith("#")), "")
    if not _YAML_KEY.match(first):
        return                          # a horizontal rule at the top of a page, not front matter
    closing = _CLOSING_LINE.search(rest)
    if closing is None:
        raise FrontMatterError(1, "the front matter that starts on line 1 has no closing `---` line",
                               "End it with a line `---` before the text of the page.")
    if closing.end() == len(rest):
        line = text.count("\n", 0, len(text) - len(rest) + closing.start()) + 1
        raise FrontMatterError(line, "the front matter's closing `---` is the last line of the file, with no "
                                     "line break after it, so MkDocs does not read the block",
                               "Add a line break after it.")
