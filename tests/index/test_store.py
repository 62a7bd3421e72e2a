"""Store and vector-index round trips: add, replace, dedup, remove, reopen, rebuild."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from newsdesk.desk import Newsdesk
from newsdesk.index.datadir import STORE_FILE, VECTORS_FILE
from newsdesk.index.store import ArticleStore
from newsdesk.qa.errors import IndexLockedError, ModelMismatchError, NotFoundError
from newsdesk.qa.types import ArticleDraft

BODY = (
    "The city council approved the new budget on Monday. It raises spending on schools by ten percent. "
    "Critics said the plan ignores roads.\n\nThe mayor signed it the same evening. Work starts in March."
)


def draft(**overrides: str) -> ArticleDraft:
    values = {"title": "Council passes budget", "text": BODY, "id": "budget-1", "published": "2025-03-01"}
    values.update(overrides)
    return ArticleDraft(**values)  # type: ignore[arg-type]


def vector_ids(desk: Newsdesk) -> set[int]:
    return set(desk._store.vectors.ids().tolist())


def test_add_stores_article_passages_and_vectors(tmp_path: Path, hashing_embedder) -> None:
    desk = Newsdesk(tmp_path, hashing_embedder)
    result = desk.add_article(draft())
    assert (result.id, result.status) == ("budget-1", "added")
    article = desk.get_article("budget-1")
    passages = desk._store.articles.passages(desk._store.articles.passage_ids().tolist())
    assert len(passages) == result.passages > 0
    for stored in passages.values():
        assert article.text[stored.passage.start : stored.passage.end] == stored.passage.text
    assert vector_ids(desk) == set(passages)
    assert desk.counts() == (1, result.passages)
    desk.close()


def test_identical_article_is_a_no_op(tmp_path: Path, hashing_embedder) -> None:
    desk = Newsdesk(tmp_path, hashing_embedder)
    desk.add_article(draft())
    calls, ids = hashing_embedder.calls, vector_ids(desk)
    assert desk.add_article(draft()).status == "unchanged"
    assert hashing_embedder.calls == calls  # nothing re-embedded
    assert vector_ids(desk) == ids
    desk.close()


def test_same_id_replaces_old_passages_and_vectors(tmp_path: Path, hashing_embedder) -> None:
    desk = Newsdesk(tmp_path, hashing_embedder)
    desk.add_article(draft())
    old_ids = vector_ids(desk)
    result = desk.add_article(draft(text="A completely different story about a river flood in the north."))
    assert result.status == "replaced"
    assert vector_ids(desk).isdisjoint(old_ids)
    assert desk.counts() == (1, result.passages)
    assert "river flood" in desk.get_article("budget-1").text
    assert desk._store.articles.lexical_search('"budget"', 10) == [] or all(
        pid in vector_ids(desk) for pid, _ in desk._store.articles.lexical_search('"budget"', 10)
    )
    assert desk._store.articles.lexical_search('"schools"', 10) == []  # old text gone from the BM25 index too
    desk.close()


def test_identical_passages_are_not_embedded_twice(tmp_path: Path, hashing_embedder) -> None:
    desk = Newsdesk(tmp_path, hashing_embedder)
    desk.add_article(draft())
    calls = hashing_embedder.calls
    desk.add_article(draft(id="budget-copy"))  # same title and text under another id
    assert hashing_embedder.calls == calls
    assert desk.counts()[0] == 2
    desk.close()


def test_remove_deletes_rows_vectors_and_lexical_entries(tmp_path: Path, hashing_embedder) -> None:
    desk = Newsdesk(tmp_path, hashing_embedder)
    desk.add_article(draft())
    assert desk.remove_article("budget-1") > 0
    assert desk.counts() == (0, 0)
    assert len(desk._store.vectors) == 0
    assert desk._store.articles.lexical_search('"budget"', 10) == []
    with pytest.raises(NotFoundError):
        desk.remove_article("budget-1")
    with pytest.raises(NotFoundError):
        desk.get_article("budget-1")
    desk.close()


def test_reopen_from_disk_keeps_everything(tmp_path: Path, hashing_embedder) -> None:
    desk = Newsdesk(tmp_path, hashing_embedder)
    desk.add_article(draft())
    ids = vector_ids(desk)
    desk.close()
    reopened = Newsdesk(tmp_path, hashing_embedder)
    assert vector_ids(reopened) == ids
    assert reopened.get_article("budget-1").title == "Council passes budget"
    reopened.close()


def test_deleted_faiss_file_is_rebuilt_from_the_store(tmp_path: Path, hashing_embedder, caplog) -> None:
    desk = Newsdesk(tmp_path, hashing_embedder)
    desk.add_article(draft())
    ids = vector_ids(desk)
    desk.close()
    (tmp_path / VECTORS_FILE).unlink()
    calls = hashing_embedder.calls
    reopened = Newsdesk(tmp_path, hashing_embedder)
    assert vector_ids(reopened) == ids
    assert hashing_embedder.calls == calls  # rebuilt from stored vectors, no re-embedding
    assert "rebuilt the vector index" in caplog.text
    reopened.close()


def test_stale_faiss_file_is_reconciled(tmp_path: Path, hashing_embedder, caplog) -> None:
    desk = Newsdesk(tmp_path, hashing_embedder)
    desk.add_article(draft())
    desk.close()
    snapshot = (tmp_path / VECTORS_FILE).read_bytes()
    desk = Newsdesk(tmp_path, hashing_embedder)
    desk.remove_article("budget-1")
    desk.add_article(draft(id="other", title="Other", text="Floods hit the northern valley on Tuesday night."))
    expected = vector_ids(desk)
    desk.close()
    (tmp_path / VECTORS_FILE).write_bytes(snapshot)  # as if the process died before its last snapshot
    reopened = Newsdesk(tmp_path, hashing_embedder)
    assert vector_ids(reopened) == expected
    assert "vector index was behind the store" in caplog.text
    reopened.close()


def test_corrupt_faiss_file_is_rebuilt(tmp_path: Path, hashing_embedder) -> None:
    desk = Newsdesk(tmp_path, hashing_embedder)
    desk.add_article(draft())
    ids = vector_ids(desk)
    desk.close()
    (tmp_path / VECTORS_FILE).write_bytes(b"not a faiss index")
    reopened = Newsdesk(tmp_path, hashing_embedder)
    assert vector_ids(reopened) == ids
    reopened.close()


def test_opening_with_another_model_is_refused(tmp_path: Path, hashing_embedder) -> None:
    from tests.conftest import HashingEmbedder

    Newsdesk(tmp_path, hashing_embedder).close()
    with pytest.raises(ModelMismatchError, match="hashing-test"):
        Newsdesk(tmp_path, HashingEmbedder(name="another-model"))
    with pytest.raises(ModelMismatchError):
        Newsdesk(tmp_path, HashingEmbedder(dimension=32))


def test_second_writer_is_refused_while_readers_are_allowed(tmp_path: Path, hashing_embedder) -> None:
    writer = Newsdesk(tmp_path, hashing_embedder)
    writer.add_article(draft())
    with pytest.raises(IndexLockedError, match="locked by another process"):
        Newsdesk(tmp_path, hashing_embedder)
    reader = Newsdesk(tmp_path, hashing_embedder, writer=False)
    assert reader.counts()[0] == 1
    with pytest.raises(IndexLockedError):
        reader.add_article(draft(id="x"))
    reader.close()
    writer.close()
    Newsdesk(tmp_path, hashing_embedder).close()  # the lock is released on close


def test_store_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    store = ArticleStore(tmp_path / STORE_FILE)
    with pytest.raises(RuntimeError):
        with store.transaction() as db:
            db.execute("INSERT INTO meta VALUES ('probe', 'x')")
            raise RuntimeError("boom")
    assert store._db.execute("SELECT COUNT(*) FROM meta WHERE key = 'probe'").fetchone()[0] == 0
    store.close()


def test_passage_vectors_are_pooled_from_stored_sentence_vectors(tmp_path: Path, hashing_embedder) -> None:
    from newsdesk.qa.embedding import pool_mean
    from newsdesk.qa.ingest.sentences import split_sentences

    desk = Newsdesk(tmp_path, hashing_embedder)
    desk.add_article(draft())
    text = desk.get_article("budget-1").text
    sentence_vectors = hashing_embedder.embed([text[s:e] for s, e in split_sentences(text)])
    for passage_id, stored in desk._store.articles.passage_sentence_vectors():
        passage = desk._store.articles.passages([passage_id])[passage_id].passage
        expected = sentence_vectors[passage.first_sentence : passage.last_sentence + 1]
        np.testing.assert_allclose(stored, expected, atol=2e-3)  # stored as float16
        found = dict(desk._store.vectors.search(pool_mean(stored), 1))
        assert passage_id in found and found[passage_id] > 0.999
    desk.close()


def test_an_index_of_another_format_is_refused_clearly(tmp_path: Path, hashing_embedder) -> None:
    from newsdesk.qa.errors import IndexStateError

    Newsdesk(tmp_path, hashing_embedder).close()
    store = ArticleStore(tmp_path / STORE_FILE)
    store._db.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    store.close()
    with pytest.raises(IndexStateError, match="index format 0"):
        Newsdesk(tmp_path, hashing_embedder)
    Newsdesk(tmp_path / "fresh", hashing_embedder).close()


def test_a_large_index_becomes_approximate_and_keeps_ids(tmp_path: Path, hashing_embedder) -> None:
    from newsdesk.index.embedded import EmbeddedConfig

    desk = Newsdesk(tmp_path, hashing_embedder)
    for i in range(40):
        desk.add_article(draft(id=f"a{i}", title=f"Story {i}", text=f"Item {i} happened in town {i}. " + BODY))
    expected = vector_ids(desk)
    desk.close()
    small_limit = EmbeddedConfig(approximate_above=20, nprobe=64)
    reopened = Newsdesk(tmp_path, hashing_embedder, storage=small_limit)
    assert reopened._store.vectors.approximate
    assert vector_ids(reopened) == expected
    reopened.remove_article("a3")
    assert len(reopened._store.vectors) == reopened.counts()[1]
    reopened.close()
    again = Newsdesk(tmp_path, hashing_embedder, storage=small_limit)  # the IVF snapshot loads back
    assert again._store.vectors.approximate and vector_ids(again) == set(again._store.articles.passage_ids().tolist())
    again.close()


def test_undated_articles_are_listed_by_the_day_they_were_added(tmp_path: Path, hashing_embedder) -> None:
    desk = Newsdesk(tmp_path, hashing_embedder)
    desk.add_article(draft(id="old", published="2020-01-05"))
    desk.add_article(draft(id="undated-1", published=None, text="The ferry timetable changed again this week."))
    desk.add_article(draft(id="future", published="2999-01-01", text="A story dated far ahead."))
    desk.add_article(draft(id="undated-2", published=None, text="The bridge closed for repairs overnight."))
    # Newest first: an undated article counts as published the day it was added (today), the
    # later-added of two such first.
    assert [a.id for a in desk.list_articles()] == ["future", "undated-2", "undated-1", "old"]
    assert [a.id for a in desk.list_articles(limit=2, offset=1)] == ["undated-2", "undated-1"]
    desk.close()
