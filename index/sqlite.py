"""The SQLite connection settings and transaction handling that both stores share.

Each store keeps one connection, shared between threads and guarded by a lock,
in autocommit mode so that :func:`transaction` decides where a write begins and ends.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["apply_schema", "connect", "transaction"]


def connect(path: Path, timeout: float = 30.0) -> sqlite3.Connection:
    """Open (or create) a SQLite file for one connection shared between threads.

    WAL lets other processes read while this one writes; ``synchronous=NORMAL``
    is still crash-safe under WAL; foreign keys make ``ON DELETE CASCADE`` work.

    Args:
        path: The SQLite file.
        timeout: Seconds to wait for another writer's lock.

    Returns:
        A connection in autocommit mode; use :func:`transaction` to group writes.

    Raises:
        sqlite3.Error: If the file cannot be opened or set up.
    """
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=timeout)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    return db


@contextmanager
def transaction(db: sqlite3.Connection, lock: threading.RLock) -> Iterator[sqlite3.Connection]:
    """Run statements atomically: all applied, or none (also across a crash).

    Args:
        db: A connection from :func:`connect`.
        lock: The lock that guards ``db``; held for the whole transaction.

    Yields:
        ``db``, inside ``BEGIN IMMEDIATE``; committed on a normal exit, rolled back on any exception.
    """
    with lock:
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


def apply_schema(db: sqlite3.Connection, schema: str) -> None:
    """Execute each ``;``-separated statement of ``schema`` (``CREATE ... IF NOT EXISTS``) on ``db``."""
    for statement in schema.split(";"):
        if statement.strip():
            db.execute(statement)
