"""What YAML made of a front-matter value, in an author's words (for messages)."""

from __future__ import annotations

import datetime as dt

import yaml


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


def as_written(value) -> str:
    """A value as the author wrote it in YAML (`[2021-03-05]`, not Python's `[datetime.date(2021, 3, 5)]`)."""
    if isinstance(value, str):
        return value
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6).strip().removesuffix(
        "\n...").strip()
