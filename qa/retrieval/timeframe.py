"""Reading relative time in a question ("this week", "yesterday", "last month") against a date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["TimeWindow", "window_in_question"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class TimeWindow:
    """An inclusive range of publication dates a question points at."""

    since: date
    until: date

    def contains(self, day: date) -> bool:
        return self.since <= day <= self.until

    def distance_days(self, day: date) -> int:
        """Days from ``day`` to the window (0 inside it)."""
        if day < self.since:
            return (self.since - day).days
        if day > self.until:
            return (day - self.until).days
        return 0


def _shifted(day: date, days: int) -> date:
    """``day`` moved by ``days``, held at the ends of the calendar rather than overflowing."""
    return date.fromordinal(min(max(day.toordinal() + days, date.min.toordinal()), date.max.toordinal()))


def _month_window(year: int, month: int) -> TimeWindow:
    start = date(year, month, 1)
    last = date(year, 12, 31) if month == 12 else date(year, month + 1, 1) - timedelta(days=1)
    return TimeWindow(start, last)


def window_in_question(question: str, as_of: date) -> TimeWindow | None:
    """The publication window a question's relative time words point at, if any.

    News about an event is published on the day and in the days after, so
    each window reaches a couple of days past the named period (but never
    beyond ``as_of``). Windows near the ends of the calendar are cut at them.

    Args:
        question: The question text.
        as_of: The date the question is asked on.

    Returns:
        The window, or None when the question names no relative time.
    """
    text = question.lower()
    window: TimeWindow | None = None
    if re.search(r"\btoday\b|\bthis morning\b|\btonight\b", text):
        window = TimeWindow(as_of, as_of)
    elif re.search(r"\byesterday\b", text):
        window = TimeWindow(_shifted(as_of, -1), as_of)
    elif re.search(r"\blast week\b|\bpast week\b|\bprevious week\b", text):
        window = TimeWindow(_shifted(as_of, -14), _shifted(as_of, -5))
    elif re.search(r"\bthis week\b|\bthis weekend\b|\bthese days\b|\bthis past week\b", text):
        window = TimeWindow(_shifted(as_of, -7), as_of)
    elif re.search(r"\blast month\b|\bpast month\b", text):
        previous = _shifted(as_of.replace(day=1), -1)
        window = _month_window(previous.year, previous.month)
    elif re.search(r"\bthis month\b", text):
        window = TimeWindow(as_of.replace(day=1), as_of)
    elif re.search(r"\blast year\b", text):
        year = max(as_of.year - 1, date.min.year)
        window = TimeWindow(date(year, 1, 1), date(year, 12, 31))
    elif re.search(r"\bthis year\b", text):
        window = TimeWindow(date(as_of.year, 1, 1), as_of)
    else:
        match = re.search(r"\b(?:on|last)\s+(" + "|".join(_WEEKDAYS) + r")\b", text)
        if match:
            back = (as_of.weekday() - _WEEKDAYS.index(match.group(1))) % 7 or 7
            day = _shifted(as_of, -back)
            window = TimeWindow(day, day)
    if window is None:
        return None
    # Reports follow events by a day or two.
    return TimeWindow(window.since, min(as_of, _shifted(window.until, 2)))
