"""Hybrid search in one SQL query: HNSW and full-text candidates, filtered and fused by reciprocal rank.

The query has the same shape as the embedded backend's search, computed in the
database next to the rows::

    dense    top dense_k passages by inner product (the HNSW index), filters applied in the scan
    lexical  top lexical_k by ts_rank_cd among at most lexical_scan_limit passages
             matching any of the question's words, filters applied in the scan
    fused    dense FULL JOIN lexical: 1/(rrf_k + dense rank) + lexical_weight/(rrf_k + lexical rank)
    result   the best `limit` fused passages, joined with their articles

Fused scores are computed in float8 exactly as :func:`~newsdesk.qa.retrieval.fusion.fuse_rankings`
computes them, and ties are broken in its order (dense rank first, then lexical rank).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsdesk.qa.pipeline.storage import SearchRequest
from newsdesk.qa.retrieval.filters import PassageFilter
from newsdesk.qa.retrieval.fusion import Candidate
from newsdesk.qa.types import Passage, StoredPassage
from psycopg import sql

__all__ = ["hybrid_query", "ranked_passages", "tsquery_text"]

_DENSE = """
dense AS (
    SELECT id, -distance AS score, row_number() OVER (ORDER BY distance, id) AS rank
    FROM (
        SELECT p.id, p.embedding <#> %(vector)s AS distance
        FROM newsdesk_passages p
        WHERE true {filters}
        ORDER BY p.embedding <#> %(vector)s
        LIMIT %(dense_k)s
    ) nearest
)"""

# Body words weigh 1.0, title words 0.5 (weights D, C, B, A); normalisation 2 divides by the
# passage's length, so long passages do not win by length alone (closest to the embedded BM25
# ranking on the seed questions among ts_rank_cd's normalisations).
_LEXICAL = """
lexical AS (
    SELECT id, row_number() OVER (ORDER BY score DESC, id) AS rank
    FROM (
        SELECT id, ts_rank_cd('{{0.1, 0.2, 0.5, 1.0}}', lexemes, to_tsquery({text_search}::regconfig, %(tsquery)s), 2) AS score
        FROM (
            SELECT p.id, p.lexemes
            FROM newsdesk_passages p
            WHERE p.lexemes @@ to_tsquery({text_search}::regconfig, %(tsquery)s) {filters}
            LIMIT %(lexical_scan)s
        ) matching
        ORDER BY score DESC, id
        LIMIT %(lexical_k)s
    ) best
)"""

_NO_LEXICAL = """
lexical AS (SELECT NULL::bigint AS id, NULL::bigint AS rank WHERE false)"""

_FUSED = """
fused AS (
    SELECT COALESCE(d.id, l.id) AS id,
           COALESCE(1.0::float8 / (%(rrf_k)s + d.rank), 0::float8)
             + COALESCE(%(lexical_weight)s::float8 / (%(rrf_k)s + l.rank), 0::float8) AS score,
           d.score AS dense_score, d.rank AS dense_rank, l.rank AS lexical_rank,
           COALESCE(d.rank, %(dense_k)s + l.rank) AS arrival
    FROM dense d FULL JOIN lexical l ON l.id = d.id
)
SELECT f.id, f.score, f.dense_score, f.dense_rank, f.lexical_rank,
       p.article_id, p.ordinal, p.start_char, p.end_char, p.text, p.first_sentence, p.last_sentence,
       a.title, a.url, a.published, a.source
FROM fused f
JOIN newsdesk_passages p ON p.id = f.id
JOIN newsdesk_articles a ON a.id = p.article_id
ORDER BY f.score DESC, f.arrival
LIMIT %(limit)s"""


def tsquery_text(terms: Sequence[str]) -> str:
    """A ``to_tsquery`` OR-query of words, each quoted so no character in them reads as an operator.

    Returns:
        ``'a' | 'b'``, or an empty string when no word is left.
    """
    quoted = ("'" + t.replace("\\", "").replace("'", "''") + "'" for t in terms)
    return " | ".join(q for q in quoted if q != "''")


def _filters(filters: PassageFilter) -> tuple[str, dict[str, Any]]:
    """SQL conditions on ``p`` (a newsdesk_passages row) that admit what :meth:`PassageFilter.admits` admits."""
    clauses, params = [], {}
    if filters.since:
        clauses.append("AND p.published >= %(since)s")
        params["since"] = filters.since.isoformat()
    if filters.until:
        clauses.append("AND p.published <= %(until)s")
        params["until"] = filters.until.isoformat()
    if filters.source:
        clauses.append("AND p.source_key = %(source)s")
        params["source"] = filters.source.lower()
    return " ".join(clauses), params


def hybrid_query(request: SearchRequest, text_search: str, lexical_scan_limit: int) -> tuple[sql.Composed, dict[str, Any]]:
    """The one SQL statement of a hybrid search, and its parameters.

    Args:
        request: The question's vector and words, the filters and the fusion constants.
        text_search: The text search configuration the passages were indexed with.
        lexical_scan_limit: Matching passages ranked at most by the lexical half.

    Returns:
        The statement and its named parameters; its rows are read by :func:`ranked_passages`.
    """
    retrieval = request.retrieval
    conditions, params = _filters(request.filters)
    tsquery = tsquery_text(request.terms) if retrieval.lexical_k > 0 else ""
    lexical = _LEXICAL if tsquery else _NO_LEXICAL
    template = "WITH" + _DENSE + "," + lexical + "," + _FUSED
    query = sql.SQL(template.replace("{filters}", conditions)).format(text_search=sql.Literal(text_search))
    params.update(
        vector=request.vector,
        dense_k=retrieval.dense_k,
        tsquery=tsquery,
        lexical_k=retrieval.lexical_k,
        lexical_scan=max(lexical_scan_limit, retrieval.lexical_k),
        rrf_k=retrieval.rrf_k,
        lexical_weight=float(retrieval.lexical_weight),
        limit=request.limit,
    )
    return query, params


def ranked_passages(rows: Sequence[tuple[Any, ...]]) -> list[tuple[Candidate, StoredPassage]]:
    """Candidates and their passages from the rows of :func:`hybrid_query`, in order."""
    ranked = []
    for row in rows:
        pid, score, dense_score, dense_rank, lexical_rank = row[:5]
        article_id, ordinal, start, end, text, first, last = row[5:12]
        candidate = Candidate(
            int(pid),
            float(score),
            None if dense_score is None else float(dense_score),
            None if dense_rank is None else int(dense_rank),
            None if lexical_rank is None else int(lexical_rank),
        )
        passage = Passage(article_id, ordinal, start, end, text, first, last, id=int(pid))
        ranked.append((candidate, StoredPassage(passage, *row[12:16])))
    return ranked
