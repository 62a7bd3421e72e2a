"""What the request and response models share: field types and rules, the strict request base, errors, health."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from newsdesk.api.limits import BOUNDS
from newsdesk.qa.ingest.cleaning import BLANK_TEXT

__all__ = [
    "NOT_BLANK",
    "ErrorOut",
    "FieldProblemOut",
    "HealthOut",
    "NewsDate",
    "QuoteCount",
    "StrictRequest",
    "WholeNumber",
    "digit_range_pattern",
]

# A question or message must hold more than white space: the pipeline strips it and refuses an empty
# one in its own words ("the question is empty"), and the schema states the rule as this pattern. It
# spells out what str.strip() removes, because \s means different things to different regex engines.
NOT_BLANK = r"[^\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
STATES_NOT_BLANK = Field(json_schema_extra={"minLength": 1, "pattern": NOT_BLANK})
# The pipeline refuses a title or text that cleans to nothing. Stated with "not" rather than a
# pattern: schema-driven generators cannot fill a pattern up to the 2,000,000 characters of a text.
STATES_NOT_BLANK_TEXT = Field(json_schema_extra={"not": {"pattern": BLANK_TEXT}})


def digit_range_pattern(low: int, high: int) -> str:
    """A regular expression matching exactly the integers ``low..high`` written with the same number of digits.

    Args:
        low: The smallest number.
        high: The largest; as many digits as ``low``.

    Returns:
        The pattern, without anchors.
    """
    first, last = str(low), str(high)
    if len(first) != len(last) or low > high:
        raise ValueError(f"{low}..{high} is not a range of numbers of one length")

    def alternatives(lo: str, hi: str) -> list[str]:
        if lo == hi:
            return [lo]
        rest = len(lo) - 1
        if lo == "0" * len(lo) and hi == "9" * len(hi):
            return ["\\d" * len(lo)]
        if lo[0] == hi[0]:
            return [lo[0] + tail for tail in alternatives(lo[1:], hi[1:])]
        parts = [lo[0] + tail for tail in alternatives(lo[1:], "9" * rest)]
        if int(hi[0]) - int(lo[0]) > 1:
            parts.append(f"[{int(lo[0]) + 1}-{int(hi[0]) - 1}]" + "\\d" * rest)
        return parts + [hi[0] + tail for tail in alternatives("0" * rest, hi[1:])]

    return "(?:" + "|".join(alternatives(first, last)) + ")"


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


_DATES = BOUNDS.news_dates


def _date_from_iso(value: object) -> object:
    """Only ``YYYY-MM-DD``: pydantic alone would also read 0 or "86400" as a Unix time."""
    if isinstance(value, str):
        if not _ISO_DATE.fullmatch(value):
            raise ValueError("a date is written YYYY-MM-DD")
        return date.fromisoformat(value)
    return value


def _news_date(day: date) -> date:
    if not _DATES.contains(day):
        raise ValueError(f"the date must be between {_DATES.earliest} and {_DATES.latest}")
    return day


NewsDate = Annotated[
    date,
    BeforeValidator(_date_from_iso),
    AfterValidator(_news_date),
    Field(
        # JSON Schema has no bounds for dates: a pattern on the year states them to validators and
        # generators; formatMinimum/formatMaximum (a draft keyword some validators know) say them plainly.
        json_schema_extra={
            "pattern": f"^{digit_range_pattern(_DATES.first_year, _DATES.last_year)}-",
            "formatMinimum": _DATES.earliest.isoformat(),
            "formatMaximum": _DATES.latest.isoformat(),
        },
    ),
]
"""A date written YYYY-MM-DD, from ``BOUNDS.news_dates.earliest`` to ``latest``."""


def _whole_number(value: object) -> object:
    """JSON Schema counts 3.0 as an integer; strict pydantic alone would refuse it."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


WholeNumber = Annotated[int, BeforeValidator(_whole_number)]
"""An integer, also when written 3.0 (but never "3" or true)."""
# Bounds go before the validator, where pydantic can state them as JSON Schema minimum and maximum.
QuoteCount = Annotated[int, Field(ge=1, le=BOUNDS.max_top_k), BeforeValidator(_whole_number)]
QUOTE_COUNT_HELP = f"How many quotes to return (default {BOUNDS.default_top_k})."


class StrictRequest(BaseModel):
    """Request bodies: no unknown fields, and JSON types as the schema states them (no "5" for 5, no 0 for a date)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class HealthOut(BaseModel):
    status: str
    model: str
    dimension: int
    device: str
    articles: int
    passages: int
    vectors: int


class FieldProblemOut(BaseModel):
    loc: list[str | int] = Field(description="Where the problem is, e.g. [\"body\", \"top_k\"].")
    msg: str
    type: str


class ErrorOut(BaseModel):
    detail: str | list[FieldProblemOut] = Field(
        description="What is wrong: a sentence, or for a malformed request one entry per wrong field."
    )
