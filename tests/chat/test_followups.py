"""Follow-up resolution: references, elliptical messages, and questions that must stay exactly as typed."""

from __future__ import annotations

import pytest

from newsdesk.qa.chat.followup import RECENT_TURNS, ChatTurn, resolve_followup, turn_from_answer
from newsdesk.qa.types import Answer, Quote, ShortAnswer

AMBASSADOR = ChatTurn(
    "Who is Russia's new ambassador to the United States?",
    "WASHINGTON: Alexander Darchiev, Russia's new ambassador to the United States, arrived in Washington on "
    "Wednesday evening, ending a gap of more than five months without a Russian envoy in the American capital.",
    "Alexander Darchiev",
    ("New Russian Ambassador Darchiev Arrives in Washington",),
)
DELEGATION = ChatTurn(
    "Who led the Russian delegation at the Istanbul talks in May?",
    "The Russian delegation was led by Vladimir Medinsky, an aide to President Vladimir Putin.",
    "Vladimir Medinsky",
)
PACKAGE = ChatTurn(
    "When did the EU adopt the 17th sanctions package?",
    "European Union foreign ministers on Tuesday formally adopted the bloc's 17th package of sanctions against Russia.",
    "Tuesday",
)
EMBASSY_TALKS = ChatTurn(
    "When did Russian and US diplomats meet in Istanbul in February?",
    "Officials from both countries met on February 27 and April 10 in Istanbul.",
    "February 27",
)
FIRST_ROUND = ChatTurn("When did Russian and US diplomats hold their first round of embassy talks in Istanbul?")
POLITICO = ChatTurn(
    "Which publication interviewed Marco Rubio at the NATO summit?",
    "US Secretary of State Marco Rubio said in an interview with Politico on Wednesday that Trump will resist "
    "European pressure.",
    "Politico",
)
G7 = ChatTurn(
    "Where was the G7 summit held in June?",
    "Leaders of the Group of Seven wrapped up their summit in the Canadian Rockies on Tuesday.",
    "Kananaskis",
)
MEETING = ChatTurn(
    "When did Russia and Ukraine meet in Istanbul?", "Russian and Ukrainian delegations met in Istanbul."
)
RIYADH = ChatTurn("Where did Lavrov and Rubio hold the talks?", "Lavrov and Rubio led the talks at Diriyah Palace.")
FLIGHTS = ChatTurn(
    "What did Darchiev say about flights?",
    "Darchiev said Presidents Vladimir Putin and Donald Trump had set the task of restoring relations.",
    "Vladimir Putin",
)
DECREE = ChatTurn(
    "When did Putin sign the decree appointing Darchiev as ambassador?",
    "Putin signed the decree on March 6.",
    "March 6",
)
THIRD_ROUND = ChatTurn(
    "What did Darchiev say about the third round of embassy talks?",
    "Russia's new ambassador to the United States, Alexander Darchiev, said that a third round of embassy talks "
    "would be held in Moscow.",
)
GRAHAM = ChatTurn(
    "Who introduced the Sanctioning Russia Act together with Richard Blumenthal?",
    "The Sanctioning Russia Act of 2025 was introduced on April 1 by Republican Senator Lindsey Graham of South "
    "Carolina and Democratic Senator Richard Blumenthal of Connecticut.",
    "Lindsey Graham",
)
DEMANDS = ChatTurn("What did Russia demand at the talks in Istanbul?")
VESSELS = ChatTurn(
    "How many vessels did the EU's 17th sanctions package add?",
    "The package adds 189 vessels of the so-called shadow fleet to the EU's list.",
    "189",
)
ADOPTED_ON = ChatTurn("What did the EU adopt on May 20th?", "The EU adopted its 17th sanctions package.", "17th")
# A wrong short answer to "where": the answer sentence names it only in passing, and says where he arrived.
SERVED_WRONG = ChatTurn(
    "Where did Alexander Darchiev serve before Washington?",
    "WASHINGTON: Alexander Darchiev, Russia's new ambassador to the United States, arrived in Washington on "
    "Wednesday evening.",
    "United States",
)
SERVED_RIGHT = ChatTurn(
    "Where did Darchiev serve before Washington?",
    "He served as Russia's ambassador to Canada from 2014 to 2021.",
    "Canada",
)


