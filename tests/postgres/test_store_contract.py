"""The Store contract, run against both backends: round trips, add/replace/remove, search, filters, generation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest

from newsdesk.desk import Newsdesk
from newsdesk.qa.errors import NotFoundError
from newsdesk.qa.pipeline.storage import SearchRequest
from newsdesk.qa.retrieval.filters import PassageFilter
from newsdesk.qa.retrieval.fusion import Candidate, RetrievalConfig
from newsdesk.qa.types import ArticleDraft, StoredPassage
from tests.conftest import HashingEmbedder

OpenDesk = Callable[..., Newsdesk]

BODY = (
    "The city council approved the new budget on Monday. It raises spending on schools by ten percent. "
    "Critics said the plan ignores roads.\n\nThe mayor signed it the same evening. Work starts in March."
)
FLOOD = "A completely different story about a river flood in the north. Boats rescued forty families."


def draft(**overrides: str | None) -> ArticleDraft:
    values = {"title": "Council passes budget", "text": BODY, "id": "budget-1", "published": "2025-03-01", "source": "Gazette"}
    values.update(overrides)
    return ArticleDraft(**values)  # type: ignore[arg-type]


def passages_of(desk: Newsdesk) -> list[tuple[str, int, int, int, str]]:
    """``(article_id, ordinal, start, end, text)`` of every stored passage, through the Store interface."""
    vector = np.ones(desk.embedder.dimension, dtype=np.float32) / np.sqrt(desk.embedder.dimension)
    ranked = desk._store.search(SearchRequest(vector, (), PassageFilter(), 10_000, RetrievalConfig(dense_k=10_000)))
    return sorted((s.passage.article_id, s.passage.ordinal, s.passage.start, s.passage.end, s.passage.text) for _, s in ranked)


def search(
    desk: Newsdesk, question: str, filters: PassageFilter | None = None, terms: tuple[str, ...] | None = None, limit: int = 10
) -> list[tuple[Candidate, StoredPassage]]:
    """The store's hybrid search for a question (its words as the lexical terms unless ``terms`` are given)."""
    vector = desk.embedder.embed_query(question)
    words = tuple(w.lower().strip("?.") for w in question.split()) if terms is None else terms
    return desk._store.search(SearchRequest(vector, words, filters or PassageFilter(), limit, RetrievalConfig()))


def test_add_stores_the_article_its_passages_and_vectors(open_desk: OpenDesk, hashing_embedder: HashingEmbedder) -> None:
    desk = open_desk(hashing_embedder)
    result = desk.add_article(draft(url="https://example.org/budget"))
    assert (result.id, result.status) == ("budget-1", "added") and result.passages > 0
    article = desk.get_article("budget-1")
    assert (article.title, article.text, article.url, article.published, article.source) == (
        "Council passes budget", BODY, "https://example.org/budget", "2025-03-01", "Gazette"
    )
    stored = passages_of(desk)
    assert len(stored) == result.passages
    assert all(article.text[start:end] == text for _, _, start, end, text in stored)
    assert desk.counts() == (1, result.passages)
    assert desk.vector_count() == result.passages
    (summary,) = desk.list_articles()
    assert (summary.id, summary.title, summary.url, summary.published, summary.source, summary.passages) == (
        "budget-1", "Council passes budget", "https://example.org/budget", "2025-03-01", "Gazette", result.passages
    )
    assert len(summary.added_at) == 20 and summary.added_at.endswith("Z")


def test_sentences_come_back_with_offsets_and_their_vectors(open_desk: OpenDesk, hashing_embedder: HashingEmbedder) -> None:
    desk = open_desk(hashing_embedder)
    desk.add_article(draft())
    ranked = search(desk, "When does work start?")
    ids = [s.passage.id for _, s in ranked]
    sentences = desk._store.sentences_of_passages(ids)
    assert set(sentences) == set(ids)
    for _, stored in ranked:
        for start, end, vector in sentences[stored.passage.id]:
            assert stored.passage.start <= start < end <= stored.passage.end
            expected = hashing_embedder.embed([BODY[start:end]])[0]
            assert vector.dtype == np.float32
            assert np.allclose(vector, expected, atol=2e-3)  # kept as float16
    assert desk._store.sentences_of_passages([10**9]) == {}


