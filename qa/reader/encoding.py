"""Question + window pairs as model inputs, and gold spans as token labels.

Shared by training and reading so both cut questions, truncate windows and
map characters to word pieces the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from newsdesk.qa.reader.config import ReaderConfig
from newsdesk.qa.reader.spans import SpanScore, best_spans

__all__ = ["EncodedBatch", "encode_pairs", "question_tail", "read_in_batches", "token_labels"]


@dataclass
class EncodedBatch:
    """Padded inputs and, per row, each token's character span in its window (``-1`` outside the window)."""

    input_ids: np.ndarray
    token_type_ids: np.ndarray
    attention_mask: np.ndarray
    char_starts: np.ndarray
    char_ends: np.ndarray


def question_tail(question: str, tokenizer: Any, limit: int) -> str:
    """The question cut to its last ``limit`` word pieces (news quizzes ask at the end)."""
    encoded = tokenizer(question, add_special_tokens=False, return_offsets_mapping=True)
    offsets = encoded["offset_mapping"]
    if len(offsets) <= limit:
        return question
    return question[offsets[-limit][0] :]


def encode_pairs(questions: Sequence[str], windows: Sequence[str], tokenizer: Any, config: ReaderConfig) -> EncodedBatch:
    """Tokenise ``(question, window)`` pairs, windows truncated to fit ``config.max_tokens``."""
    cut = [question_tail(q, tokenizer, config.question_tokens) for q in questions]
    encoded = tokenizer(
        list(cut),
        list(windows),
        truncation="only_second",
        max_length=config.max_tokens,
        padding=True,
        return_offsets_mapping=True,
        return_tensors="np",
    )
    offsets = encoded["offset_mapping"]
    starts = np.full(offsets.shape[:2], -1, dtype=np.int64)
    ends = np.full(offsets.shape[:2], -1, dtype=np.int64)
    for row in range(len(windows)):
        in_window = np.array([s == 1 for s in encoded.sequence_ids(row)], dtype=bool)
        starts[row, in_window] = offsets[row, in_window, 0]
        ends[row, in_window] = offsets[row, in_window, 1]
    return EncodedBatch(
        encoded["input_ids"].astype(np.int64),
        encoded["token_type_ids"].astype(np.int64),
        encoded["attention_mask"].astype(np.int64),
        starts,
        ends,
    )


def token_labels(batch: EncodedBatch, answers: Sequence[tuple[int, int] | None]) -> tuple[np.ndarray, np.ndarray]:
    """Start and end token of each gold span; position 0 ([CLS]) for "no answer here".

    A span cut off by truncation also counts as no answer: the reader cannot see it.
    """
    start_labels = np.zeros(len(answers), dtype=np.int64)
    end_labels = np.zeros(len(answers), dtype=np.int64)
    for row, answer in enumerate(answers):
        if answer is None:
            continue
        starts, ends = batch.char_starts[row], batch.char_ends[row]
        inside = np.nonzero((starts >= 0) & (ends > answer[0]) & (starts < answer[1]))[0]
        if len(inside) == 0 or ends[inside[-1]] < answer[1]:
            continue
        start_labels[row], end_labels[row] = inside[0], inside[-1]
    return start_labels, end_labels


def read_in_batches(
    question: str,
    windows: Sequence[str],
    tokenizer: Any,
    config: ReaderConfig,
    logits: Callable[[EncodedBatch], tuple[np.ndarray, np.ndarray]],
) -> list[SpanScore]:
    """The best span of every window, read ``config.batch_size`` windows at a time.

    Args:
        question: The question, paired with each window.
        windows: The window texts; spans are in their characters.
        tokenizer: The reader's tokenizer.
        config: Batch size, lengths and span decoding.
        logits: A model's start and end logits (``(rows, tokens)`` arrays) for an encoded batch.
    """
    results: list[SpanScore] = []
    size = config.batch_size
    for at in range(0, len(windows), size):
        part = list(windows[at : at + size])
        encoded = encode_pairs([question] * len(part), part, tokenizer, config)
        starts, ends = logits(encoded)
        results.extend(best_spans(
            starts, ends, encoded.char_starts, encoded.char_ends, config.max_answer_tokens, config.alternatives
        ))
    return results
