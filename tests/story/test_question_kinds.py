"""Which questions get a composed answer: table-driven over the kinds and the factoid look-alikes."""

from __future__ import annotations

import pytest

from newsdesk.qa.story.question_kinds import QuestionKind, question_kind, wants_composed_answer


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Which countries oppose the 18th sanctions package?", QuestionKind.LIST),
        ("Which EU countries oppose the 18th sanctions package?", QuestionKind.LIST),
        ("Which provinces in Canada extend the rights of pharmacists?", QuestionKind.LIST),
        ("What sanctions did the EU adopt in May?", QuestionKind.LIST),
        ("What are the priorities of the new ambassador?", QuestionKind.LIST),
        ("Who were the heads of the delegations?", QuestionKind.LIST),
        ("List the measures in the 17th package", QuestionKind.LIST),
        ("Name the leaders who met in Istanbul", QuestionKind.LIST),
        ("Summarise the embassy talks", QuestionKind.SUMMARY),
        ("Summarize the embassy talks.", QuestionKind.SUMMARY),
        ("Please summarise the G7 summit", QuestionKind.SUMMARY),
        ("Give me a summary of the NATO summit", QuestionKind.SUMMARY),
        ("What happened at the G7 summit?", QuestionKind.SUMMARY),
        ("What happened with the Istanbul talks?", QuestionKind.SUMMARY),
        ("How did the second Istanbul round go?", QuestionKind.SUMMARY),
        ("Tell me about the Black Sea talks", QuestionKind.SUMMARY),
        ("Why did Trump leave the G7 summit early?", QuestionKind.WHY),
        ("What caused the cancellation of the third round?", QuestionKind.WHY),
        ("How does the 18th package compare with the 17th?", QuestionKind.COMPARISON),
        ("What is the difference between the two Istanbul channels?", QuestionKind.COMPARISON),
        ("Istanbul talks versus Riyadh talks", QuestionKind.COMPARISON),
    ],
)
def test_questions_that_want_more_than_one_fact(question: str, kind: QuestionKind) -> None:
    assert question_kind(question) == kind
    assert wants_composed_answer(question)


@pytest.mark.parametrize(
    "question",
    [
        "Who led the Russian team in Istanbul?",
        "Which country hosted the Black Sea talks?",
        "Which city hosted the NATO summit?",
        "What is the new oil price cap?",
        "What was agreed in Istanbul on June 2?",
        "What happens next in the talks?",
        "How many prisoners did Russia and Ukraine swap?",
        "When did Darchiev arrive in Washington?",
        "Where did the G7 leaders meet?",
        "What news agency reported the briefing?",
        "Which countries' leaders left early?",
        "What does the Sanctioning Russia Act propose?",
        "Is Slovakia against the package?",
        "Name the city where the talks took place",
        "What limits the Rankine cycle's temperatures?",
        "What lies at 37 degrees latitude?",
        "What happened to the rate of flow in the Rhine?",
        "How populous is Melbourne compared to other Australian states?",
        "Over how many studies have shown that violence is more common with income differences?",
    ],
)
def test_factoid_questions_keep_their_one_sentence_answer(question: str) -> None:
    assert question_kind(question) == QuestionKind.FACTOID
    assert not wants_composed_answer(question)
