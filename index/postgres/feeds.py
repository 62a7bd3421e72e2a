"""Followed feeds in PostgreSQL: the :class:`~newsdesk.qa.feeds.registry.FeedRegistry` of many servers.

Every server sharing the database sees the same feeds. A server claims due feeds in one
``UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED)``: two servers claiming at
once take different feeds, and a feed under a live lease is left alone, so only one
server checks a feed at a time. Recording a check frees the lease, but only for the
server that still holds it.
"""

from __future__ import annotations

from collections.abc import Collection

from newsdesk.index.feeds import FEED_COLUMNS, feed_from_row, state_values
from newsdesk.index.postgres.connection import PostgresConfig, connect_once, open_pool, pooled
from newsdesk.index.postgres.schema import create_feed_tables, prepare_database
from newsdesk.index.postgres.url import redact
from newsdesk.qa.errors import IndexLockedError
from newsdesk.qa.feeds.registry import Feed, FeedState, feed_id_for

__all__ = ["PostgresFeedRegistry"]

_RECORD = """UPDATE newsdesk_feeds SET last_checked_at = %s, next_check_at = %s, failures = %s, last_error = %s,
    title = %s, etag = %s, last_modified = %s, seen = %s,
    last_new_entry_at = CASE WHEN %s > 0 THEN %s ELSE last_new_entry_at END,
    lease_owner = NULL, lease_until = NULL
WHERE id = %s AND lease_owner = %s"""

_CLAIM = f"""UPDATE newsdesk_feeds SET lease_owner = %(owner)s, lease_until = %(until)s
WHERE id IN (
    SELECT id FROM newsdesk_feeds
    WHERE next_check_at <= %(now)s AND (lease_until IS NULL OR lease_until < %(now)s)
      AND (%(all)s OR id = ANY(%(only)s))
    ORDER BY next_check_at LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
)
RETURNING {FEED_COLUMNS}"""


class PostgresFeedRegistry:
    """Followed feeds in the ``newsdesk_feeds`` table; safe between threads and servers.

    Args:
        url: A ``postgresql://`` URL.
        config: Pool sizes and time-outs (default: at most 2 connections).

    Raises:
        IndexStateError: The server cannot be reached or holds another schema version.
    """

    def __init__(self, url: str, config: PostgresConfig | None = None) -> None:
        self.url = url
        config = config or PostgresConfig(pool_max=2)
        with connect_once(url, config.connect_timeout) as conn:
            # A streaming replica cannot be changed: there, feeds are only listed (the primary's servers check them).
            self.read_only = prepare_database(conn)
            if not self.read_only:
                create_feed_tables(conn)
            has_table = conn.execute("SELECT to_regclass('newsdesk_feeds') IS NOT NULL").fetchone()[0]
        self._empty = not has_table
        self._pool = open_pool(url, config, vectors=False)

    def __repr__(self) -> str:
        return f"PostgresFeedRegistry({redact(self.url)!r})"

    def close(self) -> None:
        self._pool.close()

    def _check_writable(self) -> None:
        if self.read_only:
            raise IndexLockedError("this database is a read-only replica: follow and drop feeds through the primary")

    def add_feed(self, url: str, every_seconds: float, now: float) -> tuple[Feed, bool]:
        self._check_writable()
        with pooled(self._pool) as conn, conn.transaction():
            row = conn.execute(
                f"""INSERT INTO newsdesk_feeds (id, url, every_seconds, added_at, next_check_at)
                    VALUES (%s, %s, %s, %s, %s)
                    ON CONFLICT (id) DO UPDATE SET every_seconds = excluded.every_seconds,
                        next_check_at = LEAST(newsdesk_feeds.next_check_at, %s)
                    RETURNING {FEED_COLUMNS}, (xmax = 0)""",
                (feed_id_for(url), url, every_seconds, now, now, now + every_seconds),
            ).fetchone()
        return feed_from_row(row[:-1]), bool(row[-1])

    def list_feeds(self) -> list[Feed]:
        if self._empty:
            return []
        with pooled(self._pool) as conn:
            rows = conn.execute(f"SELECT {FEED_COLUMNS} FROM newsdesk_feeds ORDER BY added_at, id").fetchall()
        return [feed_from_row(r) for r in rows]

    def get_feed(self, feed_id: str) -> Feed | None:
        if self._empty:
            return None
        with pooled(self._pool) as conn:
            row = conn.execute(f"SELECT {FEED_COLUMNS} FROM newsdesk_feeds WHERE id = %s", (feed_id,)).fetchone()
        return feed_from_row(row) if row else None

    def remove_feed(self, feed_id: str) -> bool:
        self._check_writable()
        with pooled(self._pool) as conn:
            return conn.execute("DELETE FROM newsdesk_feeds WHERE id = %s", (feed_id,)).rowcount > 0

    def claim_due(
        self, owner: str, now: float, lease_seconds: float, limit: int, only: Collection[str] | None = None
    ) -> list[Feed]:
        if self.read_only:
            return []
        values = {
            "owner": owner, "until": now + lease_seconds, "now": now, "limit": limit,
            "all": only is None, "only": list(only or ()),
        }  # fmt: skip
        with pooled(self._pool) as conn, conn.transaction():
            rows = conn.execute(_CLAIM, values).fetchall()
        return sorted((feed_from_row(r) for r in rows), key=lambda f: f.next_check_at)

    def record_check(self, feed_id: str, owner: str, state: FeedState) -> bool:
        with pooled(self._pool) as conn:
            return conn.execute(_RECORD, (*state_values(state), feed_id, owner)).rowcount > 0

    def next_due(self) -> float | None:
        if self.read_only:
            return None
        with pooled(self._pool) as conn:
            row = conn.execute(
                "SELECT min(greatest(next_check_at, coalesce(lease_until, 0))) FROM newsdesk_feeds"
            ).fetchone()
        return float(row[0]) if row and row[0] is not None else None
