"""POST /articles checks text as the CLI does: noise refused with a 422 that says so, HTML refused or extracted."""

from __future__ import annotations

import random

from fastapi.testclient import TestClient

NOISE = bytes(random.Random(7).randrange(256) for _ in range(2258)).decode("latin-1")
PAGE = (
    "<html><head><title>Ferries resume</title></head><body><nav><a href='/'>Home</a></nav>"
    "<article><h1>Ferries resume</h1><p>Ferries between the two harbours resumed on Thursday after three days of "
    "storm warnings.</p><p>The operator said every crossing would run on the summer timetable from Friday.</p>"
    "</article></body></html>"
)


def test_binary_noise_is_refused_and_nothing_is_stored(app_client: TestClient) -> None:
    response = app_client.post("/articles", json={"title": "Noise", "text": NOISE})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("the text is mostly not letters: ")
    assert app_client.get("/articles").json()["total"] == 0


def test_html_in_text_is_refused_with_a_hint(app_client: TestClient) -> None:
    response = app_client.post("/articles", json={"title": "Ferries resume", "text": PAGE})
    assert response.status_code == 422
    assert response.json() == {
        "detail": 'the text holds HTML markup; send plain text, or add "format": "html" to have the article extracted'
    }


def test_html_is_extracted_when_the_article_says_so(app_client: TestClient) -> None:
    body = {"title": "Ferries resume", "text": PAGE, "format": "html", "id": "ferries"}
    response = app_client.post("/articles", json=body)
    assert response.status_code == 201, response.text
    stored = app_client.get("/articles/ferries").json()
    assert stored["text"].startswith("Ferries between the two harbours resumed on Thursday")
    assert "<" not in stored["text"] and "Home" not in stored["text"]


def test_one_bad_article_in_a_list_names_its_number(app_client: TestClient) -> None:
    good = {"title": "Plain", "text": "A plain article about the harbour ferries resuming service."}
    response = app_client.post("/articles", json=[good, {"title": "Noise", "text": NOISE}])
    assert response.status_code == 422
    assert response.json()["detail"].startswith("article 1: the text is mostly not letters")
    assert app_client.get("/articles").json()["total"] == 0


def test_an_unknown_format_is_a_field_error(app_client: TestClient) -> None:
    response = app_client.post("/articles", json={"title": "T", "text": "Some text here.", "format": "pdf"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "ArticleIn", "format"]
