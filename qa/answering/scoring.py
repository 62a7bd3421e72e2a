"""Choosing the answer sentence, its short answer and the supporting quotes.

Every sentence of the top retrieved passages gets an explainable score, a
weighted sum of:

- ``similarity``: cosine of question and sentence embeddings (stored at ingest);
- ``context``: cosine of question and the passage around the sentence;
- ``overlap``: the share of the question's meaningful words that the
  sentence contains, each weighted by how rare it is in the index (idf);
- ``rank``: how well the passage ranked in hybrid retrieval;
- ``type_fit``: whether the sentence holds a span of the kind asked for (a
  date for "when", a number for "how many", a name for "who");
- ``recency``: closeness of the article's date to the time the question is
  about, when it is about a time.

The best sentence is the answer. Confidence comes from the same evidence; below
a threshold the pipeline abstains and still returns the closest quotes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from newsdesk.qa.answering.config import AnsweringConfig
from newsdesk.qa.answering.short_answer import AnswerType, answer_type, pick_short_answer
from newsdesk.qa.embedding import pool_mean
from newsdesk.qa.retrieval.fusion import Candidate
from newsdesk.qa.retrieval.timeframe import TimeWindow
from newsdesk.qa.text import STOPWORDS, content_terms, stem, tokens
from newsdesk.qa.types import Answer, Passage, Quote, ShortAnswer, StoredPassage

__all__ = [
    "NO_ANSWER_MESSAGE",
    "AnsweringConfig",
    "ScoredSentence",
    "answer_from_passages",
    "collapse_duplicates",
    "score_sentences",
    "sentence_confidence",
    "term_weights",
]

NO_ANSWER_MESSAGE = "No supported answer in the indexed articles."

SentenceLookup = Callable[[Passage], list[tuple[int, int, np.ndarray]]]


@dataclass(frozen=True)
class ScoredSentence:
    """A candidate sentence, where it is, and why it scored as it did."""

    source: StoredPassage
    start: int  # offsets into the article text
    end: int
    text: str
    similarity: float
    context: float
    overlap: float
    passage_rank: int
    type_fit: float
    recency: float
    score: float


def term_weights(question: str, document_frequency: Mapping[str, int], passages: int) -> dict[str, float]:
    """Question terms weighted by inverse document frequency (BM25's idf).

    A word most passages share ("talks", "said") says little about which
    sentence answers; a rare one ("headed", a name) says a lot. Words the index
    has never seen get the highest weight.

    Args:
        question: The question.
        document_frequency: Passages containing each raw question token.
        passages: Passages in the index.
    """
    weights: dict[str, float] = {}
    for token in tokens(question):
        if token in STOPWORDS or (len(token) == 1 and not token.isdigit()):
            continue
        # Counts read while articles are being added can run ahead of the passage total.
        df = min(document_frequency.get(token, 0), passages)
        idf = math.log(1.0 + (passages - df + 0.5) / (df + 0.5))
        term = stem(token)
        weights[term] = max(weights.get(term, 0.0), idf)
    return weights


def _overlap(weights: Mapping[str, float], sentence: str) -> float:
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    present = set(content_terms(sentence))
    return sum(w for t, w in weights.items() if t in present) / total


def _recency(published: str | None, window: TimeWindow | None, scale_days: float) -> float:
    if window is None or not published:
        return 0.0
    try:
        day = date.fromisoformat(published)
    except ValueError:
        return 0.0
    return math.exp(-window.distance_days(day) / scale_days)


def score_sentences(
    question: str,
    question_vector: np.ndarray,
    ranked: Sequence[tuple[Candidate, StoredPassage]],
    sentences_of: SentenceLookup,
    config: AnsweringConfig,
    window: TimeWindow | None = None,
    weights: Mapping[str, float] | None = None,
) -> list[ScoredSentence]:
    """Score the sentences of the top passages, best first, each sentence once.

    ``weights`` are the question terms' importance (see :func:`term_weights`);
    without them every meaningful word counts the same.
    """
    weights = weights if weights is not None else {t: 1.0 for t in content_terms(question)}
    expected = answer_type(question, config.short_answer)
    seen: set[tuple[str, int]] = set()
    scored = []
    for rank, (_, stored) in enumerate(ranked[: config.passages_considered], start=1):
        passage = stored.passage
        rows = sentences_of(passage)
        if not rows:
            continue
        vectors = np.vstack([v for _, _, v in rows])
        similarities = vectors @ question_vector
        context = float(pool_mean(vectors) @ question_vector)
        recency = _recency(stored.published, window, config.recency_days)
        for (start, end, _), similarity in zip(rows, similarities):
            if (passage.article_id, start) in seen:
                continue
            seen.add((passage.article_id, start))
            text = passage.text[start - passage.start : end - passage.start]
            overlap = _overlap(weights, text)
            score = (
                config.similarity_weight * float(similarity)
                + config.context_weight * context
                + config.overlap_weight * overlap
                + config.rank_weight / math.sqrt(rank)
                + config.recency_weight * recency
            )
            scored.append(
                ScoredSentence(stored, start, end, text, float(similarity), context, overlap, rank, 0.0, recency, score)
            )
    scored.sort(key=lambda s: -s.score)
    if expected == AnswerType.OTHER:
        return scored
    # Looking for a span of the asked-for type costs more, so only the leading sentences get it.
    head = [_with_type_fit(s, question, config) for s in scored[: config.type_checked]]
    head.sort(key=lambda s: -s.score)
    return head + scored[config.type_checked :]


def _with_type_fit(sentence: ScoredSentence, question: str, config: AnsweringConfig) -> ScoredSentence:
    picked = pick_short_answer(question, sentence.text, config.short_answer)
    fit = picked.fit if picked else 0.0
    return replace(sentence, type_fit=fit, score=sentence.score + config.type_weight * fit)


def sentence_confidence(best: ScoredSentence, config: AnsweringConfig) -> float:
    """How likely the best sentence answers the question, 0..1 (a fitted logistic)."""
    logit = config.confidence_similarity * best.similarity + config.confidence_context * best.context + config.confidence_bias
    return float(1.0 / (1.0 + math.exp(-logit)))


def _quote(sentence: ScoredSentence) -> Quote:
    stored = sentence.source
    return Quote(
        text=sentence.text,
        article_id=stored.passage.article_id,
        title=stored.title,
        url=stored.url,
        published=stored.published,
        source=stored.source,
        start=sentence.start,
        end=sentence.end,
        score=round(sentence.score, 4),
    )


def collapse_duplicates(
    sentences: Sequence[ScoredSentence], limit: int, config: AnsweringConfig = AnsweringConfig()
) -> list[Quote]:
    """Keep the best of sentences that say the same thing; name the others as also reporting it.

    Args:
        sentences: Scored sentences, best first.
        limit: Quotes to keep.
        config: What counts as the same thing, and how far down the ranking to look.
    """
    kept: list[tuple[set[str], Quote]] = []
    share = config.same_quote_share
    # Copies of the kept quotes rank close to them; looking further only costs time.
    for sentence in sentences[: max(config.quotes_scanned_per_quote * limit, config.min_quotes_scanned)]:
        words = set(tokens(sentence.text))
        duplicate_of = next(
            (i for i, (other, _) in enumerate(kept) if len(words & other) >= share * max(len(words), len(other), 1)), None
        )
        if duplicate_of is None:
            if len(kept) < limit:
                kept.append((words, _quote(sentence)))
            continue
        other_words, quote = kept[duplicate_of]
        reporter = sentence.source.source or sentence.source.title
        if sentence.source.passage.article_id != quote.article_id and reporter not in quote.also_reported_by:
            kept[duplicate_of] = (other_words, replace(quote, also_reported_by=quote.also_reported_by + (reporter,)))
    return [quote for _, quote in kept]


def _short_answer(question: str, best: ScoredSentence, config: AnsweringConfig) -> ShortAnswer | None:
    if answer_type(question, config.short_answer) == AnswerType.OTHER:
        return None
    picked = pick_short_answer(question, best.text, config.short_answer)
    if picked is None:
        return None
    span = picked.span
    return ShortAnswer(
        text=best.text[span.start : span.end],
        article_id=best.source.passage.article_id,
        start=best.start + span.start,
        end=best.start + span.end,
    )


def answer_from_passages(
    question: str,
    question_vector: np.ndarray,
    ranked: Sequence[tuple[Candidate, StoredPassage]],
    sentences_of: SentenceLookup,
    top_k: int,
    config: AnsweringConfig,
    window: TimeWindow | None = None,
    weights: Mapping[str, float] | None = None,
) -> Answer:
    """Choose the answer sentence, its short answer and up to ``top_k`` verbatim quotes.

    Args:
        question: The question as asked.
        question_vector: Its normalised embedding.
        ranked: Retrieved passages, best first.
        sentences_of: The stored ``(start, end, vector)`` of a passage's sentences.
        top_k: Quotes to return.
        config: Scoring weights and the abstention threshold.
        window: The publication dates the question is about, if any.
        weights: Question term weights (see :func:`term_weights`).

    Returns:
        An answer, or an abstention (``answer`` None) that still carries the closest quotes.
    """
    scored = score_sentences(question, question_vector, ranked, sentences_of, config, window, weights)
    if not scored:
        return Answer(question, None, 0.0, (), message=NO_ANSWER_MESSAGE, answer_kind="none")
    quotes = tuple(collapse_duplicates(scored, top_k, config))
    best = scored[0]
    confidence = round(sentence_confidence(best, config), 4)
    if confidence < config.abstain_below:
        return Answer(question, None, confidence, quotes, message=NO_ANSWER_MESSAGE, answer_kind="none")
    return Answer(question, best.text, confidence, quotes, short_answer=_short_answer(question, best, config))
