"""The conversation store: turns in order, time-to-live with a fake clock, reopening, threads."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from newsdesk.index.conversations import ConversationStore, StoredTurn
from newsdesk.qa.errors import NotFoundError
from newsdesk.qa.types import Answer, Quote, ShortAnswer

QUOTE = Quote(
    "Darchiev arrived.", "a1", "Darchiev Arrives", "https://example.org/a1", "2025-03-27", "Wire", 0, 17, 1.5, ("b2",)
)
ANSWER = Answer("Who arrived?", "Darchiev arrived.", 0.8, (QUOTE,), ShortAnswer("Darchiev", "a1", 0, 8))
ABSTAINED = Answer("Who won the cup?", None, 0.1, (QUOTE,), message="No supported answer in the indexed articles.")


class FakeClock:
    def __init__(self, now: float = 1_750_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(tmp_path: Path, clock: FakeClock) -> ConversationStore:
    return ConversationStore(tmp_path / "conversations.sqlite3", ttl_seconds=60, clock=clock)


def test_turns_come_back_in_order_with_answers_and_quotes(store: ConversationStore, clock: FakeClock) -> None:
    conversation = store.new_id()
    first = store.add_turn(conversation, "who arrived", ANSWER, create=True)
    clock.now += 5
    store.add_turn(conversation, "and the cup?", ABSTAINED)
    turns = store.turns(conversation)
    assert turns == [
        first,
        StoredTurn("and the cup?", "Who won the cup?", None, 0.1, None, (QUOTE,), clock.now),
    ]
    assert first == StoredTurn(
        "who arrived", "Who arrived?", "Darchiev arrived.", 0.8, "Darchiev", (QUOTE,), clock.now - 5
    )


def test_ids_are_url_safe_and_distinct() -> None:
    ids = {ConversationStore.new_id() for _ in range(100)}
    assert len(ids) == 100
    assert all(len(i) == 16 and i.replace("-", "").replace("_", "").isalnum() for i in ids)


def test_unknown_ids_are_not_found(store: ConversationStore) -> None:
    with pytest.raises(NotFoundError, match="no conversation"):
        store.turns("nope")
    with pytest.raises(NotFoundError):
        store.add_turn("nope", "hello", ANSWER)
    with pytest.raises(NotFoundError):
        store.delete("nope")
    assert store.count() == 0


def test_a_conversation_expires_after_its_time_to_live_since_the_last_turn(
    store: ConversationStore, clock: FakeClock
) -> None:
    kept, dropped = store.new_id(), store.new_id()
    store.add_turn(kept, "q", ANSWER, create=True)
    store.add_turn(dropped, "q", ANSWER, create=True)
    clock.now += 50
    store.add_turn(kept, "q again", ANSWER)  # activity keeps it alive
    clock.now += 20  # dropped: 70 s idle; kept: 20 s idle
    assert len(store.turns(kept)) == 2
    with pytest.raises(NotFoundError, match="expired"):
        store.turns(dropped)
    with pytest.raises(NotFoundError):
        store.add_turn(dropped, "too late", ANSWER)
    assert store.count() == 1
    clock.now += 61
    assert store.purge_expired() == 1
    assert store.count() == 0


def test_expired_conversations_are_purged_lazily_with_their_turns(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "conversations.sqlite3"
    store = ConversationStore(path, ttl_seconds=10, clock=clock)
    old = store.new_id()
    store.add_turn(old, "q", ANSWER, create=True)
    clock.now += 11
    store.add_turn(store.new_id(), "q", ANSWER, create=True)  # any use purges
    store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM turns WHERE conversation_id = ?", (old,)).fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM conversations").fetchone()[0] == 1


def test_delete_forgets_a_conversation(store: ConversationStore) -> None:
    conversation = store.new_id()
    store.add_turn(conversation, "q", ANSWER, create=True)
    store.delete(conversation)
    with pytest.raises(NotFoundError):
        store.turns(conversation)


def test_conversations_survive_reopening(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "conversations.sqlite3"
    store = ConversationStore(path, ttl_seconds=60, clock=clock)
    conversation = store.new_id()
    store.add_turn(conversation, "who arrived", ANSWER, create=True)
    store.close()
    reopened = ConversationStore(path, ttl_seconds=60, clock=clock)
    assert [t.interpreted_question for t in reopened.turns(conversation)] == ["Who arrived?"]
    assert reopened.turns(conversation)[0].quotes == (QUOTE,)
    reopened.close()


def test_turns_added_from_many_threads_all_land_in_order(store: ConversationStore) -> None:
    conversation = store.new_id()
    store.add_turn(conversation, "0", ANSWER, create=True)

    def add(n: int) -> None:
        for i in range(10):
            store.add_turn(conversation, f"{n}-{i}", ANSWER)

    threads = [threading.Thread(target=add, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    messages = [t.message for t in store.turns(conversation)]
    assert len(messages) == 81 and len(set(messages)) == 81
    for n in range(8):  # each thread's turns keep their order
        mine = [m for m in messages if m.startswith(f"{n}-")]
        assert mine == [f"{n}-{i}" for i in range(10)]
