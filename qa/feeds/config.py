"""The feed stage's settings: how often, how far back off, how many entries, and how to fetch."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsdesk.qa.errors import QueryError
from newsdesk.qa.ingest.fetching import FetchConfig

__all__ = ["FeedConfig", "parse_every"]

_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class FeedConfig:
    """How feeds are read and followed.

    Attributes:
        every_seconds: How often a followed feed is checked when not told (15 minutes).
        min_every_seconds: The most often a feed may be checked; shorter asks are raised to it.
        max_every_seconds: The least often (a week); longer asks are lowered to it.
        max_backoff_seconds: After failures a feed is checked every ``every`` doubled per
            failure in a row, never less often than this.
        max_entries: Entries read from one feed; the rest are reported and left.
        page_workers: Linked pages fetched at once for summary-only entries.
        batch_articles: Articles embedded together in one model call.
        lease_seconds: How long a server holds a feed it checks before another may take it
            (longer than any check; a server that dies mid-check frees it after this).
        idle_seconds: The longest a poller sleeps before looking for due feeds again
            (feeds added by another server are seen within it).
        fetch: How pages and feeds are fetched.
    """

    every_seconds: float = 900.0
    min_every_seconds: float = 60.0
    max_every_seconds: float = 7 * 86400.0
    max_backoff_seconds: float = 6 * 3600.0
    max_entries: int = 1000
    page_workers: int = 4
    batch_articles: int = 64
    lease_seconds: float = 900.0
    idle_seconds: float = 30.0
    fetch: FetchConfig = field(default_factory=FetchConfig)

    def clamp_every(self, seconds: float | None) -> float:
        """A check interval within the bounds (the default when None)."""
        if seconds is None:
            seconds = self.every_seconds
        return min(max(seconds, self.min_every_seconds), self.max_every_seconds)

    def next_delay(self, every_seconds: float, failures: int) -> float:
        """Seconds until the next check: ``every``, doubled per failure in a row, at most the backoff cap."""
        if failures <= 0:
            return every_seconds
        return max(every_seconds, min(every_seconds * 2 ** min(failures, 20), self.max_backoff_seconds))


def parse_every(text: str) -> float:
    """Seconds from ``15m``, ``1h``, ``90s``, ``1d`` or a number of seconds.

    Raises:
        QueryError: Anything else, or zero.
    """
    match = _EVERY.match(text)
    if not match or float(match.group(1)) <= 0:
        raise QueryError(f"cannot read the interval {text!r}: use a number with s, m, h or d (15m, 1h)")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]
