"""The OpenAI-compatible API driven by the real ``openai`` Python package."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.api.main import create_app
from newsdesk.qa.embedding import SentenceTransformerEmbedder
from newsdesk.settings import Settings

openai = pytest.importorskip("openai")

AMBASSADOR = "Who is Russia's new ambassador to the United States?"


def tokens(text: str) -> int:
    return len(re.findall(r"\w+|[^\w\s]", text))


@pytest.fixture(scope="module")
def sdk(
    tmp_path_factory: pytest.TempPathFactory, seed_index_dir: Path, embedder: SentenceTransformerEmbedder
) -> Iterator[openai.OpenAI]:
    """An ``openai.OpenAI`` client whose requests go to the real app (over a copy of the seed index)."""
    import shutil

    data_dir = tmp_path_factory.mktemp("openai") / "data"
    shutil.copytree(seed_index_dir, data_dir, ignore=shutil.ignore_patterns("write.lock"))
    settings = Settings(data_dir=data_dir, seed_dir=None, reader="none")
    with TestClient(create_app(settings, embedder=embedder)) as http:
        yield openai.OpenAI(base_url="http://testserver/v1", api_key="unused", http_client=http, max_retries=0)


def test_models_list_and_retrieve(sdk: openai.OpenAI) -> None:
    models = list(sdk.models.list())
    assert [(m.id, m.object, m.owned_by) for m in models] == [("newsdesk", "model", "newsdesk")]
    assert isinstance(models[0].created, int)
    assert sdk.models.retrieve("newsdesk").id == "newsdesk"
    with pytest.raises(openai.NotFoundError):
        sdk.models.retrieve("gpt-4o")


def test_content_parts_and_the_developer_role_are_understood(sdk: openai.OpenAI) -> None:
    plain = sdk.chat.completions.create(model="newsdesk", messages=[{"role": "user", "content": AMBASSADOR}])
    parts = sdk.chat.completions.create(
        model="newsdesk",
        messages=[
            {"role": "developer", "content": "Answer from the articles."},
            {"role": "user", "content": [{"type": "text", "text": AMBASSADOR}]},
        ],
    )
    content = parts.choices[0].message.content
    assert content == plain.choices[0].message.content
    assert "Alexander Darchiev" in content
    assert parts.choices[0].finish_reason == "stop"
    prompt = tokens("Answer from the articles.") + tokens(AMBASSADOR)
    assert (parts.usage.prompt_tokens, parts.usage.completion_tokens) == (prompt, tokens(content))
    assert parts.usage.total_tokens == prompt + tokens(content) > 0


def test_streaming_gives_the_same_content_and_usage_at_the_end(sdk: openai.OpenAI) -> None:
    messages = [{"role": "user", "content": AMBASSADOR}]
    whole = sdk.chat.completions.create(model="newsdesk", messages=messages)
    chunks = list(
        sdk.chat.completions.create(
            model="newsdesk", messages=messages, stream=True, stream_options={"include_usage": True}
        )
    )
    streamed = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert streamed == whole.choices[0].message.content
    assert chunks[-1].choices == [] and chunks[-1].usage == whole.usage
    assert all(c.usage is None for c in chunks[:-1])
    # Without include_usage, no usage chunk.
    plain = list(sdk.chat.completions.create(model="newsdesk", messages=messages, stream=True))
    assert plain[-1].choices[0].finish_reason == "stop" and plain[-1].usage is None


def test_a_follow_up_after_the_returned_assistant_message(sdk: openai.OpenAI) -> None:
    first = sdk.chat.completions.create(model="newsdesk", messages=[{"role": "user", "content": AMBASSADOR}])
    follow_up = sdk.chat.completions.create(
        model="newsdesk",
        messages=[
            {"role": "user", "content": AMBASSADOR},
            first.choices[0].message,  # as chat clients append it: the SDK's own object
            {"role": "user", "content": "When did he arrive in Washington?"},
        ],
    )
    direct = sdk.chat.completions.create(
        model="newsdesk",
        messages=[{"role": "user", "content": "When did Alexander Darchiev arrive in Washington?"}],
    )
    assert follow_up.choices[0].message.content == direct.choices[0].message.content


def test_a_malformed_request_is_an_unprocessable_entity_error(sdk: openai.OpenAI) -> None:
    with pytest.raises(openai.UnprocessableEntityError) as info:
        sdk.chat.completions.create(model="newsdesk", messages=[{"role": "assistant", "content": "Hello."}])
    assert "the last message must be a user message" in str(info.value.body)
