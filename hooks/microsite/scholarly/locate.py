"""File lines of nested front-matter values (an author's `orcid`, a keyword),
and each value as written.

`FrontMatter.line_of` knows top-level keys and list items; messages about a
value inside an author mapping should point at that value's own line. The
front matter is composed again (nodes only, no objects) from the document's
text; when the text is gone or unreadable, the nearest known line is used.

YAML 1.1 turns some text into other values (`012` is 10, `1:30` is 90, `12.10`
is 12.1, `yes` is true): a text field takes the scalar as the author wrote it
(`written`), and messages quote it so.
"""

from __future__ import annotations

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path = tuple  # ("authors", 0, "orcid")


class Lines:
    def __init__(self, document):
        self.front = document.front
        self.lines: dict[Path, int] = {}
        self.nodes: dict[Path, yaml.Node] = {}
        self.block = ""
        text = (getattr(document, "text", "") or "").replace("\r\n", "\n")
        body_line = getattr(self.front, "body_line", 1)
        if text.startswith("---") and body_line > 2:
            block = self.block = "\n".join(text.split("\n")[1:body_line - 2])
            try:
                node = yaml.compose(block, Loader=_Loader)
            except yaml.YAMLError:
                node = None
            if node is not None:
                self._walked: set[int] = set()
                self._walk(node, ())

    def _walk(self, node, path: Path) -> None:
        # An alias is the anchored node itself: walked once, or nested aliases
        # ("billion laughs") would make the walk exponential.
        if id(node) in self._walked:
            return
        self._walked.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = path + (str(key.value),)
                self.lines[child] = 2 + key.start_mark.line
                self.nodes.setdefault(child, value)
                self._walk(value, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                child = path + (index,)
                self.lines[child] = 2 + item.start_mark.line
                self.nodes.setdefault(child, item)
                self._walk(item, child)

    def of(self, *path) -> int:
        """The line of the value at `path`, or of its nearest enclosing value."""
        for length in range(len(path), 0, -1):
            line = self.lines.get(tuple(path[:length]))
            if line:
                return line
        if len(path) > 1 and isinstance(path[1], int):
            return self.front.line_of(path[0], path[1])
        return self.front.line_of(path[0]) if path else 1

    def node(self, *path) -> yaml.Node | None:
        """The YAML node of the value at `path` (None when unknown)."""
        return self.nodes.get(tuple(path))

    def written(self, *path) -> str | None:
        """The value at `path` as written in the file: a scalar's text (`012`, not 10), a
        list or mapping's source on one line; None when unknown."""
        return written(self.node(*path), self.block)


def written(node, source: str = "") -> str | None:
    """A node's value as the author wrote it: a scalar's own text (a tag such as `!!binary`
    kept in front), a list or mapping as its source text with white space joined."""
    if isinstance(node, yaml.ScalarNode):
        tag = _explicit_tag(node, source)
        return f"{tag} {node.value}" if tag else node.value
    if node is not None and source:
        return " ".join(source[node.start_mark.index:node.end_mark.index].split()) or None
    return None


def _explicit_tag(node, source: str) -> str:
    """`!!binary` when the scalar is written with a tag (after its anchor, if any)."""
    words = (source[node.start_mark.index:node.end_mark.index] if source else "").split(None, 2)
    if words and words[0].startswith("&"):
        words = words[1:]
    return words[0] if words and words[0].startswith("!") else ""
