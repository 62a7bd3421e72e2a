"""Dates a question may be filtered or read against: only those that make sense for news."""

from __future__ import annotations

from datetime import date

import pytest
from newsdesk.qa.dates import NEWS_DATES
from newsdesk.qa.errors import QueryError
from newsdesk.qa.retrieval.filters import PassageFilter, as_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (NEWS_DATES.earliest, date(1600, 1, 1)),
        ("2199-12-31", NEWS_DATES.latest),
        ("Wed Jun 25 2025", date(2025, 6, 25)),
    ],
)
def test_dates_that_make_sense_for_news_are_read(value: date | str | None, expected: date | None) -> None:
    assert as_date(value, "as_of") == expected


@pytest.mark.parametrize("value", [date.min, date(1599, 12, 31), "2200-01-01", date.max])
def test_dates_outside_news_are_refused(value: date | str) -> None:
    with pytest.raises(QueryError, match=r"^as_of must be between 1600-01-01 and 2199-12-31, got "):
        as_date(value, "as_of")


def test_a_malformed_date_or_a_reversed_range_is_refused() -> None:
    with pytest.raises(QueryError, match="since must be a date"):
        PassageFilter.build("June", None, None)
    with pytest.raises(QueryError, match="since must not be after until"):
        PassageFilter.build("2025-06-26", "2025-06-25", None)
