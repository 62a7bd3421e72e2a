"""Per-token postings ordered by impact, so the lexical half finds its candidates without scoring every match.

``newsdesk_postings`` holds one row per (token, passage): the passage's id and the
token's *impact* there, BM25's term-frequency part at a fixed reference length::

    f       = TITLE_WEIGHT * (occurrences in the title) + TEXT_WEIGHT * (in the text)
    impact  = f / (f + K1 * (1 - B + B * tokens / REFERENCE_LENGTH))

Its index on ``(lexeme, impact DESC, passage_id)`` reads a token's best passages first, so a
question's candidates are each token's ``per_token`` best passages, ranked by
``sum(idf * impact)``; the best ``rescore`` of those are then scored exactly, with
every phrase, by the same BM25 as the full scan (:mod:`~newsdesk.index.postgres.search`).
Impact only chooses candidates, so a fixed reference length serves for ever.

Rows are made in SQL from the passages' stored ``lexemes`` (by the write that
stores an article, and once for a database made before this table), so one
formula makes them all. A read-only replica of such a database lacks the table
until its primary has made it; the search then scans as before.
"""

from __future__ import annotations

import psycopg

from newsdesk.index.bm25 import K1, TEXT_WEIGHT, TITLE_WEIGHT, B
from newsdesk.index.postgres.schema import SCHEMA_VERSION

__all__ = ["DELETE_POSTINGS", "INSERT_POSTINGS", "POSTINGS_CANDIDATES", "create_postings", "has_postings"]

#: The passage length impacts are computed at (close to a news passage's, title included).
REFERENCE_LENGTH = 80.0

_IMPACT = f"""
    (f.frequency / (f.frequency + {K1!r} * (1 - {B!r} + {B!r} * p.tokens / {REFERENCE_LENGTH!r})))::real"""

_ROWS = f"""
SELECT u.lexeme, p.id, {_IMPACT}
FROM newsdesk_passages p
CROSS JOIN LATERAL unnest(p.lexemes) u
CROSS JOIN LATERAL (
    SELECT {TITLE_WEIGHT!r} * cardinality(array_positions(u.weights, 'B'))
           + {TEXT_WEIGHT!r} * cardinality(array_positions(u.weights, 'A')) AS frequency
) f"""

#: The postings of one article's passages (parameter: the article id), after they are stored.
INSERT_POSTINGS = f"INSERT INTO newsdesk_postings (lexeme, passage_id, impact) {_ROWS} WHERE p.article_id = %s"

#: Remove one article's postings (parameter: the article id), before its passages go.
DELETE_POSTINGS = """
DELETE FROM newsdesk_postings WHERE passage_id IN (SELECT id FROM newsdesk_passages WHERE article_id = %s)"""

_TABLE = """
CREATE TABLE newsdesk_postings (
    lexeme text NOT NULL,
    passage_id bigint NOT NULL,
    impact real NOT NULL
)"""

_INDEXES = [
    "CREATE INDEX newsdesk_postings_by_impact ON newsdesk_postings (lexeme, impact DESC, passage_id)",
    "CREATE INDEX newsdesk_postings_by_passage ON newsdesk_postings (passage_id)",
]

#: The lexical half's candidates from the postings (``candidates``: passage_id): each token's best
#: passages by impact, the best of those by summed idf * impact (a token outside a passage's lists
#: counts 0 there), which are then scored exactly. (Counting such a token at its list's last impact, the max-score upper
#: bound, ranked candidates worse on real questions: 0.92 against 0.95 of the exact top 100.)
POSTINGS_CANDIDATES = """
candidates AS (
    SELECT x.passage_id, sum(t.idf * x.impact) AS partial
    FROM unnest(%(tokens)s::text[], %(token_idfs)s::float8[]) AS t(lexeme, idf)
    CROSS JOIN LATERAL (
        SELECT o.passage_id, o.impact FROM newsdesk_postings o
        WHERE o.lexeme = t.lexeme
        ORDER BY o.impact DESC, o.passage_id  -- equal impacts by passage id, as FTS5 breaks ties
        LIMIT %(per_token)s
    ) x
    GROUP BY x.passage_id
    ORDER BY partial DESC, x.passage_id
    LIMIT %(rescore)s
)"""


def has_postings(conn: psycopg.Connection) -> bool:
    """Whether the database has the postings table (a replica may not have it yet)."""
    return bool(conn.execute("SELECT to_regclass('newsdesk_postings') IS NOT NULL").fetchone()[0])


def create_postings(conn: psycopg.Connection, lock: str) -> bool:
    """Make sure the postings table exists, filled from the passages already stored when made now.

    Args:
        conn: An autocommit connection to a database with the article tables.
        lock: The statement that takes the schema lock (held until the transaction ends).

    Returns:
        True: the table exists (made now, or before by this or another process), so writes keep it.
    """
    if has_postings(conn):
        return True
    try:
        with conn.transaction():
            conn.execute(lock)
            # Another process may have made it while this one waited for the lock; its catalog
            # change may not be seen yet (an advisory lock reads no invalidations), so the CREATE
            # itself is the final check.
            if has_postings(conn):
                return True
            conn.execute(_TABLE)
            conn.execute(f"INSERT INTO newsdesk_postings (lexeme, passage_id, impact) {_ROWS}")
            for statement in _INDEXES:
                conn.execute(statement)
            # A version-2 database is version 3 from now on: older writers, which make no postings, refuse it.
            conn.execute("UPDATE newsdesk_meta SET value = %s WHERE key = 'schema_version'", (SCHEMA_VERSION,))
    except (psycopg.errors.DuplicateTable, psycopg.errors.UniqueViolation):
        pass  # made by another process meanwhile
    return True
