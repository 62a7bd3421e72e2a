"""The HTTP API keeps to its OpenAPI document: what schemathesis found (issue #15), one regression test each."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from newsdesk.api.limits import BOUNDS
from newsdesk.api.main import create_app
from newsdesk.qa.errors import IndexStateError
from newsdesk.settings import Settings

API_KEY = "contract-key"
KEY = {"X-API-Key": API_KEY}
ARTICLE = {"title": "Harbour reopens", "text": "The harbour reopened on Monday after the storm.", "id": "harbour-1"}
LAST_WEEK = "What happened last week?"


@pytest.fixture(scope="module")
def api(seed_index_dir: Path, embedder: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One app for the tests whose requests are refused or only read: with an API key and a 4 KiB body limit."""
    data_dir = tmp_path_factory.mktemp("contract") / "data"
    shutil.copytree(seed_index_dir, data_dir, ignore=shutil.ignore_patterns("write.lock"))
    settings = Settings(data_dir=data_dir, seed_dir=None, api_key=API_KEY, max_body_bytes=4096)
    with TestClient(create_app(settings, embedder=embedder)) as test_client:
        yield test_client


def field_errors(response: Any) -> list[tuple[list[Any], str]]:
    """The 422's (loc, type) pairs."""
    assert response.status_code == 422, response.text
    return [(problem["loc"], problem["type"]) for problem in response.json()["detail"]]


# GET /articles?offset=9225102469407096832 was a 500 (OverflowError: Python int too large to convert to SQLite INTEGER).
def test_an_offset_past_the_largest_is_refused_and_the_largest_works(api: TestClient) -> None:
    too_far = api.get("/articles", params={"offset": 9225102469407096832, "limit": 18})
    assert field_errors(too_far) == [(["query", "offset"], "less_than_equal")]
    largest = api.get("/articles", params={"offset": BOUNDS.max_offset, "limit": 18})
    assert largest.status_code == 200
    assert largest.json() == {"articles": [], "total": 14, "limit": 18, "offset": BOUNDS.max_offset}


# "as_of": "0001-01-01" with a question about last week was a 500 (OverflowError: date value out of range).
@pytest.mark.parametrize("path", ["/ask", "/chat", "/chat/stream"])
@pytest.mark.parametrize("as_of", ["0001-01-01", "1599-12-31", "2200-01-01", "9999-12-31"])
def test_dates_outside_news_are_refused_before_anything_runs(api: TestClient, path: str, as_of: str) -> None:
    question = {"/ask": "question"}.get(path, "message")
    response = api.post(path, json={question: LAST_WEEK, "as_of": as_of})
    assert field_errors(response) == [(["body", "as_of"], "value_error")]
    assert "between 1600-01-01 and 2199-12-31" in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize(
    ("as_of", "question"),
    [("1600-01-01", LAST_WEEK), ("1600-01-01", "What happened last year?"), ("2199-12-31", "What happened today?")],
)
def test_the_first_and_last_news_dates_are_answered(api: TestClient, as_of: str, question: str) -> None:
    asked = api.post("/ask", json={"question": question, "as_of": as_of, "since": as_of, "until": as_of})
    assert asked.status_code == 200, asked.text
    assert asked.json()["answer"] is None  # no seed article is from then
    assert api.post("/chat", json={"message": question, "as_of": as_of}).status_code == 200


# A number was accepted where the schema says a date string or an integer.
@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/articles", {**ARTICLE, "published": 0}, "published"),
        ("/articles", {**ARTICLE, "published": "86400"}, "published"),
        ("/articles", {**ARTICLE, "published": "2025-07-04T10:00:00"}, "published"),
        ("/ask", {"question": LAST_WEEK, "since": 0}, "since"),
        ("/ask", {"question": LAST_WEEK, "until": 1751600000}, "until"),
        ("/ask", {"question": LAST_WEEK, "as_of": "20250704"}, "as_of"),
        ("/ask", {"question": LAST_WEEK, "top_k": "5"}, "top_k"),
        ("/ask", {"question": LAST_WEEK, "top_k": True}, "top_k"),
        ("/ask", {"question": LAST_WEEK, "top_k": 2.5}, "top_k"),
        ("/chat", {"message": LAST_WEEK, "as_of": 0}, "as_of"),
        ("/ask", {"question": 5}, "question"),
    ],
)
def test_values_of_another_type_are_refused(api: TestClient, path: str, body: dict[str, Any], field: str) -> None:
    response = api.post(path, json=body, headers=KEY)
    assert response.status_code == 422, response.text
    assert ("body", field) in [(problem["loc"][0], problem["loc"][-1]) for problem in response.json()["detail"]]
    if path == "/articles":
        assert api.get("/articles/harbour-1").status_code == 404


