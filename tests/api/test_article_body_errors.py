"""POST /articles takes one article or a list: a 422 reports only the errors of the shape that was sent."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(
    ("body", "problems"),
    [
        ({"title": "Harbour reopens"}, [(["body", "ArticleIn", "text"], "Field required")]),
        (
            [{"title": "Harbour reopens", "text": "It reopened."}, {"text": "No title."}],
            [(["body", "list[ArticleIn]", 1, "title"], "Field required")],
        ),
        (
            "just a string",
            [(["body", "ArticleIn"], "Input should be a valid dictionary or object to extract fields from")],
        ),
        ([], [(["body", "list[ArticleIn]"], "List should have at least 1 item after validation, not 0")]),
    ],
)
def test_only_the_errors_of_the_sent_shape_are_reported(
    app_client: TestClient, body: Any, problems: list[tuple[list[object], str]]
) -> None:
    response = app_client.post("/articles", json=body)
    assert response.status_code == 422
    assert [(p["loc"], p["msg"]) for p in response.json()["detail"]] == problems
    assert app_client.get("/articles").json()["total"] == 0


def test_one_article_and_a_list_are_both_added(app_client: TestClient) -> None:
    one = app_client.post("/articles", json={"title": "Harbour reopens", "text": "The harbour reopened on Monday."})
    many = app_client.post("/articles", json=[{"title": "Roads close", "text": "Roads closed on Sunday."}])
    assert (one.status_code, many.status_code) == (201, 201)
    assert app_client.get("/articles").json()["total"] == 2
