"""Connections to PostgreSQL: the backend's settings, a thread-safe pool, and pgvector's ``halfvec`` as numpy.

Every connection is in autocommit mode; a write groups its statements with
``connection.transaction()``, so nothing is left open between calls.

A server that cannot be reached, or goes away (psycopg's ``OperationalError``),
and a pool that gives no connection in time are :class:`StorageUnavailableError`
with a one-line message: the API answers 503, the CLI prints one line.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import psycopg
from newsdesk.index.postgres.url import redact
from newsdesk.qa.errors import IndexStateError, StorageUnavailableError
from psycopg.adapt import Dumper, Loader
from psycopg.pq import Format
from psycopg.types import TypeInfo
from psycopg_pool import ConnectionPool, PoolTimeout

__all__ = ["PostgresConfig", "connect_once", "open_pool", "pooled", "register_halfvec"]


@dataclass(frozen=True)
class PostgresConfig:
    """The PostgreSQL backend's settings.

    Attributes:
        pool_min: Connections the pool keeps open.
        pool_max: The most connections one process opens (the app is multi-threaded).
        connect_timeout: Seconds to wait for the server, or for a free pooled connection.
        ef_search: Candidates the HNSW index keeps while searching (raised to the
            dense candidate count when that is larger).
        lexical_scan_limit: Matching passages the full-text half ranks at most, so a
            question of common words does not rank a large share of a big table.
        hnsw_m: Links per node of the HNSW index (set when the index is created).
        hnsw_ef_construction: Candidates kept while building the HNSW index.
    """

    pool_min: int = 1
    pool_max: int = 8
    connect_timeout: float = 30.0
    ef_search: int = 200
    lexical_scan_limit: int = 20_000
    hnsw_m: int = 16
    hnsw_ef_construction: int = 64


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


def open_pool(url: str, config: PostgresConfig, *, vectors: bool) -> ConnectionPool:
    """A pool of autocommit connections, open and checked.

    Args:
        url: A ``postgresql://`` URL.
        config: Pool sizes and time-outs.
        vectors: Load pgvector's ``halfvec`` as float32 numpy arrays (the extension must exist).

    Raises:
        StorageUnavailableError: No connection could be made within ``config.connect_timeout``.
    """
    pool = ConnectionPool(
        url,
        min_size=config.pool_min,
        max_size=max(config.pool_min, config.pool_max),
        kwargs={"autocommit": True},
        configure=_configure(config) if vectors else None,
        timeout=config.connect_timeout,
        open=False,
        name="newsdesk",
    )
    try:
        pool.open(wait=True, timeout=config.connect_timeout)
    except PoolTimeout as exc:
        pool.close()
        raise StorageUnavailableError(
            f"cannot connect to PostgreSQL at {redact(url)} within {config.connect_timeout:g} s"
        ) from exc
    return pool


@contextmanager
def pooled(pool: ConnectionPool) -> Iterator[psycopg.Connection]:
    """A connection from ``pool``, for the statements of one call.

    A broken connection goes back to the pool, which drops it and connects anew.

    Raises:
        StorageUnavailableError: The pool gave no connection in time (the server is
            unreachable, or every connection stayed busy), or the server went away.
    """
    try:
        with pool.connection() as conn:
            yield conn
    except PoolTimeout as exc:
        raise StorageUnavailableError(
            f"no database connection within {pool.timeout:g} s: the database is unreachable or too busy"
        ) from exc
    except psycopg.OperationalError as exc:
        raise StorageUnavailableError(f"the database is unavailable: {_one_line(exc)}") from exc


def _configure(config: PostgresConfig) -> Callable[[psycopg.Connection], None]:
    def configure(conn: psycopg.Connection) -> None:
        register_halfvec(conn)
        # A filtered search keeps walking the HNSW graph until it has enough rows, in distance order.
        conn.execute("SET hnsw.iterative_scan = strict_order")

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
