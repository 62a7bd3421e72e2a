from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.qa.ingest.sentences import split_sentences


def sentences_of(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def assert_span_invariants(text: str, spans: list[tuple[int, int]]) -> None:
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        assert text[start:end] == text[start:end].strip()
        previous_end = end


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One sentence.", ["One sentence."]),
        # A short quoted title stays inside its sentence; a long quotation is split as usual.
        (
            "Ushakov told the programme “Moscow. Kremlin. Putin,” which aired on Sunday. Talks go on.",
            ["Ushakov told the programme “Moscow. Kremlin. Putin,” which aired on Sunday.", "Talks go on."],
        ),
        ('They watched "Moscow. Kremlin. Putin." on Sunday. Then left.', ['They watched "Moscow. Kremlin. Putin." on Sunday.', "Then left."]),
        (
            "“There was an agreement to meet at a specific location. For certain reasons, that location didn’t suit us,” he said.",
            ["“There was an agreement to meet at a specific location.", "For certain reasons, that location didn’t suit us,” he said."],
        ),
        ("No final stop", ["No final stop"]),
        ("First one. Second one.", ["First one.", "Second one."]),
        ("  Padded.   Also padded.  ", ["Padded.", "Also padded."]),
        # Abbreviations do not end sentences.
        ("Mr. Smith went to Washington. He left.", ["Mr. Smith went to Washington.", "He left."]),
        ("Mrs. Jones and Dr. Lee met Gov. Hochul.", ["Mrs. Jones and Dr. Lee met Gov. Hochul."]),
        ("The U.S. Senate voted. It passed.", ["The U.S. Senate voted.", "It passed."]),
        ("The U.K. and the E.U. agreed. Talks end.", ["The U.K. and the E.U. agreed.", "Talks end."]),
        ("Talks began on Jan. 5 in Geneva. They ended.", ["Talks began on Jan. 5 in Geneva.", "They ended."]),
        ("Sen. Warren spoke at 9 a.m. Tuesday.", ["Sen. Warren spoke at 9 a.m. Tuesday."]),
        ("He lives at No. 10 Downing Street. Next.", ["He lives at No. 10 Downing Street.", "Next."]),
        # "no" is only an abbreviation before a number.
        ("He said no. Then he left.", ["He said no.", "Then he left."]),
        # Initials.
        ("J. K. Rowling wrote it. Fans cheered.", ["J. K. Rowling wrote it.", "Fans cheered."]),
        ("George W. Bush spoke. Then Obama.", ["George W. Bush spoke.", "Then Obama."]),
        # Closing quotes stay with the sentence they end.
        ("“It is over,” he said.” Next one.", ["“It is over,” he said.”", "Next one."]),
        ("“We will win.” The crowd cheered.", ["“We will win.”", "The crowd cheered."]),
        ('He said "stop." Then he left.', ['He said "stop."', "Then he left."]),
        ("He left (for good.) Then rain.", ["He left (for good.)", "Then rain."]),
        # Opening quotes can start the next sentence.
        ("It ended. “Never again,” she said.", ["It ended.", "“Never again,” she said."]),
        # Question and exclamation marks.
        ("Is it over? Yes! It is.", ["Is it over?", "Yes!", "It is."]),
        ("Really?! No way.", ["Really?!", "No way."]),
        ("Who’s talking to them?” Rubio said.", ["Who’s talking to them?”", "Rubio said."]),
        # Decimals, numbers and lower-case continuations do not split.
        ("Growth was 3.5 percent. Prices rose.", ["Growth was 3.5 percent.", "Prices rose."]),
        ("It cost $1.2 billion in 2024. Nobody paid.", ["It cost $1.2 billion in 2024.", "Nobody paid."]),
        ("The site example.com is down. Others work.", ["The site example.com is down.", "Others work."]),
        ("Wait... and then it stopped.", ["Wait... and then it stopped."]),
        ("He scored. 2025 was his year.", ["He scored.", "2025 was his year."]),
        # Paragraph breaks always split, even without a full stop.
        ("Headline without stop\n\nBody starts here.", ["Headline without stop", "Body starts here."]),
        ("line one\nline two", ["line one", "line two"]),
        ("Mr.\n\nSmith", ["Mr.", "Smith"]),
        ("A\n\n\n   \n\nB", ["A", "B"]),
        # Nothing to split.
        ("", []),
        ("   ", []),
        ("\n\n\n", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == expected
    assert_span_invariants(text, spans)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ab. Cd.", [(0, 3), (4, 7)]),
        ("  Ab.\n\nCd.  ", [(2, 5), (7, 10)]),
        ("Ab? “Cd.”", [(0, 3), (4, 9)]),
    ],
)
def test_split_sentences_offsets(text: str, expected: list[tuple[int, int]]) -> None:
    assert split_sentences(text) == expected


_PIECES = st.sampled_from(
    [
        ". ", "? ", "! ", ".” ", "\n", "\n\n", " ", "\t", "\r\n", "\u00a0", "\u2028", "\x0b", "\x1c", "\x85",
        "Mr. ", "U.S. ", "J. ", "3.5 ", "“", "”", "(", ")", "The", "word", "A",
        "😀", "שלום", "مرحبا", "\u200f",
    ]
)
_TEXT = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8")),
    st.lists(_PIECES | st.text(max_size=3)).map("".join),
    st.text(alphabet="\n \r\t"),
)


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_split_sentences_invariants_on_any_text(text: str) -> None:
    spans = split_sentences(text)
    assert_span_invariants(text, spans)
    covered = set()
    for start, end in spans:
        covered.update(range(start, end))
    uncovered = [i for i, ch in enumerate(text) if not ch.isspace() and i not in covered]
    assert uncovered == []