@pytest.mark.parametrize(
    ("history", "message", "expected"),
    [
        # he / she / him / his / her: the answer to a "who" question, else the person the question named
        (
            [AMBASSADOR],
            "Where did he serve before Washington?",
            "Where did Alexander Darchiev serve before Washington?",
        ),
        ([AMBASSADOR], "When did she arrive?", "When did Alexander Darchiev arrive?"),
        ([AMBASSADOR], "Who signed the decree appointing him?", "Who signed the decree appointing Alexander Darchiev?"),
        ([AMBASSADOR], "Who was his predecessor?", "Who was Alexander Darchiev's predecessor?"),
        ([AMBASSADOR], "What did her speech say?", "What did Alexander Darchiev's speech say?"),
        ([DELEGATION], "What did he say about the outcome?", "What did Vladimir Medinsky say about the outcome?"),
        ([FLIGHTS], "When did he arrive in Washington?", "When did Darchiev arrive in Washington?"),
        ([DECREE], "What did the decree make him?", "What did the decree make Darchiev?"),
        ([GRAHAM], "What tariff would his bill impose?", "What tariff would Lindsey Graham's bill impose?"),
        ([AMBASSADOR, PACKAGE], "Where did he serve before?", "Where did Alexander Darchiev serve before?"),
        # they / them / their
        ([MEETING], "What did they agree?", "What did Russia and Ukraine agree?"),
        ([MEETING], "What were their demands?", "What were Russia and Ukraine's demands?"),
        ([RIYADH], "Who hosted them?", "Who hosted the talks?"),
        # it / this / that: the previous topic
        ([PACKAGE], "What did it target?", "What did the EU target?"),
        ([G7], "Who hosted it?", "Who hosted the G7 summit?"),
        ([POLITICO], "When did it publish the interview?", "When did Politico publish the interview?"),
        (
            [THIRD_ROUND],
            "Where did he say it would be held?",
            "Where did Alexander Darchiev say the third round of embassy talks would be held?",
        ),
        ([G7], "Why did that matter?", "Why did the G7 summit matter?"),
        ([THIRD_ROUND], "When did he say that?", "When did Alexander Darchiev say that?"),
        # "that summit", "that day": the earlier phrase with that head noun, the earlier date
        ([POLITICO], "In which city was that summit held?", "In which city was the NATO summit held?"),
        ([EMBASSY_TALKS], "What else happened that day?", "What else happened on February 27?"),
        # there: a place
        ([DELEGATION], "Who else was there?", "Who else was in Istanbul?"),
        ([G7], "What happened there?", "What happened in Kananaskis?"),
        ([DELEGATION], "Who flew from there?", "Who flew from Istanbul?"),
        # there: where the verb happened, from the questions and answers, not only the last short answer
        ([AMBASSADOR, SERVED_WRONG], "When did he arrive there?", "When did Alexander Darchiev arrive in Washington?"),
        ([AMBASSADOR, SERVED_WRONG], "What did he do there?", "What did Alexander Darchiev do in Washington?"),
        ([SERVED_RIGHT], "What did he do there?", "What did Darchiev do in Canada?"),
        # elliptical: the previous question with a date, place or name swapped, or the fragment appended
        ([EMBASSY_TALKS], "And in April?", "When did Russian and US diplomats meet in Istanbul in April?"),
        ([DELEGATION], "And in June?", "Who led the Russian delegation at the Istanbul talks in June?"),
        ([DELEGATION], "What about Ukraine?", "Who led the Ukrainian delegation at the Istanbul talks in May?"),
        ([DEMANDS], "And Ukraine?", "What did Ukraine demand at the talks in Istanbul?"),
        ([DEMANDS], "How about in Riyadh?", "What did Russia demand at the talks in Riyadh?"),
        ([FLIGHTS], "What about Lavrov?", "What did Lavrov say about flights?"),
        (
            [FIRST_ROUND],
            "And the second round?",
            "When did Russian and US diplomats hold the second round of embassy talks in Istanbul?",
        ),
        ([DEMANDS], "And on banking?", "What did Russia demand at the talks in Istanbul on banking?"),
        # elliptical: an ordinal swaps the ordinal ("the 18th" package, not "and what about the 18th?")
        ([VESSELS], "And the 18th?", "How many vessels did the EU's 18th sanctions package add?"),
        ([VESSELS], "What about the 16th one?", "How many vessels did the EU's 16th sanctions package add?"),
        (
            [FIRST_ROUND],
            "And the second?",
            "When did Russian and US diplomats hold their second round of embassy talks in Istanbul?",
        ),
        ([ADOPTED_ON], "And on the 21st?", "What did the EU adopt on May 21st?"),
        (
            [DEMANDS],
            "What about prisoner exchanges?",
            "What did Russia demand at the talks in Istanbul, and what about prisoner exchanges?",
        ),
        # elliptical: a bare wh-word asks the previous question again
        (
            [DELEGATION],
            "When?",
            "When was it that Vladimir Medinsky led the Russian delegation at the Istanbul talks in May?",
        ),
        ([DELEGATION], "Who else?", "Who else led the Russian delegation at the Istanbul talks in May?"),
        ([PACKAGE], "Why?", "Why did the EU adopt the 17th sanctions package?"),
        ([PACKAGE], "Where was that?", "Where did the EU adopt the 17th sanctions package?"),
        ([POLITICO], "When?", "Which publication interviewed Marco Rubio at the NATO summit, and when?"),
    ],
)
def test_follow_ups_become_self_contained(history: list[ChatTurn], message: str, expected: str) -> None:
    assert resolve_followup(history, message) == expected