def test_identical_article_is_a_no_op(open_desk: OpenDesk, hashing_embedder: HashingEmbedder) -> None:
    desk = open_desk(hashing_embedder)
    desk.add_article(draft())
    calls, generation, stored = hashing_embedder.calls, desk._store.generation(), passages_of(desk)
    assert desk.add_article(draft()).status == "unchanged"
    assert hashing_embedder.calls == calls
    assert desk._store.generation() == generation
    assert passages_of(desk) == stored


def test_identical_sentences_are_not_embedded_twice(open_desk: OpenDesk, hashing_embedder: HashingEmbedder) -> None:
    desk = open_desk(hashing_embedder)
    desk.add_article(draft())
    calls = hashing_embedder.calls
    desk.add_article(draft(id="budget-copy"))
    assert hashing_embedder.calls == calls
    assert desk.counts()[0] == 2


def test_same_id_replaces_passages_vectors_and_words(open_desk: OpenDesk, hashing_embedder: HashingEmbedder) -> None:
    desk = open_desk(hashing_embedder)
    desk.add_article(draft())
    old = {s.passage.id for _, s in search(desk, "budget schools")}
    before = desk._store.generation()
    result = desk.add_article(draft(text=FLOOD, title="Flood in the north"))
    assert result.status == "replaced"
    assert desk._store.generation() != before
    assert desk.counts() == (1, result.passages)
    assert all(text in FLOOD for *_, text in passages_of(desk))
    assert not old & {s.passage.id for _, s in search(desk, "budget schools")}
    lexical = search(desk, "schools", terms=("schools",))
    assert all(c.lexical_rank is None for c, _ in lexical)  # the old words left the lexical index
    assert [c.lexical_rank for c, _ in search(desk, "families", terms=("families",))] == [1]


def test_remove_takes_everything_away(open_desk: OpenDesk, hashing_embedder: HashingEmbedder) -> None:
    desk = open_desk(hashing_embedder)
    passages = desk.add_article(draft()).passages
    desk.add_article(draft(id="flood-1", title="Flood", text=FLOOD))
    before = desk._store.generation()
    assert desk.remove_article("budget-1") == passages
    assert desk._store.generation() != before
    with pytest.raises(NotFoundError):
        desk.get_article("budget-1")
    with pytest.raises(NotFoundError):
        desk.remove_article("budget-1")
    assert {s.passage.article_id for _, s in search(desk, "budget schools council")} == {"flood-1"}
    assert [a.id for a in desk.list_articles()] == ["flood-1"]
    assert desk.counts() == (1, desk.vector_count())


def test_list_articles_is_newest_first_with_paging(open_desk: OpenDesk, hashing_embedder: HashingEmbedder) -> None:
    desk = open_desk(hashing_embedder)
    for number, day in enumerate(["2024-05-01", "2025-01-10", None, "2023-12-31"]):
        desk.add_article(draft(id=f"a-{number}", published=day, text=f"{BODY} Number {number}."))
    listed = [a.id for a in desk.list_articles()]
    assert listed == ["a-2", "a-1", "a-0", "a-3"]  # undated: the day it was added (today)
    assert [a.id for a in desk.list_articles(limit=2, offset=1)] == listed[1:3]


def test_search_candidates_carry_ranks_and_cosine_scores(open_desk: OpenDesk, hashing_embedder: HashingEmbedder) -> None:
    desk = open_desk(hashing_embedder)
    desk.add_article(draft())
    desk.add_article(draft(id="flood-1", title="Flood", text=FLOOD))
    ranked = search(desk, "river flood families", terms=("river", "flood", "families"))
    assert ranked[0][1].passage.article_id == "flood-1"
    query = hashing_embedder.embed_query("river flood families")
    config = RetrievalConfig()
    for candidate, stored in ranked:
        assert candidate.dense_rank is not None and candidate.dense_score is not None
        # The stored vector is pooled from sentence vectors, so compare with those, not the passage text's.
        sentences = desk._store.sentences_of_passages([stored.passage.id])[stored.passage.id]
        pooled = np.mean([v for *_, v in sentences], axis=0)
        assert candidate.dense_score == pytest.approx(float(query @ (pooled / np.linalg.norm(pooled))), abs=5e-3)
        expected = 1 / (config.rrf_k + candidate.dense_rank)
        if candidate.lexical_rank is not None:
            expected += config.lexical_weight / (config.rrf_k + candidate.lexical_rank)
        assert candidate.score == pytest.approx(expected, rel=1e-12)
    assert [c.score for c, _ in ranked] == sorted((c.score for c, _ in ranked), reverse=True)
    assert [c.dense_rank for c, _ in ranked if c.lexical_rank is None] == sorted(
        c.dense_rank for c, _ in ranked if c.lexical_rank is None and c.dense_rank is not None
    )


