"""The embedded backend's data directory: its files, the one-writer lock, and the address of the server holding it.

A running ``newsdesk serve`` writes its address into the lock file it holds
(``{"host", "port", "pid"}`` as JSON), so that the CLI can send its questions
and writes to that server instead of loading the models itself. The lock says
whether the record is live: a server that died released it.
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import dataclass
from pathlib import Path

from newsdesk.index.store import recorded_model
from newsdesk.qa.errors import IndexLockedError

__all__ = [
    "LOCK_FILE",
    "STORE_FILE",
    "VECTORS_FILE",
    "ServerAddress",
    "WriteLock",
    "forget_server",
    "record_server",
    "recorded_model_in",
    "running_server",
]

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


@dataclass(frozen=True)
class ServerAddress:
    """Where the server that holds a data directory listens."""

    host: str
    port: int
    pid: int

    @property
    def url(self) -> str:
        """The base URL to reach it from this machine (a wildcard address is reached on loopback)."""
        host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(self.host, self.host)
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"


def record_server(data_dir: Path, address: ServerAddress) -> None:
    """Write a server's address into the lock file it holds.

    Written through a new file description, so the server's own ``flock`` stays.
    """
    record = json.dumps({"host": address.host, "port": address.port, "pid": address.pid})
    handle = os.open(data_dir / LOCK_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(handle, record.encode())
    finally:
        os.close(handle)


def forget_server(data_dir: Path) -> None:
    """Empty the lock file's address (a server that stops; one that dies is told apart by its released lock)."""
    try:
        os.truncate(data_dir / LOCK_FILE, 0)
    except OSError:
        pass


def _is_locked(handle: int) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    fcntl.flock(handle, fcntl.LOCK_UN)
    return False


def running_server(data_dir: Path) -> ServerAddress | None:
    """The address of the server that holds ``data_dir``'s lock now, or None.

    None when nothing holds the lock, when its holder recorded no address (a CLI
    writer, or a server still starting), or when the recorded process is gone.
    """
    try:
        handle = os.open(data_dir / LOCK_FILE, os.O_RDONLY)
    except OSError:
        return None
    try:
        raw = os.read(handle, 4096)
        if not raw.strip():
            return None
        record = json.loads(raw)
        address = ServerAddress(str(record["host"]), int(record["port"]), int(record["pid"]))
    except (ValueError, KeyError, TypeError):
        return None
    finally:
        os.close(handle)
    try:
        os.kill(address.pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:  # alive, another user's
        pass
    return address if _server_holds(data_dir) else None


def _server_holds(data_dir: Path) -> bool:
    try:
        handle = os.open(data_dir / LOCK_FILE, os.O_RDONLY)
    except OSError:
        return False
    try:
        return _is_locked(handle)
    finally:
        os.close(handle)
