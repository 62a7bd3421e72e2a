"""The tables newsdesk keeps in PostgreSQL, created and versioned on first connect.

Every table's name starts with ``newsdesk_``, so the database may hold other
applications' tables too. ``newsdesk_meta`` records the schema version, the
embedding model and its dimension; a database made by another schema version
or another model is refused.

    newsdesk_meta           key, value
    newsdesk_state          one row: generation, article and passage counts, passages' total tokens
                            (bumped by every write)
    newsdesk_articles       id, title, text, url, published, source, content_hash, added_at
    newsdesk_sentences      article_id, ordinal, start_char, end_char, embed_hash, vector halfvec(d)
    newsdesk_passages       id, article_id, offsets, text, sentence range, title, published, source_key,
                            embedding halfvec(d) (HNSW), lexemes tsvector (FTS5's tokens, GIN), tokens
    newsdesk_postings       lexeme, passage_id, impact: per-token postings by impact (index/postgres/postings.py)
    newsdesk_conversations  id, created_at, updated_at
    newsdesk_turns          conversation_id, ordinal, message, answer, quotes (JSON), ...
    newsdesk_feeds          id, url, interval, times of the last check and next, last error, ETag,
                            entries seen, and the lease of the server checking it

Version 3 added ``newsdesk_postings``: a version-2 database gets them, and version 3, when a
writable newsdesk first opens it, so older writers (which make no postings) refuse it after.
``newsdesk_feeds`` is made by ``CREATE TABLE IF NOT EXISTS`` when first needed, with no version change.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

from newsdesk.index.postgres.connection import connect_once
from newsdesk.qa.errors import IndexStateError, ModelMismatchError

__all__ = [
    "ARTICLE_LOCKS",
    "SCHEMA_LOCK_STATEMENT",
    "SCHEMA_VERSION",
    "UPGRADABLE_VERSIONS",
    "create_conversation_tables",
    "create_feed_tables",
    "prepare_database",
    "record_or_check_model",
    "recorded_model",
]

SCHEMA_VERSION = "3"
#: Versions this one upgrades in place when a writable newsdesk opens them (2: before the postings).
UPGRADABLE_VERSIONS = ("2",)

#: Advisory lock keys (the first of two int4 keys): schema changes, and one lock per article id.
SCHEMA_LOCK = 0x6E647331
ARTICLE_LOCKS = 0x6E647332

_META = "CREATE TABLE IF NOT EXISTS newsdesk_meta (key text PRIMARY KEY, value text NOT NULL)"

_ARTICLE_TABLES = """
CREATE TABLE IF NOT EXISTS newsdesk_state (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    generation bigint NOT NULL DEFAULT 0,
    articles bigint NOT NULL DEFAULT 0,
    passages bigint NOT NULL DEFAULT 0,
    -- The passages' lengths in tokens, summed (BM25's average length).
    tokens bigint NOT NULL DEFAULT 0
);
INSERT INTO newsdesk_state DEFAULT VALUES ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS newsdesk_articles (
    id text PRIMARY KEY,
    seq bigint GENERATED ALWAYS AS IDENTITY,
    title text NOT NULL,
    text text NOT NULL,
    url text,
    published text,
    source text,
    content_hash text NOT NULL,
    added_at text NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    -- Newest first, an undated article by the day it was added (list_articles).
    sort_day text GENERATED ALWAYS AS (COALESCE(published, left(added_at, 10))) STORED
);
CREATE INDEX IF NOT EXISTS newsdesk_articles_by_day ON newsdesk_articles (sort_day DESC, added_at DESC, seq DESC);
CREATE TABLE IF NOT EXISTS newsdesk_sentences (
    article_id text NOT NULL REFERENCES newsdesk_articles(id) ON DELETE CASCADE,
    ordinal integer NOT NULL,
    start_char integer NOT NULL,
    end_char integer NOT NULL,
    embed_hash text NOT NULL,
    vector halfvec({dimension}) NOT NULL,
    PRIMARY KEY (article_id, ordinal)
);
CREATE INDEX IF NOT EXISTS newsdesk_sentences_by_hash ON newsdesk_sentences (embed_hash);
CREATE TABLE IF NOT EXISTS newsdesk_passages (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id text NOT NULL REFERENCES newsdesk_articles(id) ON DELETE CASCADE,
    ordinal integer NOT NULL,
    start_char integer NOT NULL,
    end_char integer NOT NULL,
    text text NOT NULL,
    first_sentence integer NOT NULL,
    last_sentence integer NOT NULL,
    -- The article's title, date and lower-cased source, so searches filter without a join.
    title text NOT NULL,
    published text,
    source_key text,
    embedding halfvec({dimension}) NOT NULL,
    -- The tokens FTS5 makes of the title (weight B) and the text (weight A), at every position,
    -- and their count: made by the writer (index/postgres/lexemes.py), for BM25 as FTS5 ranks.
    lexemes tsvector NOT NULL,
    tokens integer NOT NULL
);
-- Kept in the row (moved out only as a last resort), as the search reads every matching passage's.
ALTER TABLE newsdesk_passages ALTER COLUMN lexemes SET STORAGE MAIN;
CREATE INDEX IF NOT EXISTS newsdesk_passages_by_article ON newsdesk_passages (article_id);
CREATE INDEX IF NOT EXISTS newsdesk_passages_by_published ON newsdesk_passages (published);
CREATE INDEX IF NOT EXISTS newsdesk_passages_by_source ON newsdesk_passages (source_key);
CREATE INDEX IF NOT EXISTS newsdesk_passages_lexemes ON newsdesk_passages USING gin (lexemes);
-- Vectors are normalised, so the inner product is the cosine similarity (as in the FAISS index).
CREATE INDEX IF NOT EXISTS newsdesk_passages_hnsw ON newsdesk_passages
    USING hnsw (embedding halfvec_ip_ops) WITH (m = {m}, ef_construction = {ef_construction})
