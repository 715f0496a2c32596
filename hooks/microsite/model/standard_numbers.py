"""ISBNs and ISSNs in bib fields, checked by their check digits.

A reference manager stores what was typed or scraped: a digit dropped or two
swapped gives a number that looks right and names another book. Each number's
last character is a check digit (ISBN-10 and ISSN: weighted sum modulo 11, X
for 10; ISBN-13: weights 1 and 3 modulo 10), so such a typo can be told without
looking anything up. A field may hold several numbers (Zotero writes an ISBN-13
and an ISBN-10 side by side); hyphens and spaces inside a number are allowed.
Nothing is corrected: which digit is wrong cannot be known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ISBN = re.compile(r"(?<![\dXx])(?:97[89][-\s]?)?(?:\d[-\s]?){9}[\dXx](?![\dXx])")
_ISSN = re.compile(r"(?<![\dXx])\d{4}-?\d{3}[\dXx](?![\dXx])")
_SEPARATORS = " ;,/"


@dataclass(frozen=True)
class NumberProblem:
    what: str
    hint: str


def number_problem(name: str, value: str) -> NumberProblem | None:
    """What is wrong with an `isbn` or `issn` field, or None (also for other fields)."""
    name = name.lower()
    if name not in ("isbn", "issn"):
        return None
    pattern, valid, label = (_ISBN, _isbn_valid, "an ISBN") if name == "isbn" else (_ISSN, _issn_valid, "an ISSN")
    hint = (f"Copy the {label[3:]} again from the work itself or its publisher's page (hyphens allowed; several "
            "separated by spaces), or leave the field out.")
    leftover = pattern.sub("", value).strip(_SEPARATORS)
    if leftover or not value.strip(_SEPARATORS):
        form = "10 or 13 digits" if name == "isbn" else "8 digits, the last may be X"
        return NumberProblem(f"`{name} = {{{value}}}` is not {label} ({form})", hint)
    for number in pattern.findall(value):
        if not valid(re.sub(r"[-\s]", "", number)):
            which = f"`{name} = {{{value}}}`" if number == value.strip(_SEPARATORS) else \
                f"'{number}' in `{name} = {{{value}}}`"
            return NumberProblem(f"{which} is not {label}: its check digit does not match its other digits (a digit "
                                 "mistyped or two swapped?)", hint)
    return None


def _isbn_valid(digits: str) -> bool:
    if len(digits) == 10 and digits[:9].isdigit():
        return sum((10 - i) * _value(c) for i, c in enumerate(digits)) % 11 == 0
    if len(digits) == 13 and digits.isdigit():
        return sum((3 if i % 2 else 1) * int(c) for i, c in enumerate(digits)) % 10 == 0
    return False


def _issn_valid(digits: str) -> bool:
    return digits[:7].isdigit() and sum((8 - i) * _value(c) for i, c in enumerate(digits)) % 11 == 0


def _value(character: str) -> int:
    return 10 if character in "Xx" else int(character)
