"""The date fields of a bib entry as pandoc reads them, and what to tell an author
whose date it cannot show.

biblatex reads a wide ISO 8601-2 grammar; pandoc, which formats every reference
here, reads less of it and shows what it cannot read as "n.d." (or leaves an
access date out) without a word. The forms below are those pandoc shows, as
measured by tests/generator/test_bib_input.py (which renders each one): a
calendar date with a four-digit year, to the month or the day, with a time and
`?` `~` `%`; a range of two of them (one side may be empty); in `year` also a
year of any number of digits, and `forthcoming`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from microsite.model.partial_dates import MONTHS

_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# A biblatex date's calendar part: its year (four digits or more, negative allowed), month, day.
_BIBLATEX_DAY = re.compile(r"(?P<year>-?\d{4,})-(?P<month>\d{2})(?:-(?P<day>\d{2}))?")
_SHOWN_SIDE = re.compile(r"(?P<year>-?\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?"
                         r"(?:T[0-9:.]+(?:Z|[+-]\d{2}(?::?\d{2})?)?)?[?~%]*")
_SHOWN_YEAR = re.compile(r"-?\d+[?~%]*")
_NO_DATE = re.compile(r"n\.?\s*d\.?", re.IGNORECASE)      # `year = {n.d.}`: the README's "no date"
CONSEQUENCE = {"year": "the references show 'n.d.' instead", "date": "the references show 'n.d.' instead",
               "urldate": "the references show no access date", "origdate": "the references show no original date",
               "eventdate": "the references show no event date"}
PUBLICATION_HINT = ("Write the year as digits (`year = {2020}`; the style adds a, b … itself where it must tell two "
                    "works apart), a range as `date = {2019/2021}`, an approximate year as `date = {2020~}`, a work "
                    "not yet published as `pubstate = {forthcoming}` or `pubstate = {inpress}`; `year = {n.d.}` says "
                    "the work has no date.")
DATE_HINT = "Write the date as YYYY-MM-DD, YYYY-MM or YYYY; a range as start/end (`2019-05/2021`)."


@dataclass(frozen=True)
class DateProblem:
    what: str               # "`date = {2021/2019}` ends before it begins"
    consequence: str        # what readers see meanwhile, or ""
    hint: str


def readable(name: str, value: str | None) -> bool:
    return bool(value) and _shown_sides(name, value.strip()) is not None


def date_problem(name: str, value: str, fallback: str | None = None) -> DateProblem | None:
    """What is wrong with the date field `name` as pandoc reads it, or None. `fallback`: the
    other of `year` and `date` when the entry has it readable (pandoc then shows that one)."""
    written = f"`{name} = {{{value}}}`"
    impossible = biblatex_date_problem(value)
    if impossible:
        return DateProblem(f"{written} is not a real date: {impossible}", "pandoc would show only what it can read",
                           "Correct the date (YYYY-MM-DD, YYYY-MM or YYYY; a range as start/end).")
    sides = _shown_sides(name, value.strip())
    if sides is None:
        consequence = f"the references show the `{fallback}` instead" if fallback else \
            CONSEQUENCE.get(name, "it is not shown")
        return DateProblem(f"{written} is not a date pandoc can read", consequence,
                           PUBLICATION_HINT if name in ("year", "date") else DATE_HINT)
    if len(sides) == 2 and sides[0] and sides[1]:
        start, end = sides
        common = min(len(start), len(end))
        if end[:common] < start[:common]:
            return DateProblem(f"{written} ends before it begins", "", "Write the earlier date first (start/end).")
    return None


def _shown_sides(name: str, value: str) -> list[tuple[int, ...]] | None:
    """Each side of the date as (year, month, day) as far as written; None if pandoc shows nothing of it."""
    if _NO_DATE.fullmatch(value) or (name == "year" and value == "forthcoming"):
        return []
    if name == "year" and _SHOWN_YEAR.fullmatch(value):
        return None if int(value.rstrip("?~%")) == 0 else [(int(value.rstrip("?~%")),)]
    parts = value.split("/")
    if len(parts) > 2 or not any(parts):
        return None
    sides = []
    for part in parts:
        if not part:
            sides.append(())
            continue
        match = _SHOWN_SIDE.fullmatch(part)
        if match is None or (int(match["year"]) == 0 and name in ("year", "date")):   # year 0: no date at all
            return None
        sides.append(tuple(int(number) for number in match.group("year", "month", "day") if number is not None))
    return sides


def biblatex_date_problem(value: str) -> str | None:
    """What makes a biblatex date field (`date`, `urldate` …) name a month or day that
    does not exist, or None. Only a plain calendar date is judged here (ranges with `/`,
    open ends, `?` `~` `%`, unspecified digits, times, seasons as months 21-24 are read
    by biblatex). pandoc shows `2020-13-01` as 2020 without a word: the author would
    never know."""
    for side in value.split("/"):
        calendar_part = re.split(r"[T ]", side.strip(), maxsplit=1)[0].rstrip("?~%")
        match = _BIBLATEX_DAY.fullmatch(calendar_part)
        if not match:
            continue
        year, month = int(match["year"]), int(match["month"])
        if not (1 <= month <= 12 or (21 <= month <= 24 and match["day"] is None)):
            return f"there is no month {month}"
        if match["day"] is not None:
            day = int(match["day"])
            last = 29 if month == 2 and calendar.isleap(year) else _DAYS[month - 1]   # any year, 0 and BCE too
            if not 1 <= day <= last:
                return f"{MONTHS[month - 1]} {year} has {last} days"
    return None