@pytest.mark.parametrize(
    "message",
    [
        "Who is Russia's new ambassador to the United States?",
        "Which publication interviewed Marco Rubio about Trump resisting European pressure for more sanctions?",
        "Did the EU say it would adopt more sanctions?",
        "Why did Putin say he would not travel to Turkey?",
        "What did Rubio say that Trump would resist?",
        "Was there a ceasefire in May?",
        "Are there any talks planned?",
        "Which country said it would not back the package?",
        "When did NATO leaders say they would reach the target?",
        "How did the Kremlin react to the NATO spending decision?",
        "Who went to Istanbul and what did they do there?",
        "What is the price cap on Russian oil?",
        "Who signed the decree appointing Alexander Darchiev?",
        "  Where is the NATO summit held?  ",
        "Which reporter did Yuri Ushakov speak to about that venue?",
        "When did the Black Sea talks take place?",
        "Tell me about the 18th sanctions package",
    ],
)
def test_standalone_questions_stay_exactly_as_typed(message: str) -> None:
    for history in ([AMBASSADOR], [DELEGATION, PACKAGE], [G7, MEETING]):
        assert resolve_followup(history, message) == message


@pytest.mark.parametrize(
    ("history", "message"),
    [
        ([], "Where did he serve before Washington?"),  # nothing earlier to point at
        ([], "And in April?"),
        ([ChatTurn("What is the oil price cap?", None)], "Where did he serve?"),  # no person anywhere
        ([PACKAGE], ""),
        ([PACKAGE], "   "),
    ],
)
def test_unresolvable_messages_are_left_alone(history: list[ChatTurn], message: str) -> None:
    assert resolve_followup(history, message) == message


def test_a_rewrite_longer_than_the_limit_is_given_up() -> None:
    assert resolve_followup([DELEGATION], "When?", max_chars=40) == "When?"


def test_the_resolved_question_feeds_the_next_turn() -> None:
    second = ChatTurn(
        "When did Alexander Darchiev arrive in Washington?", "He arrived on Wednesday evening.", "Wednesday"
    )
    assert resolve_followup([AMBASSADOR, second], "Who appointed him?") == "Who appointed Alexander Darchiev?"


def test_turn_from_answer_keeps_what_resolution_reads() -> None:
    quote = Quote("text", "a1", "Title A", None, "2025-03-27", None, 0, 4, 1.0)
    answer = Answer(
        "Who is it?", "Alexander Darchiev is.", 0.9, (quote, quote), ShortAnswer("Alexander Darchiev", "a1", 0, 18)
    )
    assert turn_from_answer(answer) == ChatTurn(
        "Who is it?", "Alexander Darchiev is.", "Alexander Darchiev", ("Title A",)
    )


def test_only_the_recent_turns_are_read() -> None:
    # A 200-message OpenAI request resolved each user message against every earlier turn: quadratic
    # work, and a timeout under schemathesis. A reference reaches back RECENT_TURNS turns at most.
    unrelated = ChatTurn("What is the weather like?", "It is raining.")
    assert resolve_followup([AMBASSADOR] + [unrelated] * (RECENT_TURNS - 1), "Who appointed him?") == (
        "Who appointed Alexander Darchiev?"
    )
    assert resolve_followup([AMBASSADOR] + [unrelated] * RECENT_TURNS, "Who appointed him?") == "Who appointed him?"
