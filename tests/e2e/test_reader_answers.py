"""End to end with the shipped reading model: the answers a new user checked by hand.

Each question was answered wrongly by sentence scoring alone (see issue 11):
a place for a *who*, a unit cut off a number, a currency prefix lost, an
abstention next to the right quote, a follow-up answered with the wrong sentence.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.desk import Newsdesk
from newsdesk.qa.types import ArticleDraft

AMBASSADOR = "Who is Russia's new ambassador to the United States?"
# Still wrong with the shipped reader (see the README's reading-model section); strict, so that a
# better model that gets them right turns these into failures to be promoted to plain tests.
NOT_YET = pytest.mark.xfail(strict=True, reason="the shipped reader does not get this one right yet")


@pytest.mark.parametrize(
    ("question", "short_answer", "sentence_holds"),
    [
        ("Who hosted the G7 summit in Kananaskis?", "Mark Carney", "who hosted the summit"),
        ("Who was Darchiev's predecessor?", "Anatoly Antonov", "His predecessor"),
        ("How much military assistance did Carney announce for Ukraine?", "C$2 billion", "C$2 billion"),
        ("Which languages does Darchiev speak?", "English and French", "speaks English and French"),
        (AMBASSADOR, "Alexander Darchiev", "Alexander Darchiev"),
    ],
)
def test_reader_answers_with_the_exact_span(seed_desk: Newsdesk, question: str, short_answer: str, sentence_holds: str) -> None:
    answer = seed_desk.ask(question)
    assert answer.answer is not None, answer
    assert answer.short_answer is not None
    assert short_answer in answer.short_answer.text
    assert len(answer.short_answer.text) <= len(short_answer) + 30
    assert sentence_holds in answer.answer
    article = seed_desk.get_article(answer.short_answer.article_id)
    assert article.text[answer.short_answer.start : answer.short_answer.end] == answer.short_answer.text
    assert answer.quotes[0].text == answer.answer


def test_a_number_keeps_its_unit_and_the_cost_is_not_the_wind_speed(writable_seed_dir: Path, embedder, reader) -> None:
    desk = Newsdesk(writable_seed_dir, embedder, reader=reader)
    try:
        desk.add_article(
            ArticleDraft(
                title="Storm topples Point Arena lighthouse",
                text=(
                    "Storm Dara reached the coast on Sunday with gusts of 170 km/h, toppling the Point Arena "
                    "lighthouse.\n\nThe county said rebuilding the lighthouse will cost about $4.5 million and take "
                    "two years. Volunteers began clearing the site on Monday."
                ),
                published="2025-11-03",
            )
        )
        answer = desk.ask("How much will rebuilding the lighthouse cost?")
        assert answer.short_answer is not None, answer
        assert "$4.5 million" in answer.short_answer.text
        wind = desk.ask("How strong were the gusts when Storm Dara reached the coast?")
        assert wind.short_answer is not None and "170 km/h" in wind.short_answer.text
    finally:
        desk.close()


@pytest.mark.parametrize(
    ("follow_up", "interpreted", "short_answer", "sentence_holds"),
    [
        pytest.param(
            "Where did he serve before Washington?", "Where did Alexander Darchiev serve before Washington?", "Canada",
            "ambassador to Canada", marks=NOT_YET,
        ),
        ("When did he arrive in Washington?", "When did Alexander Darchiev arrive in Washington?", "Wednesday",
         "arrived in Washington"),
    ],
)
def test_follow_ups_are_answered_with_the_right_sentence(
    client: TestClient, follow_up: str, interpreted: str, short_answer: str, sentence_holds: str
) -> None:
    first = client.post("/chat", json={"message": AMBASSADOR}).json()
    reply = client.post("/chat", json={"conversation_id": first["conversation_id"], "message": follow_up})
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["interpreted_question"] == interpreted
    assert body["answer"] and sentence_holds in body["answer"]
    assert body["short_answer"] and short_answer in body["short_answer"]["text"]


def test_the_openai_endpoint_answers_the_follow_up_from_the_reader(client: TestClient) -> None:
    response = client.post(
        "/v1/chat/completions",
        json={
            "model": "newsdesk",
            "messages": [
                {"role": "user", "content": AMBASSADOR},
                {"role": "assistant", "content": "Alexander Darchiev ..."},
                {"role": "user", "content": "When did he arrive in Washington?"},
            ],
        },
    )
    assert response.status_code == 200, response.text
    content = response.json()["choices"][0]["message"]["content"]
    assert content.split("\n")[0].startswith("WASHINGTON: Alexander Darchiev") or "arrived in Washington" in content.split("\n")[0]
