from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsdesk.qa.ingest.cleaning import BLANK_TEXT, clean_text, clean_title
from newsdesk.qa.ingest.parsing import parse_file
from newsdesk.qa.ingest.sentences import split_sentences

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_b5eae39174161514.txt"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Share-button residue, as in the seed file, at the top, in between and at the end.
        (
            "icon-facebook icon-twitter icon-whatsapp\n\nMOSCOW: The Kremlin spoke.",
            "MOSCOW: The Kremlin spoke.",
        ),
        (
            "First paragraph.\n\nicon-facebook icon-twitter icon-whatsapp\n\nSecond paragraph.",
            "First paragraph.\n\nSecond paragraph.",
        ),
        ("Last paragraph.\n\n\u00a0\n\nicon-facebook icon-twitter icon-whatsapp", "Last paragraph."),
        ("Body.\nicon-facebook icon-twitter icon-whatsapp\nMore body.", "Body. More body."),
        ("Advertisement\n\nBody text.\n\nShare this article\n\nRead more:", "Body text."),
        ("Skip to main content\nSign up for our daily politics newsletter today\nBody.", "Body."),
        # Repeated spaces, tabs and non-breaking spaces collapse to one space.
        ("Yuri Ushakov\u00a0told  reporter\t\tPavel", "Yuri Ushakov told reporter Pavel"),
        ("a \u00a0 \t b\u2009c\u3000d", "a b c d"),
        ("   leading and trailing   ", "leading and trailing"),
        # CRLF and lone CR are line breaks.
        ("One line.\r\nSame paragraph.\r\n\r\nNew paragraph.", "One line. Same paragraph.\n\nNew paragraph."),
        ("Old Mac.\r\rNext.", "Old Mac.\n\nNext."),
        # Paragraphs are separated by exactly one blank line, however many there were.
        ("P1.\n\n\n\n\nP2.", "P1.\n\nP2."),
        ("P1.\n \t \n\u00a0\nP2.", "P1.\n\nP2."),
        ("\n\n\nP1.\n\nP2.\n\n\n", "P1.\n\nP2."),
        # Lines within a paragraph are joined by one space.
        ("wrapped line one\n   wrapped line two\nthree", "wrapped line one wrapped line two three"),
        ("Para\u2029Next", "Para\n\nNext"),
        # Control characters are dropped; tab and newline are whitespace, not controls.
        ("Bell\x07 and\x00 null\x1b.", "Bell and null."),
        ("zero\u200bwidth\ufeff", "zerowidth"),
        ("C1\x85\x9f controls", "C1 controls"),
        # Words, punctuation and case are never altered.
        ("“Don’t,” said O’Neil — 3.5% of U.S. GDP!", "“Don’t,” said O’Neil — 3.5% of U.S. GDP!"),
        ("Advertisement rules changed. Share prices fell.", "Advertisement rules changed. Share prices fell."),
        ("icon-facebook is a CSS class name.", "icon-facebook is a CSS class name."),
        # Nothing but boilerplate or whitespace leaves nothing.
        ("icon-facebook icon-twitter icon-whatsapp", ""),
        ("\n\nicon-facebook icon-twitter\n\nAdvertisement\n\u00a0\n", ""),
        ("", ""),
        (" \t\r\n\u00a0", ""),
    ],
)
def test_clean_text(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_clean_text_is_idempotent_on_its_output() -> None:
    once = clean_text(parse_file(SEED)[0].text)
    assert clean_text(once) == once


def test_clean_text_composes_decomposed_accents() -> None:
    # NFC, so "é" typed as e + combining accent matches the precomposed form in quotes.
    assert clean_text("Caf\u0065\u0301") == "Caf\u00e9"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Russia Says US Not Ready", "Russia Says US Not Ready"),
        ("  Two\nline   title\t", "Two line title"),
        ("Non\u00a0breaking\u00a0\u00a0title", "Non breaking title"),
        ("Control\x07 char\u200b", "Control char"),
        ("\r\n", ""),
    ],
)
def test_clean_title(raw: str, expected: str) -> None:
    assert clean_title(raw) == expected


def test_seed_file_cleaning() -> None:
    raw_body = parse_file(SEED)[0].text
    cleaned = clean_text(raw_body)

    assert "icon-" not in cleaned
    assert "\u00a0" not in cleaned
    assert "\n\n\n" not in cleaned
    paragraphs = cleaned.split("\n\n")
    assert all(p == p.strip() and p and "\n" not in p for p in paragraphs)
    assert paragraphs[0].startswith("MOSCOW: The Kremlin on Wednesday said")
    assert paragraphs[-1].endswith("“in (his) brain.”")

    first_paragraph = next(p for p in raw_body.split("\n\n") if p.strip() and "icon-" not in p).strip()
    sentences = [first_paragraph[s:e] for s, e in split_sentences(first_paragraph)]
    assert sentences == [
        "MOSCOW: The Kremlin on Wednesday said Washington was not yet ready to remove barriers to the work of "
        "their respective embassies, as efforts to normalise relations between the two countries stall."
    ]
    for sentence in sentences:
        assert sentence in cleaned
    # Every sentence without odd spacing in the raw text survives verbatim.
    for paragraph in raw_body.split("\n\n"):
        for s, e in split_sentences(paragraph):
            sentence = paragraph[s:e]
            if "\u00a0" not in sentence and "icon-" not in sentence:
                assert sentence in cleaned


def test_blank_text_matches_exactly_what_cleans_to_nothing() -> None:
    # The HTTP schema refuses titles and texts matching BLANK_TEXT; the pipeline refuses those that clean
    # to nothing. Character by character over the Basic Multilingual Plane, the two must agree.
    blank = re.compile(BLANK_TEXT)
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:  # lone surrogates are not text
            continue
        character = chr(code)
        assert bool(blank.fullmatch(character)) == (clean_text(character) == "" == clean_title(character)), hex(code)
    assert blank.fullmatch("\x00 \u200b\n\t\ufeff\u3000")
    assert not blank.fullmatch("\x00a\u200b")
