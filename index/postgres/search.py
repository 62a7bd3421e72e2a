"""Hybrid search in one SQL query: HNSW and full-text candidates, filtered and fused by reciprocal rank.

The query has the same shape as the embedded backend's search, computed in the
database next to the rows::

    dense    top dense_k passages by inner product (the HNSW index), filters applied in the scan
    lexical  top lexical_k by BM25, as FTS5 computes it (:mod:`newsdesk.index.bm25`), among either the
             best candidates of the postings (:mod:`~newsdesk.index.postgres.postings`; no filters), or
             the passages holding one of the scanned phrases (:mod:`~newsdesk.index.postgres.lexical_plan`;
             at most lexical_scan_limit of them), filters applied in the scan
    fused    dense FULL JOIN lexical: 1/(rrf_k + dense rank) + lexical_weight/(rrf_k + lexical rank)
    result   the best `limit` fused passages, joined with their articles

BM25 needs, besides each scanned passage's length and the positions of the question's
tokens in it (read from its ``lexemes``), the passage count and total length (kept in
``newsdesk_state`` by every write) and each phrase's idf, computed beforehand from
counts kept per generation (:mod:`~newsdesk.index.postgres.frequencies`).

Scores are computed in float8 in FTS5's order of operations, and ties are broken by
passage id, as FTS5 returns them; fused scores are computed exactly as
:func:`~newsdesk.qa.retrieval.fusion.fuse_rankings` computes them, and their ties are
broken in its order (dense rank first, then lexical rank).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from psycopg import sql

from newsdesk.index.bm25 import K1, TEXT_WEIGHT, TITLE_WEIGHT, B
from newsdesk.index.postgres.lexemes import LexicalQuery
from newsdesk.index.postgres.lexical_plan import LexicalPlan
from newsdesk.index.postgres.postings import POSTINGS_CANDIDATES
from newsdesk.qa.pipeline.storage import SearchRequest
from newsdesk.qa.retrieval.filters import PassageFilter
from newsdesk.qa.retrieval.fusion import Candidate
from newsdesk.qa.types import Passage, StoredPassage

__all__ = ["hybrid_query", "ranked_passages"]

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

# matching     the passages holding any scanned phrase, each with its length and the query's tokens in it
#              (ts_delete twice: the tsvector less every other lexeme, without unnesting it all)
# tokens       each query token in each matching passage: its positions and their weights
#              (title positions weigh B, text positions A)
# frequencies  each phrase's occurrences in each passage, weighted by column: a one-token phrase's
#              from its weights, a longer one's where all its tokens follow its first in order
# phrases      each phrase's idf, computed beforehand
# scored       BM25, summed over the phrases in the question's order (as FTS5 sums)
_FOUND = "ts_delete(p.lexemes, tsvector_to_array(ts_delete(p.lexemes, %(distinct_lexemes)s::text[]))) AS found"

_SCAN_MATCHING = f"""
matching AS (
    SELECT p.id, p.tokens, {_FOUND}
    FROM newsdesk_passages p
    WHERE p.lexemes @@ %(scanned)s::tsquery {{filters}}
    LIMIT %(lexical_scan)s
)"""

_POSTINGS_MATCHING = f"""{POSTINGS_CANDIDATES},
matching AS (
    SELECT p.id, p.tokens, {_FOUND}
    FROM candidates c
    JOIN newsdesk_passages p ON p.id = c.passage_id
)"""

_LEXICAL = """
tokens AS (
    SELECT m.id, t.phrase, t.place, u.positions, u.weights
    FROM matching m
    CROSS JOIN LATERAL unnest(m.found) u
    JOIN unnest(%(lexemes)s::text[], %(phrase_numbers)s::int[], %(places)s::int[]) AS t(lexeme, phrase, place)
      ON t.lexeme = u.lexeme
),
frequencies AS (
    SELECT id, phrase,
           %(title_weight)s * cardinality(array_positions(weights, 'B'))
             + %(text_weight)s * cardinality(array_positions(weights, 'A')) AS frequency
    FROM tokens
    WHERE (%(lengths)s::int[])[phrase] = 1
    UNION ALL
    SELECT id, phrase, sum(CASE weight WHEN 'A' THEN %(text_weight)s ELSE %(title_weight)s END)
    FROM (
        SELECT k.id, k.phrase, min(x.weight) AS weight
        FROM tokens k
        CROSS JOIN LATERAL unnest(k.positions, k.weights) AS x(position, weight)
        WHERE (%(lengths)s::int[])[k.phrase] > 1
        GROUP BY k.id, k.phrase, x.position - k.place
        HAVING count(*) = (%(lengths)s::int[])[k.phrase]
    ) instances
    GROUP BY id, phrase
),
phrases AS (
    SELECT phrase, idf FROM unnest(%(idfs)s::float8[]) WITH ORDINALITY AS q(idf, phrase)
),
scored AS (
    SELECT f.id,
           sum(ph.idf * ((f.frequency * %(k1_plus_1)s)
                         / (f.frequency + %(k1)s * (1 - %(b)s + %(b)s * m.tokens / a.avgdl))) ORDER BY f.phrase) AS score
    FROM frequencies f
    JOIN phrases ph ON ph.phrase = f.phrase
    JOIN matching m ON m.id = f.id
    CROSS JOIN (SELECT tokens::float8 / passages AS avgdl FROM newsdesk_state) a
    GROUP BY f.id
),
lexical AS (
    SELECT id, row_number() OVER (ORDER BY score DESC, id) AS rank
    FROM (SELECT id, score FROM scored ORDER BY score DESC, id LIMIT %(lexical_k)s) best
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


def hybrid_query(
    request: SearchRequest,
    words: LexicalQuery | None,
    plan: LexicalPlan | None,
    lexical_scan_limit: int,
    postings: tuple[int, int] | None = None,
) -> tuple[sql.SQL, dict[str, Any]]:
    """The one SQL statement of a hybrid search, and its parameters.

    Args:
        request: The question's vector and words, the filters and the fusion constants.
        words: The question's phrases (None: no lexical half).
        plan: The phrases scanned and each one's idf (:func:`~newsdesk.index.postgres.lexical_plan.plan_lexical`).
        lexical_scan_limit: Passages the lexical half scores at most.
        postings: ``(per_token, rescore)`` to take the lexical candidates from the postings
            (:mod:`~newsdesk.index.postgres.postings`) instead of scanning the passages that
            hold the scanned phrases; None to scan.

    Returns:
        The statement and its named parameters; its rows are read by :func:`ranked_passages`.
    """
    retrieval = request.retrieval
    conditions, params = _filters(request.filters)
    lexical = words is not None and plan is not None and retrieval.lexical_k > 0
    matching = _POSTINGS_MATCHING if postings else _SCAN_MATCHING
    template = "WITH" + _DENSE + "," + (matching + "," + _LEXICAL if lexical else _NO_LEXICAL) + "," + _FUSED
    query = sql.SQL(template.replace("{filters}", conditions))
    params.update(
        vector=request.vector,
        dense_k=retrieval.dense_k,
        lexical_k=retrieval.lexical_k,
        rrf_k=retrieval.rrf_k,
        lexical_weight=float(retrieval.lexical_weight),
        limit=request.limit,
    )
    if lexical:
        assert words is not None and plan is not None
        params.update(
            scanned=" | ".join(f"({words.phrases[i]})" for i in plan.scanned),
            idfs=plan.idfs,
            lengths=words.lengths,
            lexemes=words.lexemes,
            distinct_lexemes=words.distinct_lexemes,
            phrase_numbers=words.phrase_numbers,
            places=words.places,
            **(_postings_parameters(words, plan, *postings) if postings else {}),
            lexical_scan=max(lexical_scan_limit, retrieval.lexical_k),
            title_weight=TITLE_WEIGHT,
            text_weight=TEXT_WEIGHT,
            k1=K1,
            k1_plus_1=K1 + 1.0,
            b=B,
        )
    return query, params


def _postings_parameters(words: LexicalQuery, plan: LexicalPlan, per_token: int, rescore: int) -> dict[str, Any]:
    """Each distinct token with its weight for choosing candidates, and the postings' limits.

    A token weighs its phrase's idf, shared out among the phrase's tokens (``covid <-> 19``: half
    each), so a passage holding one token of a phrase but not the phrase does not crowd out those
    that hold it; a token in several phrases takes its highest weight.
    """
    weight: dict[str, float] = {}
    for lexeme, phrase in zip(words.lexemes, words.phrase_numbers):
        share = plan.idfs[phrase - 1] / words.lengths[phrase - 1]
        weight[lexeme] = max(weight.get(lexeme, 0.0), share)
    return {"tokens": list(weight), "token_idfs": list(weight.values()), "per_token": per_token, "rescore": rescore}


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
