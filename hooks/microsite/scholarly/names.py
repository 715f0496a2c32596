"""Splitting an author's name into given and family names, only when it is safe.

Reference managers and Google Scholar store family and given names apart; a
wrong split ("García" as a given name of "Gabriel García Márquez") would be
copied into every citation of the page. So a name is split only when its form
leaves no doubt:

- "Family, Given" (the author wrote the split, as BibTeX does);
- two words, both capitalised ("Ada Lovelace");
- capitalised given names or initials before one family name when all but the
  first are initials ("Grace B. Hopper", "J. R. R. Tolkien").

Anything else (particles such as "van", suffixes such as "Jr.", three full
words, lower-case words) is kept whole; an author can always write
"Family, Given" or give `given` and `family` in front matter.
"""

from __future__ import annotations

import re

_INITIAL = re.compile(r"^(?:[A-Z]\.)+(?:-[A-Z]\.)?$")       # "E.", "J.-P.", "J.R."
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v"}


def split_name(name: str) -> tuple[str, str] | None:
    """(given, family) when the split is certain, else None."""
    text = " ".join(name.split())
    if text.count(",") == 1:
        family, given = (part.strip() for part in text.split(","))
        return (given, family) if given and family and given.lower() not in _SUFFIXES else None
    if "," in text:
        return None
    words = text.split(" ")
    if len(words) < 2 or any(not _capitalised(word) for word in words):
        return None
    if words[-1].lower() in _SUFFIXES:
        return None
    if len(words) == 2 or all(_INITIAL.match(word) for word in words[1:-1]):
        return " ".join(words[:-1]), words[-1]
    return None


def _capitalised(word: str) -> bool:
    first = next((char for char in word if char.isalpha()), "")
    return first.isupper()
