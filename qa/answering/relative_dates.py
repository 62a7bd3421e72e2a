"""The day a relative time in an answer names, read against its article's date.

"Wednesday evening" in an article of Thursday, March 27, 2025 is March 26;
"yesterday" is the day before the article; "last month" is the month before.
News reports what happened, so a bare weekday points back (at most six days,
the article's own weekday being that day); "next Monday" points forward. A
date without a year ("March 26") takes the article's year. Returns ISO text:
``YYYY-MM-DD`` for a day, ``YYYY-MM`` for a month, ``YYYY`` for a year.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

__all__ = ["resolve_relative_date"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH_PREFIX = {m[:3]: i + 1 for i, m in enumerate(_MONTHS)}
_WEEKDAY = re.compile(r"\b(?:(last|next|this)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
_DAY_WORD = re.compile(r"\b(yesterday|today|tonight|tomorrow|this morning|this afternoon|this evening)\b", re.I)
_MONTH_DAY = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?!,?\s+\d{4})", re.I
)
_DAY_MONTH = re.compile(r"\b(\d{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b(?!\s+\d{4})", re.I)
_PERIOD = re.compile(r"\b(last|this|next)\s+(month|year)\b", re.I)
_SHIFT = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}


def _month_shift(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _day_in_year(published: date, month: int, day: int) -> date | None:
    try:
        return date(published.year, month, day)
    except ValueError:
        return None


def resolve_relative_date(text: str, published: str | None) -> str | None:
    """The calendar day (or month, or year) that ``text`` names, against the article's date.

    Args:
        text: An answer span ("Wednesday evening", "yesterday", "last month", "March 26").
        published: The article's date, ``YYYY-MM-DD``; without one nothing is resolved.

    Returns:
        ISO ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; None when the span names no relative time.
    """
    try:
        day = date.fromisoformat(published) if published else None
    except ValueError:
        day = None
    if day is None:
        return None
    if match := _DAY_WORD.search(text):
        word = match.group(1).lower()
        return (day + timedelta(days=_SHIFT.get(word, 0))).isoformat()
    if match := _WEEKDAY.search(text):
        which, name = (match.group(1) or "").lower(), match.group(2).lower()
        back = (day.weekday() - _WEEKDAYS.index(name)) % 7
        if which == "next":
            return (day + timedelta(days=(7 - back) % 7 or 7)).isoformat()
        if which == "last" and back == 0:
            back = 7
        return (day - timedelta(days=back)).isoformat()
    if match := _MONTH_DAY.search(text):
        found = _day_in_year(day, _MONTH_PREFIX[match.group(1).lower()[:3]], int(match.group(2)))
        return found.isoformat() if found else None
    if match := _DAY_MONTH.search(text):
        found = _day_in_year(day, _MONTH_PREFIX[match.group(2).lower()[:3]], int(match.group(1)))
        return found.isoformat() if found else None
    if match := _PERIOD.search(text):
        shift = {"last": -1, "this": 0, "next": 1}[match.group(1).lower()]
        if match.group(2).lower() == "month":
            return _month_shift(day, shift).strftime("%Y-%m")
        return str(day.year + shift)
    return None
