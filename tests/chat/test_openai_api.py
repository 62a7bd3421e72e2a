"""POST /v1/chat/completions as the openai Python client calls it (same headers and body, over plain HTTP)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsdesk.qa.chat.conversation import Conversation

AMBASSADOR = "Who is Russia's new ambassador to the United States?"
# What openai.OpenAI(base_url=".../v1", api_key="sk-...").chat.completions.create(...) sends.
CLIENT_HEADERS = {
    "Authorization": "Bearer sk-test",
    "Content-Type": "application/json",
    "Accept": "application/json",
    "User-Agent": "OpenAI/Python 1.99.9",
    "X-Stainless-Lang": "python",
    "X-Stainless-Package-Version": "1.99.9",
    "X-Stainless-Retry-Count": "0",
}


def completion(client: TestClient, messages: list[dict[str, Any]], **options: Any) -> dict[str, Any]:
    response = client.post(
        "/v1/chat/completions", headers=CLIENT_HEADERS, json={"model": "newsdesk", "messages": messages, **options}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def sources_of(asked: dict[str, Any]) -> str:
    return "\n".join(
        f"[{n}] {q['title']} ({q['published']}) {q['url'] or ''}".rstrip() + f" \u2014 \u201c{q['text']}\u201d"
        for n, q in enumerate(asked["quotes"], start=1)
    )


def test_a_question_gets_a_chat_completion_with_numbered_sources(client: TestClient) -> None:
    body = completion(
        client,
        [{"role": "system", "content": "You answer from news articles."}, {"role": "user", "content": AMBASSADOR}],
        temperature=0.2,
        max_tokens=300,
        top_p=1,
        n=1,
        user="reader-1",
        stream=False,
        presence_penalty=0,
        frequency_penalty=0,
        seed=7,
        stop=["\n\n\n"],
    )
    asked = client.post("/ask", json={"question": AMBASSADOR}).json()
    assert body["object"] == "chat.completion"
    assert body["id"].startswith("chatcmpl-")
    assert isinstance(body["created"], int)
    assert body["model"] == "newsdesk"
    content = body["choices"][0]["message"]["content"]
    prompt = len(re.findall(r"\w+|[^\w\s]", "You answer from news articles." + AMBASSADOR))
    completion_tokens = len(re.findall(r"\w+|[^\w\s]", content))
    assert body["usage"] == {
        "prompt_tokens": prompt, "completion_tokens": completion_tokens, "total_tokens": prompt + completion_tokens
    }
    [choice] = body["choices"]
    assert choice["index"] == 0 and choice["finish_reason"] == "stop"
    assert choice["message"]["role"] == "assistant"
    assert choice["message"]["content"] == f"{asked['answer']}\n\nSources:\n{sources_of(asked)}"
    assert "Alexander Darchiev" in choice["message"]["content"]


def test_earlier_messages_resolve_the_follow_up(client: TestClient) -> None:
    first = completion(client, [{"role": "user", "content": AMBASSADOR}])["choices"][0]["message"]
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": AMBASSADOR},
        first,
        {"role": "user", "content": "When did he arrive in Washington?"},
    ]
    content = completion(client, messages)["choices"][0]["message"]["content"]
    asked = client.post("/ask", json={"question": "When did Alexander Darchiev arrive in Washington?"}).json()
    assert content == f"{asked['answer']}\n\nSources:\n{sources_of(asked)}"


def test_streaming_sends_openai_chunks_then_done(client: TestClient) -> None:
    messages = [{"role": "user", "content": AMBASSADOR}]
    whole = completion(client, messages)["choices"][0]["message"]["content"]
    response = client.post(
        "/v1/chat/completions",
        headers=CLIENT_HEADERS,
        json={"model": "newsdesk", "messages": messages, "stream": True, "stream_options": {"include_usage": False}},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    lines = [line for line in response.text.split("\n\n") if line]
    assert all(line.startswith("data: ") for line in lines)
    assert lines[-1] == "data: [DONE]"
    chunks = [json.loads(line[len("data: ") :]) for line in lines[:-1]]
    assert all(c["object"] == "chat.completion.chunk" and c["model"] == "newsdesk" for c in chunks)
    assert len({c["id"] for c in chunks}) == 1 and chunks[0]["id"].startswith("chatcmpl-")
    assert chunks[0]["choices"] == [{"index": 0, "delta": {"role": "assistant"}, "finish_reason": None}]
    assert chunks[-1]["choices"] == [{"index": 0, "delta": {}, "finish_reason": "stop"}]
    content = "".join(c["choices"][0]["delta"]["content"] for c in chunks[1:-1])
    assert content == whole
    assert len(chunks) > 4  # the answer, the heading and each source arrive as their own deltas


def test_no_supported_answer_says_so_and_still_lists_sources(client: TestClient) -> None:
    question = "Which team won the 1998 football World Cup final in Paris?"
    content = completion(client, [{"role": "user", "content": question}])["choices"][0]["message"]["content"]
    asked = client.post("/ask", json={"question": question}).json()
    assert asked["answer"] is None
    assert content == f"No supported answer in the indexed articles.\n\nClosest sources:\n{sources_of(asked)}"


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"messages": []}, "at least 1 item"),
        (
            {"messages": [{"role": "user", "content": AMBASSADOR}, {"role": "assistant", "content": "Darchiev."}]},
            "the last message must be a user message",
        ),
        ({"messages": [{"role": "system", "content": "Be brief."}]}, "the last message must be a user message"),
        ({"messages": [{"role": "tool", "content": "x"}]}, "'system', 'developer', 'user' or 'assistant'"),
        ({"messages": [{"role": "user", "content": 5}]}, "valid string"),
        ({"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]}, "'text'"),
        ({"messages": [{"role": "user", "content": [{"type": "text", "text": " "}]}]}, "messages[0] has empty content"),
        ({"messages": [{"role": "user", "content": []}]}, "at least 1 item"),
        ({"messages": [{"role": "user", "content": None}]}, "valid string"),
        ({"messages": [{"role": "user", "content": ""}]}, "messages[0] has empty content"),
        (
            {"messages": [{"role": "assistant", "content": " "}, {"role": "user", "content": AMBASSADOR}]},
            "messages[0] has empty content",
        ),
        ({"messages": [{"role": "user", "content": "x" * 1001}]}, "longer than 1000 characters"),
        ({"messages": [{"content": AMBASSADOR}]}, "Field required"),
        ({"messages": "Who is it?"}, "valid list"),
        ({}, "Field required"),
    ],
)
def test_malformed_messages_get_422_and_store_nothing(client: TestClient, body: dict[str, Any], detail: str) -> None:
    store = client.app.state.conversations  # type: ignore[attr-defined]
    before = store.count()
    response = client.post("/v1/chat/completions", headers=CLIENT_HEADERS, json=body)
    assert response.status_code == 422
    assert detail in json.dumps(response.json())
    assert store.count() == before


def test_the_endpoint_is_stateless(client: TestClient) -> None:
    store = client.app.state.conversations  # type: ignore[attr-defined]
    before = store.count()
    completion(client, [{"role": "user", "content": AMBASSADOR}])
    streamed = client.post(
        "/v1/chat/completions",
        headers=CLIENT_HEADERS,
        json={"messages": [{"role": "user", "content": AMBASSADOR}], "stream": True},
    )
    assert streamed.text.endswith("data: [DONE]\n\n")
    assert store.count() == before == 0



def test_a_long_request_resolves_only_its_recent_turns(monkeypatch: pytest.MonkeyPatch) -> None:
    import newsdesk.api.routers.openai as openai_router
    from newsdesk.api.schemas import OpenAIMessage
    from newsdesk.qa.chat.followup import RECENT_TURNS, resolve_followup

    calls: list[str] = []

    def counting(history: Any, message: str, max_chars: int | None = None) -> str:
        calls.append(message)
        return resolve_followup(history, message, max_chars)

    monkeypatch.setattr("newsdesk.qa.chat.conversation.resolve_followup", counting)
    filler = [
        OpenAIMessage(role=role, content=f"Did the Mars rover {n} find water near Jezero crater?")
        for n in range(200) for role in ("user", "assistant")
    ]
    recent = [
        OpenAIMessage(role="user", content=AMBASSADOR),
        OpenAIMessage(role="assistant", content="Alexander Darchiev, Russia's new ambassador, arrived in Washington."),
    ]
    asked = openai_router.question_in([*filler, *recent, OpenAIMessage(role="user", content="Where did he serve?")], Conversation(max_question_chars=1000))
    assert "Darchiev" in asked
    # Each user message of the last 2 * RECENT_TURNS turns, and the question itself: not all 200.
    assert len(calls) == 2 * RECENT_TURNS + 1
