"""Reading publication dates written in the ways news sites write them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

__all__ = ["NEWS_DATES", "NewsDates", "parse_date"]


@dataclass(frozen=True)
class NewsDates:
    """The dates that make sense for news; the edges refuse a date outside them.

    Whole years, so the HTTP schema can state the range as a pattern.

    Attributes:
        first_year: The earliest year (the first printed newspapers are from the 1600s).
        last_year: The latest year a question may be asked in or an article published.
    """

    first_year: int = 1600
    last_year: int = 2199

    @property
    def earliest(self) -> date:
        return date(self.first_year, 1, 1)

    @property
    def latest(self) -> date:
        return date(self.last_year, 12, 31)

    def contains(self, day: date) -> bool:
        return self.earliest <= day <= self.latest


NEWS_DATES = NewsDates()

_FORMATS = (
    "%Y-%m-%d",
    "%a %b %d %Y",  # Wed Jun 25 2025 (the seed's date line)
    "%A %B %d %Y",
    "%a, %d %b %Y",
    "%A, %d %B %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%A, %B %d, %Y",
    "%a, %b %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%Y/%m/%d",
)
_ISO_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")


def parse_date(text: str) -> date | None:
    """Return the date ``text`` spells, or None if it is not a date on its own.

    Args:
        text: A short string such as ``Wed Jun 25 2025`` or ``2025-06-25T10:00Z``.

    Returns:
        The date, or None.
    """
    value = text.strip().rstrip(".")
    if not value or len(value) > 40:
        return None
    iso = _ISO_PREFIX.match(value)
    if iso:
        value = iso.group(1)
    value = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", value)
    value = re.sub(r"\s+", " ", value)
    for fmt in _FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None
