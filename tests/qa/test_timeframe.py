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
