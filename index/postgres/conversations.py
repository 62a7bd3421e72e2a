"""Chat conversations in PostgreSQL: the :class:`~newsdesk.index.conversations.ConversationStorage` of many servers.

The same behaviour as the SQLite :class:`~newsdesk.index.conversations.ConversationStore`
(turns in order, a time-to-live after the last turn, lazy purging), in tables that
every server sharing the database reads, so a conversation may continue on any of them.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import psycopg

from newsdesk.index.conversations import StoredTurn, new_conversation_id, quotes_to_json, turns_from_rows
from newsdesk.index.postgres.connection import PostgresConfig, connect_once, open_pool, pooled
from newsdesk.index.postgres.schema import create_conversation_tables, prepare_database
from newsdesk.index.postgres.url import redact
from newsdesk.qa.errors import NotFoundError
from newsdesk.qa.types import Answer

__all__ = ["PostgresConversationStore"]


class PostgresConversationStore:
    """Conversations in PostgreSQL, safe to share between threads and processes.

    Args:
        url: A ``postgresql://`` URL.
        ttl_seconds: How long a conversation is kept after its last turn.
        clock: Returns the current Unix time (tests pass a fake one).
        config: Pool sizes and time-outs (default: at most 4 connections).

    Raises:
        IndexStateError: The server cannot be reached or holds another schema version.
    """

    def __init__(
        self, url: str, ttl_seconds: float, clock: Callable[[], float] = time.time,
        config: PostgresConfig | None = None,
    ) -> None:
        self.url = url
        self.ttl_seconds = ttl_seconds
        self._clock = clock
        config = config or PostgresConfig(pool_max=4)
        with connect_once(url, config.connect_timeout) as conn:
            prepare_database(conn)
            create_conversation_tables(conn)
        self._pool = open_pool(url, config, vectors=False)

    def __repr__(self) -> str:
        return f"PostgresConversationStore({redact(self.url)!r})"

    @staticmethod
    def new_id() -> str:
        """A fresh, unguessable conversation id."""
        return new_conversation_id()

    def close(self) -> None:
        self._pool.close()

    def _cutoff(self) -> float:
        return self._clock() - self.ttl_seconds

    def _purge(self, conn: psycopg.Connection) -> int:
        """Delete conversations idle for longer than the time-to-live; returns how many.

        Rows another transaction holds are skipped (it is deleting or updating them), so
        concurrent purges never wait on, or deadlock with, each other.
        """
        cursor = conn.execute(
            "DELETE FROM newsdesk_conversations WHERE id IN (SELECT id FROM newsdesk_conversations "
            "WHERE updated_at < %s FOR UPDATE SKIP LOCKED)",
            (self._cutoff(),),
        )
        return cursor.rowcount

    def _check_live(self, conn: psycopg.Connection, conversation_id: str) -> None:
        self._purge(conn)
        row = conn.execute(
            "SELECT 1 FROM newsdesk_conversations WHERE id = %s AND updated_at >= %s", (conversation_id, self._cutoff())
        ).fetchone()
        if row is None:
            raise self._not_found(conversation_id)

    def _not_found(self, conversation_id: str) -> NotFoundError:
        return NotFoundError(
            f"no conversation with id {conversation_id!r} (unknown, or expired after {self.ttl_seconds:g} s idle)"
        )

    def purge_expired(self) -> int:
        """Delete expired conversations now; returns how many went."""
        with pooled(self._pool) as conn, conn.transaction():
            return self._purge(conn)

    def count(self) -> int:
        """Live conversations."""
        with pooled(self._pool) as conn, conn.transaction():
            self._purge(conn)
            row = conn.execute(
                "SELECT count(*) FROM newsdesk_conversations WHERE updated_at >= %s", (self._cutoff(),)
            ).fetchone()
        return int(row[0]) if row else 0

    def turns(self, conversation_id: str) -> list[StoredTurn]:
        """The turns of a conversation, oldest first.

        Raises:
            NotFoundError: No live conversation has that id.
        """
        with pooled(self._pool) as conn, conn.transaction():
            self._check_live(conn, conversation_id)
            rows = conn.execute(
                "SELECT message, interpreted_question, answer, confidence, short_answer, quotes, created_at "
                "FROM newsdesk_turns WHERE conversation_id = %s ORDER BY ordinal",
                (conversation_id,),
            ).fetchall()
        return turns_from_rows(rows)

    def add_turn(self, conversation_id: str, message: str, answer: Answer, *, create: bool = False) -> StoredTurn:
        """Append a turn: the message as typed and the answer to the question it was read as.

        Args:
            conversation_id: The conversation.
            message: What the user typed.
            answer: The answer; ``answer.question`` is the interpreted question.
            create: Start the conversation if it is not stored (an id from :meth:`new_id`).

        Raises:
            NotFoundError: ``create`` is false and no live conversation has that id.
        """
        now = self._clock()
        short = answer.short_answer.text if answer.short_answer else None
        with pooled(self._pool) as conn, conn.transaction():
            if create:
                self._purge(conn)
                conn.execute(
                    "INSERT INTO newsdesk_conversations VALUES (%s, %s, %s) ON CONFLICT (id) DO NOTHING",
                    (conversation_id, now, now),
                )
            else:
                self._check_live(conn, conversation_id)
            # The update locks the conversation's row, so concurrent turns take the next ordinals in turn.
            updated = conn.execute("UPDATE newsdesk_conversations SET updated_at = %s WHERE id = %s", (now, conversation_id))
            if updated.rowcount == 0:  # deleted by another server since it was checked
                raise self._not_found(conversation_id)
            conn.execute(
                "INSERT INTO newsdesk_turns SELECT %s, COALESCE(MAX(ordinal) + 1, 0), %s, %s, %s, %s, %s, %s, %s "
                "FROM newsdesk_turns WHERE conversation_id = %s",
                (conversation_id, message, answer.question, answer.answer, answer.confidence, short,
                 quotes_to_json(answer.quotes), now, conversation_id),
            )
        return StoredTurn(message, answer.question, answer.answer, answer.confidence, short, answer.quotes, now)

    def delete(self, conversation_id: str) -> None:
        """Forget a conversation and its turns.

        Raises:
            NotFoundError: No live conversation has that id.
        """
        with pooled(self._pool) as conn, conn.transaction():
            self._check_live(conn, conversation_id)
            conn.execute("DELETE FROM newsdesk_conversations WHERE id = %s", (conversation_id,))
