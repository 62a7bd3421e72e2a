"""The PostgreSQL backend's settings, apart from the driver so that they load without the ``postgres`` extra."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PostgresConfig"]


@dataclass(frozen=True)
class PostgresConfig:
    """The PostgreSQL backend's settings (``newsdesk.settings`` fills them from the environment and the CLI).

    Attributes:
        pool_min: Connections the pool keeps open.
        pool_max: The most connections one process opens (the app is multi-threaded).
        connect_timeout: Seconds to wait for the server to accept a connection. A request
            that got no pooled connection within this time while the pool could still grow
            (so the pool could not connect) fails at once: a database that is down answers
            503 after about this long, not after ``pool_timeout``.
        pool_timeout: Seconds a request waits for a pooled connection while every one of
            ``pool_max`` connections is busy (the database is up, only loaded).
        ef_search: Candidates the HNSW index keeps while searching (raised to the
            dense candidate count when that is larger).
        iterative_scan: pgvector's ``hnsw.iterative_scan``: a filtered search goes on past
            ``ef_search`` until it has the rows asked for (``strict_order``: in distance order).
        lexical_scan_limit: Matching passages the full-text half ranks at most, so a
            question of common words does not rank a large share of a big table.
        postings_per_token: Passages the lexical half takes from each question token's
            postings, best impact first, at least ...
        postings_rescore: ... and how many of those, by summed impact, it scores exactly, at least.
        postings_share: Both grow with the collection, to this share of its passages (per token)
            and two fifths of it (rescored): a larger collection has more words whose postings
            are cut, and cutting them by the same share keeps the ranking as close to FTS5's.
        postings_above: The postings are used (without filters) when the passages holding
            the question's phrases add up to more than this; under it every one is scored.
        hnsw_m: Links per node of the HNSW index (set when the index is created).
        hnsw_ef_construction: Candidates kept while building the HNSW index.
    """

    pool_min: int = 1
    pool_max: int = 8
    connect_timeout: float = 1.5
    pool_timeout: float = 30.0
    ef_search: int = 1000
    iterative_scan: str = "strict_order"
    lexical_scan_limit: int = 20_000
    postings_per_token: int = 2_000
    postings_rescore: int = 1_000
    postings_above: int = 1_000
    postings_share: float = 0.005

    def postings_limits(self, passages: int) -> tuple[int, int]:
        """``(per_token, rescore)`` for a collection of ``passages``."""
        grown = int(passages * self.postings_share)
        return max(self.postings_per_token, grown), max(self.postings_rescore, grown * 2 // 5)
    hnsw_m: int = 16
    hnsw_ef_construction: int = 64
