"""/ask and /chat return the changes and the disagreements of a story, with their quotes, sources and dates."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

DIED = "How many people died in the Riverton floods?"
VIEWERS = "How many viewers watched the Lakeside Cup final?"

OCT7 = "At least 12 people died in the Riverton floods, the county emergency office said on Tuesday evening."
OCT9 = "The number of people who died in the Riverton floods has risen to 27, the county emergency office said on Thursday."


def _quote(quote: dict[str, Any]) -> tuple[Any, ...]:
    return (quote["text"], quote["article_id"], quote["source"], quote["published"], quote["also_reported_by"])


def _story(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "answer": body["answer"],
        "short_answer": body["short_answer"]["text"],
        "message": body["message"],
        "changes": [(c["value"], c["published"], _quote(c["quote"])) for c in body["changes"]],
        "disagreements": [(d["value"], [_quote(q) for q in d["quotes"]]) for d in body["disagreements"]],
    }


def test_ask_returns_the_latest_figure_and_what_it_replaced(story_client: TestClient) -> None:
    response = story_client.post("/ask", json={"question": DIED, "as_of": "2025-10-10"})
    assert response.status_code == 200
    body = response.json()
    assert _story(body) == {
        "answer": OCT9,
        "short_answer": "27",
        "message": "27 (October 9); earlier reports: 12 people (October 7)",
        "changes": [("12 people", "2025-10-07", (OCT7, "riverton-flood-oct7", "Riverton Gazette", "2025-10-07", []))],
        "disagreements": [],
    }
    change = body["changes"][0]["quote"]
    assert set(change) == {"text", "article_id", "title", "url", "published", "source", "start", "end", "score", "also_reported_by"}
    article = story_client.get("/articles/riverton-flood-oct7").json()["text"]
    assert article[change["start"] : change["end"]] == OCT7


def test_ask_before_the_later_article_answers_the_earlier_figure(story_client: TestClient) -> None:
    body = story_client.post("/ask", json={"question": DIED, "as_of": "2025-10-08"}).json()
    assert _story(body) == {"answer": OCT7, "short_answer": "12", "message": None, "changes": [], "disagreements": []}


def test_ask_and_chat_show_sources_that_differ_side_by_side(story_client: TestClient) -> None:
    asked = story_client.post("/ask", json={"question": VIEWERS}).json()
    expected_disagreements = [
        ("41 million viewers", [(
            "The final was watched by 41 million viewers across the country, the broadcaster said on Monday.",
            "lakeside-final-reuters", "Reuters", "2025-11-03", ["Daily Courier"],
        )]),
        ("45 million viewers", [(
            "The final was watched by 45 million viewers, according to figures from a ratings agency.",
            "lakeside-final-ap", "AP", "2025-11-04", [],
        )]),
    ]
    assert _story(asked)["disagreements"] == expected_disagreements
    assert asked["message"] == "sources differ: 41 million viewers (Reuters), 45 million viewers (AP)"
    assert asked["changes"] == []
    chatted = story_client.post("/chat", json={"message": VIEWERS})
    assert chatted.status_code == 200
    assert _story(chatted.json()) == _story(asked)
