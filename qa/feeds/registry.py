"""A followed feed as stored, and what each storage backend's feed registry does.

The registry lives in the article store (a ``feeds`` table in SQLite, ``newsdesk_feeds``
in PostgreSQL), so feeds are remembered across restarts. Several servers may share one
PostgreSQL database: a server *claims* a due feed by setting its lease in one atomic
update, so only one server checks a feed at a time, and records the check with the same
owner, which frees it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["Feed", "FeedRegistry", "FeedState", "feed_id_for"]


def feed_id_for(url: str) -> str:
    """A feed's id: made from its URL, so following one URL twice is one feed."""
    return "feed-" + hashlib.sha256(url.strip().encode()).hexdigest()[:12]


@dataclass(frozen=True)
class FeedState:
    """What a check leaves behind: when, what the server said, what it found.

    Attributes:
        checked_at: Unix time of the check.
        next_check_at: Unix time of the next one.
        failures: Failed checks in a row (0 after a good one).
        error: Why the check failed, or the entries it had to skip; None when all went in.
        title: The feed's title, once read.
        etag: The ``ETag`` to send next time.
        last_modified: The ``Last-Modified`` to send next time.
        new_entries: Articles the check added or replaced.
        seen: Entry key -> fingerprint of the entries stored, so a check works only on changes.
    """

    checked_at: float
    next_check_at: float
    failures: int = 0
    error: str | None = None
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    new_entries: int = 0
    seen: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Feed:
    """A followed feed (times are Unix seconds; None before the first check)."""

    id: str
    url: str
    every_seconds: float
    added_at: float
    next_check_at: float
    title: str | None = None
    last_checked_at: float | None = None
    last_new_entry_at: float | None = None
    last_error: str | None = None
    failures: int = 0
    etag: str | None = None
    last_modified: str | None = None
    seen: dict[str, str] = field(default_factory=dict)


class FeedRegistry(Protocol):
    """The followed feeds of one store, safe to share between threads (and servers, for a database)."""

    def add_feed(self, url: str, every_seconds: float, now: float) -> tuple[Feed, bool]:
        """Follow a feed (checked at once); the same URL again updates its interval. ``(feed, created)``."""

    def list_feeds(self) -> list[Feed]:
        """Every followed feed, oldest first."""

    def get_feed(self, feed_id: str) -> Feed | None:
        """One feed, or None."""

    def remove_feed(self, feed_id: str) -> bool:
        """Stop following a feed (its articles stay); False when there was none."""

    def claim_due(
        self, owner: str, now: float, lease_seconds: float, limit: int, only: Collection[str] | None = None
    ) -> list[Feed]:
        """Atomically take up to ``limit`` feeds due by ``now`` that no live lease holds (of ``only``, when given)."""

    def record_check(self, feed_id: str, owner: str, state: FeedState) -> bool:
        """Store a check's outcome and free the lease; False when ``owner`` no longer held it."""

    def next_due(self) -> float | None:
        """The earliest next check of any feed, or None when none is followed."""

    def close(self) -> None:
        """Release the registry's connections."""
