"""How many passages hold each phrase: counted through the GIN index once, kept until the next write.

Both the pipeline (to leave out very common words) and the lexical half of the
search (for idf) need phrase frequencies. Counting a common phrase at a million
passages reads tens of thousands of index entries, so each count is kept, keyed
on the generation every write bumps: a write by any process empties the cache at
the next read. Counts are read in the caller's transaction, so they, the passage
total and the search that uses them see one snapshot.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import psycopg

from newsdesk.index.postgres.lexemes import PhraseKey

__all__ = ["PhraseFrequencies"]

# A one-token phrase is counted in the postings' index when there are postings (an index-only
# count), any other through the passages' GIN index.
_COUNT_WITH_POSTINGS = """
SELECT q, CASE WHEN token IS NOT NULL
               THEN (SELECT count(*) FROM newsdesk_postings o WHERE o.lexeme = token)
               ELSE (SELECT count(*) FROM newsdesk_passages p WHERE p.lexemes @@ q::tsquery) END
FROM unnest(%(queries)s::text[], %(tokens)s::text[]) AS t(q, token)"""

_COUNT = """
SELECT q, (SELECT count(*) FROM newsdesk_passages p WHERE p.lexemes @@ q::tsquery)
FROM unnest(%(queries)s::text[]) AS t(q)"""


class PhraseFrequencies:
    """A per-generation cache of phrase frequencies (thread-safe).

    Args:
        capacity: The most phrases kept; past it the cache starts again empty.
    """

    def __init__(self, capacity: int = 100_000) -> None:
        self._capacity = capacity
        self._lock = threading.Lock()
        self._generation: int | None = None
        self._passages = 0
        self._counts: dict[str, int] = {}

    def read(self, conn: psycopg.Connection, phrases: Sequence[PhraseKey], postings: bool) -> tuple[int, list[int]]:
        """The passage total and how many passages hold each phrase, in order.

        Args:
            conn: A connection (in the transaction whose snapshot the counts are for).
            phrases: The phrases.
            postings: The database has the postings table.
        """
        generation, passages = conn.execute("SELECT generation, passages FROM newsdesk_state").fetchone()
        with self._lock:
            if generation != self._generation or len(self._counts) > self._capacity:
                self._generation, self._passages, self._counts = generation, int(passages), {}
            known = dict(self._counts)
        missing = [p for p in dict.fromkeys(phrases) if p.query not in known]
        if missing:
            params = {"queries": [p.query for p in missing], "tokens": [p.token for p in missing]}
            query = _COUNT_WITH_POSTINGS if postings else _COUNT
            counted = {q: int(n) for q, n in conn.execute(query, params).fetchall()}
            known.update(counted)
            with self._lock:
                if generation == self._generation:
                    self._counts.update(counted)
        return int(passages), [known[p.query] for p in phrases]
