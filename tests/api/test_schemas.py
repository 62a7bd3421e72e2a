"""The request schemas' patterns say exactly what the code accepts."""

from __future__ import annotations

import re

import pytest

from newsdesk.api.schemas import NOT_BLANK, AskRequest, digit_range_pattern


@pytest.mark.parametrize(
    ("low", "high"),
    [(1600, 2199), (1000, 9999), (1999, 2000), (2025, 2025), (1234, 5678), (10, 99), (0, 9), (7, 7), (19, 81)],
)
def test_a_digit_range_pattern_matches_exactly_the_range(low: int, high: int) -> None:
    width = len(str(low))
    pattern = re.compile(digit_range_pattern(low, high))
    for number in range(10 ** (width - 1) if width > 1 else 0, 10**width):
        assert bool(pattern.fullmatch(str(number))) == (low <= number <= high), number


@pytest.mark.parametrize(("low", "high"), [(999, 1000), (2000, 1999)])
def test_a_digit_range_needs_one_width_and_order(low: int, high: int) -> None:
    with pytest.raises(ValueError):
        digit_range_pattern(low, high)


def test_not_blank_matches_any_character_strip_keeps() -> None:
    not_blank = re.compile(NOT_BLANK)
    for code in range(0x10000):
        character = chr(code)
        assert bool(not_blank.fullmatch(character)) == (not character.isspace()), hex(code)


def test_the_date_pattern_states_the_news_years() -> None:
    as_of = AskRequest.model_json_schema()["properties"]["as_of"]["anyOf"][0]
    assert as_of["format"] == "date"
    assert (as_of["formatMinimum"], as_of["formatMaximum"]) == ("1600-01-01", "2199-12-31")
    year = re.compile(as_of["pattern"])
    assert [y for y in range(1000, 10000) if year.match(f"{y}-01-01")] == list(range(1600, 2200))
