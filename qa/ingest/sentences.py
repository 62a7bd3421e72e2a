"""Rule-based sentence segmentation that reports character offsets.

No tokenizer model is available offline, and news prose is regular enough
for rules: a sentence ends at ., ! or ? (plus closing quotes or brackets)
followed by space and a capital, digit or opening quote, unless the word
before the stop is a known abbreviation or a single initial, or the stop
lies inside a short quoted title ("Moscow. Kremlin. Putin," the programme's
name). A paragraph break always ends a sentence.
"""

from __future__ import annotations

import re

__all__ = ["split_sentences"]

_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st mt gen col lt sgt capt cmdr adm gov sen rep rev
    fr hon pres supt det insp vs etc inc ltd co corp bros dept est approx
    jan feb mar apr jun jul aug sep sept oct nov dec
    u.s u.k u.n e.u u.s.a d.c p.m a.m i.e e.g
    """.split()
)
_NUMBER_ABBREVIATIONS = frozenset({"no", "nos"})
_BOUNDARY = re.compile(r"""[.!?]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9À-ÖØ-Þ])""")
_PARAGRAPH = re.compile(r"\n\s*\n|\n")
_DIGIT_NEXT = re.compile(r"\s*\d")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?]*[\"'”’)\]]*$")
# A quoted title is short; a longer quotation holds real sentences and is split as usual.
_TITLE_CHARS = 60


def _is_abbreviation(text: str, stop: int) -> bool:
    """True if the full stop ending at ``stop`` belongs to an abbreviation."""
    if text[stop - 1] != "." and not text[:stop].rstrip("\"'”’)]").endswith("."):
        return False
    match = _WORD_BEFORE.search(text, max(0, stop - 20), stop)
    if not match:
        return False
    word = match.group(1).rstrip(".").lower()
    if word in _NUMBER_ABBREVIATIONS:
        # "No. 10" abbreviates "number"; "voted no. Then" ends a sentence.
        return _DIGIT_NEXT.match(text, stop) is not None
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _inside_short_quote(text: str, sentence_start: int, stop: int, end: int) -> bool:
    """True if ``stop`` falls inside a quotation of at most ``_TITLE_CHARS`` characters."""
    curly_open = text.rfind("“", sentence_start, stop)
    if curly_open >= 0 and text.rfind("”", curly_open, stop) < 0:
        close = text.find("”", stop, min(end, curly_open + _TITLE_CHARS + 2))
        return close >= 0
    straight_open = text.rfind('"', sentence_start, stop)
    if straight_open >= 0 and text.count('"', sentence_start, stop) % 2 == 1:
        close = text.find('"', stop, min(end, straight_open + _TITLE_CHARS + 2))
        return close >= 0
    return False


def _split_paragraph(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    sentence_start = start
    for match in _BOUNDARY.finditer(text, start, end):
        stop = match.end()
        if _is_abbreviation(text, stop) or _inside_short_quote(text, sentence_start, stop, end):
            continue
        spans.append((sentence_start, stop))
        sentence_start = stop
    spans.append((sentence_start, end))
    return spans


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` offsets of the sentences of ``text``.

    Each span is trimmed of surrounding whitespace and non-empty, spans are in
    order and do not overlap, so ``text[start:end]`` is a verbatim sentence.

    Args:
        text: Cleaned article text.

    Returns:
        The sentence spans, in order.
    """
    spans: list[tuple[int, int]] = []
    paragraph_start = 0
    for match in _PARAGRAPH.finditer(text):
        spans.extend(_split_paragraph(text, paragraph_start, match.start()))
        paragraph_start = match.end()
    spans.extend(_split_paragraph(text, paragraph_start, len(text)))
    trimmed: list[tuple[int, int]] = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            trimmed.append((start, end))
    return trimmed
