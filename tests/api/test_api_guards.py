"""Guards at the HTTP edge: API key on writes, body size, content type, CORS."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.api.main import create_app
from newsdesk.settings import Settings

ARTICLE = {"title": "Keyed", "text": "A short article about a keyed write to the index.", "id": "keyed-1"}


@pytest.fixture
def keyed_client(writable_seed_dir: Path, embedder) -> Iterator[TestClient]:
    settings = Settings(data_dir=writable_seed_dir, seed_dir=None, api_key="s3cret", max_body_bytes=4096)
    with TestClient(create_app(settings, embedder=embedder)) as client:
        yield client


def test_writes_need_the_api_key_and_reads_do_not(keyed_client: TestClient) -> None:
    refused = keyed_client.post("/articles", json=ARTICLE)
    assert refused.status_code == 401
    assert "API key" in refused.json()["detail"]
    assert keyed_client.post("/articles", json=ARTICLE, headers={"X-API-Key": "wrong"}).status_code == 401
    assert keyed_client.delete("/articles/000_b5eae39174161514").status_code == 401
    assert keyed_client.get("/articles/000_b5eae39174161514").status_code == 200  # still stored
    assert keyed_client.post("/articles", json=ARTICLE, headers={"X-API-Key": "s3cret"}).status_code == 201
    bearer = {"Authorization": "Bearer s3cret"}
    assert keyed_client.delete("/articles/keyed-1", headers=bearer).status_code == 200
    assert keyed_client.post("/ask", json={"question": "Who is Darchiev?"}).status_code == 200


def test_oversized_bodies_get_413(keyed_client: TestClient) -> None:
    big = {**ARTICLE, "text": "word " * 2000}
    response = keyed_client.post("/articles", json=big, headers={"X-API-Key": "s3cret"})
    assert response.status_code == 413
    assert "larger than 4096 bytes" in response.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while streaming
        yield b'{"question": "'
        for _ in range(100):
            yield b"x" * 100
        yield b'"}'

    streamed = keyed_client.post("/ask", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413


def test_wrong_content_type_gets_415(client: TestClient) -> None:
    response = client.post("/ask", content=b"question=hi", headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415
    assert "application/json" in response.json()["detail"]


def test_cors_is_closed_by_default(client: TestClient) -> None:
    preflight = client.options(
        "/ask", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_allows_configured_origins(writable_seed_dir: Path, embedder) -> None:
    settings = Settings(data_dir=writable_seed_dir, seed_dir=None, cors_origins=("https://news.example",))
    with TestClient(create_app(settings, embedder=embedder)) as client:
        allowed = client.options("/ask", headers={"Origin": "https://news.example", "Access-Control-Request-Method": "POST"})
        assert allowed.headers.get("access-control-allow-origin") == "https://news.example"
        other = client.options("/ask", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
        assert other.headers.get("access-control-allow-origin") is None
