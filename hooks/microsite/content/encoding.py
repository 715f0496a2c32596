"""Authored files are UTF-8: anything else is reported with the first wrong byte and its line."""

from __future__ import annotations

import codecs

from microsite.problems import Problems

SAVE_AS_UTF8 = "Save it as UTF-8 (in the editor, or in the reference manager's export settings)."
SAVE_AS_UTF8_IN_EDITOR = "Save it as UTF-8 in your editor (its encoding setting, e.g. \"Save with encoding\")."


def _how_to_fix(path: str) -> str:
    return SAVE_AS_UTF8 if path.lower().endswith(".bib") else SAVE_AS_UTF8_IN_EDITOR


def decode_utf8(data: bytes, path: str, problems: Problems, consequence: str) -> str | None:
    """The text of a file (a UTF-8 byte-order mark is allowed); None, reported, when it is not
    UTF-8. `consequence` says what the build does without it ("the page is left out")."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        problems.report(path, None, f"the file is UTF-16 text, not UTF-8; {consequence}", _how_to_fix(path))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.report(path, None, f"the file is not UTF-8 text (byte 0x{data[error.start]:02X} at line {line}); "
                                    f"{consequence}", _how_to_fix(path))
        return None
