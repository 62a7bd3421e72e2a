"""Chat conversations: what a conversation store does, and the SQLite one, with turns, answers and quotes.

:class:`ConversationStorage` is the interface the API talks to; :class:`ConversationStore`
keeps conversations in their own SQLite file beside the article store, so they never
touch the index (:mod:`newsdesk.index.postgres.conversations` keeps them in PostgreSQL).
A conversation lives ``ttl_seconds`` after its last turn; an expired one is treated as
absent and deleted the next time the store is used.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from newsdesk.index import sqlite
from newsdesk.qa.errors import IndexStateError, NotFoundError
from newsdesk.qa.types import Answer, Quote

__all__ = ["ConversationStorage", "ConversationStore", "StoredTurn", "new_conversation_id", "quotes_from_json", "quotes_to_json", "turns_from_rows"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_by_update ON conversations(updated_at);
CREATE TABLE IF NOT EXISTS turns (
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    message TEXT NOT NULL,
    interpreted_question TEXT NOT NULL,
    answer TEXT,
    confidence REAL NOT NULL,
    short_answer TEXT,
    quotes TEXT NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (conversation_id, ordinal)
) WITHOUT ROWID;
"""


@dataclass(frozen=True)
class StoredTurn:
    """One turn of a conversation as stored; ``created_at`` is Unix time."""

    message: str
    interpreted_question: str
    answer: str | None
    confidence: float
    short_answer: str | None
    quotes: tuple[Quote, ...]
    created_at: float


def quotes_to_json(quotes: tuple[Quote, ...]) -> str:
    """A turn's quotes as stored: a JSON list of objects."""
    return json.dumps([asdict(q) for q in quotes], ensure_ascii=False)


def quotes_from_json(stored: str) -> tuple[Quote, ...]:
    """The quotes of :func:`quotes_to_json` back."""
    return tuple(Quote(**{**q, "also_reported_by": tuple(q["also_reported_by"])}) for q in json.loads(stored))


def turns_from_rows(rows: Sequence[Sequence[Any]]) -> list[StoredTurn]:
    """Stored turns from rows of (message, interpreted_question, answer, confidence, short_answer, quotes, created_at)."""
    return [
        StoredTurn(message, question, answer, confidence, short, quotes_from_json(quotes), created)
        for message, question, answer, confidence, short, quotes, created in rows
    ]


def new_conversation_id() -> str:
    """A fresh, unguessable conversation id."""
    return secrets.token_urlsafe(12)


class ConversationStorage(Protocol):
    """Where chat conversations are kept (SQLite beside the index, or PostgreSQL)."""

    ttl_seconds: float

    def new_id(self) -> str:
        """A fresh, unguessable conversation id."""

    def turns(self, conversation_id: str) -> list[StoredTurn]:
        """The turns of a live conversation, oldest first; NotFoundError when unknown or expired."""

    def add_turn(self, conversation_id: str, message: str, answer: Answer, *, create: bool = False) -> StoredTurn:
        """Append a turn (starting the conversation when ``create``); NotFoundError otherwise when absent."""

    def delete(self, conversation_id: str) -> None:
        """Forget a live conversation; NotFoundError when absent."""

    def count(self) -> int:
        """Live conversations."""

    def purge_expired(self) -> int:
        """Delete expired conversations now; how many went."""

    def close(self) -> None:
        """Release the connection(s)."""


class ConversationStore:
    """Conversations in one SQLite file (WAL), safe to share between threads.

    Args:
        path: The SQLite file; created when missing.
        ttl_seconds: How long a conversation is kept after its last turn.
        clock: Returns the current Unix time (tests pass a fake one).
    """

    def __init__(self, path: Path, ttl_seconds: float, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.ttl_seconds = ttl_seconds
        self._clock = clock
        self._lock = threading.RLock()
        try:
            self._db = sqlite.connect(path)
            with self._transaction() as db:
                sqlite.apply_schema(db, _SCHEMA)
        except sqlite3.Error as exc:
            raise IndexStateError(f"cannot open the conversation store {path}: {exc}") from exc

    @staticmethod
    def new_id() -> str:
        """A fresh, unguessable conversation id."""
        return new_conversation_id()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite.transaction(self._db, self._lock)

    def _purge(self, db: sqlite3.Connection) -> int:
        """Delete conversations idle for longer than the time-to-live; returns how many."""
        return db.execute(
            "DELETE FROM conversations WHERE updated_at < ?", (self._clock() - self.ttl_seconds,)
        ).rowcount

    def _check_live(self, db: sqlite3.Connection, conversation_id: str) -> None:
        self._purge(db)
        if db.execute("SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)).fetchone() is None:
            raise NotFoundError(
                f"no conversation with id {conversation_id!r} (unknown, or expired after {self.ttl_seconds:g} s idle)"
            )

    def purge_expired(self) -> int:
        """Delete expired conversations now; returns how many went."""
        with self._transaction() as db:
            return self._purge(db)

    def count(self) -> int:
        """Live conversations."""
        with self._transaction() as db:
            self._purge(db)
            return int(db.execute("SELECT COUNT(*) FROM conversations").fetchone()[0])

    def turns(self, conversation_id: str) -> list[StoredTurn]:
        """The turns of a conversation, oldest first.

        Raises:
            NotFoundError: No live conversation has that id.
        """
        with self._transaction() as db:
            self._check_live(db, conversation_id)
            rows = db.execute(
                "SELECT message, interpreted_question, answer, confidence, short_answer, quotes, created_at "
                "FROM turns WHERE conversation_id = ? ORDER BY ordinal",
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
        with self._transaction() as db:
            if create:
                self._purge(db)
                db.execute("INSERT OR IGNORE INTO conversations VALUES (?, ?, ?)", (conversation_id, now, now))
            else:
                self._check_live(db, conversation_id)
            db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id))
            db.execute(
                "INSERT INTO turns SELECT ?, COALESCE(MAX(ordinal) + 1, 0), ?, ?, ?, ?, ?, ?, ? "
                "FROM turns WHERE conversation_id = ?",
                (
                    conversation_id,
                    message,
                    answer.question,
                    answer.answer,
                    answer.confidence,
                    short,
                    quotes_to_json(answer.quotes),
                    now,
                    conversation_id,
                ),
            )
        return StoredTurn(message, answer.question, answer.answer, answer.confidence, short, answer.quotes, now)

    def delete(self, conversation_id: str) -> None:
        """Forget a conversation and its turns.

        Raises:
            NotFoundError: No live conversation has that id.
        """
        with self._transaction() as db:
            self._check_live(db, conversation_id)
            db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
