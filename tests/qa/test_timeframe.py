"""Relative time in questions, read against a date: the windows, and the ends of the calendar."""

from __future__ import annotations

from datetime import date

import pytest

from newsdesk.qa.retrieval.timeframe import TimeWindow, window_in_question

AS_OF = date(2025, 6, 25)  # a Wednesday


@pytest.mark.parametrize(
    ("question", "since", "until"),
    [
        ("What happened today?", AS_OF, AS_OF),
        ("Who resigned yesterday?", date(2025, 6, 24), AS_OF),
        ("What did the court rule last week?", date(2025, 6, 11), date(2025, 6, 22)),
        ("What happened this week?", date(2025, 6, 18), AS_OF),
        ("Who won last month?", date(2025, 5, 1), date(2025, 6, 2)),
        ("What changed this month?", date(2025, 6, 1), AS_OF),
        ("Who was elected last year?", date(2024, 1, 1), date(2025, 1, 2)),
        ("What happened this year?", date(2025, 1, 1), AS_OF),
        ("What was announced on Monday?", date(2025, 6, 23), AS_OF),
        ("What was announced last Wednesday?", date(2025, 6, 18), date(2025, 6, 20)),
    ],
)
def test_relative_times_become_publication_windows(question: str, since: date, until: date) -> None:
    assert window_in_question(question, AS_OF) == TimeWindow(since, until)


def test_a_question_without_relative_time_has_no_window() -> None:
    assert window_in_question("Who is Russia's ambassador to the United States?", AS_OF) is None


# "last week" read against 0001-01-01 raised OverflowError (a 500 from /ask before the API bounded dates).
@pytest.mark.parametrize(
    "question",
    [
        "today", "yesterday", "last week", "this week", "last month", "this month", "last year", "this year",
        "on Monday", "last Sunday",
    ],
)  # fmt: skip
@pytest.mark.parametrize("as_of", [date.min, date(1, 1, 3), date(1, 2, 10), date(9999, 12, 30), date.max])
def test_windows_at_the_ends_of_the_calendar_are_cut_there(question: str, as_of: date) -> None:
    window = window_in_question(f"What happened {question}?", as_of)
    assert window is not None
    assert date.min <= window.since <= window.until <= as_of


@pytest.mark.parametrize(
    ("question", "since", "until"),
    [
        # synonyms of each period
        ("What did the Kremlin say this morning?", AS_OF, AS_OF),
        ("Who speaks tonight?", AS_OF, AS_OF),
        ("What happened in the past week?", date(2025, 6, 11), date(2025, 6, 22)),
        ("What happened the previous week?", date(2025, 6, 11), date(2025, 6, 22)),
        ("Who is meeting this weekend?", date(2025, 6, 18), AS_OF),
        ("What is NATO doing these days?", date(2025, 6, 18), AS_OF),
        ("What changed in the past month?", date(2025, 5, 1), date(2025, 6, 2)),
        # case and possessives do not matter
        ("WHAT HAPPENED LAST WEEK?", date(2025, 6, 11), date(2025, 6, 22)),
        ("What was yesterday's vote?", date(2025, 6, 24), AS_OF),
        # the first period in the order today, yesterday, weeks, months, years, weekdays wins
        ("What happened today or yesterday?", AS_OF, AS_OF),
        ("Is this week's news about last year's summit?", date(2025, 6, 18), AS_OF),
        ("What happened last month, not this month?", date(2025, 5, 1), date(2025, 6, 2)),
        # a weekday named on that weekday is the one a week before
        ("What was announced on Wednesday?", date(2025, 6, 18), date(2025, 6, 20)),
        ("What was announced last Tuesday?", date(2025, 6, 24), AS_OF),
        ("What was announced on Thursday?", date(2025, 6, 19), date(2025, 6, 21)),
    ],
)
def test_more_ways_of_naming_a_period(question: str, since: date, until: date) -> None:
    assert window_in_question(question, AS_OF) == TimeWindow(since, until)


@pytest.mark.parametrize(
    ("question", "as_of", "since", "until"),
    [
        # last month across the new year, and a leap February
        ("last month", date(2025, 1, 15), date(2024, 12, 1), date(2025, 1, 2)),
        ("last month", date(2024, 3, 31), date(2024, 2, 1), date(2024, 3, 2)),
        ("last month", date(2025, 3, 31), date(2025, 2, 1), date(2025, 3, 2)),
        # the two days of reporting never reach past as_of
        ("last month", date(2025, 6, 1), date(2025, 5, 1), date(2025, 6, 1)),
        ("this month", date(2025, 6, 1), date(2025, 6, 1), date(2025, 6, 1)),
        ("last year", date(2025, 1, 1), date(2024, 1, 1), date(2025, 1, 1)),
        ("this year", date(2025, 1, 1), date(2025, 1, 1), date(2025, 1, 1)),
        ("last week", date(2025, 1, 3), date(2024, 12, 20), date(2024, 12, 31)),
    ],
)
def test_windows_at_month_and_year_boundaries(question: str, as_of: date, since: date, until: date) -> None:
    assert window_in_question(f"What happened {question}?", as_of) == TimeWindow(since, until)


@pytest.mark.parametrize(
    "question",
    [
        # absolute dates are not relative time: the since/until filters handle them
        "What happened in March?",
        "Who was elected in 2024?",
        "What was agreed on June 2?",
        # near misses of the phrases
        "What did the weekly briefing say?",
        "Who won the Monday night game?",
        "What happened during the last weekend of May?",
        "Is it still a month away?",
    ],
)
def test_no_window_without_a_relative_time(question: str) -> None:
    assert window_in_question(question, AS_OF) is None


# "this past week" is listed with "this week", but the "last week" rule matches its "past week" first.
def test_this_past_week_is_this_week() -> None:
    assert window_in_question("What happened this past week?", AS_OF) == TimeWindow(date(2025, 6, 18), AS_OF)


WINDOW = TimeWindow(date(2025, 6, 10), date(2025, 6, 20))


@pytest.mark.parametrize(
    ("day", "inside", "distance"),
    [
        (date(2025, 6, 9), False, 1),
        (date(2025, 6, 10), True, 0),
        (date(2025, 6, 15), True, 0),
        (date(2025, 6, 20), True, 0),
        (date(2025, 6, 21), False, 1),
        (date(2025, 5, 31), False, 10),
        (date(2025, 7, 20), False, 30),
        (date(2024, 6, 20), False, 355),
    ],
)
def test_time_window_is_inclusive_and_measures_days_to_its_nearest_end(day: date, inside: bool, distance: int) -> None:
    assert WINDOW.contains(day) is inside
    assert WINDOW.distance_days(day) == distance


def test_a_one_day_window() -> None:
    window = TimeWindow(AS_OF, AS_OF)
    assert window.contains(AS_OF)
    assert [window.distance_days(date(2025, 6, d)) for d in (23, 24, 25, 26, 27)] == [2, 1, 0, 1, 2]
