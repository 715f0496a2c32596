"""YAML front matter with the file line of every key and list item.

MkDocs strips the front matter before plugins see the Markdown, so locations
for error messages are computed here from the file's own text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

# The same delimiters MkDocs accepts (mkdocs.utils.meta.YAML_RE).
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


# libyaml's loader when PyYAML has it (much faster); nodes keep their line either way.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FrontMatterError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


@dataclass
class FrontMatter:
    data: dict = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)          # key -> line
    item_lines: dict[str, list[int]] = field(default_factory=dict)   # key -> line of each list item
    body: str = ""
    body_line: int = 1      # file line where the body starts

    def line_of(self, key: str, index: int | None = None) -> int:
        if index is not None and index < len(self.item_lines.get(key, [])):
            return self.item_lines[key][index]
        return self.key_lines.get(key, 1)


def parse_front_matter(text: str) -> FrontMatter:
    text = text.replace("\r\n", "\n")
    match = _FRONT_MATTER.match(text)
    if not match:
        return FrontMatter(body=text, body_line=1)
    block = match.group(1)
    first_line = 2  # the block starts on the line after the opening '---'
    try:
        loader = _Loader(block)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + (mark.line if mark else 0)
        raise FrontMatterError(line, f"front matter is not valid YAML ({error.problem})") from None
    if data is None:
        data, node = {}, None
    if not isinstance(data, dict):
        raise FrontMatterError(first_line, "front matter must be a mapping of `key: value` lines")
    front = FrontMatter(data=data, body=text[match.end():])
    front.body_line = text[: match.end()].count("\n") + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            front.key_lines[key] = first_line + key_node.start_mark.line
            if isinstance(value_node, yaml.SequenceNode):
                front.item_lines[key] = [first_line + item.start_mark.line for item in value_node.value]
    return front
