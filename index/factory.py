"""The one place that picks a storage backend: PostgreSQL when a database URL is given, else the embedded one.

The PostgreSQL modules are imported only when a URL is given, so the embedded
default needs none of the ``postgres`` extra's packages.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.index.conversations import ConversationStorage, ConversationStore
from newsdesk.index.datadir import recorded_model_in
from newsdesk.index.embedded import EmbeddedStore
from newsdesk.qa.errors import IndexStateError
from newsdesk.qa.feeds.registry import FeedRegistry
from newsdesk.qa.pipeline.storage import Store

if TYPE_CHECKING:
    from newsdesk.index.postgres.config import PostgresConfig

__all__ = [
    "CONVERSATIONS_FILE", "describe_storage", "open_conversations", "open_feeds", "open_store", "recorded_model_of",
]

#: The embedded backend's conversation file, beside the index in the data directory.
CONVERSATIONS_FILE = "conversations.sqlite3"


def _check_url(database_url: str) -> None:
    if not database_url.startswith(("postgresql://", "postgres://")):
        raise IndexStateError(f"the database URL must start with postgresql://, got {database_url.split(':', 1)[0]}:...")
    try:
        import psycopg  # noqa: F401
        import psycopg_pool  # noqa: F401
    except ImportError as exc:
        raise IndexStateError("a PostgreSQL database needs the postgres extra: pip install 'newsdesk[postgres]'") from exc


def open_store(
    dimension: int,
    data_dir: Path,
    database_url: str | None = None,
    *,
    writer: bool = True,
    read_database_url: str | None = None,
    postgres: PostgresConfig | None = None,
) -> Store:
    """Open the articles' storage backend.

    Args:
        dimension: The embedding model's vector dimension.
        data_dir: The embedded backend's folder (unused with a database URL).
        database_url: A ``postgresql://`` URL; None for the embedded backend.
        read_database_url: A streaming replica of ``database_url`` for searches and reads.
        writer: For the embedded backend, take the data directory's write lock
            (a database needs none: any number of processes write to it).
        postgres: The database's pool and search settings (default ``PostgresConfig()``).

    Returns:
        The backend; the caller (usually :meth:`Newsdesk.over <newsdesk.desk.Newsdesk.over>`)
        calls its ``check_model`` before using it.

    Raises:
        IndexStateError: The database cannot be reached or used, or the
            embedded index is locked or of another format.
    """
    if database_url:
        _check_url(database_url)
        if read_database_url:
            _check_url(read_database_url)
        from newsdesk.index.postgres.store import PostgresStore

        return PostgresStore(database_url, postgres, read_url=read_database_url)
    if read_database_url:
        raise IndexStateError("a read database URL needs a database URL (the primary) too")
    return EmbeddedStore(data_dir, dimension, writer=writer)


def open_conversations(
    data_dir: Path, ttl_seconds: float, database_url: str | None = None, postgres: PostgresConfig | None = None
) -> ConversationStorage:
    """Open the chat conversation store: in the database when a URL is given, else beside the index.

    Raises:
        IndexStateError: The store cannot be opened.
    """
    if database_url:
        _check_url(database_url)
        from dataclasses import replace

        from newsdesk.index.postgres.conversations import PostgresConversationStore

        config = replace(postgres, pool_max=min(4, postgres.pool_max)) if postgres else None
        return PostgresConversationStore(database_url, ttl_seconds, config=config)
    return ConversationStore(data_dir / CONVERSATIONS_FILE, ttl_seconds)


def open_feeds(data_dir: Path, database_url: str | None = None) -> FeedRegistry:
    """Open the followed feeds: in the database when a URL is given, else in the data directory's store file.

    Raises:
        IndexStateError: The registry cannot be opened.
    """
    if database_url:
        _check_url(database_url)
        from newsdesk.index.postgres.feeds import PostgresFeedRegistry

        return PostgresFeedRegistry(database_url)
    from newsdesk.index.datadir import STORE_FILE
    from newsdesk.index.feeds import SqliteFeedRegistry

    return SqliteFeedRegistry(data_dir / STORE_FILE)


def describe_storage(data_dir: Path, database_url: str | None = None) -> str:
    """Where the articles are, for logs and messages (a URL without its password)."""
    if database_url:
        from newsdesk.index.postgres.url import redact

        return f"PostgreSQL at {redact(database_url)}"
    return str(data_dir)


def recorded_model_of(data_dir: Path, database_url: str | None = None) -> tuple[str, int] | None:
    """The ``(model, dimension)`` the index records, read without changing anything; None for none yet.

    Raises:
        IndexStateError: The database cannot be reached.
    """
    if database_url:
        _check_url(database_url)
        from newsdesk.index.postgres.schema import recorded_model_at

        return recorded_model_at(database_url)
    return recorded_model_in(data_dir)
