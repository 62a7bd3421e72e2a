"""Hybrid retrieval's backend-free parts: the settings, the lexical terms and reciprocal-rank fusion."""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.qa.text import STOPWORDS, tokens

__all__ = ["Candidate", "RetrievalConfig", "fuse_rankings", "query_terms"]


@dataclass(frozen=True)
class RetrievalConfig:
    """How many candidates each retriever gives and how they are fused.

    Attributes:
        dense_k: Passages taken from the vector index.
        lexical_k: Passages taken from the BM25 index.
        rrf_k: The reciprocal-rank-fusion constant (60 in the original paper).
        lexical_weight: Weight of the BM25 ranking relative to the dense one.
        common_share: Words in more than this share of passages are left out of
            the lexical query ...
        common_floor: ... and in more than this many passages: in a small index
            every word is cheap to search.
    """

    dense_k: int = 100
    lexical_k: int = 100
    rrf_k: int = 60
    lexical_weight: float = 1.0
    common_share: float = 0.15
    common_floor: int = 1000


@dataclass(frozen=True)
class Candidate:
    """A retrieved passage id with its fused score and its per-retriever evidence."""

    passage_id: int
    score: float
    dense_score: float | None
    dense_rank: int | None
    lexical_rank: int | None


def query_terms(question: str, common: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The question's words worth a lexical search, in order, each once.

    Stopwords and one-letter words go (numbers stay). Words in ``common``
    (found in a large share of the passages) go too when anything else is
    left: they barely move BM25 scores but make the store score most of the
    index.
    """
    terms = [t for t in dict.fromkeys(tokens(question)) if (t not in STOPWORDS and len(t) > 1) or t.isdigit()]
    kept = [t for t in terms if t not in common] or terms
    return tuple(kept)


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
