"""Dates as researchers know them: a decade, a year, a month or a day, and
ranges of them. A date is never stated more precisely than it was written.

Forms: `2000s` (decade), `2014` (year), `2014-03` (month), `2014-03-18` (day).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

DECADE, YEAR, MONTH, DAY = "decade", "year", "month", "day"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
DATE_FORMS = "a year (2014), a month (2014-03), a day (2014-03-18) or a decade (2000s)"
_FORM = re.compile(r"(?P<year>\d{4})(?:(?P<decade>s)|-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?")


class DateError(ValueError):
    """What is wrong with a written date, in an author's words."""


@dataclass(frozen=True, order=False)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None
    decade: bool = False

    @property
    def precision(self) -> str:
        if self.decade:
            return DECADE
        return DAY if self.day else MONTH if self.month else YEAR

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        if self.decade:
            return dt.date(self.year + 9, 12, 31)
        if self.day:
            return self.first_day
        if self.month:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, 12, 31)

    @property
    def iso(self) -> str | None:
        """The value of an HTML `<time datetime>` (none exists for a decade)."""
        if self.decade:
            return None
        return "-".join([f"{self.year:04d}"] + [f"{part:02d}" for part in (self.month, self.day) if part])

    @property
    def group(self) -> str:
        """The heading it is listed under: its year, or its decade."""
        return f"{self.year}s" if self.decade else str(self.year)

    def text(self, with_year: bool = True, with_month: bool = True) -> str:
        """`18 March 2014`, `March 2014`, `2014`, `2000s`; parts left out for a compact range."""
        if self.decade:
            return f"{self.year}s"
        parts = []
        if self.day:
            parts.append(str(self.day))
        if self.month and (with_month or not self.day):
            parts.append(MONTHS[self.month - 1])
        if with_year or not parts:
            parts.append(str(self.year))
        return " ".join(parts)


def parse_date(written: str) -> PartialDate:
    text = written.strip()
    match = _FORM.fullmatch(text)
    if not match:
        raise DateError(f"'{text}' is not a date")
    year = int(match["year"])
    if year < 1:
        raise DateError(f"'{text}' is not a date (there is no year 0)")
    if match["decade"]:
        if year % 10:
            raise DateError(f"'{text}' is not a decade (a decade starts with a year ending in 0, e.g. {year // 10}0s)")
        return PartialDate(year, decade=True)
    month = int(match["month"]) if match["month"] else None
    day = int(match["day"]) if match["day"] else None
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"'{text}' does not exist (there is no month {month})")
    if day is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            raise DateError(f"'{text}' does not exist ({MONTHS[month - 1]} {year} has "
                            f"{calendar.monthrange(year, month)[1]} days)") from None
    return PartialDate(year, month, day)


@dataclass(frozen=True)
class When:
    """A date, a range of dates, or a date onwards (`ongoing`)."""

    start: PartialDate
    end: PartialDate | None = None
    ongoing: bool = False

    @property
    def sort_key(self) -> tuple:
        return (self.start.first_day, self.end.last_day if self.end else self.start.last_day)

    def segments(self) -> list[tuple[str | None, str]]:
        """What to show, as (datetime or None, text) pieces: `<time datetime>`s and the text between."""
        start, end = self.start, self.end
        if self.ongoing:
            return [(None, "Since "), (start.iso, start.text())]
        if end is None or end == start:
            return [(start.iso, start.text())]
        same_year = not start.decade and not end.decade and start.year == end.year
        both_months = start.month is not None and end.month is not None
        if same_year and both_months and start.month == end.month and start.day and end.day:
            return [(start.iso, str(start.day)), (None, "–"), (end.iso, end.text())]           # 3–5 March 2014
        if same_year and both_months and bool(start.day) == bool(end.day):
            return [(start.iso, start.text(with_year=False)), (None, " – "), (end.iso, end.text())]
        if start.precision == end.precision == YEAR:
            return [(start.iso, start.text()), (None, "–"), (end.iso, end.text())]             # 2014–2015
        return [(start.iso, start.text()), (None, " – "), (end.iso, end.text())]

    def plain(self) -> str:
        return "".join(text for _, text in self.segments())