def test_an_integer_written_with_a_zero_fraction_is_an_integer(api: TestClient) -> None:
    # JSON Schema counts 2.0 as an integer, so the API does too.
    response = api.post("/ask", json={"question": "Who is Russia's new ambassador to the United States?", "top_k": 2.0})
    assert response.status_code == 200
    assert len(response.json()["quotes"]) == 2


# An empty list of articles was refused although the schema allowed it; now the schema says minItems.
def test_article_lists_hold_one_to_the_most_per_request(client: TestClient) -> None:
    body = client.app.openapi()["paths"]["/articles"]["post"]["requestBody"]["content"]["application/json"]  # type: ignore[attr-defined]
    shapes = body["schema"].get("anyOf") or body["schema"]["oneOf"]
    assert [shape for shape in shapes if shape.get("type") == "array"] == [
        {"type": "array", "items": {"$ref": "#/components/schemas/ArticleIn"}, "minItems": 1, "maxItems": 100}
    ]
    assert "too_short" in [kind for _, kind in field_errors(client.post("/articles", json=[]))]
    many = [{"title": f"Story {n}", "text": "Word."} for n in range(BOUNDS.max_articles_per_request + 1)]
    assert "too_long" in [kind for _, kind in field_errors(client.post("/articles", json=many))]
    assert client.get("/articles").json()["total"] == 14
    one = client.post("/articles", json=[ARTICLE])
    assert one.status_code == 201 and one.json()["articles"][0]["status"] == "added"


def test_blank_questions_and_articles_are_refused_as_the_schema_says(api: TestClient) -> None:
    schemas = api.app.openapi()["components"]["schemas"]  # type: ignore[attr-defined]
    assert schemas["AskRequest"]["properties"]["question"]["minLength"] == 1
    assert "pattern" in schemas["AskRequest"]["properties"]["question"]
    assert "not" in schemas["ArticleIn"]["properties"]["title"] and "not" in schemas["ArticleIn"]["properties"]["text"]
    assert api.post("/ask", json={"question": "\u3000\t"}).json() == {"detail": "the question is empty"}
    refused = api.post("/articles", json={**ARTICLE, "title": "\x00\u200b"}, headers=KEY)
    assert refused.status_code == 422
    assert refused.json() == {"detail": "the article has no title"}


# An OpenAI message with empty content was refused although the schema allowed it.
def test_openai_message_content_states_its_minimum(api: TestClient) -> None:
    content = api.app.openapi()["components"]["schemas"]["OpenAIMessage"]["properties"]["content"]  # type: ignore[attr-defined]
    text = next(shape for shape in content.get("anyOf", [content]) if shape.get("type") == "string")
    assert text["minLength"] == 1 and "pattern" in text
    response = api.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": ""}]})
    assert response.status_code == 422


# 503: every operation that reads or writes the store (a database backend can go away).
DOCUMENTED = {
    # 401 on reads: only when the server protects them (NEWSDESK_PROTECT_READS); 403: a read key on a write.
    ("post", "/ask"): {"200", "400", "401", "413", "415", "422", "503"},
    ("post", "/articles"): {"201", "400", "401", "403", "409", "413", "415", "422", "503"},
    ("get", "/articles"): {"200", "401", "422", "503"},
    # FastAPI documents its validation error on every operation with parameters.
    ("get", "/articles/{article_id}"): {"200", "401", "404", "422", "503"},
    ("delete", "/articles/{article_id}"): {"200", "401", "403", "404", "409", "422", "503"},
    ("post", "/chat"): {"200", "400", "401", "404", "413", "415", "422", "503"},
    ("post", "/chat/stream"): {"200", "400", "401", "404", "413", "415", "422", "503"},
    ("get", "/chat/{conversation_id}"): {"200", "401", "404", "422", "503"},
    ("delete", "/chat/{conversation_id}"): {"200", "401", "403", "404", "422", "503"},
    # 404: an unknown model, in OpenAI's error shape (OpenAIErrorOut).
    ("post", "/v1/chat/completions"): {"200", "400", "401", "404", "413", "415", "422", "503"},
    ("get", "/health"): {"200", "503"},
}


