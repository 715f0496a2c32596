"""Small helpers for the Markdown and HTML the generated pages are made of."""

from __future__ import annotations

import html
import json
import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|])")


def front_matter(**values) -> str:
    # JSON is valid YAML and escapes every string safely.
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in values.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def md_text(text: str) -> str:
    """Plain text safe inside Markdown (no accidental emphasis, links or headings)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
