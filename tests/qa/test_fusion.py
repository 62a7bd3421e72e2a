"""Hybrid retrieval's backend-free parts: reciprocal-rank fusion and the lexical query terms."""

from __future__ import annotations

import pytest

from newsdesk.qa.retrieval.fusion import Candidate, RetrievalConfig, fuse_rankings, query_terms

DENSE = [(1, 0.9), (2, 0.8), (3, 0.7)]
LEXICAL = [(3, 12.0), (4, 9.5)]


@pytest.mark.parametrize(
    ("dense", "lexical", "config", "expected"),
    [
        pytest.param(
            DENSE, LEXICAL, RetrievalConfig(),
            [
                Candidate(3, 1 / 63 + 1 / 61, 0.7, 3, 1),
                Candidate(1, 1 / 61, 0.9, 1, None),
                # 2 and 4 tie at 1/62: the sort is stable, so dense-first order holds.
                Candidate(2, 1 / 62, 0.8, 2, None),
                Candidate(4, 1 / 62, None, None, 2),
            ],
            id="both-lists-rrf-60",
        ),
        pytest.param(
            DENSE, LEXICAL, RetrievalConfig(rrf_k=0),
            [
                Candidate(3, 1 / 3 + 1 / 1, 0.7, 3, 1),
                Candidate(1, 1.0, 0.9, 1, None),
                Candidate(2, 1 / 2, 0.8, 2, None),
                Candidate(4, 1 / 2, None, None, 2),
            ],
            id="rrf-k-0",
        ),
        pytest.param(
            DENSE, LEXICAL, RetrievalConfig(lexical_weight=3.0),
            [
                Candidate(3, 1 / 63 + 3 / 61, 0.7, 3, 1),
                Candidate(4, 3 / 62, None, None, 2),
                Candidate(1, 1 / 61, 0.9, 1, None),
                Candidate(2, 1 / 62, 0.8, 2, None),
            ],
            id="lexical-weighted-up",
        ),
        pytest.param(
            DENSE, LEXICAL, RetrievalConfig(lexical_weight=0.0),
            [
                Candidate(1, 1 / 61, 0.9, 1, None),
                Candidate(2, 1 / 62, 0.8, 2, None),
                Candidate(3, 1 / 63, 0.7, 3, 1),
                Candidate(4, 0.0, None, None, 2),  # still a candidate, with no weight
            ],
            id="lexical-weight-0",
        ),
        pytest.param(
            [], LEXICAL, RetrievalConfig(),
            [Candidate(3, 1 / 61, None, None, 1), Candidate(4, 1 / 62, None, None, 2)],
            id="lexical-only",
        ),
        pytest.param(
            DENSE, [], RetrievalConfig(),
            [Candidate(1, 1 / 61, 0.9, 1, None), Candidate(2, 1 / 62, 0.8, 2, None), Candidate(3, 1 / 63, 0.7, 3, None)],
            id="dense-only",
        ),
        pytest.param(
            [(7, 0.1), (8, 0.2)], [(8, 1.0), (7, 2.0)], RetrievalConfig(),
            [Candidate(7, 1 / 61 + 1 / 62, 0.1, 1, 2), Candidate(8, 1 / 62 + 1 / 61, 0.2, 2, 1)],
            id="mirrored-ranks-tie-keep-dense-order",
        ),
        pytest.param([], [], RetrievalConfig(), [], id="nothing"),
    ],
)  # fmt: skip
def test_fuse_rankings_scores_by_reciprocal_rank(
    dense: list[tuple[int, float]], lexical: list[tuple[int, float]], config: RetrievalConfig, expected: list[Candidate]
) -> None:
    fused = fuse_rankings(dense, lexical, config)
    assert [c.passage_id for c in fused] == [c.passage_id for c in expected]
    for got, want in zip(fused, expected):
        assert got.score == pytest.approx(want.score, rel=1e-12)
        assert (got.dense_score, got.dense_rank, got.lexical_rank) == (
            want.dense_score,
            want.dense_rank,
            want.lexical_rank,
        )


def test_fusion_ignores_the_scores_only_the_ranks_count() -> None:
    """A huge BM25 score at rank 2 is worth no more than a tiny one at rank 2."""
    small = fuse_rankings([(1, 0.5)], [(2, 0.001), (1, 0.0001)], RetrievalConfig())
    large = fuse_rankings([(1, 0.5)], [(2, 1e9), (1, 1e8)], RetrievalConfig())
    assert [(c.passage_id, c.score) for c in small] == [(c.passage_id, c.score) for c in large]
    assert [c.passage_id for c in small] == [1, 2]


@pytest.mark.parametrize(
    ("question", "common", "expected"),
    [
        ("Who is Russia's new ambassador?", frozenset(), ("russia", "ambassador")),
        # one-letter words go, numbers (even one digit) stay
        ("What happened in 2025 and 5 x?", frozenset(), ("happened", "2025", "5")),
        ("Plan B or plan 9?", frozenset(), ("plan", "9")),
        # each word once, in order of first use, lower-cased
        ("Talks talks TALKS about Istanbul talks", frozenset(), ("talks", "istanbul")),
        ("Istanbul, then Riyadh, then Istanbul again", frozenset(), ("istanbul", "riyadh")),
        # only stopwords: nothing to search for
        ("What is it?", frozenset(), ()),
        ("", frozenset(), ()),
        # common words go when something else is left ...
        ("Russia talks in Istanbul", frozenset({"russia", "talks"}), ("istanbul",)),
        # ... and stay when they are all there is
        ("Russia talks", frozenset({"russia", "talks"}), ("russia", "talks")),
        # common words are raw tokens: a stopword listed as common changes nothing
        ("the Kremlin", frozenset({"the"}), ("kremlin",)),
        # hyphenated words stay whole; decimals split at the point
        ("Black-Sea deal at 3.5 percent", frozenset(), ("black-sea", "deal", "3", "5")),
    ],
)
def test_query_terms(question: str, common: frozenset[str], expected: tuple[str, ...]) -> None:
    assert query_terms(question, common) == expected
