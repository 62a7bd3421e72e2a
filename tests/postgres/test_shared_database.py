"""One database, several servers: writes seen at once everywhere, schema and model checks, choice by configuration."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from newsdesk.api.main import create_app
from newsdesk.desk import Newsdesk
from newsdesk.index.conversations import ConversationStore
from newsdesk.index.embedded import EmbeddedStore
from newsdesk.index.factory import describe_storage, open_conversations, open_store
from newsdesk.index.postgres.conversations import PostgresConversationStore
from newsdesk.index.postgres.schema import SCHEMA_VERSION
from newsdesk.index.postgres.store import PostgresStore
from newsdesk.qa.errors import IndexStateError, ModelMismatchError, NotFoundError
from newsdesk.qa.types import ArticleDraft
from newsdesk.settings import Settings
from tests.conftest import HashingEmbedder
from tests.postgres.test_store_contract import BODY, FLOOD, draft


@pytest.fixture
def two_desks(postgres_url: str, hashing_embedder: HashingEmbedder) -> Iterator[tuple[Newsdesk, Newsdesk]]:
    first = Newsdesk.over(PostgresStore(postgres_url), hashing_embedder)
    second = Newsdesk.over(PostgresStore(postgres_url), HashingEmbedder())
    yield first, second
    first.close()
    second.close()


def test_two_newsdesks_see_each_others_writes_at_once(two_desks: tuple[Newsdesk, Newsdesk]) -> None:
    first, second = two_desks
    assert second.ask("How many families did boats rescue?").quotes == ()  # fills second's term cache
    first.add_article(draft(id="flood-1", title="Flood", text=FLOOD))
    answer = second.ask("How many families did boats rescue?")
    assert answer.quotes and answer.quotes[0].article_id == "flood-1"
    assert second.counts() == first.counts()
    second.add_article(draft(id="flood-1", title="Flood", text=FLOOD + " The river fell on Friday."))
    assert "Friday" in first.get_article("flood-1").text
    assert first.remove_article("flood-1") > 0
    with pytest.raises(NotFoundError):
        second.get_article("flood-1")
    assert second.ask("How many families did boats rescue?").quotes == ()
    assert second.counts() == (0, 0)


def test_two_writers_of_one_article_take_turns(two_desks: tuple[Newsdesk, Newsdesk]) -> None:
    first, second = two_desks
    texts = [BODY, FLOOD]

    def write(desk: Newsdesk, text: str) -> None:
        for _ in range(15):
            desk.add_article(draft(text=text))

    threads = [threading.Thread(target=write, args=(d, t)) for d, t in zip(two_desks, texts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = first.get_article("budget-1")
    assert stored.text in texts
    assert first.counts() == second.counts() == (1, first.list_articles()[0].passages)
    with psycopg.connect(first._store.url) as conn:  # type: ignore[attr-defined]
        rows = conn.execute("SELECT count(*) FROM newsdesk_passages WHERE article_id = 'budget-1'").fetchone()
    assert rows is not None and rows[0] == first.counts()[1]


def test_two_apps_on_one_database_answer_alike(postgres_url: str, embedder, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "unused", seed_dir=None, reader="none", database_url=postgres_url)
    with TestClient(create_app(settings, embedder=embedder)) as one, TestClient(create_app(settings, embedder=embedder)) as two:
        added = one.post("/articles", json={"id": "flood-1", "title": "Flood in the north", "text": FLOOD,
                                             "published": "2025-04-04", "source": "Wire"})
        assert added.status_code == 201, added.text
        asked = [client.post("/ask", json={"question": "How many families did boats rescue?"}) for client in (one, two)]
        assert [r.status_code for r in asked] == [200, 200]
        first, second = (r.json() for r in asked)
        for body in (first, second):
            body.pop("timings_ms", None)
        assert first == second and first["quotes"][0]["article_id"] == "flood-1"
        chat = two.post("/chat", json={"message": "How many families did boats rescue?"}).json()
        assert one.get(f"/chat/{chat['conversation_id']}").status_code == 200
    assert not (tmp_path / "unused").exists()  # nothing was written beside a database


def test_another_model_or_dimension_is_refused(postgres_url: str) -> None:
    Newsdesk.over(PostgresStore(postgres_url), HashingEmbedder("model-a", 64)).close()
    for other in (HashingEmbedder("model-b", 64), HashingEmbedder("model-a", 32)):
        with pytest.raises(ModelMismatchError, match="model-a"):
            Newsdesk.over(PostgresStore(postgres_url), other)
    Newsdesk.over(PostgresStore(postgres_url), HashingEmbedder("model-a", 64)).close()


def test_another_schema_version_is_refused(postgres_url: str) -> None:
    PostgresStore(postgres_url).close()
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("UPDATE newsdesk_meta SET value = '999' WHERE key = 'schema_version'")
    for opening in (lambda: PostgresStore(postgres_url), lambda: PostgresConversationStore(postgres_url, 60)):
        with pytest.raises(IndexStateError, match=f"version 999.*version {SCHEMA_VERSION}"):
            opening()


def test_an_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    url = f"postgresql://newsdesk:secret@/nowhere?host={tmp_path}"
    with pytest.raises(IndexStateError, match=r"cannot connect to PostgreSQL at postgresql://newsdesk:\*\*\*@"):
        PostgresStore(url)


def test_the_database_url_chooses_the_backend(postgres_url: str, tmp_path: Path) -> None:
    assert Settings.from_env({"NEWSDESK_DATABASE_URL": postgres_url}).database_url == postgres_url
    assert Settings.from_env({}).database_url is None
    embedded = open_store(64, tmp_path / "data")
    assert isinstance(embedded, EmbeddedStore)
    embedded.close()
    store = open_store(64, tmp_path / "elsewhere", postgres_url)
    assert isinstance(store, PostgresStore) and store.save() is False
    store.close()
    assert isinstance(open_conversations(tmp_path, 60), ConversationStore)
    conversations = open_conversations(tmp_path / "elsewhere", 60, postgres_url)
    assert isinstance(conversations, PostgresConversationStore)
    conversations.close()
    assert not (tmp_path / "elsewhere").exists()
    assert describe_storage(tmp_path, "postgresql://u:pw@db/news") == "PostgreSQL at postgresql://u:***@db/news"
    with pytest.raises(IndexStateError, match="postgresql://"):
        open_store(64, tmp_path, "mysql://db/news")


def test_an_empty_article_list_and_search_before_any_write(postgres_url: str, hashing_embedder: HashingEmbedder) -> None:
    desk = Newsdesk.over(PostgresStore(postgres_url), hashing_embedder)
    assert (desk.counts(), desk.list_articles(), desk.ask("Anything?").quotes) == ((0, 0), [], ())
    assert desk.add_article(ArticleDraft(title="t", text="Some words here.", id="x")).status == "added"
    desk.close()
