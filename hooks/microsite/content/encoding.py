"""Authored files are UTF-8: anything else is reported with the first wrong byte and its line.
Control characters in a page (a NUL, an escape, C1 controls: pasted from a PDF or a word
processor) are no text and make the HTML invalid: reported and left out of the page."""

from __future__ import annotations

import codecs
import re

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


# HTML's "control characters" other than its whitespace (tab, line feed, form feed,
# carriage return), and the two noncharacters a text may end up holding.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# unicodedata has no names for controls: the common ones, as Unicode's name aliases write them.
_NAMES = {0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x0B: "LINE TABULATION", 0x1B: "ESCAPE", 0x7F: "DELETE",
          0x85: "NEXT LINE"}


def without_control_characters(text: str, path: str, problems: Problems) -> str:
    """The text without control characters; reported at the line of the first."""
    found = _CONTROL.search(text)
    if found is None:
        return text
    code = ord(found.group(0))
    named = f"U+{code:04X} {_NAMES[code]}" if code in _NAMES else f"U+{code:04X}"
    count = len(_CONTROL.findall(text))
    what = (f"a control character ({named}), which is not text; it is" if count == 1 else
            f"{count} control characters (the first: {named}), which are not text; they are")
    problems.report(path, text.count("\n", 0, found.start()) + 1,
                    f"the file holds {what} left out of the page",
                    "Delete them (often pasted from a PDF or a word processor; an editor that shows invisible "
                    "characters finds them).")
    return _CONTROL.sub("", text)
