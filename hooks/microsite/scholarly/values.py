"""What YAML made of a front-matter value, in an author's words (for messages)."""

from __future__ import annotations

import datetime as dt


def describe(value) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}` (yes/no)"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"a date ({value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of `key: value` lines"
    return type(value).__name__


def as_text_hint(key: str, value) -> str:
    if isinstance(value, (list, dict)):
        return f"Write it on one line: `{key}: The text`."
    return f'Put it in quotes: `{key}: "{value}"`.'
