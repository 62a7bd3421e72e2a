"""The real FastAPI app over a copy of the seed index: every endpoint, and bad input."""

from __future__ import annotations

from fastapi.testclient import TestClient

ARTICLE = {
    "title": "Lighthouse keeper retires after forty years",
    "text": (
        "Margaret Olsen switched off the lamp at Skerry Point lighthouse for the last time on Friday. "
        "She had kept the light since 1985, longer than anyone in the service.\n\n"
        "Her successor, an automated beacon, was installed by the coastal authority in May."
    ),
    "url": "https://example.org/lighthouse",
    "published": "2025-07-04",
    "source": "Coast Gazette",
    "id": "lighthouse-1",
}


def test_health_reports_model_and_counts(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["model"] == "all-MiniLM-L6-v2"
    assert body["dimension"] == 384
    assert body["articles"] == 14
    assert body["passages"] == body["vectors"] > 14


def test_ask_returns_answer_with_verbatim_quotes(client: TestClient) -> None:
    response = client.post("/ask", json={"question": "Who is Russia's new ambassador to the United States?", "top_k": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["question"] == "Who is Russia's new ambassador to the United States?"
    assert "Alexander Darchiev" in body["answer"]
    assert 0.0 <= body["confidence"] <= 1.0
    assert 1 <= len(body["quotes"]) <= 3
    quote = body["quotes"][0]
    assert set(quote) >= {"text", "article_id", "title", "url", "published", "start", "end", "score"}
    article = client.get(f"/articles/{quote['article_id']}").json()
    assert article["text"][quote["start"] : quote["end"]] == quote["text"]


def test_ask_without_support_says_so(client: TestClient) -> None:
    body = client.post("/ask", json={"question": "Which team won the 1998 football World Cup final in Paris?"}).json()
    assert body["answer"] is None
    assert "No supported answer" in body["message"]
    assert body["quotes"]


def test_add_get_list_ask_and_delete_an_article(client: TestClient) -> None:
    created = client.post("/articles", json=ARTICLE)
    assert created.status_code == 201
    assert created.json() == {"articles": [{"id": "lighthouse-1", "status": "added", "passages": 1, "title": ARTICLE["title"]}]}
    assert client.post("/articles", json=ARTICLE).json()["articles"][0]["status"] == "unchanged"

    stored = client.get("/articles/lighthouse-1").json()
    assert stored["title"] == ARTICLE["title"] and stored["published"] == "2025-07-04"
    assert stored["source"] == "Coast Gazette" and stored["url"] == ARTICLE["url"]
    assert "Skerry Point" in stored["text"]

    listing = client.get("/articles", params={"limit": 100}).json()
    assert listing["total"] == 15
    assert "lighthouse-1" in [a["id"] for a in listing["articles"]]

    answer = client.post("/ask", json={"question": "Who kept the Skerry Point lighthouse?"}).json()
    assert answer["quotes"][0]["article_id"] == "lighthouse-1"
    assert "Margaret Olsen" in answer["answer"]

    deleted = client.delete("/articles/lighthouse-1")
    assert deleted.json() == {"id": "lighthouse-1", "deleted": True, "passages": 1}
    assert client.get("/articles/lighthouse-1").status_code == 404
    after = client.post("/ask", json={"question": "Who kept the Skerry Point lighthouse?"}).json()
    assert all(q["article_id"] != "lighthouse-1" for q in after["quotes"])
    assert client.get("/health").json()["articles"] == 14


def test_add_a_list_and_replace_by_id(client: TestClient) -> None:
    second = {**ARTICLE, "id": "lighthouse-2", "title": "Second lighthouse story"}
    body = client.post("/articles", json=[ARTICLE, second]).json()
    assert [a["id"] for a in body["articles"]] == ["lighthouse-1", "lighthouse-2"]
    changed = {**ARTICLE, "text": "The keeper, Margaret Olsen, will now run the harbour museum."}
    assert client.post("/articles", json=changed).json()["articles"][0]["status"] == "replaced"
    assert "harbour museum" in client.get("/articles/lighthouse-1").json()["text"]


def test_bad_questions_are_refused_clearly(client: TestClient) -> None:
    cases = [
        ({"question": ""}, 422),
        ({"question": "   "}, 422),
        ({"question": "x" * 1001}, 422),
        ({"question": "Who?", "top_k": 0}, 422),
        ({"question": "Who?", "top_k": 51}, 422),
        ({}, 422),
        ({"question": "Who?", "unknown": 1}, 422),
    ]
    for payload, expected in cases:
        response = client.post("/ask", json=payload)
        assert response.status_code == expected, payload
        assert response.json()["detail"], payload
    blank = client.post("/ask", json={"question": "   "}).json()
    assert blank["detail"] == "the question is empty"


def test_bad_articles_are_refused_and_nothing_is_lost(client: TestClient) -> None:
    before = client.get("/health").json()
    cases = [
        {**ARTICLE, "text": ""},
        {**ARTICLE, "text": "  \n\n icon-facebook icon-twitter \n "},
        {**ARTICLE, "title": ""},
        {**ARTICLE, "id": "has spaces/and slashes"},
        {**ARTICLE, "published": "yesterday-ish"},
        {"text": "no title"},
        [],
    ]
    for payload in cases:
        response = client.post("/articles", json=payload)
        assert response.status_code == 422, payload
        assert response.json()["detail"]
    assert client.post("/articles", content=b"not json", headers={"content-type": "application/json"}).status_code == 400
    assert client.get("/health").json() == before


def test_unknown_article_ids_get_404(client: TestClient) -> None:
    assert client.get("/articles/no-such-article").json() == {"detail": "no article with id 'no-such-article'"}
    assert client.delete("/articles/no-such-article").status_code == 404


def test_openapi_docs_are_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/ask", "/articles", "/articles/{article_id}", "/health"} <= set(paths)
