"""Short answers: the type a question asks for, and the span of the answer sentence that fits it."""

from __future__ import annotations

import pytest

from newsdesk.qa.answering.short_answer import AnswerType, answer_type, pick_short_answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Who is Russia's ambassador to the United States?", AnswerType.PERSON),
        ("  WHO led the talks?", AnswerType.PERSON),
        ("Whose plan was adopted?", AnswerType.PERSON),
        ("Talks were led by whom?", AnswerType.PERSON),
        # "who" wins over every other wh-word
        ("Who knows how many ships were listed?", AnswerType.PERSON),
        ("How many vessels were listed?", AnswerType.NUMBER),
        ("What oil price cap did the European Commission propose?", AnswerType.NUMBER),
        ("What tariff would the Sanctioning Russia Act impose?", AnswerType.NUMBER),
        ("What rate did the central bank set?", AnswerType.NUMBER),
        ("What company capped its prices?", AnswerType.NAME),
        ("How much is the tariff?", AnswerType.NUMBER),
        ("How long did the meeting last?", AnswerType.NUMBER),
        ("How old is the guideline?", AnswerType.NUMBER),
        ("What percentage of GDP goes to defence?", AnswerType.NUMBER),
        ("What number of senators back the bill?", AnswerType.NUMBER),
        ("When did Darchiev arrive?", AnswerType.DATE),
        ("What year was the bill introduced?", AnswerType.DATE),
        ("Which day did Trump leave?", AnswerType.DATE),
        ("Where did the talks take place?", AnswerType.PLACE),
        ("Which city hosted the summit?", AnswerType.PLACE),
        ("In which country did they meet?", AnswerType.PLACE),
        ("What country hosted the talks?", AnswerType.PLACE),
        ("Which palace hosted the meeting?", AnswerType.NAME),
        ("What did Putin call the conversation?", AnswerType.NAME),
        ("Why did the talks stall?", AnswerType.OTHER),
        ("Did Trump leave the summit early?", AnswerType.OTHER),
        ("How did the markets react?", AnswerType.OTHER),
        # "who" only counts at the start or within the first 40 characters
        ("Tell me about the talks in Istanbul and the people who led them", AnswerType.OTHER),
        # a wh-word inside another word is not one
        ("Somewhere, somehow, whoever", AnswerType.OTHER),
    ],
)
def test_answer_type(question: str, expected: str) -> None:
    assert answer_type(question) == expected


@pytest.mark.parametrize(
    ("question", "sentence", "expected", "fit"),
    [
        (
            "Who is Russia's new ambassador to the United States?",
            "Alexander Darchiev, Russia's new ambassador to the United States, arrived in Washington on Wednesday evening.",
            "Alexander Darchiev", 1.0,
        ),
        (
            "Who headed the American team?",
            "The American team was headed by Sonata Coulter, a deputy assistant secretary.",
            "Sonata Coulter", 1.0,
        ),
        # one capitalised word is a weaker person
        ("Who chaired the talks?", "Carney chaired them.", "Carney", 0.6),
        ("When did Darchiev arrive in Washington?", "Darchiev arrived in Washington on March 26, 2025.", "March 26, 2025", 1.0),
        ("When will allies reach the target?", "Allies will spend 5 percent of GDP by 2035.", "2035", 1.0),
        ("How many vessels did the package add?", "The package adds 189 vessels of the so-called shadow fleet.", "189", 1.0),
        ("How much is the tariff?", "It would impose a tariff of 500 percent on imports.", "500 percent", 1.0),
        ("What percentage of GDP will allies spend?", "Allies will spend 5 percent of GDP by 2035.", "5 percent", 1.0),
        ("How long did the meeting last?", "The meeting lasted about five and a half hours.", "five and a half hours", 1.0),
        # a place after "in"/"at"/"from" fits best; elsewhere it is a weaker place
        ("Where did the talks take place?", "The talks took place in Istanbul on Friday.", "Istanbul", 1.0),
        ("Where did the talks take place?", "Istanbul hosted the talks on Friday.", "Istanbul", 0.6),
        # a dateline ("MOSCOW:") is not an answer
        ("Where was the statement issued?", "MOSCOW: The Kremlin issued a statement.", "The Kremlin", 0.6),
        ("Which palace hosted the meeting?", "The meeting was held at Dolmabahce Palace.", "Dolmabahce Palace", 1.0),
        # a number answers a "what" question only weakly
        ("What is the price cap?", "The cap would fall from $60 to $45 a barrel.", "$60", 1.0),  # a quantity noun asks for a number
    ],
)  # fmt: skip
def test_pick_short_answer(question: str, sentence: str, expected: str, fit: float) -> None:
    picked = pick_short_answer(question, sentence)
    assert picked is not None
    assert sentence[picked.span.start : picked.span.end] == expected
    assert picked.fit == fit


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        # no date anywhere
        ("When did the talks end?", "The talks ended without a deal."),
        # the only name is one the question already uses
        ("Who met Lavrov?", "Lavrov met reporters."),
        # "Russian" is an adjective, not a person
        ("Who led the delegation?", "The Russian delegation arrived late."),
        # weekdays are times, not names
        ("Who spoke?", "They spoke on Monday."),
        # a date does not answer "how many"
        ("How many ships were listed?", "The list was published on May 20."),
    ],
)
def test_no_short_answer_without_a_new_span_of_the_asked_type(question: str, sentence: str) -> None:
    assert pick_short_answer(question, sentence) is None
