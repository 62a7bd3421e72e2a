"""The write path and the read path over the embedded store: batches, and the idf cache."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from newsdesk.desk import Newsdesk
from newsdesk.qa.pipeline.asking import TermStatistics
from newsdesk.qa.retrieval.fusion import RetrievalConfig
from newsdesk.qa.types import AddResult, ArticleDraft

BODY = "The council approved the harbour budget on Monday. Work on the new pier starts in March."
NEW_BODY = "The council rejected the harbour budget on Tuesday. The pier plan goes back to committee."


def draft(text: str = BODY, article_id: str = "harbour-1") -> ArticleDraft:
    return ArticleDraft(title="Harbour budget", text=text, id=article_id, published="2025-03-01")


@pytest.mark.parametrize(
    ("texts", "statuses", "stored"),
    [
        ((BODY, BODY), ("added", "added"), BODY),
        ((BODY, NEW_BODY), ("added", "added"), NEW_BODY),  # the later version is the one kept
        ((NEW_BODY, BODY), ("added", "added"), BODY),
    ],
)
def test_the_same_article_twice_in_one_batch_is_written_once(
    tmp_path: Path, hashing_embedder, texts: tuple[str, str], statuses: tuple[str, str], stored: str
) -> None:
    desk = Newsdesk(tmp_path, hashing_embedder)
    writes: list[str] = []
    original = desk._store.write_article
    desk._store.write_article = lambda write: writes.append(write.article.id) or original(write)  # type: ignore[method-assign]
    outcomes = desk.add_batch([(draft(t), None) for t in texts])
    assert [o.status for o in outcomes if isinstance(o, AddResult)] == list(statuses)
    assert writes == ["harbour-1"]
    assert desk.get_article("harbour-1").text == stored
    assert desk.counts()[1] == desk.vector_count()
    desk.close()


def test_a_batch_repeating_the_stored_version_leaves_it_unchanged(tmp_path: Path, hashing_embedder) -> None:
    desk = Newsdesk(tmp_path, hashing_embedder)
    desk.add_article(draft(BODY))
    outcomes = desk.add_batch([(draft(NEW_BODY), None), (draft(BODY), None)])
    assert [o.status for o in outcomes if isinstance(o, AddResult)] == ["unchanged", "unchanged"]
    assert desk.get_article("harbour-1").text == BODY
    desk.close()


class CountingStore:
    """The parts of a store that term statistics read, with a generation another process may bump."""

    def __init__(self) -> None:
        self.frequency = {"harbour": 3, "pier": 1}
        self.passages = 10
        self.bumped = 0
        self.lookups = 0

    def generation(self) -> int:
        return self.bumped

    def counts(self) -> tuple[int, int]:
        return 1, self.passages

    def document_frequencies(self, terms: list[str]) -> dict[str, int]:
        self.lookups += 1
        return {t: self.frequency.get(t, 0) for t in terms}


def test_term_statistics_are_cached_until_the_store_changes() -> None:
    store = CountingStore()
    statistics = TermStatistics(store, RetrievalConfig())  # type: ignore[arg-type]
    first, _ = statistics.weights("harbour pier")
    again, _ = statistics.weights("harbour pier")
    assert again == first and store.lookups == 1
    store.frequency["harbour"], store.passages, store.bumped = 9, 10, 1  # a write, perhaps by another server
    after, _ = statistics.weights("harbour pier")
    assert store.lookups == 2 and after["harbour"] < first["harbour"]


def test_term_statistics_stay_consistent_under_concurrent_questions_and_writes(tmp_path: Path, hashing_embedder) -> None:
    desk = Newsdesk(tmp_path, hashing_embedder)
    desk.add_article(draft(BODY))
    errors: list[BaseException] = []

    def ask() -> None:
        try:
            for _ in range(30):
                desk.ask("When does work on the pier start?")
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    askers = [threading.Thread(target=ask) for _ in range(3)]
    for thread in askers:
        thread.start()
    for number in range(15):
        desk.add_article(draft(f"{BODY} Update {number}.", article_id=f"harbour-{number + 2}"))
    for thread in askers:
        thread.join()
    assert errors == []
    statistics = desk._answerer._terms
    assert statistics._passages == desk.counts()[1] or statistics._generation != desk._store.generation()
    desk.close()
