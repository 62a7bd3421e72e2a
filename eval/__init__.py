"""Evaluation of newsdesk answers: pure metrics and eval-set loading."""

from __future__ import annotations

from .metrics import (
    QuestionScore,
    aggregate,
    contains_answer,
    exact_match,
    f1_score,
    first_hit_rank,
    normalize_answer,
    percentile,
    recall_at_k,
    reciprocal_rank,
)
from .questions import (
    EvalConversation,
    EvalQuestion,
    EvalSetError,
    is_conversation_set,
    load_conversation_set,
    load_eval_set,
    load_squad_corpus,
)

__all__ = [
    "EvalConversation",
    "EvalQuestion",
    "EvalSetError",
    "QuestionScore",
    "aggregate",
    "contains_answer",
    "exact_match",
    "f1_score",
    "first_hit_rank",
    "is_conversation_set",
    "load_conversation_set",
    "load_eval_set",
    "load_squad_corpus",
    "normalize_answer",
    "percentile",
    "recall_at_k",
    "reciprocal_rank",
]
