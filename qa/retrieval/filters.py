"""Hard filters on which articles may answer a question: dates and source."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from newsdesk.qa.dates import NEWS_DATES, parse_date
from newsdesk.qa.errors import QueryError
from newsdesk.qa.types import StoredPassage

__all__ = ["PassageFilter", "as_date"]


def as_date(value: date | str | None, name: str) -> date | None:
    """A date given as a date or a string; None stays None.

    Raises:
        QueryError: The string is not a date, or the date is outside
            :data:`~newsdesk.qa.dates.NEWS_DATES` (reading "last week" against
            0001-01-01 would run off the calendar).
    """
    if value is None:
        return None
    parsed = value if isinstance(value, date) else parse_date(value)
    if parsed is None:
        raise QueryError(f"{name} must be a date (YYYY-MM-DD), got {value!r}")
    if not NEWS_DATES.contains(parsed):
        raise QueryError(f"{name} must be between {NEWS_DATES.earliest} and {NEWS_DATES.latest}, got {parsed}")
    return parsed


@dataclass(frozen=True)
class PassageFilter:
    """Hard limits on which articles may answer: a date range and a source."""

    since: date | None = None
    until: date | None = None
    source: str | None = None

    @classmethod
    def build(cls, since: date | str | None, until: date | str | None, source: str | None) -> PassageFilter:
        built = cls(as_date(since, "since"), as_date(until, "until"), source or None)
        if built.since and built.until and built.since > built.until:
            raise QueryError("since must not be after until")
        return built

    @property
    def active(self) -> bool:
        return bool(self.since or self.until or self.source)

    def admits(self, stored: StoredPassage) -> bool:
        if self.source and (stored.source or "").lower() != self.source.lower():
            return False
        if self.since or self.until:
            if not stored.published:
                return False
            day = date.fromisoformat(stored.published)
            if (self.since and day < self.since) or (self.until and day > self.until):
                return False
        return True
