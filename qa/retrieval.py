"""Hybrid passage retrieval: dense (FAISS) and lexical (FTS5 BM25), fused by reciprocal rank."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from qa.text import STOPWORDS, tokens

__all__ = ["Candidate", "RetrievalConfig", "fts_query", "fuse_rankings", "retrieve"]


@dataclass(frozen=True)
class RetrievalConfig:
    """How many candidates each retriever gives and how they are fused.

    Attributes:
        dense_k: Passages taken from the vector index.
        lexical_k: Passages taken from the BM25 index.
        rrf_k: The reciprocal-rank-fusion constant (60 in the original paper).
        lexical_weight: Weight of the BM25 ranking relative to the dense one.
        common_share: Words in more than this share of passages are left out of
            the lexical query.
    """

    dense_k: int = 100
    lexical_k: int = 100
    rrf_k: int = 60
    lexical_weight: float = 1.0
    common_share: float = 0.15


@dataclass(frozen=True)
class Candidate:
    """A retrieved passage id with its fused score and its per-retriever evidence."""

    passage_id: int
    score: float
    dense_score: float | None
    dense_rank: int | None
    lexical_rank: int | None


class DenseSearcher(Protocol):
    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]: ...


class LexicalSearcher(Protocol):
    def lexical_search(self, match_query: str, k: int) -> list[tuple[int, float]]: ...


def fts_query(question: str, common: frozenset[str] = frozenset()) -> str:
    """Turn a question into an FTS5 OR-query of its meaningful words, each quoted.

    Quoting every term keeps FTS5 syntax characters in the question from being
    read as operators. Words in ``common`` (found in a large share of the
    passages) are left out: they barely move BM25 scores but make SQLite
    score most of the index.
    """
    terms = [t for t in dict.fromkeys(tokens(question)) if (t not in STOPWORDS and len(t) > 1) or t.isdigit()]
    kept = [t for t in terms if t not in common] or terms
    return " OR ".join('"' + t.replace('"', "") + '"' for t in kept if t.replace('"', ""))


def fuse_rankings(
    dense: list[tuple[int, float]], lexical: list[tuple[int, float]], config: RetrievalConfig
) -> list[Candidate]:
    """Reciprocal-rank fusion of two rankings, best first."""
    dense_rank = {pid: rank for rank, (pid, _) in enumerate(dense, start=1)}
    dense_score = dict(dense)
    lexical_rank = {pid: rank for rank, (pid, _) in enumerate(lexical, start=1)}
    candidates = []
    for pid in dict.fromkeys([p for p, _ in dense] + [p for p, _ in lexical]):
        score = 0.0
        if pid in dense_rank:
            score += 1.0 / (config.rrf_k + dense_rank[pid])
        if pid in lexical_rank:
            score += config.lexical_weight / (config.rrf_k + lexical_rank[pid])
        candidates.append(Candidate(pid, score, dense_score.get(pid), dense_rank.get(pid), lexical_rank.get(pid)))
    candidates.sort(key=lambda c: -c.score)
    return candidates


def retrieve(
    question: str,
    vector: np.ndarray,
    dense: DenseSearcher,
    lexical: LexicalSearcher,
    config: RetrievalConfig,
    common: frozenset[str] = frozenset(),
) -> list[Candidate]:
    """Find candidate passages for a question by both retrievers.

    Args:
        question: The question text (for BM25).
        vector: Its normalised embedding (for FAISS).
        dense: The vector index.
        lexical: The store's BM25 index.
        config: Candidate counts and fusion settings.
        common: Question words too frequent to be worth a lexical search.

    Returns:
        Fused candidates, best first.
    """
    dense_hits = dense.search(vector, config.dense_k)
    lexical_hits = lexical.lexical_search(fts_query(question, common), config.lexical_k) if config.lexical_k > 0 else []
    return fuse_rankings(dense_hits, lexical_hits, config)
