"""GET /timeline over the real app and the seeds: days in date order, verbatim entries, bounds refused with 422."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from newsdesk.api.limits import BOUNDS


def test_the_istanbul_talks_timeline_lists_the_rounds_by_day_in_date_order(client: TestClient) -> None:
    response = client.get("/timeline", params={"q": "the Istanbul talks"})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "the Istanbul talks"
    days = [d["date"] for d in body["days"]]
    assert days == sorted(days) and len(set(days)) == len(days)
    entries = [e for d in body["days"] for e in d["entries"]]
    assert body["count"] == len(entries) <= BOUNDS.default_timeline_entries
    ids = [e["article_id"] for e in entries]
    rounds = [
        "002_embassy_talks_istanbul_feb", "005_embassy_talks_istanbul_april",
        "006_russia_ukraine_talks_istanbul_may", "009_russia_ukraine_talks_istanbul_june",
    ]
    assert [i for i in ids if i in rounds] == rounds
    for day in body["days"]:
        for entry in day["entries"]:
            assert entry["published"] == day["date"]
            article = client.get(f"/articles/{entry['article_id']}").json()
            assert article["text"][entry["start"] : entry["end"]] == entry["text"]
            assert set(entry) >= {"title", "source", "url", "also_reported_by"}


def test_filters_and_limit(client: TestClient) -> None:
    body = client.get(
        "/timeline", params={"q": "the Istanbul talks", "since": "2025-05-01", "until": "2025-06-10", "limit": 2}
    ).json()
    entries = [e for d in body["days"] for e in d["entries"]]
    assert 1 <= len(entries) <= 2 and all("2025-05-01" <= e["published"] <= "2025-06-10" for e in entries)
    assert client.get("/timeline", params={"q": "the Istanbul talks", "source": "Nobody"}).json()["days"] == []


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "talks", "limit": 0},
        {"q": "talks", "limit": BOUNDS.max_timeline_entries + 1},
        {"q": "talks", "limit": "many"},
        {"q": "talks", "since": "2025-02-30"},
        {"q": "talks", "until": "yesterday"},
        {"q": "talks", "since": "2025-06-01", "until": "2025-05-01"},
        {"q": "x" * (BOUNDS.max_question_chars + 1)},
    ],
)
def test_bad_requests_are_422_with_a_message(client: TestClient, params: dict[str, object]) -> None:
    response = client.get("/timeline", params=params)
    assert response.status_code == 422
    assert response.json()["detail"]