@pytest.mark.parametrize(
    "filters",
    [
        PassageFilter.build("2025-01-01", None, None),
        PassageFilter.build(None, "2024-12-31", None),
        PassageFilter.build("2024-06-01", "2024-06-30", None),
        PassageFilter.build(None, None, "wire"),
        PassageFilter.build("2025-01-01", None, "GAZETTE"),
    ],
    ids=["since", "until", "range", "source", "since-and-source"],
)
def test_filters_admit_exactly_what_passage_filter_admits(
    open_desk: OpenDesk, hashing_embedder: HashingEmbedder, filters: PassageFilter
) -> None:
    desk = open_desk(hashing_embedder)
    days = ["2024-06-15", "2025-02-01", None, "2024-01-01", "2025-07-04"]
    for number, day in enumerate(days):
        source = "Wire" if number % 2 else "Gazette"
        desk.add_article(draft(id=f"a-{number}", published=day, source=source, text=f"{BODY} Story {number}."))
    everything = search(desk, "council budget schools", limit=100)
    expected = {s.passage.id for _, s in everything if filters.admits(s)}
    found = search(desk, "council budget schools", filters, limit=100)
    assert expected and {s.passage.id for _, s in found} == expected
    assert all(filters.admits(s) for _, s in found)


def test_term_statistics_follow_the_store(open_desk: OpenDesk, hashing_embedder: HashingEmbedder) -> None:
    desk = open_desk(hashing_embedder)
    desk.add_article(draft())
    desk.add_article(draft(id="flood-1", title="Flood", text=FLOOD))
    frequencies = desk._store.document_frequencies(["council", "flood", "families", "zebra"])
    assert {k: v for k, v in frequencies.items() if v} == {"council": 1, "flood": 1, "families": 1}
    assert frequencies.get("zebra", 0) == 0


def test_ask_answers_with_verbatim_quotes_and_filters(open_desk: OpenDesk, hashing_embedder: HashingEmbedder) -> None:
    desk = open_desk(hashing_embedder)
    desk.add_article(draft())
    desk.add_article(draft(id="flood-1", title="Flood", text=FLOOD, published="2024-04-04", source="Wire"))
    answer = desk.ask("How many families did boats rescue?", top_k=3)
    assert answer.quotes and answer.quotes[0].article_id == "flood-1"
    for quote in answer.quotes:
        assert desk.get_article(quote.article_id).text[quote.start : quote.end] == quote.text
    filtered = desk.ask("How many families did boats rescue?", top_k=3, source="gazette")
    assert {q.article_id for q in filtered.quotes} <= {"budget-1"}
    assert desk.ask("How many families did boats rescue?", since="2026-01-01").quotes == ()


def test_a_newsdesk_opened_again_finds_everything(open_desk: OpenDesk, hashing_embedder: HashingEmbedder) -> None:
    desk = open_desk(hashing_embedder)
    desk.add_article(draft())
    before = (desk.counts(), passages_of(desk), desk.ask("When does work start?"))
    desk.close()
    again = open_desk(hashing_embedder)
    after = (again.counts(), passages_of(again), again.ask("When does work start?"))
    assert replace(after[2], timings_ms={}) == replace(before[2], timings_ms={})
    assert after[:2] == before[:2]


def test_filtered_search_with_few_matches_still_fills_its_limit(open_desk: OpenDesk, hashing_embedder: HashingEmbedder) -> None:
    desk = open_desk(hashing_embedder)
    desk.add_articles(draft(id=f"g-{n}", text=f"{BODY} Gazette story {n}.") for n in range(30))
    desk.add_articles(draft(id=f"w-{n}", source="Wire", text=f"{FLOOD} Wire story {n}.") for n in range(3))
    found = search(desk, "council budget schools", PassageFilter.build(None, None, "Wire"), limit=10)
    assert {s.passage.article_id for _, s in found} == {"w-0", "w-1", "w-2"}
