"""Choosing the answer sentence and its supporting quotes among retrieved passages.

Every candidate sentence of the top passages gets an explainable score: its
embedding similarity to the question, how many of the question's meaningful
words it contains, and how well its passage ranked. The best sentence is the
answer; when even it is weak, the pipeline abstains and still shows the
closest quotes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from index.store import StoredPassage
from qa.retrieval import Candidate
from qa.sentences import split_sentences
from qa.text import content_terms, tokens
from qa.types import Answer, Quote

__all__ = ["NO_ANSWER_MESSAGE", "AnsweringConfig", "ScoredSentence", "answer_from_passages", "score_sentences"]

NO_ANSWER_MESSAGE = "No supported answer in the indexed articles."


@dataclass(frozen=True)
class AnsweringConfig:
    """Weights and thresholds of sentence scoring.

    Attributes:
        passages_considered: Top fused passages whose sentences are scored.
        similarity_weight: Weight of question-sentence cosine similarity.
        overlap_weight: Weight of the share of question terms found in the sentence.
        passage_weight: Weight of the passage's fused retrieval rank.
        abstain_below: Confidence under which no answer is given.
    """

    passages_considered: int = 12
    similarity_weight: float = 1.0
    overlap_weight: float = 0.6
    passage_weight: float = 0.3
    abstain_below: float = 0.35


@dataclass(frozen=True)
class ScoredSentence:
    """A candidate sentence, where it is, and why it scored as it did."""

    source: StoredPassage
    start: int  # offsets into the article text
    end: int
    text: str
    similarity: float
    overlap: float
    passage_rank: int
    score: float


def _term_weights(question: str) -> dict[str, float]:
    """Question terms with weights: names and numbers matter more than common words."""
    weights: dict[str, float] = {}
    raw_tokens = [t for t in question.replace("?", " ").split() if t]
    proper = {content_terms(t)[0] for t in raw_tokens[1:] if t[:1].isupper() and content_terms(t)}
    for term in content_terms(question):
        weights[term] = 2.0 if term in proper or term.isdigit() else 1.0
    return weights


def _overlap(weights: dict[str, float], sentence: str) -> float:
    if not weights:
        return 0.0
    present = set(content_terms(sentence))
    return sum(w for t, w in weights.items() if t in present) / sum(weights.values())


def score_sentences(
    question: str,
    question_vector: np.ndarray,
    ranked: Sequence[tuple[Candidate, StoredPassage]],
    embed: Callable[[list[str]], np.ndarray],
    config: AnsweringConfig,
) -> list[ScoredSentence]:
    """Score the sentences of the top passages, best first, each sentence once."""
    seen: set[tuple[str, int]] = set()
    spans: list[tuple[StoredPassage, int, int, int]] = []
    for rank, (_, stored) in enumerate(ranked[: config.passages_considered], start=1):
        passage = stored.passage
        for start, end in split_sentences(passage.text):
            key = (passage.article_id, passage.start + start)
            if key not in seen:
                seen.add(key)
                spans.append((stored, passage.start + start, passage.start + end, rank))
    if not spans:
        return []
    texts = [s.passage.text[a - s.passage.start : b - s.passage.start] for s, a, b, _ in spans]
    similarities = embed(texts) @ question_vector
    weights = _term_weights(question)
    scored = []
    for (stored, start, end, rank), text, similarity in zip(spans, texts, similarities):
        overlap = _overlap(weights, text)
        score = (
            config.similarity_weight * float(similarity)
            + config.overlap_weight * overlap
            + config.passage_weight / math.sqrt(rank)
        )
        scored.append(ScoredSentence(stored, start, end, text, float(similarity), overlap, rank, score))
    scored.sort(key=lambda s: -s.score)
    return scored


def _confidence(best: ScoredSentence) -> float:
    """Map the best sentence's evidence to 0..1: similarity and term coverage must both be there."""
    evidence = 0.6 * best.similarity + 0.4 * best.overlap
    return float(1.0 / (1.0 + math.exp(-12.0 * (evidence - 0.38))))


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


def _collapse_duplicates(sentences: Sequence[ScoredSentence], limit: int) -> list[Quote]:
    """Keep the best of sentences that say the same thing; name the others as also reporting it."""
    kept: list[tuple[set[str], Quote]] = []
    for sentence in sentences:
        words = set(tokens(sentence.text))
        duplicate_of = next(
            (i for i, (other, _) in enumerate(kept) if len(words & other) >= 0.8 * max(len(words), len(other), 1)), None
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


def answer_from_passages(
    question: str,
    question_vector: np.ndarray,
    ranked: Sequence[tuple[Candidate, StoredPassage]],
    embed: Callable[[list[str]], np.ndarray],
    top_k: int,
    config: AnsweringConfig,
) -> Answer:
    """Choose the answer sentence and up to ``top_k`` verbatim quotes.

    Args:
        question: The question as asked.
        question_vector: Its normalised embedding.
        ranked: Retrieved passages, best first, with their fused scores.
        embed: Embeds candidate sentences (normalised rows).
        top_k: Quotes to return.
        config: Scoring weights and the abstention threshold.

    Returns:
        An answer, or an abstention (``answer`` None) that still carries the closest quotes.
    """
    scored = score_sentences(question, question_vector, ranked, embed, config)
    if not scored:
        return Answer(question, None, 0.0, (), message=NO_ANSWER_MESSAGE)
    quotes = tuple(_collapse_duplicates(scored, top_k))
    confidence = round(_confidence(scored[0]), 4)
    if confidence < config.abstain_below:
        return Answer(question, None, confidence, quotes, message=NO_ANSWER_MESSAGE)
    return Answer(question, scored[0].text, confidence, quotes)
