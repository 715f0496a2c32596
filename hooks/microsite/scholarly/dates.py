"""Edition dates: read from front matter, written in the form each consumer wants.

- Google Scholar: `YYYY/MM/DD` (its example: "1996/05/17"), or a year alone.
- JSON-LD and Open Graph: ISO 8601 date-time with a time zone (Google's Article
  structured data recommends one). A front-matter date without a time stands
  for the start of that day in the site's time zone (`timezone`, default UTC);
  no time of day is invented beyond that convention.
- Dublin Core and BibTeX/RIS: the calendar date (W3CDTF `YYYY-MM-DD`).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Edition = dt.date          # a date, or a datetime (a subclass) when the author gave a time


def parse_edition_date(value) -> Edition:
    """A YAML date/datetime or an ISO string; raises ValueError otherwise."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if "T" in text or " " in text:
        return dt.datetime.fromisoformat(text)
    if len(text) != 10:             # fromisoformat also takes "20201105"; front matter should not
        raise ValueError(text)
    return dt.date.fromisoformat(text)


def calendar_date(value: Edition) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def scholar_date(value: Edition) -> str:
    return calendar_date(value).strftime("%Y/%m/%d")


def iso_date(value: Edition) -> str:
    return calendar_date(value).isoformat()


def iso_datetime(value: Edition, timezone: str = "UTC") -> str:
    """ISO 8601 with an offset, e.g. 2024-05-01T00:00:00+00:00."""
    zone = time_zone(timezone)
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=zone)
    else:
        moment = dt.datetime.combine(value, dt.time(0, 0), tzinfo=zone)
    return moment.isoformat()


def time_zone(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}") from None