"""

_CONVERSATION_TABLES = """
CREATE TABLE IF NOT EXISTS newsdesk_conversations (
    id text PRIMARY KEY,
    created_at double precision NOT NULL,
    updated_at double precision NOT NULL
);
CREATE INDEX IF NOT EXISTS newsdesk_conversations_by_update ON newsdesk_conversations (updated_at);
CREATE TABLE IF NOT EXISTS newsdesk_turns (
    conversation_id text NOT NULL REFERENCES newsdesk_conversations(id) ON DELETE CASCADE,
    ordinal integer NOT NULL,
    message text NOT NULL,
    interpreted_question text NOT NULL,
    answer text,
    confidence double precision NOT NULL,
    short_answer text,
    quotes text NOT NULL,
    created_at double precision NOT NULL,
    PRIMARY KEY (conversation_id, ordinal)
)
"""


_FEED_TABLES = """
CREATE TABLE IF NOT EXISTS newsdesk_feeds (
    id text PRIMARY KEY,
    url text NOT NULL,
    every_seconds double precision NOT NULL,
    added_at double precision NOT NULL,
    next_check_at double precision NOT NULL,
    title text,
    last_checked_at double precision,
    last_new_entry_at double precision,
    last_error text,
    failures integer NOT NULL DEFAULT 0,
    etag text,
    last_modified text,
    seen text NOT NULL DEFAULT '{}',
    lease_owner text,
    lease_until double precision
);
CREATE INDEX IF NOT EXISTS newsdesk_feeds_by_next_check ON newsdesk_feeds (next_check_at)
"""


#: Takes the schema lock until the transaction ends.
SCHEMA_LOCK_STATEMENT = f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK}, 0)"


def _lock_schema(conn: psycopg.Connection) -> None:
    """Serialise schema changes between processes that connect at the same time (until commit)."""
    conn.execute(SCHEMA_LOCK_STATEMENT)


def _meta(conn: psycopg.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM newsdesk_meta").fetchall())


def _in_recovery(conn: psycopg.Connection) -> bool:
    return bool(conn.execute("SELECT pg_is_in_recovery()").fetchone()[0])


def prepare_database(conn: psycopg.Connection) -> bool:
    """Create the pgvector extension and the meta table, and check the schema version.

    A streaming replica (a server in recovery) cannot be changed: its schema is
    only checked, and it must already hold what the primary made.

    Args:
        conn: An autocommit connection.

    Returns:
        True when the server is a read-only replica.

    Raises:
        IndexStateError: pgvector is missing and cannot be created, or the
            database was made by another schema version (or, on a replica, by none yet).
    """
    if _in_recovery(conn):
        has_meta = conn.execute("SELECT to_regclass('newsdesk_meta') IS NOT NULL").fetchone()[0]
        found = _meta(conn).get("schema_version") if has_meta else None
        if found is None:
            raise IndexStateError("the replica holds no newsdesk database yet: open the primary once first")
        _check_version(found)
        return True
    with conn.transaction():
        _lock_schema(conn)
        try:
            conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        except psycopg.Error as exc:
            raise IndexStateError(f"the database lacks pgvector and it cannot be created here: {exc}") from exc
        conn.execute(_META)
        conn.execute(
            "INSERT INTO newsdesk_meta VALUES ('schema_version', %s) ON CONFLICT (key) DO NOTHING", (SCHEMA_VERSION,)
        )
        found = _meta(conn)["schema_version"]
    _check_version(found)
    return False


def _check_version(found: str) -> None:
    if found != SCHEMA_VERSION and found not in UPGRADABLE_VERSIONS:
        raise IndexStateError(
            f"the database holds newsdesk schema version {found}, this version reads version {SCHEMA_VERSION}; "
            "re-add the articles into a new database"
        )


def recorded_model(conn: psycopg.Connection) -> tuple[str, int] | None:
    """``(model, dimension)`` recorded in the database, or None."""
    meta = _meta(conn)
    if "model" not in meta:
        return None
    return meta["model"], int(meta["dimension"])


def record_or_check_model(
    conn: psycopg.Connection,
    model: str,
    dimension: int,
    *,
    m: int,
    ef_construction: int,
    read_only: bool = False,
) -> None:
    """On first use create the article tables and record the model; later refuse another model.

    Args:
        conn: An autocommit connection to a database :func:`prepare_database` has set up.
        model: The embedding model's name.
        dimension: Its vector dimension (the ``halfvec`` columns' size).
        m: HNSW links per node for a new index.
        ef_construction: HNSW build candidates for a new index.

    Raises:
        ModelMismatchError: The database was built with another model or dimension.
    """
    if read_only:
        recorded = recorded_model(conn)
        if recorded is None:
            raise IndexStateError("the replica holds no newsdesk articles yet: add them through the primary")
    else:
        recorded = _record_model(conn, model, dimension, m=m, ef_construction=ef_construction)
        if recorded is None:
            return
    if recorded != (model, dimension):
        raise ModelMismatchError(
            f"the database was built with model {recorded[0]!r} (dimension {recorded[1]}), "
            f"not {model!r} (dimension {dimension}); use that model or a new database"
        )


def _record_model(
    conn: psycopg.Connection, model: str, dimension: int, *, m: int, ef_construction: int
) -> tuple[str, int] | None:
    """The model already recorded, or None after creating the article tables and recording this one."""
    with conn.transaction():
        _lock_schema(conn)
        recorded = recorded_model(conn)
        if recorded is None:
            ddl = sql.SQL(_ARTICLE_TABLES).format(
                dimension=sql.Literal(dimension),
                m=sql.Literal(m),
                ef_construction=sql.Literal(ef_construction),
            )
            for statement in ddl.as_string(conn).split(";"):
                if statement.strip():
                    conn.execute(statement.encode())
            conn.execute(
                "INSERT INTO newsdesk_meta VALUES ('model', %s), ('dimension', %s)", (model, str(dimension))
            )
    return recorded


def create_conversation_tables(conn: psycopg.Connection) -> None:
    """Create the chat conversation tables if they are missing (after :func:`prepare_database`)."""
    with conn.transaction():
        _lock_schema(conn)
        for statement in _CONVERSATION_TABLES.split(";"):
            if statement.strip():
                conn.execute(statement.encode())


def create_feed_tables(conn: psycopg.Connection) -> None:
    """Create the followed feeds' table if it is missing (after :func:`prepare_database`)."""
    with conn.transaction():
        _lock_schema(conn)
        for statement in _FEED_TABLES.split(";"):
            if statement.strip():
                conn.execute(statement.encode())


def recorded_model_at(url: str, timeout: float = 30.0) -> tuple[str, int] | None:
    """The ``(model, dimension)`` a database records, read without creating anything; None when none.

    Raises:
        IndexStateError: The server cannot be reached.
    """
    with connect_once(url, timeout) as conn:
        row = conn.execute("SELECT to_regclass('newsdesk_meta')").fetchone()
        return recorded_model(conn) if row and row[0] is not None else None
