"""The followed feeds of the embedded store: a ``feeds`` table in the article store's SQLite file.

:class:`SqliteFeedRegistry` meets :class:`~newsdesk.qa.feeds.registry.FeedRegistry`
with its own connection to the store file (WAL lets it write beside the article
store's connection). Claims are made in one ``BEGIN IMMEDIATE`` transaction, so two
processes sharing the file never claim one feed. The row readers here are shared with
the PostgreSQL registry (:mod:`newsdesk.index.postgres.feeds`).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from newsdesk.index import sqlite
from newsdesk.index.store_schema import FEEDS_SCHEMA
from newsdesk.qa.feeds.registry import Feed, FeedState, feed_id_for

__all__ = ["FEED_COLUMNS", "SqliteFeedRegistry", "feed_from_row", "state_values"]

FEED_COLUMNS = (
    "id, url, every_seconds, added_at, next_check_at, title, last_checked_at, last_new_entry_at, "
    "last_error, failures, etag, last_modified, seen"
)


def feed_from_row(row: Sequence[Any]) -> Feed:
    """A feed from a row of :data:`FEED_COLUMNS`."""
    *fields, seen = row
    return Feed(*fields, seen=json.loads(seen or "{}"))


def state_values(state: FeedState) -> tuple[Any, ...]:
    """A check's values for the update both registries make, in the order of their statements."""
    return (
        state.checked_at, state.next_check_at, state.failures, state.error, state.title, state.etag,
        state.last_modified, json.dumps(state.seen, sort_keys=True), state.new_entries, state.checked_at,
    )  # fmt: skip


_RECORD = """UPDATE feeds SET last_checked_at = ?, next_check_at = ?, failures = ?, last_error = ?, title = ?,
    etag = ?, last_modified = ?, seen = ?,
    last_new_entry_at = CASE WHEN ? > 0 THEN ? ELSE last_new_entry_at END,
    lease_owner = NULL, lease_until = NULL
WHERE id = ? AND lease_owner = ?"""


class SqliteFeedRegistry:
    """Followed feeds in the store file; thread-safe.

    Args:
        path: The article store's SQLite file (``DATA_DIR/newsdesk.sqlite3``).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._db = sqlite.connect(path)
        with sqlite.transaction(self._db, self._lock) as db:
            sqlite.apply_schema(db, FEEDS_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def add_feed(self, url: str, every_seconds: float, now: float) -> tuple[Feed, bool]:
        feed_id = feed_id_for(url)
        with sqlite.transaction(self._db, self._lock) as db:
            exists = db.execute("SELECT 1 FROM feeds WHERE id = ?", (feed_id,)).fetchone() is not None
            if exists:
                db.execute(
                    "UPDATE feeds SET every_seconds = ?, next_check_at = MIN(next_check_at, ?) WHERE id = ?",
                    (every_seconds, now + every_seconds, feed_id),
                )
            else:
                db.execute(
                    "INSERT INTO feeds (id, url, every_seconds, added_at, next_check_at) VALUES (?,?,?,?,?)",
                    (feed_id, url, every_seconds, now, now),
                )
            row = db.execute(f"SELECT {FEED_COLUMNS} FROM feeds WHERE id = ?", (feed_id,)).fetchone()
        return feed_from_row(row), not exists

    def list_feeds(self) -> list[Feed]:
        with self._lock:
            rows = self._db.execute(f"SELECT {FEED_COLUMNS} FROM feeds ORDER BY added_at, id").fetchall()
        return [feed_from_row(r) for r in rows]

    def get_feed(self, feed_id: str) -> Feed | None:
        with self._lock:
            row = self._db.execute(f"SELECT {FEED_COLUMNS} FROM feeds WHERE id = ?", (feed_id,)).fetchone()
        return feed_from_row(row) if row else None

    def remove_feed(self, feed_id: str) -> bool:
        with sqlite.transaction(self._db, self._lock) as db:
            return db.execute("DELETE FROM feeds WHERE id = ?", (feed_id,)).rowcount > 0

    def claim_due(
        self, owner: str, now: float, lease_seconds: float, limit: int, only: Collection[str] | None = None
    ) -> list[Feed]:
        if only is not None and not only:
            return []
        among = f" AND id IN ({','.join('?' * len(only))})" if only is not None else ""
        with sqlite.transaction(self._db, self._lock) as db:
            rows = db.execute(
                f"""SELECT {FEED_COLUMNS} FROM feeds
                    WHERE next_check_at <= ? AND (lease_until IS NULL OR lease_until < ?){among}
                    ORDER BY next_check_at LIMIT ?""",
                (now, now, *(only or ()), limit),
            ).fetchall()
            db.executemany(
                "UPDATE feeds SET lease_owner = ?, lease_until = ? WHERE id = ?",
                [(owner, now + lease_seconds, row[0]) for row in rows],
            )
        return [feed_from_row(r) for r in rows]

    def record_check(self, feed_id: str, owner: str, state: FeedState) -> bool:
        with sqlite.transaction(self._db, self._lock) as db:
            return db.execute(_RECORD, (*state_values(state), feed_id, owner)).rowcount > 0

    def next_due(self) -> float | None:
        with self._lock:
            # A feed another poller holds is due again when its lease ends, at the earliest.
            row = self._db.execute("SELECT MIN(MAX(next_check_at, COALESCE(lease_until, 0))) FROM feeds").fetchone()
        return float(row[0]) if row and row[0] is not None else None