@pytest.mark.parametrize(("method", "path"), sorted(DOCUMENTED))
def test_every_status_an_operation_returns_is_documented_with_its_body(api: TestClient, method: str, path: str) -> None:
    responses = api.app.openapi()["paths"][path][method]["responses"]  # type: ignore[attr-defined]
    assert set(responses) == DOCUMENTED[(method, path)]
    error_bodies = (
        {"$ref": "#/components/schemas/ErrorOut"},
        {"$ref": "#/components/schemas/HTTPValidationError"},
        {"$ref": "#/components/schemas/OpenAIErrorOut"},
    )
    for status, response in responses.items():
        if status >= "400":
            assert response["content"]["application/json"]["schema"] in error_bodies
            assert response["description"]


@pytest.mark.parametrize("path", ["/ask", "/chat", "/chat/stream", "/v1/chat/completions", "/articles"])
def test_the_documented_body_errors_happen(api: TestClient, path: str) -> None:
    headers = KEY
    for not_json in (b"\xff", b"\xff\xfe", b'{"question": ', b"NaN-ish"):
        response = api.post(path, content=not_json, headers={**headers, "content-type": "application/json"})
        assert response.status_code == 400, not_json
        assert isinstance(response.json()["detail"], str)
    form = api.post(path, content=b"a=b", headers={**headers, "content-type": "application/x-www-form-urlencoded"})
    assert form.status_code == 415
    large = api.post(path, json={"question": "x" * 5000}, headers=headers)
    assert large.status_code == 413


def test_writes_without_the_key_get_the_documented_401(api: TestClient) -> None:
    for method, path in (("POST", "/articles"), ("DELETE", "/articles/harbour-1"), ("DELETE", "/chat/some-id")):
        response = api.request(method, path, json=ARTICLE if method == "POST" else None)
        assert response.status_code == 401, (method, path)
        assert "API key" in response.json()["detail"]


# OPTIONS /articles answered 405 with "Allow: POST" although the path also has GET.
@pytest.mark.parametrize(
    ("path", "allow"),
    [("/articles", "GET, POST"), ("/articles/harbour-1", "DELETE, GET"), ("/chat/abc", "DELETE, GET"), ("/ask", "POST")],
)
@pytest.mark.parametrize("method", ["OPTIONS", "PUT", "PATCH", "TRACE"])
def test_a_method_a_path_lacks_gets_405_listing_all_it_has(api: TestClient, path: str, allow: str, method: str) -> None:
    response = api.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.json() == {"detail": "Method Not Allowed"}


def test_other_http_errors_are_answered_as_before(api: TestClient) -> None:
    assert api.get("/no-such-page").json() == {"detail": "Not Found"}


class FailingEmbedder:
    """The real model, except that embedding a question fails (as a lost GPU or a corrupt cache would)."""

    def __init__(self, model: Any, error: Exception) -> None:
        self._model = model
        self._error = error

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)

    def embed_query(self, text: str) -> np.ndarray:
        raise self._error


def stream(client: TestClient, body: dict[str, Any]) -> list[tuple[str, Any]]:
    response = client.post("/chat/stream", json=body)
    assert response.status_code == 200
    assert response.text.endswith("\n\n")  # whole events only
    events = []
    for block in response.text.split("\n\n")[:-1]:
        name, data = block.split("\n")
        assert name.startswith("event: ") and data.startswith("data: ")
        events.append((name[7:], json.loads(data[6:])))
    return events


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (IndexStateError("the model's files are gone"), {"detail": "the model's files are gone", "status": 409}),
        (RuntimeError("CUDA error: device lost"), {"detail": "internal error", "status": 500}),
    ],
)
def test_a_failure_after_the_stream_started_ends_it_with_an_error_event(
    writable_seed_dir: Path, embedder: Any, error: Exception, expected: dict[str, Any]
) -> None:
    settings = Settings(data_dir=writable_seed_dir, seed_dir=None)
    with TestClient(create_app(settings, embedder=FailingEmbedder(embedder, error))) as failing:
        events = stream(failing, {"message": "Who is Russia's new ambassador to the United States?"})
    assert [name for name, _ in events] == ["interpretation", "error"]
    assert events[1][1] == expected
