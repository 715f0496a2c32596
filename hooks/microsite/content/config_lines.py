"""Where an option is written in mkdocs.yml, so that a problem with it names its line.

MkDocs reads mkdocs.yml into plain values and keeps no positions. This reads the
file again as a YAML node tree (`yaml.compose` builds no values, so MkDocs' own
tags such as `!ENV` and Material's `!!python/name:` need no constructor) and
walks it along the option's path.
"""

from __future__ import annotations

import os
from functools import lru_cache

import yaml


def option_place(config_file: str, *path: str) -> tuple[str, int | None]:
    """(mkdocs.yml's name for messages, the 1-based line of the option), e.g.
    `option_place(config_file, "extra", "microsite", "csl_file")`. In a list, a step
    names the item with that value. The line is that of the deepest step found;
    None when the file cannot be read again or holds none of the path."""
    name = os.path.basename(config_file) if config_file else "mkdocs.yml"
    try:
        stamp = os.stat(config_file).st_mtime_ns
    except (OSError, TypeError):
        return name, None
    return name, _line(config_file, stamp, tuple(path))


def repeated_options(config_file: str) -> list[tuple[tuple[str, ...], int, int]]:
    """Options written twice in the same mapping of mkdocs.yml, at any depth: (the steps
    to the option, its first line, the later line). YAML keeps the later value without a word."""
    try:
        root = _tree(config_file, os.stat(config_file).st_mtime_ns)
    except (OSError, TypeError):
        return []
    found: list[tuple[tuple[str, ...], int, int]] = []

    def walk(node, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode):
                    continue
                line = key.start_mark.line + 1
                if key.value in first:
                    found.append((path + (key.value,), first[key.value], line))
                first.setdefault(key.value, line)
                walk(value, path + (key.value,))
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item, path)

    walk(root, ())
    return found


def option_where(config_file: str, *path: str) -> str:
    """`mkdocs.yml:12` (or `mkdocs.yml`): where an option is, at the head of a message."""
    name, line = option_place(config_file, *path)
    return f"{name}:{line}" if line else name


@lru_cache(maxsize=64)
def _line(config_file: str, stamp: int, path: tuple[str, ...]) -> int | None:
    root = _tree(config_file, stamp)
    node, line = root, None
    for step in path:
        found = _child(node, step)
        if found is None:
            break
        line, node = found
    return line


@lru_cache(maxsize=4)
def _tree(config_file: str, stamp: int):
    try:
        with open(config_file, encoding="utf-8-sig") as handle:
            return yaml.compose(handle, Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def _child(node, step: str):
    """(line of the step, the node under it), or None."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == step:
                return key.start_mark.line + 1, value
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if isinstance(item, yaml.ScalarNode) and item.value == step:
                return item.start_mark.line + 1, item
            found = _child(item, step) if isinstance(item, yaml.MappingNode) else None
            if found is not None:              # e.g. `plugins: [- bibtex: {...}]`
                return found
    return None
