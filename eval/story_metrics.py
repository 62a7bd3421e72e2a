"""Pure metrics of the story eval: latest values, disagreeing values, timeline order and citations.

Values compare after normalisation (:func:`newsdesk.qa.story.values.parse_value`): "27",
"27 dead" and "twenty-seven" are one value, "Humphries" matches "Luke Humphries".
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from newsdesk.qa.story.values import parse_value
from newsdesk.qa.text import content_terms

from .metrics import normalize_answer

__all__ = ["cited_sentence_ok", "matched_values", "order_pairs", "same_value"]


def same_value(predicted: str | None, expected: str) -> bool:
    """Whether a predicted value is the expected one, after normalising numbers, units, dates and names."""
    if not predicted:
        return False
    wanted_value = parse_value(expected)
    if parse_value(predicted).matches(wanted_value):
        return True
    if wanted_value.kind not in ("name", "text"):
        return False  # numbers and dates compare as values only: "$45" is not "$45 a barrel"
    said, wanted = normalize_answer(predicted), normalize_answer(expected)
    return bool(wanted) and f" {wanted} " in f" {said} "


def matched_values(predicted: Sequence[str], expected: Sequence[str]) -> tuple[int, int]:
    """``(expected values found among the predicted, predicted values that are expected)``."""
    found = sum(any(same_value(p, e) for p in predicted) for e in expected)
    right = sum(any(same_value(p, e) for e in expected) for p in predicted)
    return found, right


def order_pairs(entries: Sequence[str], events: Sequence[str]) -> tuple[int, int, int]:
    """How a timeline orders the expected events: ``(events matched, pairs in order, pairs)``.

    Each event (a distinctive substring) is placed at the first entry holding it,
    case-insensitively; pairs are counted among the matched events, in the expected order.
    """
    lowered = [e.lower() for e in entries]
    positions = [next((i for i, text in enumerate(lowered) if event.lower() in text), None) for event in events]
    placed = [p for p in positions if p is not None]
    pairs = list(combinations(placed, 2))
    return len(placed), sum(a < b for a, b in pairs), len(pairs)


def cited_sentence_ok(answer: str, start: int, end: int, quote_text: str, article_text: str | None,
                      quote_start: int, quote_end: int, question: str) -> bool:
    """A cited sentence is verbatim (in the answer, its quote and its article) and shares a content word with the question."""
    if answer[start:end] != quote_text:
        return False
    if article_text is None or article_text[quote_start:quote_end] != quote_text:
        return False
    return bool(set(content_terms(quote_text)) & set(content_terms(question)))
