"""Finding glossary terms in text: one Aho-Corasick automaton for all terms.

Matching cost is linear in the text (plus the matches), whatever the number of
terms. Rules: whole words only; longest match wins; forms written in capitals
(acronyms such as "WHO") match case-sensitively, other forms in any case;
simple plurals and possessives ("alliances", "WHO's") match too. Curly and
straight quotes are the same character to it: the linker reads a page's text
before `smarty` makes its quotes curly, and a form is often copied from a page
that shows them curly ("People’s Liberation Army").
"""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick

# A bare apostrophe is not a suffix: it is more often a closing quotation mark.
SUFFIXES = ("'s", "es", "s")
_STRAIGHT_QUOTES = str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"")     # one character for one: positions kept


def fold_quotes(text: str) -> str:
    return text.translate(_STRAIGHT_QUOTES)


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    slug: str


def is_acronym(form: str) -> bool:
    return any(c.isupper() for c in form) and not any(c.islower() for c in form)


def _lower_same_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


class TermMatcher:
    def __init__(self, forms: dict[str, str]):
        """forms: each surface form (term or alias) -> the slug of its entry."""
        self._exact = ahocorasick.Automaton()
        self._folded = ahocorasick.Automaton()
        self._has_exact = self._has_folded = False
        for form, slug in forms.items():
            form = fold_quotes(" ".join(form.split()))
            if not form:
                continue
            if is_acronym(form):
                self._exact.add_word(form, (len(form), slug))
                self._has_exact = True
            else:
                self._folded.add_word(_lower_same_length(form), (len(form), slug))
                self._has_folded = True
        if self._has_exact:
            self._exact.make_automaton()
        if self._has_folded:
            self._folded.make_automaton()

    def find(self, text: str) -> list[Match]:
        if not (self._has_exact or self._has_folded) or not text:
            return []
        # Line breaks inside a paragraph separate words like spaces.
        normalised = fold_quotes(text.replace("\n", " ").replace("\t", " "))
        candidates = []
        if self._has_exact:
            candidates += self._candidates(self._exact, normalised, normalised)
        if self._has_folded:
            candidates += self._candidates(self._folded, _lower_same_length(normalised), normalised)
        candidates.sort(key=lambda m: (m.start, -(m.end - m.start)))
        chosen, reach = [], 0
        for match in candidates:
            if match.start >= reach:
                chosen.append(match)
                reach = match.end
        return chosen

    @staticmethod
    def _candidates(automaton, haystack: str, original: str) -> list[Match]:
        found = []
        size = len(original)
        for last, (length, slug) in automaton.iter(haystack):
            start, end = last - length + 1, last + 1
            if start > 0 and _is_word_char(original[start - 1]):
                continue
            for suffix in SUFFIXES + ("",):
                stop = end + len(suffix)
                if suffix and original[end:stop].lower() != suffix:
                    continue
                if stop < size and _is_word_char(original[stop]):
                    continue
                found.append(Match(start, stop, slug))
                break
        return found
