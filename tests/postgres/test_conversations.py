"""Chat conversations, run against both stores: order, time-to-live, not-found, reopening, threads, two servers."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from newsdesk.index.conversations import ConversationStorage, ConversationStore, StoredTurn
from newsdesk.index.postgres.conversations import PostgresConversationStore
from newsdesk.qa.errors import NotFoundError
from newsdesk.qa.types import Answer, Quote, ShortAnswer

QUOTE = Quote(
    "Darchiev arrived.", "a1", "Darchiev Arrives", "https://example.org/a1", "2025-03-27", "Wire", 0, 17, 1.5, ("b2",)
)
ANSWER = Answer("Who arrived?", "Darchiev arrived.", 0.8, (QUOTE,), ShortAnswer("Darchiev", "a1", 0, 8))
ABSTAINED = Answer("Who won the cup?", None, 0.1, (QUOTE,), message="No supported answer in the indexed articles.")

OpenStore = Callable[[], ConversationStorage]


class FakeClock:
    def __init__(self, now: float = 1_750_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def open_store(backend: str, tmp_path: Path, clock: FakeClock, request: pytest.FixtureRequest) -> Iterator[OpenStore]:
    """Opens conversation stores (time-to-live 60 s) over one empty place of the backend."""
    url = request.getfixturevalue("postgres_url") if backend == "postgres" else None
    opened: list[ConversationStorage] = []

    def open_store() -> ConversationStorage:
        store: ConversationStorage
        if url is None:
            store = ConversationStore(tmp_path / "conversations.sqlite3", ttl_seconds=60, clock=clock)
        else:
            store = PostgresConversationStore(url, ttl_seconds=60, clock=clock)
        opened.append(store)
        return store

    yield open_store
    for store in opened:
        store.close()


def test_turns_come_back_in_order_with_answers_and_quotes(open_store: OpenStore, clock: FakeClock) -> None:
    store = open_store()
    conversation = store.new_id()
    first = store.add_turn(conversation, "who arrived", ANSWER, create=True)
    clock.now += 5
    store.add_turn(conversation, "and the cup?", ABSTAINED)
    assert store.turns(conversation) == [
        StoredTurn("who arrived", "Who arrived?", "Darchiev arrived.", 0.8, "Darchiev", (QUOTE,), clock.now - 5),
        StoredTurn("and the cup?", "Who won the cup?", None, 0.1, None, (QUOTE,), clock.now),
    ]
    assert first == store.turns(conversation)[0]


def test_unknown_ids_are_not_found(open_store: OpenStore) -> None:
    store = open_store()
    with pytest.raises(NotFoundError, match="no conversation"):
        store.turns("nope")
    with pytest.raises(NotFoundError):
        store.add_turn("nope", "hello", ANSWER)
    with pytest.raises(NotFoundError):
        store.delete("nope")
    assert store.count() == 0


def test_a_conversation_expires_after_its_time_to_live(open_store: OpenStore, clock: FakeClock) -> None:
    store = open_store()
    kept, dropped = store.new_id(), store.new_id()
    store.add_turn(kept, "q", ANSWER, create=True)
    store.add_turn(dropped, "q", ANSWER, create=True)
    clock.now += 50
    store.add_turn(kept, "q again", ANSWER)
    clock.now += 20
    assert len(store.turns(kept)) == 2
    with pytest.raises(NotFoundError, match="expired"):
        store.turns(dropped)
    with pytest.raises(NotFoundError):
        store.add_turn(dropped, "too late", ANSWER)
    assert store.count() == 1
    clock.now += 61
    assert store.purge_expired() == 1
    assert store.count() == 0


def test_delete_forgets_a_conversation(open_store: OpenStore) -> None:
    store = open_store()
    conversation = store.new_id()
    store.add_turn(conversation, "q", ANSWER, create=True)
    store.delete(conversation)
    with pytest.raises(NotFoundError):
        store.turns(conversation)


def test_conversations_survive_reopening_and_are_shared(open_store: OpenStore) -> None:
    store = open_store()
    conversation = store.new_id()
    store.add_turn(conversation, "who arrived", ANSWER, create=True)
    store.close()
    reopened = open_store()
    assert [t.interpreted_question for t in reopened.turns(conversation)] == ["Who arrived?"]
    assert reopened.turns(conversation)[0].quotes == (QUOTE,)


def test_two_servers_continue_one_conversation(postgres_url: str) -> None:
    first = PostgresConversationStore(postgres_url, ttl_seconds=60)
    second = PostgresConversationStore(postgres_url, ttl_seconds=60)
    conversation = first.new_id()
    first.add_turn(conversation, "who arrived", ANSWER, create=True)
    second.add_turn(conversation, "and the cup?", ABSTAINED)
    assert [t.message for t in first.turns(conversation)] == ["who arrived", "and the cup?"]
    second.delete(conversation)
    with pytest.raises(NotFoundError):
        first.turns(conversation)
    first.close()
    second.close()


def test_turns_added_from_many_threads_all_land_in_order(open_store: OpenStore) -> None:
    stores = [open_store(), open_store()]
    conversation = stores[0].new_id()
    stores[0].add_turn(conversation, "0", ANSWER, create=True)

    def add(n: int) -> None:
        for i in range(10):
            stores[n % 2].add_turn(conversation, f"{n}-{i}", ANSWER)

    threads = [threading.Thread(target=add, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    messages = [t.message for t in stores[1].turns(conversation)]
    assert len(messages) == 81 and len(set(messages)) == 81
    for n in range(8):
        assert [m for m in messages if m.startswith(f"{n}-")] == [f"{n}-{i}" for i in range(10)]
