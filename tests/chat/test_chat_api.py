"""POST /chat, /chat/stream, GET and DELETE /chat/{id} on the real app over the seed index."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsdesk.api.main import create_app
from newsdesk.settings import Settings

AMBASSADOR = "Who is Russia's new ambassador to the United States?"
SERVED = "Where did he serve before Washington?"


def chat(client: TestClient, message: str, conversation_id: str | None = None, **extra: Any) -> dict[str, Any]:
    body = {"message": message, **extra} | ({"conversation_id": conversation_id} if conversation_id else {})
    response = client.post("/chat", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def stream_events(client: TestClient, body: dict[str, Any]) -> list[tuple[str, Any]]:
    """POST /chat/stream and parse its server-sent events into (name, data) pairs."""
    response = client.post("/chat/stream", json=body)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    events = []
    for block in response.text.split("\n\n"):
        if not block.strip():
            continue
        lines = dict(line.split(": ", 1) for line in block.split("\n"))
        assert set(lines) == {"event", "data"}
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def stored_state(client: TestClient) -> int:
    conversations = client.app.state.conversations  # type: ignore[attr-defined]
    return int(conversations.count())


def test_a_follow_up_is_answered_from_the_earlier_turns(client: TestClient) -> None:
    first = chat(client, AMBASSADOR)
    conversation = first["conversation_id"]
    assert len(conversation) == 16
    assert first["interpreted_question"] == AMBASSADOR
    assert "Alexander Darchiev" in first["answer"]
    assert set(first) == {
        "conversation_id",
        "answer",
        "confidence",
        "quotes",
        "short_answer",
        "message",
        "interpreted_question",
        "answer_kind",
        "citations",
        "changes",
        "disagreements",
    }

    second = chat(client, SERVED, conversation, top_k=10)
    assert second["conversation_id"] == conversation
    assert second["interpreted_question"] == "Where did Alexander Darchiev serve before Washington?"
    assert any("ambassador to Canada" in q["text"] for q in second["quotes"])
    for quote in second["quotes"]:
        text = client.get(f"/articles/{quote['article_id']}").json()["text"]
        assert text[quote["start"] : quote["end"]] == quote["text"]

    third = chat(client, "Who signed the decree appointing him?", conversation)
    assert third["interpreted_question"] == "Who signed the decree appointing Alexander Darchiev?"
    assert "Putin signed the decree appointing Darchiev" in third["answer"]

    listed = client.get(f"/chat/{conversation}").json()
    assert listed["conversation_id"] == conversation
    assert [t["message"] for t in listed["turns"]] == [AMBASSADOR, SERVED, "Who signed the decree appointing him?"]
    for turn, reply in zip(listed["turns"], (first, second, third), strict=True):
        assert set(turn) == {"message", "interpreted_question", "answer", "confidence", "quotes", "created_at"}
        assert turn["interpreted_question"] == reply["interpreted_question"]
        assert (turn["answer"], turn["confidence"], turn["quotes"]) == (
            reply["answer"],
            reply["confidence"],
            reply["quotes"],
        )
        assert time.strptime(turn["created_at"], "%Y-%m-%dT%H:%M:%SZ")


def test_a_standalone_question_is_asked_as_typed_and_answers_like_ask(client: TestClient) -> None:
    conversation = chat(client, AMBASSADOR)["conversation_id"]
    question = "Which publication interviewed Marco Rubio about Trump resisting European pressure for more sanctions?"
    reply = chat(client, question, conversation)
    asked = client.post("/ask", json={"question": question}).json()
    assert reply["interpreted_question"] == question
    assert {k: reply[k] for k in ("answer", "confidence", "quotes", "short_answer", "message")} == {
        k: asked[k] for k in ("answer", "confidence", "quotes", "short_answer", "message")
    }


def test_conversations_survive_a_restart(writable_seed_dir: Path, embedder: Any) -> None:
    settings = Settings(data_dir=writable_seed_dir, seed_dir=None)
    with TestClient(create_app(settings, embedder=embedder)) as first_app:
        conversation = chat(first_app, AMBASSADOR)["conversation_id"]
        before = first_app.get(f"/chat/{conversation}").json()
    assert (writable_seed_dir / "conversations.sqlite3").exists()
    with TestClient(create_app(settings, embedder=embedder)) as second_app:
        assert second_app.get(f"/chat/{conversation}").json() == before
        follow_up = chat(second_app, "When did he arrive in Washington?", conversation)
        assert follow_up["interpreted_question"] == "When did Alexander Darchiev arrive in Washington?"
        assert len(second_app.get(f"/chat/{conversation}").json()["turns"]) == 2


def test_the_stream_sends_what_chat_returns_and_stores_the_same_turn(client: TestClient) -> None:
    streamed_id = chat(client, AMBASSADOR)["conversation_id"]
    plain_id = chat(client, AMBASSADOR)["conversation_id"]

    events = stream_events(client, {"conversation_id": streamed_id, "message": SERVED})
    plain = chat(client, SERVED, plain_id)

    names = [name for name, _ in events]
    assert names == ["interpretation", "answer"] + ["quote"] * len(plain["quotes"]) + ["done"]
    assert events[0][1] == {"conversation_id": streamed_id, "interpreted_question": plain["interpreted_question"]}
    fields = ("answer", "confidence", "short_answer", "message", "answer_kind", "citations", "changes", "disagreements")
    assert events[1][1] == {k: plain[k] for k in fields}
    assert [data for name, data in events if name == "quote"] == plain["quotes"]
    assert events[-1][1] == {"conversation_id": streamed_id}

    def last_turn(conversation: str) -> dict[str, Any]:
        turn: dict[str, Any] = client.get(f"/chat/{conversation}").json()["turns"][-1]
        turn.pop("created_at")
        return turn

    assert last_turn(streamed_id) == last_turn(plain_id)


def test_a_stream_without_an_id_starts_a_conversation(client: TestClient) -> None:
    events = stream_events(client, {"message": AMBASSADOR, "top_k": 2})
    conversation = events[0][1]["conversation_id"]
    assert events[-1] == ("done", {"conversation_id": conversation})
    assert len([name for name, _ in events if name == "quote"]) == 2
    turns = client.get(f"/chat/{conversation}").json()["turns"]
    assert [t["interpreted_question"] for t in turns] == [AMBASSADOR]


def test_delete_forgets_a_conversation(client: TestClient) -> None:
    conversation = chat(client, AMBASSADOR)["conversation_id"]
    deleted = client.delete(f"/chat/{conversation}")
    assert deleted.status_code == 200
    assert deleted.json() == {"conversation_id": conversation, "deleted": True}
    assert client.get(f"/chat/{conversation}").status_code == 404
    assert client.delete(f"/chat/{conversation}").status_code == 404
    refused = client.post("/chat", json={"conversation_id": conversation, "message": SERVED})
    assert refused.status_code == 404


@pytest.fixture
def keyed_client(writable_seed_dir: Path, embedder: Any) -> Iterator[TestClient]:
    settings = Settings(data_dir=writable_seed_dir, seed_dir=None, api_key="s3cret", conversation_ttl_seconds=0.5)
    with TestClient(create_app(settings, embedder=embedder)) as client:
        yield client


def test_delete_needs_the_api_key_when_one_is_set(keyed_client: TestClient) -> None:
    conversation = chat(keyed_client, AMBASSADOR)["conversation_id"]  # asking needs no key
    assert keyed_client.delete(f"/chat/{conversation}").status_code == 401
    assert keyed_client.get(f"/chat/{conversation}").status_code == 200
    assert keyed_client.delete(f"/chat/{conversation}", headers={"X-API-Key": "s3cret"}).status_code == 200


def test_an_idle_conversation_expires_after_the_configured_time(keyed_client: TestClient) -> None:
    conversation = chat(keyed_client, AMBASSADOR)["conversation_id"]
    time.sleep(0.7)
    response = keyed_client.post("/chat", json={"conversation_id": conversation, "message": SERVED})
    assert response.status_code == 404
    assert "expired" in response.json()["detail"]
    assert keyed_client.get(f"/chat/{conversation}").status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({"conversation_id": "nope", "message": SERVED}, 404, "no conversation with id 'nope'"),
        ({"message": ""}, 422, "at least 1 character"),
        ({"message": "   "}, 422, "the message is empty"),
        ({"message": "x" * 1001}, 422, "at most 1000 characters"),
        ({"message": AMBASSADOR, "top_k": 0}, 422, "greater than or equal to 1"),
        ({"message": AMBASSADOR, "as_of": "June"}, 422, "date"),
        ({"message": AMBASSADOR, "conversation_id": "../etc"}, 422, "pattern"),
        ({"message": AMBASSADOR, "question": AMBASSADOR}, 422, "Extra inputs are not permitted"),
        ({}, 422, "Field required"),
    ],
)
def test_bad_requests_are_refused_and_change_nothing(
    client: TestClient, body: dict[str, Any], status: int, detail: str
) -> None:
    conversation = chat(client, AMBASSADOR)["conversation_id"]
    before = client.get(f"/chat/{conversation}").json()
    count = stored_state(client)
    for path in ("/chat", "/chat/stream"):
        response = client.post(path, json=body)
        assert response.status_code == status, (path, response.text)
        assert detail in json.dumps(response.json())
    assert stored_state(client) == count
    assert client.get(f"/chat/{conversation}").json() == before


def test_unknown_ids_are_404_on_every_route(client: TestClient) -> None:
    assert client.get("/chat/unknown-id").json() == {
        "detail": "no conversation with id 'unknown-id' (unknown, or expired after 604800 s idle)"
    }
    assert client.delete("/chat/unknown-id").status_code == 404
