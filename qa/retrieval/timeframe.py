"""Reading relative time in a question ("this week", "yesterday", "last month") against a date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["TimeFrameConfig", "TimeWindow", "window_in_question"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class TimeFrameConfig:
    """The publication dates that relative time words point at, in days before the question's date.

    Attributes:
        this_week_days: "this week" reaches back this many days.
        last_week_from_days: "last week" starts this many days back ...
        last_week_until_days: ... and ends this many days back.
        report_lag_days: News follows events by a day or two: each window reaches this
            many days past the named period (never past the question's date).
    """

    this_week_days: int = 7
    last_week_from_days: int = 14
    last_week_until_days: int = 5
    report_lag_days: int = 2


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


def window_in_question(question: str, as_of: date, config: TimeFrameConfig = TimeFrameConfig()) -> TimeWindow | None:
    """The publication window a question's relative time words point at, if any.

    News about an event is published on the day and in the days after, so
    each window reaches ``config.report_lag_days`` past the named period (but never
    beyond ``as_of``). Windows near the ends of the calendar are cut at them.

    Args:
        question: The question text.
        as_of: The date the question is asked on.
        config: How far each relative time word reaches.

    Returns:
        The window, or None when the question names no relative time.
    """
    text = question.lower()
    window: TimeWindow | None = None
    if re.search(r"\btoday\b|\bthis morning\b|\btonight\b", text):
        window = TimeWindow(as_of, as_of)
    elif re.search(r"\byesterday\b", text):
        window = TimeWindow(_shifted(as_of, -1), as_of)
    elif re.search(r"\blast week\b|(?<!\bthis )\bpast week\b|\bprevious week\b", text):
        window = TimeWindow(_shifted(as_of, -config.last_week_from_days), _shifted(as_of, -config.last_week_until_days))
    elif re.search(r"\bthis week\b|\bthis weekend\b|\bthese days\b|\bthis past week\b", text):
        window = TimeWindow(_shifted(as_of, -config.this_week_days), as_of)
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
    return TimeWindow(window.since, min(as_of, _shifted(window.until, config.report_lag_days)))
