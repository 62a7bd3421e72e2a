"""Connections to PostgreSQL: the backend's settings, a thread-safe pool, and pgvector's ``halfvec`` as numpy.

Every connection is in autocommit mode; a write groups its statements with
``connection.transaction()``, so nothing is left open between calls.

A server that cannot be reached, or goes away (psycopg's ``OperationalError``),
and a pool that gives no connection in time are :class:`StorageUnavailableError`
with a one-line message: the API answers 503, the CLI prints one line. A pool
that cannot connect fails after ``connect_timeout``; only a pool whose every
connection is busy makes a request wait up to ``pool_timeout``.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np
import psycopg
from psycopg.adapt import Dumper, Loader
from psycopg.pq import Format
from psycopg.types import TypeInfo
from psycopg_pool import ConnectionPool, PoolTimeout

from newsdesk.index.postgres.config import PostgresConfig
from newsdesk.index.postgres.url import redact
from newsdesk.qa.errors import IndexStateError, StorageUnavailableError

__all__ = ["PostgresConfig", "connect_once", "open_pool", "pooled", "register_halfvec"]


def _one_line(error: Exception) -> str:
    """psycopg's message (libpq's spans lines, with hints) on one line."""
    return " ".join(str(error).split())


@contextmanager
def connect_once(url: str, timeout: float) -> Iterator[psycopg.Connection]:
    """One autocommit connection (for setting the database up before the pool opens), closed at the end.

    Raises:
        StorageUnavailableError: The server cannot be reached or refuses the connection (libpq
            does not tell a server that is down from one that turns the user away), or goes away meanwhile.
        IndexStateError: The URL is not one libpq reads.
    """
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=max(1, int(timeout)))
    except psycopg.OperationalError as exc:
        raise StorageUnavailableError(f"cannot connect to PostgreSQL at {redact(url)}: {_one_line(exc)}") from exc
    except psycopg.Error as exc:
        raise IndexStateError(f"cannot connect to PostgreSQL at {redact(url)}: {_one_line(exc)}") from exc
    with conn:
        try:
            yield conn
        except psycopg.OperationalError as exc:
            raise StorageUnavailableError(f"the database at {redact(url)} went away: {_one_line(exc)}") from exc


class _Pool(ConnectionPool):
    """A pool that knows how long connecting may take (see :func:`pooled`)."""

    connect_timeout: float | None = None


def open_pool(url: str, config: PostgresConfig, *, vectors: bool) -> ConnectionPool:
    """A pool of autocommit connections, open and checked.

    Args:
        url: A ``postgresql://`` URL.
        config: Pool sizes and time-outs.
        vectors: Load pgvector's ``halfvec`` as float32 numpy arrays (the extension must exist).

    Raises:
        StorageUnavailableError: No connection could be made within ``config.connect_timeout``.
    """
    pool = _Pool(
        url,
        min_size=config.pool_min,
        max_size=max(config.pool_min, config.pool_max),
        kwargs={"autocommit": True},
        configure=_configure(config) if vectors else None,
        timeout=config.pool_timeout,
        open=False,
        name="newsdesk",
    )
    pool.connect_timeout = config.connect_timeout
    try:
        pool.open(wait=True, timeout=config.connect_timeout)
    except PoolTimeout as exc:
        pool.close()
        raise StorageUnavailableError(
            f"cannot connect to PostgreSQL at {redact(url)} within {config.connect_timeout:g} s"
        ) from exc
    return pool


@contextmanager
def pooled(pool: ConnectionPool, connect_timeout: float | None = None) -> Iterator[psycopg.Connection]:
    """A connection from ``pool``, for the statements of one call.

    A broken connection goes back to the pool, which drops it and connects anew.
    Waiting happens in two steps: ``connect_timeout`` first; if no connection came and
    the server does not accept one now either, the database is unreachable and the
    call fails at once; if it does (every pooled connection is busy), the call waits
    out the pool's timeout.

    Raises:
        StorageUnavailableError: The pool gave no connection in time (the server is
            unreachable, or every connection stayed busy), or the server went away.
    """
    connect_timeout = connect_timeout if connect_timeout is not None else getattr(pool, "connect_timeout", None)
    first_wait = pool.timeout if connect_timeout is None else min(connect_timeout, pool.timeout)
    try:
        try:
            conn = pool.getconn(timeout=first_wait)
        except PoolTimeout:
            if first_wait >= pool.timeout or not _reachable(pool, first_wait):
                raise StorageUnavailableError(
                    f"no database connection within {first_wait:g} s: the database is unreachable or too busy"
                ) from None
            conn = pool.getconn(timeout=pool.timeout - first_wait)  # reachable: every connection is busy
    except PoolTimeout as exc:
        raise StorageUnavailableError(
            f"no database connection within {pool.timeout:g} s: the database is unreachable or too busy"
        ) from exc
    try:
        yield conn
    except psycopg.OperationalError as exc:
        raise StorageUnavailableError(f"the database is unavailable: {_one_line(exc)}") from exc
    finally:
        pool.putconn(conn)


def _reachable(pool: ConnectionPool, timeout: float) -> bool:
    """Whether the pool's server accepts a connection now (one attempt, outside the pool).

    The pool's own count cannot tell: a connection it keeps retrying in the background counts as one.
    """
    try:
        psycopg.connect(pool.conninfo, connect_timeout=max(1, round(timeout)), **pool.kwargs).close()
    except psycopg.Error:
        return False
    return True


def _configure(config: PostgresConfig) -> Callable[[psycopg.Connection], None]:
    def configure(conn: psycopg.Connection) -> None:
        register_halfvec(conn)
        # A filtered search keeps walking the HNSW graph until it has enough rows, in distance order.
        conn.execute("SELECT set_config('hnsw.iterative_scan', %s, false)", (config.iterative_scan,))

    return configure


# -- pgvector's halfvec <-> numpy (binary: uint16 dimension, uint16 unused, big-endian float16s) --


class _HalfvecDumper(Dumper):
    format = Format.BINARY

    def dump(self, obj: np.ndarray) -> bytes:
        values = np.asarray(obj).reshape(-1)
        return struct.pack(">HH", len(values), 0) + values.astype(">f2").tobytes()


class _HalfvecLoader(Loader):
    format = Format.BINARY

    def load(self, data: bytes | bytearray | memoryview) -> np.ndarray:
        (dimension,) = struct.unpack_from(">H", data)
        return np.frombuffer(bytes(data[4 : 4 + 2 * dimension]), dtype=">f2").astype(np.float32)


def register_halfvec(conn: psycopg.Connection) -> None:
    """Send numpy arrays as ``halfvec`` and read ``halfvec`` (in binary results) as float32 arrays.

    Raises:
        IndexStateError: The database has no pgvector extension.
    """
    info = TypeInfo.fetch(conn, "halfvec")
    if info is None:
        raise IndexStateError("the database has no pgvector extension (CREATE EXTENSION vector)")
    info.register(conn)
    dumper = type("HalfvecDumper", (_HalfvecDumper,), {"oid": info.oid})
    conn.adapters.register_dumper(np.ndarray, dumper)
    conn.adapters.register_loader(info.oid, _HalfvecLoader)
