"""Dates a question may be filtered or read against: only those that make sense for news."""

from __future__ import annotations

from datetime import date

import pytest

from newsdesk.qa.dates import NEWS_DATES
from newsdesk.qa.errors import QueryError
from newsdesk.qa.retrieval.filters import PassageFilter, as_date
from newsdesk.qa.types import Passage, StoredPassage


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


def _stored(published: str | None, source: str | None) -> StoredPassage:
    return StoredPassage(Passage("a1", 0, 0, 4, "Text"), "Title", None, published, source)


@pytest.mark.parametrize(
    ("since", "until", "source", "published", "article_source", "admitted"),
    [
        # no filter admits everything, dated or not
        (None, None, None, None, None, True),
        (None, None, None, "2025-06-25", "Reuters", True),
        # dates are inclusive at both ends
        ("2025-06-01", None, None, "2025-06-01", None, True),
        ("2025-06-01", None, None, "2025-05-31", None, False),
        (None, "2025-06-30", None, "2025-06-30", None, True),
        (None, "2025-06-30", None, "2025-07-01", None, False),
        ("2025-06-01", "2025-06-30", None, "2025-06-15", None, True),
        ("2025-06-25", "2025-06-25", None, "2025-06-25", None, True),
        ("2025-06-25", "2025-06-25", None, "2025-06-24", None, False),
        # an undated article never passes a date filter
        ("2025-06-01", None, None, None, "Reuters", False),
        (None, "2025-06-30", None, None, "Reuters", False),
        # ... but does pass a source filter alone
        (None, None, "Reuters", None, "Reuters", True),
        # sources compare without case, and must match whole
        (None, None, "reuters", "2025-06-25", "Reuters", True),
        (None, None, "REUTERS", "2025-06-25", "reuters", True),
        (None, None, "Reuters", "2025-06-25", "Reuters Africa", False),
        (None, None, "Reuters", "2025-06-25", "AP", False),
        (None, None, "Reuters", "2025-06-25", None, False),
        # both kinds of limit must hold
        ("2025-06-01", None, "Reuters", "2025-06-25", "AP", False),
        ("2025-06-01", None, "Reuters", "2025-05-25", "Reuters", False),
        ("2025-06-01", None, "Reuters", "2025-06-25", "reuters", True),
    ],
)
def test_filter_admits(
    since: str | None,
    until: str | None,
    source: str | None,
    published: str | None,
    article_source: str | None,
    admitted: bool,
) -> None:
    assert PassageFilter.build(since, until, source).admits(_stored(published, article_source)) is admitted


@pytest.mark.parametrize(
    ("since", "until", "source", "expected", "active"),
    [
        (None, None, None, PassageFilter(None, None, None), False),
        (None, None, "", PassageFilter(None, None, None), False),  # an empty source is no source
        ("2025-06-01", None, None, PassageFilter(date(2025, 6, 1), None, None), True),
        (None, date(2025, 6, 30), None, PassageFilter(None, date(2025, 6, 30), None), True),
        ("Wed Jun 25 2025", "2025-06-25", None, PassageFilter(date(2025, 6, 25), date(2025, 6, 25), None), True),
        (None, None, "AP", PassageFilter(None, None, "AP"), True),
    ],
)
def test_filter_build_reads_dates_and_source(
    since: date | str | None, until: date | str | None, source: str | None, expected: PassageFilter, active: bool
) -> None:
    built = PassageFilter.build(since, until, source)
    assert built == expected
    assert built.active is active


@pytest.mark.parametrize(
    ("since", "until", "message"),
    [
        ("June", None, r"^since must be a date \(YYYY-MM-DD\), got 'June'$"),
        (None, "2025-13-01", r"^until must be a date \(YYYY-MM-DD\), got '2025-13-01'$"),
        (None, "", r"^until must be a date \(YYYY-MM-DD\), got ''$"),
        ("2025-06-01", "1500-01-01", r"^until must be between 1600-01-01 and 2199-12-31, got 1500-01-01$"),
        ("2025-06-26", "2025-06-25", r"^since must not be after until$"),
        (date(2025, 7, 1), date(2025, 6, 30), r"^since must not be after until$"),
    ],
)
def test_filter_build_refuses(since: date | str | None, until: date | str | None, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        PassageFilter.build(since, until, None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2025, 6, 25), date(2025, 6, 25)),
        ("2025-06-25T10:00:00Z", date(2025, 6, 25)),
        (" June 25, 2025 ", date(2025, 6, 25)),
        ("25 June 2025", date(2025, 6, 25)),
        ("2025/06/25", date(2025, 6, 25)),
    ],
)
def test_as_date_reads_the_usual_spellings(value: date | str, expected: date) -> None:
    assert as_date(value, "since") == expected


@pytest.mark.parametrize("value", ["", "   ", "tomorrow", "2025-02-30", "25/06/2025", "2025-06"])
def test_as_date_names_the_parameter_and_the_value_it_refuses(value: str) -> None:
    with pytest.raises(QueryError) as caught:
        as_date(value, "until")
    assert str(caught.value) == f"until must be a date (YYYY-MM-DD), got {value!r}"
