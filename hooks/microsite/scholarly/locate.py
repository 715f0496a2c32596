"""File lines of nested front-matter values (an author's `orcid`, a keyword).

`FrontMatter.line_of` knows top-level keys and list items; messages about a
value inside an author mapping should point at that value's own line. The
front matter is composed again (nodes only, no objects) from the document's
text; when the text is gone or unreadable, the nearest known line is used.
"""

from __future__ import annotations

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path = tuple  # ("authors", 0, "orcid")


class Lines:
    def __init__(self, document):
        self.front = document.front
        self.lines: dict[Path, int] = {}
        text = (getattr(document, "text", "") or "").replace("\r\n", "\n")
        body_line = getattr(self.front, "body_line", 1)
        if text.startswith("---") and body_line > 2:
            block = "\n".join(text.split("\n")[1:body_line - 2])
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
                self._walk(value, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                child = path + (index,)
                self.lines[child] = 2 + item.start_mark.line
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
