"""Which phrases the PostgreSQL lexical half scans: the rarest, up to the scan limit, and the bound on the rest."""

from __future__ import annotations

import math

import pytest

from newsdesk.index.bm25 import K1
from newsdesk.index.postgres.lexical_plan import bm25_idf, plan_lexical


def test_idf_is_fts5s_with_its_floor() -> None:
    assert bm25_idf(1000, 10) == math.log((1000 - 10 + 0.5) / (10 + 0.5))
    assert bm25_idf(1000, 500) == 1e-6 and bm25_idf(1000, 900) == 1e-6


def test_everything_is_scanned_under_the_limit() -> None:
    plan = plan_lexical([300, 20, 5000], passages=100_000, scan_limit=20_000)
    assert plan.scanned == [0, 1, 2] and plan.complete and plan.bound == 0


def test_the_rarest_phrases_are_scanned_up_to_the_limit() -> None:
    frequencies = [40_000, 900, 12_000, 9_000]
    plan = plan_lexical(frequencies, passages=1_000_000, scan_limit=20_000)
    assert plan.scanned == [1, 3]  # 900 + 9,000 fit; 12,000 more would not
    assert not plan.complete
    left = bm25_idf(1_000_000, 40_000) + bm25_idf(1_000_000, 12_000)
    assert plan.bound == pytest.approx(left * (K1 + 1))
    assert plan.idfs == [bm25_idf(1_000_000, n) for n in frequencies]


def test_the_rarest_phrase_is_scanned_even_over_the_limit() -> None:
    plan = plan_lexical([50_000, 30_000], passages=1_000_000, scan_limit=20_000)
    assert plan.scanned == [1] and not plan.complete


def test_phrases_held_nowhere_cost_nothing_and_bound_nothing() -> None:
    plan = plan_lexical([0, 10, 0], passages=1000, scan_limit=5)
    assert plan.scanned == [1] and plan.complete and plan.bound == 0
    assert plan_lexical([0, 0], passages=1000, scan_limit=5).scanned == [0]
    assert plan_lexical([], passages=1000, scan_limit=5).scanned == []


def test_postings_limits_grow_with_the_collection_from_their_floors() -> None:
    from newsdesk.index.postgres.config import PostgresConfig

    config = PostgresConfig()
    assert config.postings_limits(100_000) == (2_000, 1_000)  # floors
    assert config.postings_limits(1_000_000) == (5_000, 2_000)  # 0.5% per token, two fifths of that rescored
    assert PostgresConfig(postings_per_token=9_000).postings_limits(1_000_000) == (9_000, 2_000)
