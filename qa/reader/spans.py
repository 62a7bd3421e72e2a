"""Decoding a reader's start/end logits into the best answer span of a window."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["SpanScore", "best_span", "best_spans", "calibrated_confidence"]


@dataclass(frozen=True)
class SpanScore:
    """The best span of one window, in window characters, against the window's "no answer" score.

    Attributes:
        start: Start offset in the window text (``-1`` when the window holds no text).
        end: End offset in the window text.
        score: Start plus end logit of the span.
        null_score: Start plus end logit of [CLS], the reader's "not here".
        alternatives: The next best spans ``(start, end, score)``, best first, for a caller that
            wants a span of another kind (a date where the best span is a place).
    """

    start: int
    end: int
    score: float
    null_score: float
    alternatives: tuple[tuple[int, int, float], ...] = ()

    @property
    def margin(self) -> float:
        """How much more the reader believes the span than "not here"."""
        return self.score - self.null_score


def best_span(
    start_logits: np.ndarray,
    end_logits: np.ndarray,
    char_starts: np.ndarray,
    char_ends: np.ndarray,
    max_tokens: int,
    alternatives: int = 0,
) -> SpanScore:
    """The highest-scoring span of window tokens, at most ``max_tokens`` long.

    Args:
        start_logits: Start logits of one row (all tokens).
        end_logits: End logits of the row.
        char_starts: Each token's start offset in the window, ``-1`` for question, special and padding tokens.
        char_ends: Each token's end offset in the window.
        max_tokens: Longest span considered.
        alternatives: How many next-best spans to keep beside the best.
    """
    null_score = float(start_logits[0] + end_logits[0])
    positions = np.nonzero(char_starts >= 0)[0]
    if len(positions) == 0:
        return SpanScore(-1, -1, float("-inf"), null_score)
    starts = start_logits[positions]
    ends = end_logits[positions]
    pairs = starts[:, None] + ends[None, :]
    i, j = np.indices(pairs.shape)
    pairs = np.where((j >= i) & (j - i < max_tokens), pairs, -np.inf)
    flat = int(np.argmax(pairs))
    first, last = divmod(flat, pairs.shape[1])
    others: list[tuple[int, int, float]] = []
    if alternatives:
        count = min(alternatives + 1, pairs.size)
        top = np.argpartition(pairs.ravel(), -count)[-count:]
        for index in top[np.argsort(-pairs.ravel()[top])]:
            i, j = divmod(int(index), pairs.shape[1])
            if (i, j) != (first, last) and np.isfinite(pairs[i, j]):
                others.append((int(char_starts[positions[i]]), int(char_ends[positions[j]]), float(pairs[i, j])))
    return SpanScore(
        int(char_starts[positions[first]]), int(char_ends[positions[last]]), float(pairs[first, last]), null_score,
        tuple(others[:alternatives]),
    )


def best_spans(
    start_logits: np.ndarray,
    end_logits: np.ndarray,
    char_starts: np.ndarray,
    char_ends: np.ndarray,
    max_tokens: int,
    alternatives: int = 0,
) -> list[SpanScore]:
    """:func:`best_span` of every row of a batch (logits and offsets shaped ``(rows, tokens)``)."""
    return [
        best_span(start_logits[row], end_logits[row], char_starts[row], char_ends[row], max_tokens, alternatives)
        for row in range(len(start_logits))
    ]


def calibrated_confidence(margin: float, calibration: dict[str, float]) -> float:
    """``sigmoid(slope * margin + bias)``: the probability that a span with this margin is right."""
    logit = calibration["slope"] * margin + calibration["bias"]
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, logit))))
