"""Pure scoring functions for newsdesk evaluation runs.

Answer metrics follow the official SQuAD evaluation scripts: both sides are
normalised (lowercase, no punctuation, no articles, single spaces) before exact
match and token F1 are taken, best over the gold answers. Retrieval metrics work
on the 1-based rank of the first retrieved text that contains a gold answer.
Nothing here does I/O.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = frozenset(string.punctuation)


def normalize_answer(text: str) -> str:
    """Normalise text the way the SQuAD v1.1 evaluation script does.

    Args:
        text: Any answer or passage text.

    Returns:
        The text lowercased, with ASCII punctuation and the articles
        "a", "an", "the" removed, and whitespace collapsed to single spaces.
    """
    lowered = text.lower()
    no_punctuation = "".join(ch for ch in lowered if ch not in _PUNCTUATION)
    no_articles = _ARTICLES.sub(" ", no_punctuation)
    return " ".join(no_articles.split())


def exact_match(prediction: str | None, golds: Sequence[str]) -> float:
    """Score 1.0 if the normalised prediction equals some normalised gold.

    Args:
        prediction: The predicted answer, or None when the system abstained.
        golds: Acceptable gold answers; empty for an unanswerable question.

    Returns:
        1.0 or 0.0; 0.0 when the prediction is None or there are no golds.
    """
    if prediction is None:
        return 0.0
    predicted = normalize_answer(prediction)
    return max((float(predicted == normalize_answer(gold)) for gold in golds), default=0.0)


def _token_f1(prediction: str, gold: str) -> float:
    predicted_tokens = normalize_answer(prediction).split()
    gold_tokens = normalize_answer(gold).split()
    # SQuAD v2 rule: if either side normalises to nothing, only an exact
    # (empty == empty) match counts, which keeps F1 >= EM.
    if not predicted_tokens or not gold_tokens:
        return float(predicted_tokens == gold_tokens)
    common = Counter(predicted_tokens) & Counter(gold_tokens)
    overlap = sum(common.values())
    if overlap == 0:
        return 0.0
    precision = overlap / len(predicted_tokens)
    recall = overlap / len(gold_tokens)
    return 2 * precision * recall / (precision + recall)


def f1_score(prediction: str | None, golds: Sequence[str]) -> float:
    """Token-level F1 between prediction and golds, best over the golds.

    Args:
        prediction: The predicted answer, or None when the system abstained.
        golds: Acceptable gold answers; empty for an unanswerable question.

    Returns:
        F1 in [0, 1]; 0.0 when the prediction is None or there are no golds.
    """
    if prediction is None:
        return 0.0
    return max((_token_f1(prediction, gold) for gold in golds), default=0.0)


def contains_answer(text: str | None, golds: Sequence[str]) -> bool:
    """Tell whether some gold answer occurs in the text as whole tokens.

    Matching is on normalised forms padded with spaces, so "6" does not match
    inside "16". Golds that normalise to the empty string never match.

    Args:
        text: A passage, quote or answer; None never contains anything.
        golds: Acceptable gold answers.

    Returns:
        True if at least one gold occurs in the text.
    """
    if text is None:
        return False
    haystack = f" {normalize_answer(text)} "
    for gold in golds:
        needle = normalize_answer(gold)
        if needle and f" {needle} " in haystack:
            return True
    return False


def first_hit_rank(texts: Sequence[str], golds: Sequence[str]) -> int | None:
    """Find the 1-based rank of the first text that contains a gold answer.

    Args:
        texts: Retrieved texts, best first.
        golds: Acceptable gold answers.

    Returns:
        The rank, or None if no text contains a gold answer.
    """
    for rank, text in enumerate(texts, start=1):
        if contains_answer(text, golds):
            return rank
    return None


def recall_at_k(rank: int | None, k: int) -> float:
    """Score 1.0 if the first hit is within the top ``k``, else 0.0."""
    return 1.0 if rank is not None and rank <= k else 0.0


def reciprocal_rank(rank: int | None) -> float:
    """Score ``1 / rank`` for a hit, 0.0 for no hit."""
    return 1.0 / rank if rank is not None else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """Compute the q-th percentile with linear interpolation (numpy's default).

    Args:
        values: The sample, in any order.
        q: Percentile in [0, 100].

    Returns:
        The percentile, or 0.0 for an empty sample.

    Raises:
        ValueError: If ``q`` is outside [0, 100].
    """
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be in [0, 100], got {q}")
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


@dataclass(frozen=True)
class QuestionScore:
    """Everything measured about the system's reply to one question."""

    answerable: bool
    abstained: bool
    answer_hit: bool
    exact_match: float
    f1: float
    hit_rank: int | None
    quotes_verbatim: int
    quotes_total: int
    latency_ms: float


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def aggregate(
    scores: Sequence[QuestionScore], ks: Sequence[int] = range(1, 21)
) -> dict[str, float]:
    """Summarise per-question scores into one flat report.

    ``answer_hit``, ``exact_match``, ``f1``, ``mrr`` and ``quote_recall@K`` are
    means over answerable questions only. Abstention precision is the share of
    abstentions that were on unanswerable questions; abstention recall is the
    share of unanswerable questions abstained on. Every ratio whose denominator
    is zero (no answerable questions, no abstentions, ...) is reported as 0.0,
    except ``quotes_verbatim``, which is 1.0 when no quotes were given. Counts are
    ints; nothing is rounded.

    Args:
        scores: One score per evaluated question.
        ks: Cut-offs for ``quote_recall@K``.

    Returns:
        Metric name to value.
    """
    answerable = [score for score in scores if score.answerable]
    unanswerable_count = len(scores) - len(answerable)
    abstained = sum(score.abstained for score in scores)
    abstained_unanswerable = sum(score.abstained and not score.answerable for score in scores)
    quotes_total = sum(score.quotes_total for score in scores)
    latencies = [score.latency_ms for score in scores]

    report: dict[str, float] = {
        "questions": len(scores),
        "answerable": len(answerable),
        "unanswerable": unanswerable_count,
        "answer_hit": _mean([float(score.answer_hit) for score in answerable]),
        "exact_match": _mean([score.exact_match for score in answerable]),
        "f1": _mean([score.f1 for score in answerable]),
        "mrr": _mean([reciprocal_rank(score.hit_rank) for score in answerable]),
    }
    for k in ks:
        hits = [recall_at_k(score.hit_rank, k) for score in answerable]
        report[f"quote_recall@{k}"] = _mean(hits)
    report["abstain_rate_answerable"] = _mean([float(score.abstained) for score in answerable])
    report["abstain_precision"] = _ratio(abstained_unanswerable, abstained)
    report["abstain_recall"] = _ratio(abstained_unanswerable, unanswerable_count)
    report["quotes_verbatim"] = (
        sum(score.quotes_verbatim for score in scores) / quotes_total if quotes_total else 1.0
    )
    report["latency_ms_p50"] = percentile(latencies, 50)
    report["latency_ms_p95"] = percentile(latencies, 95)
    report["latency_ms_mean"] = _mean(latencies)
    return report
