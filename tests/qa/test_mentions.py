"""Names, places and dates in text: the cues read before a name, and time that grows with the text."""

from __future__ import annotations

import time

import pytest

from newsdesk.qa.chat.mentions import DATE, NAME, PERSON, PLACE, find_mentions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tell Putin", [("Putin", NAME, False)]),
        ("x" * 500 + ". Tell Putin", [("Putin", NAME, False)]),
        ("x" * 500 + " Tell Putin", [("Tell Putin", PERSON, False)]),
        ("x" * 500 + " in the Kremlin", [("Kremlin", PLACE, True)]),
        ("within the Kremlin", [("Kremlin", NAME, False)]),
        ("x" * 500 + " within Moscow on Monday", [("Moscow", PLACE, False), ("Monday", DATE, False)]),
    ],
)
def test_cues_are_read_right_before_a_name_however_long_the_text(text: str, expected: list[tuple[str, str, bool]]) -> None:
    assert [(m.text, m.kind, m.cued) for m in find_mentions(text)] == expected


def test_a_long_text_takes_time_in_proportion() -> None:
    # Each name searched the whole text before it (and every date): 200,000 characters took minutes.
    sentence = "Alexander Darchiev met Sergei Lavrov in Moscow on Monday, 3 June 2025. "
    text = sentence * (200_000 // len(sentence))
    started = time.perf_counter()
    mentions = find_mentions(text)
    assert time.perf_counter() - started < 5.0
    assert len(mentions) == 5 * text.count(sentence)
