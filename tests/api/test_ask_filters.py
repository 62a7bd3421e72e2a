"""POST /ask with since, until, source and as_of, end to end: the real app, model, reader and seed index."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsdesk.api.main import create_app
from newsdesk.qa.answering.scoring import NO_ANSWER_MESSAGE
from newsdesk.qa.embedding import SentenceTransformerEmbedder
from newsdesk.qa.reader.reader import ExtractiveReader
from newsdesk.settings import Settings

# The seed articles have dates but no source; these three add sources and an undated article.
LIGHTHOUSE = [
    {
        "title": "Lighthouse keeper retires after forty years",
        "text": (
            "Margaret Olsen switched off the lamp at Skerry Point lighthouse for the last time on Friday. "
            "She had kept the light since 1985, longer than anyone in the service.\n\n"
            "Her successor, an automated beacon, was installed by the coastal authority in May."
        ),
        "published": "2025-07-04",
        "source": "Coast Gazette",
        "id": "gazette-1",
    },
    {
        "title": "Skerry Point says goodbye to its last keeper",
        "text": (
            "Margaret Olsen, who kept the Skerry Point lighthouse for four decades, handed over to an automatic "
            "beacon this week. Villagers gathered on the quay to thank her.\n\n"
            "The coastal authority said the beacon would be checked by boat twice a year."
        ),
        "published": "2025-07-10",
        "source": "Harbour Herald",
        "id": "herald-1",
    },
    {
        "title": "Keeper's log",
        "text": (
            "The keeper of Skerry Point lighthouse wrote her last entry in the log by hand. "
            "Margaret Olsen signed it with the date and a drawing of the lamp."
        ),
        "id": "log-1",
    },
]
KEEPER = "Who kept the Skerry Point lighthouse?"
DELEGATION = "Who led the Russian delegation at the talks in Istanbul?"


@pytest.fixture(scope="module")
def ask_client(
    seed_index_dir: Path,
    embedder: SentenceTransformerEmbedder,
    reader: ExtractiveReader,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[TestClient]:
    """The real app over a copy of the seed index plus LIGHTHOUSE; the tests here only ask."""
    data_dir = tmp_path_factory.mktemp("ask-filters") / "data"
    shutil.copytree(seed_index_dir, data_dir, ignore=shutil.ignore_patterns("write.lock"))
    settings = Settings(data_dir=data_dir, seed_dir=None)
    with TestClient(create_app(settings, embedder=embedder, reader=reader)) as client:
        added = client.post("/articles", json=LIGHTHOUSE)
        assert added.status_code == 201, added.text
        yield client


def ask(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post("/ask", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def assert_verbatim(client: TestClient, body: dict[str, Any]) -> None:
    for quote in body["quotes"]:
        article = client.get(f"/articles/{quote['article_id']}").json()
        assert article["text"][quote["start"] : quote["end"]] == quote["text"]
        assert (quote["published"], quote["source"]) == (article["published"], article["source"])


def no_answer(question: str) -> dict[str, Any]:
    return {
        "question": question,
        "answer": None,
        "confidence": 0.0,
        "quotes": [],
        "short_answer": None,
        "message": NO_ANSWER_MESSAGE,
        "answer_kind": "none",
        "citations": [],
        "changes": [],
        "disagreements": [],
    }


# -- source -------------------------------------------------------------------------------------


def test_without_a_source_every_report_is_quoted(ask_client: TestClient) -> None:
    body = ask(ask_client, question=KEEPER)
    assert "Margaret Olsen" in body["answer"]
    assert {"gazette-1", "herald-1", "log-1"} <= {q["article_id"] for q in body["quotes"]}


@pytest.mark.parametrize(
    ("source", "article_id", "expected_source"),
    [
        ("Harbour Herald", "herald-1", "Harbour Herald"),
        ("harbour herald", "herald-1", "Harbour Herald"),
        ("COAST GAZETTE", "gazette-1", "Coast Gazette"),
    ],
)
def test_source_restricts_every_quote(
    ask_client: TestClient, source: str, article_id: str, expected_source: str
) -> None:
    body = ask(ask_client, question=KEEPER, source=source)
    assert "Margaret Olsen" in body["answer"]
    assert body["short_answer"] == {**body["short_answer"], "text": "Margaret Olsen", "article_id": article_id}
    assert body["quotes"]
    assert {(q["article_id"], q["source"]) for q in body["quotes"]} == {(article_id, expected_source)}
    assert all(q["also_reported_by"] == [] for q in body["quotes"])
    assert_verbatim(ask_client, body)


def test_an_empty_source_is_no_filter(ask_client: TestClient) -> None:
    assert ask(ask_client, question=KEEPER, source="") == ask(ask_client, question=KEEPER)


@pytest.mark.parametrize(
    "filters",
    [
        {"source": "Nobody"},
        {"source": "Harbour"},  # a source matches whole, not by prefix
        {"source": "Coast Gazette", "since": "2025-07-05"},  # both limits must hold
        {"since": "2025-08-01"},
        {"until": "2025-01-31"},
    ],
)
def test_filters_that_admit_no_article_give_no_answer_and_no_quotes(
    ask_client: TestClient, filters: dict[str, str]
) -> None:
    assert ask(ask_client, question=KEEPER, **filters) == no_answer(KEEPER)


# -- since / until ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("since", "until", "first_article"),
    [
        (None, None, "006_russia_ukraine_talks_istanbul_may"),
        ("2025-05-01", "2025-05-31", "006_russia_ukraine_talks_istanbul_may"),
        ("2025-06-01", None, "009_russia_ukraine_talks_istanbul_june"),
        # Three reports before April (Riyadh in February and March, Istanbul in February): which one the
        # reader ranks first is the model's call; that every quote is from before April is the filter's.
        (None, "2025-03-31", None),
        ("2025-04-10", "2025-04-10", "005_embassy_talks_istanbul_april"),  # one day, both ends inclusive
    ],
)
def test_since_and_until_restrict_the_quoted_dates(
    ask_client: TestClient, since: str | None, until: str | None, first_article: str | None
) -> None:
    body = ask(ask_client, question=DELEGATION, since=since, until=until, top_k=5)
    assert len(body["quotes"]) == 5
    assert first_article is None or body["quotes"][0]["article_id"] == first_article
    low, high = since or "0000", until or "9999"
    assert all(q["published"] and low <= q["published"] <= high for q in body["quotes"])
    if body["short_answer"]:
        quoted = {q["article_id"] for q in body["quotes"]}
        assert body["short_answer"]["article_id"] in quoted
    assert_verbatim(ask_client, body)


def test_an_article_outside_the_range_is_never_quoted(ask_client: TestClient) -> None:
    unfiltered = ask(ask_client, question=DELEGATION, top_k=10)
    best = unfiltered["quotes"][0]["article_id"]
    assert best == "006_russia_ukraine_talks_istanbul_may"  # published 2025-05-16
    for since, until in [("2025-05-17", None), (None, "2025-05-15"), ("2025-01-01", "2025-05-15")]:
        body = ask(ask_client, question=DELEGATION, top_k=10, since=since, until=until)
        assert body["quotes"] and best not in {q["article_id"] for q in body["quotes"]}


def test_an_undated_article_is_never_quoted_under_a_date_filter(ask_client: TestClient) -> None:
    assert "log-1" in {q["article_id"] for q in ask(ask_client, question=KEEPER)["quotes"]}
    for filters in ({"since": "1600-01-01"}, {"until": "2199-12-31"}):
        body = ask(ask_client, question=KEEPER, **filters)
        assert body["quotes"] and "log-1" not in {q["article_id"] for q in body["quotes"]}
        assert all(q["published"] is not None for q in body["quotes"])


# -- bad dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["since", "until", "as_of"])
@pytest.mark.parametrize(
    ("value", "msg", "kind"),
    [
        ("June", "Value error, a date is written YYYY-MM-DD", "value_error"),
        ("2025-6-1", "Value error, a date is written YYYY-MM-DD", "value_error"),
        ("2025-06-01T00:00:00", "Value error, a date is written YYYY-MM-DD", "value_error"),
        ("2025-02-30", "Value error, day is out of range for month", "value_error"),
        ("1500-01-01", "Value error, the date must be between 1600-01-01 and 2199-12-31", "value_error"),
        ("2200-01-01", "Value error, the date must be between 1600-01-01 and 2199-12-31", "value_error"),
        (20250601, "Input should be a valid date", "date_type"),
    ],
)
def test_a_malformed_date_is_a_422_naming_the_field(
    ask_client: TestClient, field: str, value: object, msg: str, kind: str
) -> None:
    response = ask_client.post("/ask", json={"question": DELEGATION, field: value})
    assert response.status_code == 422
    assert response.json() == {"detail": [{"loc": ["body", field], "msg": msg, "type": kind}]}


@pytest.mark.parametrize(("since", "until"), [("2025-06-26", "2025-06-25"), ("2199-12-31", "1600-01-01")])
def test_since_after_until_is_refused(ask_client: TestClient, since: str, until: str) -> None:
    response = ask_client.post("/ask", json={"question": DELEGATION, "since": since, "until": until})
    assert response.status_code == 422
    assert response.json() == {"detail": "since must not be after until"}


# -- as_of --------------------------------------------------------------------------------------

LAST_WEEK = "Who led the talks in Istanbul last week?"


@pytest.mark.parametrize(
    ("as_of", "article_id", "published"),
    [
        # Istanbul rounds: embassy talks on Feb 27 and Apr 10, Russia-Ukraine talks on May 16 and Jun 2
        ("2025-03-07", "002_embassy_talks_istanbul_feb", "2025-02-28"),
        ("2025-04-17", "005_embassy_talks_istanbul_april", "2025-04-10"),
        ("2025-05-23", "006_russia_ukraine_talks_istanbul_may", "2025-05-16"),
        ("2025-06-09", "009_russia_ukraine_talks_istanbul_june", "2025-06-02"),
    ],
)
def test_as_of_decides_which_week_last_week_is(
    ask_client: TestClient, as_of: str, article_id: str, published: str
) -> None:
    body = ask(ask_client, question=LAST_WEEK, as_of=as_of, top_k=5)
    first = body["quotes"][0]
    assert (first["article_id"], first["published"]) == (article_id, published)
    # most quotes come from that week's report
    assert sum(q["article_id"] == article_id for q in body["quotes"]) >= 3
    assert_verbatim(ask_client, body)


def test_as_of_changes_the_answer(ask_client: TestClient) -> None:
    by_day = {
        day: ask(ask_client, question=LAST_WEEK, as_of=day)
        for day in ("2025-03-07", "2025-04-17", "2025-05-23", "2025-06-09")
    }
    assert len({body["quotes"][0]["article_id"] for body in by_day.values()}) == 4
    # asked later in the same week, "last week" still holds the Jun 2 round
    later = ask(ask_client, question=LAST_WEEK, as_of="2025-06-12")
    assert later["quotes"][0]["article_id"] == by_day["2025-06-09"]["quotes"][0]["article_id"]


@pytest.mark.parametrize(
    ("as_of", "article_id"),
    [
        ("2025-03-01", "002_embassy_talks_istanbul_feb"),
        ("2025-04-12", "005_embassy_talks_istanbul_april"),
        ("2025-05-18", "006_russia_ukraine_talks_istanbul_may"),
        ("2025-06-03", "009_russia_ukraine_talks_istanbul_june"),
    ],
)
def test_as_of_decides_which_week_this_week_is(ask_client: TestClient, as_of: str, article_id: str) -> None:
    body = ask(ask_client, question="Who led the talks in Istanbul this week?", as_of=as_of)
    assert body["quotes"][0]["article_id"] == article_id


@pytest.mark.parametrize(
    ("as_of", "article_id"),
    [
        ("2025-03-01", "002_embassy_talks_istanbul_feb"),
        ("2025-04-12", "005_embassy_talks_istanbul_april"),
        ("2025-05-18", "006_russia_ukraine_talks_istanbul_may"),
        ("2025-06-03", "009_russia_ukraine_talks_istanbul_june"),
    ],
)
def test_as_of_alone_favours_the_articles_of_the_days_before_it(
    ask_client: TestClient, as_of: str, article_id: str
) -> None:
    body = ask(ask_client, question="Who led the talks in Istanbul?", as_of=as_of)
    assert body["quotes"][0]["article_id"] == article_id
