"""Span kinds, units and relative dates: the rules that check a reader's span against the question."""

from __future__ import annotations

import pytest

from newsdesk.qa.answering.relative_dates import resolve_relative_date
from newsdesk.qa.answering.short_answer import AnswerType
from newsdesk.qa.answering.span_kinds import fitting_part, is_yes_no, span_fits, wants_sentence, widen_number


@pytest.mark.parametrize(
    ("expected", "text", "fits"),
    [
        (AnswerType.NUMBER, "$45 a barrel", True),
        (AnswerType.NUMBER, "five and a half hours", True),
        (AnswerType.NUMBER, "Russian crude", False),
        (AnswerType.DATE, "Wednesday evening", True),
        (AnswerType.DATE, "March 26, 2025", True),
        (AnswerType.DATE, "yesterday", True),
        (AnswerType.DATE, "Washington", False),
        (AnswerType.PERSON, "Alexander Darchiev", True),
        (AnswerType.PERSON, "Russian", False),
        (AnswerType.PERSON, "12 hours", False),
        (AnswerType.PLACE, "Istanbul", True),
        (AnswerType.PLACE, "Monday", False),
        (AnswerType.NAME, "anything at all", True),
    ],
)
def test_span_fits_the_asked_for_kind(expected: str, text: str, fits: bool) -> None:
    assert span_fits(expected, text) is fits


@pytest.mark.parametrize(
    ("expected", "text", "part"),
    [
        (AnswerType.DATE, "Washington on Wednesday evening", "Wednesday evening"),
        (AnswerType.DATE, "Wednesday", None),
        (AnswerType.NUMBER, "talks lasting 12 hours", "12 hours"),
        (AnswerType.NUMBER, "12 hours", None),
        (AnswerType.PERSON, "Sergei Lavrov in Riyadh", None),
    ],
)
def test_fitting_part_narrows_to_the_asked_for_kind(expected: str, text: str, part: str | None) -> None:
    found = fitting_part(expected, text)
    assert (text[found[0] : found[1]] if found else None) == part


@pytest.mark.parametrize(
    ("sentence", "span", "widened"),
    [
        ("a price cap of $45 a barrel, down from $60.", "$45", "$45 a barrel"),
        ("Canada pledged C$2 billion in aid.", "$2 billion", "C$2 billion"),
        ("a cap of 45 per cent on imports", "45", "45 per cent"),
        ("fares rise to 4.50 euros next year", "4.50 euros", "4.50 euros"),
        ("led by Sergei Lavrov", "Sergei Lavrov", "Sergei Lavrov"),
    ],
)
def test_numbers_keep_their_currency_and_unit(sentence: str, span: str, widened: str) -> None:
    start = sentence.index(span)
    new_start, new_end = widen_number(sentence, start, start + len(span))
    assert sentence[new_start:new_end] == widened


@pytest.mark.parametrize(
    ("text", "published", "day"),
    [
        ("Wednesday evening", "2025-03-27", "2025-03-26"),  # a Thursday's article
        ("on Thursday", "2025-03-27", "2025-03-27"),
        ("last Thursday", "2025-03-27", "2025-03-20"),
        ("next Monday", "2025-03-27", "2025-03-31"),
        ("yesterday", "2025-03-27", "2025-03-26"),
        ("tomorrow", "2025-12-31", "2026-01-01"),
        ("last month", "2025-01-15", "2024-12"),
        ("next year", "2025-01-15", "2026"),
        ("March 26", "2025-03-27", "2025-03-26"),
        ("26 March", "2025-03-27", "2025-03-26"),
        ("March 26, 2024", "2025-03-27", None),  # a full date needs no resolving
        ("Wednesday", None, None),
        ("Wednesday", "not a date", None),
        ("Istanbul", "2025-03-27", None),
    ],
)
def test_relative_dates_resolve_against_the_article_date(text: str, published: str | None, day: str | None) -> None:
    assert resolve_relative_date(text, published) == day


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("Why did Trump leave the G7 summit early?", True),
        ("How did the Kremlin react?", True),
        ("What did the Kremlin say about NATO's spending decision?", True),
        ("Did the G7 issue a joint statement on Ukraine?", True),
        ("Is the ceasefire holding?", True),
        ("How many senators support the sanctions bill?", False),
        ("How long did the talks last?", False),
        ("How strong were the gusts when Storm Dara reached the coast?", False),
        ("What tariff would the Sanctioning Russia Act impose?", False),
        ("Who met in Istanbul on Monday?", False),
        ("What did the EU adopt yesterday?", False),
    ],
)
def test_questions_a_sentence_answers(question: str, sentence: bool) -> None:
    assert wants_sentence(question) is sentence


@pytest.mark.parametrize(
    ("question", "yes_no"),
    [("Did the G7 issue a joint statement on Ukraine?", True), ("Is the ceasefire holding?", True),
     ("Why did Trump leave?", False), ("Who met in Istanbul?", False), ("Israel's army said what?", False)],
)
def test_yes_no_questions(question: str, yes_no: bool) -> None:
    assert is_yes_no(question) is yes_no
