"""The real model over the seed articles: PostgreSQL answers as the embedded index does, with the same quotes.

Dense retrieval is the same on both (HNSW finds every neighbour in a small table;
half-precision passage vectors keep the order), and so is the lexical half (BM25 over
FTS5's tokens on both); so answers are identical, with or without the lexical half. A
filtered PostgreSQL search ranks among the admitted passages where the embedded one
keeps unfiltered ranks; filtered, they agree on the answer and its best quote for
almost every question.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from newsdesk.desk import Newsdesk
from newsdesk.index.migrate import copy_index
from newsdesk.index.postgres.store import PostgresStore
from newsdesk.qa.embedding import SentenceTransformerEmbedder
from newsdesk.qa.pipeline.config import PipelineConfig
from newsdesk.qa.retrieval.filters import PassageFilter
from newsdesk.qa.types import Answer
from tests.conftest import ROOT

QUESTIONS = [json.loads(line)["question"] for line in (ROOT / "eval" / "sets" / "seed.jsonl").read_text().splitlines()]
FILTERS = [{}, {"until": "2025-04-30"}, {"since": "2025-04-01"}]
DENSE_ONLY = replace(PipelineConfig(), retrieval=replace(PipelineConfig().retrieval, lexical_k=0))


@pytest.fixture(scope="module")
def seed_database(postgres_database: str, seed_index_dir: Path, embedder: SentenceTransformerEmbedder) -> str:
    """The seed index copied into PostgreSQL: the same articles, offsets and vectors."""
    store = PostgresStore(postgres_database)
    store.check_model(embedder.name, embedder.dimension)
    copy_index(seed_index_dir, store)
    store.close()
    return postgres_database


def both(seed_index_dir: Path, url: str, embedder: SentenceTransformerEmbedder, config: PipelineConfig) -> Iterator[Newsdesk]:
    yield Newsdesk(seed_index_dir, embedder, config, writer=False)
    yield Newsdesk.over(PostgresStore(url), embedder, config, writer=False)


def essence(answer: Answer) -> tuple[object, ...]:
    return answer.answer, [(q.article_id, q.start, q.end, q.text) for q in answer.quotes], round(answer.confidence, 2)


def check_quotes(desk: Newsdesk, answer: Answer, filters: dict[str, str]) -> None:
    """Every quote is verbatim at its offsets and from an article the filters admit."""
    admitted = PassageFilter.build(filters.get("since"), filters.get("until"), None)
    for quote in answer.quotes:
        assert desk.get_article(quote.article_id).text[quote.start : quote.end] == quote.text
        if admitted.active:
            day = quote.published or ""
            assert admitted.since is None or day >= admitted.since.isoformat(), quote
            assert admitted.until is None or (day and day <= admitted.until.isoformat()), quote


def test_dense_retrieval_gives_the_same_answers_and_quotes(
    seed_database: str, seed_index_dir: Path, embedder: SentenceTransformerEmbedder
) -> None:
    embedded, postgres = both(seed_index_dir, seed_database, embedder, DENSE_ONLY)
    try:
        assert embedded.counts() == postgres.counts()
        for filters in FILTERS[:2]:
            for question in QUESTIONS:
                expected, found = embedded.ask(question, **filters), postgres.ask(question, **filters)
                assert essence(found) == essence(expected), (question, filters)
                check_quotes(postgres, found, filters)
    finally:
        embedded.close()
        postgres.close()


def test_hybrid_retrieval_gives_the_same_answers_and_quotes(
    seed_database: str, seed_index_dir: Path, embedder: SentenceTransformerEmbedder
) -> None:
    embedded, postgres = both(seed_index_dir, seed_database, embedder, PipelineConfig())
    try:
        for question in QUESTIONS:
            expected, found = embedded.ask(question), postgres.ask(question)
            assert essence(found) == essence(expected), question
    finally:
        embedded.close()
        postgres.close()


def test_filtered_hybrid_retrieval_agrees_on_answers_and_best_quotes(
    seed_database: str, seed_index_dir: Path, embedder: SentenceTransformerEmbedder
) -> None:
    embedded, postgres = both(seed_index_dir, seed_database, embedder, PipelineConfig())
    try:
        for filters in FILTERS[1:]:
            answered = agree = 0
            for question in QUESTIONS:
                expected, found = embedded.ask(question, **filters), postgres.ask(question, **filters)
                check_quotes(postgres, found, filters)
                if expected.answer is None:  # abstentions: the closest quotes, in no telling order
                    continue
                answered += 1
                best, expected_best = essence(found), essence(expected)
                agree += (best[0], best[1][:1]) == (expected_best[0], expected_best[1][:1])
            # PostgreSQL ranks among the admitted passages only.
            assert answered >= 10 and agree >= 0.8 * answered, (filters, answered, agree)
    finally:
        embedded.close()
        postgres.close()


def test_the_reading_model_reads_the_same_passages(
    seed_database: str, seed_index_dir: Path, embedder: SentenceTransformerEmbedder, reader
) -> None:
    embedded = Newsdesk(seed_index_dir, embedder, DENSE_ONLY, writer=False, reader=reader)
    postgres = Newsdesk.over(PostgresStore(seed_database), embedder, DENSE_ONLY, reader=reader, writer=False)
    try:
        for question in QUESTIONS[:12]:
            expected, found = embedded.ask(question), postgres.ask(question)
            assert (essence(found), found.short_answer) == (essence(expected), expected.short_answer), question
    finally:
        embedded.close()
        postgres.close()
