"""What YAML made of a front-matter value, in an author's words (for messages)."""

from __future__ import annotations

import datetime as dt

import yaml


def describe(value, written: str | None = None) -> str:
    """What YAML made of a value, quoting the author's text (`written`, the scalar as the
    file has it) where there is one: "a number (012)", not "a number (10)"."""
    if isinstance(value, bool):
        return f"`{written or str(value).lower()}` (yes/no)"
    if isinstance(value, (int, float)):
        return f"a number ({written or value})"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"a date ({written or value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of `key: value` lines"
    if value is None:
        return "empty (no value)"
    if isinstance(value, bytes):
        return f"binary data (`{written}`)" if written else "binary data"
    if isinstance(value, str):
        return "str"
    return f"another kind of value (`{written}`)" if written else "another kind of value"


def as_text_hint(key: str, value, written: str | None = None) -> str:
    if isinstance(value, (list, dict)):
        return f"Write it on one line: `{key}: The text`."
    if isinstance(value, bytes) or (written or "").startswith("!"):
        return f"Write the text itself, without a tag such as `!!binary`: `{key}: The text`."
    shown = written if written is not None else as_written(value)
    return f'Put it in quotes: `{key}: "{shown}"`.'


def as_written(value) -> str:
    """A value as the author wrote it in YAML (`[2021-03-05]`, not Python's `[datetime.date(2021, 3, 5)]`)."""
    if isinstance(value, str):
        return value
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6).strip().removesuffix(
        "\n...").strip()


# What YAML 1.1 makes of plain text it reads as another type: 012 -> 10 (octal), 1:30 -> 90
# (base 60), 12.10 -> 12.1, yes -> true, 2020-01-02 -> a date.
CONVERTED = (bool, int, float, dt.date)


def text_as_written(value, node) -> str | None:
    """A text field's value: a string as it is; a value YAML converted from the author's
    text (a number, yes/no, a date) as the scalar was written (`012`, never "10"); None for
    anything else (a list, a mapping, binary data) or when the scalar's node is unknown."""
    if isinstance(value, str):
        return value
    if isinstance(value, CONVERTED) and isinstance(node, yaml.ScalarNode):
        return node.value
    return None
