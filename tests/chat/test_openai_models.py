"""The OpenAI endpoint's models and its newsdesk extension, driven by the real ``openai`` client."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.api.main import create_app
from newsdesk.qa.embedding import SentenceTransformerEmbedder
from newsdesk.settings import Settings

openai = pytest.importorskip("openai")

AMBASSADOR = "Who is Russia's new ambassador to the United States?"
FOLLOW_UP = "Where did he serve before Washington?"
RESOLVED = "Where did Alexander Darchiev serve before Washington?"


@pytest.fixture(scope="module")
def sdk(
    tmp_path_factory: pytest.TempPathFactory, seed_index_dir: Path, embedder: SentenceTransformerEmbedder
) -> Iterator[openai.OpenAI]:
    data_dir = tmp_path_factory.mktemp("openai-models") / "data"
    shutil.copytree(seed_index_dir, data_dir, ignore=shutil.ignore_patterns("write.lock"))
    settings = Settings(data_dir=data_dir, seed_dir=None, reader="none")
    with TestClient(create_app(settings, embedder=embedder)) as http:
        yield openai.OpenAI(base_url="http://testserver/v1", api_key="unused", http_client=http, max_retries=0)


def test_the_models_list_names_what_can_be_asked(sdk: openai.OpenAI) -> None:
    names = [model.id for model in sdk.models.list()]
    assert names == ["newsdesk"]
    assert all(sdk.models.retrieve(name).id == name for name in names)


@pytest.mark.parametrize("ask", ["retrieve", "create"])
def test_an_unknown_model_is_openais_model_not_found(sdk: openai.OpenAI, ask: str) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        if ask == "retrieve":
            sdk.models.retrieve("gpt-4o")
        else:
            sdk.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": AMBASSADOR}])
    error = caught.value
    assert error.status_code == 404 and error.code == "model_not_found" and error.param == "model"
    assert error.type == "invalid_request_error"
    assert "The model 'gpt-4o' does not exist" in error.message


def _conversation(answer: str) -> list[dict[str, str]]:
    return [
        {"role": "user", "content": AMBASSADOR},
        {"role": "assistant", "content": answer},
        {"role": "user", "content": FOLLOW_UP},
    ]


def test_the_interpreted_question_comes_back(sdk: openai.OpenAI) -> None:
    first = sdk.chat.completions.create(model="newsdesk", messages=[{"role": "user", "content": AMBASSADOR}])
    assert first.model_extra["newsdesk"] == {"interpreted_question": AMBASSADOR}
    answer = first.choices[0].message.content
    follow = sdk.chat.completions.create(model="newsdesk", messages=_conversation(answer))
    assert follow.model_extra["newsdesk"] == {"interpreted_question": RESOLVED}


def test_the_first_streamed_chunk_carries_the_interpreted_question(sdk: openai.OpenAI) -> None:
    answer = sdk.chat.completions.create(model="newsdesk", messages=[{"role": "user", "content": AMBASSADOR}])
    stream = sdk.chat.completions.create(
        model="newsdesk", messages=_conversation(answer.choices[0].message.content), stream=True
    )
    chunks = list(stream)
    assert chunks[0].model_extra["newsdesk"] == {"interpreted_question": RESOLVED}
    assert all("newsdesk" not in (chunk.model_extra or {}) for chunk in chunks[1:])
    assert chunks[0].choices[0].delta.role == "assistant"
