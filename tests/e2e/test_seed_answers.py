"""End to end with the real packaged model over seeds/: known answers, verbatim quotes."""

from __future__ import annotations

import json

import pytest

from newsdesk.desk import Newsdesk
from tests.conftest import ROOT

SEED_SET = ROOT / "eval" / "sets" / "seed.jsonl"


@pytest.mark.parametrize(
    ("question", "expected_in_answer", "article_id"),  # article_id None: several seeds say it
    [
        ("Who is Russia's new ambassador to the United States?", "Alexander Darchiev", None),
        ("Where was the NATO summit at which Rubio spoke to Politico?", "The Hague", "000_b5eae39174161514"),
        ("Which reporter did Ushakov speak to about the location of the talks?", "Pavel Zarubin", "000_b5eae39174161514"),
        ("On which dates did Russian and US officials meet in Istanbul?", "February 27 and April 10", "000_b5eae39174161514"),
        ("In which palace in Riyadh did Lavrov and Rubio meet?", "Diriyah", "001_riyadh_lavrov_rubio_feb"),
    ],
)
def test_known_answers_come_with_their_sentence(
    seed_desk: Newsdesk, question: str, expected_in_answer: str, article_id: str | None
) -> None:
    answer = seed_desk.ask(question)
    assert answer.answer is not None, answer
    assert expected_in_answer in answer.answer
    top = answer.quotes[0]
    assert top.text == answer.answer
    assert article_id is None or top.article_id == article_id
    article = seed_desk.get_article(top.article_id)
    assert article.text[top.start : top.end] == top.text
    assert top.title == article.title and top.published == article.published


def test_every_quote_is_verbatim_over_the_whole_seed_set(seed_desk: Newsdesk) -> None:
    questions = [json.loads(line)["question"] for line in SEED_SET.read_text().splitlines() if line.strip()]
    assert len(questions) >= 25
    checked = 0
    for question in questions:
        for quote in seed_desk.ask(question, top_k=10).quotes:
            assert seed_desk.get_article(quote.article_id).text[quote.start : quote.end] == quote.text
            checked += 1
    assert checked >= 5 * len(questions)


def test_quotes_are_ranked_and_bounded_by_top_k(seed_desk: Newsdesk) -> None:
    answer = seed_desk.ask("What did Rubio say about sanctions on Russia?", top_k=3)
    assert 1 <= len(answer.quotes) <= 3
    scores = [q.score for q in answer.quotes]
    assert scores == sorted(scores, reverse=True)


def test_unrelated_question_gets_no_supported_answer(seed_desk: Newsdesk) -> None:
    answer = seed_desk.ask("Which team won the 1998 football World Cup final in Paris?")
    assert answer.answer is None
    assert answer.message and "No supported answer" in answer.message
    assert answer.quotes  # the closest quotes are still shown
