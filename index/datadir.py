"""The embedded backend's data directory: its files and the one-writer lock."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from newsdesk.index.store import recorded_model
from newsdesk.qa.errors import IndexLockedError

__all__ = ["LOCK_FILE", "STORE_FILE", "VECTORS_FILE", "WriteLock", "recorded_model_in"]

STORE_FILE = "newsdesk.sqlite3"
VECTORS_FILE = "vectors.faiss"
LOCK_FILE = "write.lock"


def recorded_model_in(data_dir: Path) -> tuple[str, int] | None:
    """The embedding model and dimension the index in ``data_dir`` records, if any (read-only)."""
    return recorded_model(data_dir / STORE_FILE)


class WriteLock:
    """An exclusive advisory lock on the data directory: one writing process at a time.

    The operating system releases it when the process dies, so a killed
    server never leaves the directory locked.
    """

    def __init__(self, data_dir: Path) -> None:
        """Take the lock.

        Raises:
            IndexLockedError: Another process holds it.
        """
        handle = os.open(data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            os.close(handle)
            raise IndexLockedError(
                f"the index in {data_dir} is locked by another process (a running server?); "
                "add articles through its HTTP API or stop it first"
            ) from exc
        self._handle: int | None = handle

    def release(self) -> None:
        """Let go of the lock (idempotent)."""
        if self._handle is not None:
            os.close(self._handle)
            self._handle = None
