"""Answering by reading: a trained reader picks the answer span among the best candidate sentences.

Sentence scoring (:mod:`newsdesk.qa.answering.scoring`) narrows a question to a few candidate
sentences cheaply. Each is read with its neighbours (:mod:`newsdesk.qa.reader.windows`)
by the extractive reader, which scores every span of the window as the answer
and also "the answer is not here". The span with the largest margin over "not
here" is the answer: ``short_answer`` is that span, ``answer`` the sentence
that holds it, and the quotes follow the reader's evidence. Confidence is the
reader's calibrated probability that the span is right.

Windows are ranked by the reader's margin plus ``evidence_weight`` times the
candidate's sentence score: the reader judges whether a span answers, while the
sentence score carries what it cannot see, such as how close the article's date
is to the time the question is about and how well the passage ranked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np
from newsdesk.qa.answering.scoring import NO_ANSWER_MESSAGE, ScoredSentence, collapse_duplicates
from newsdesk.qa.reader.spans import SpanScore
from newsdesk.qa.reader.windows import Window, window_around
from newsdesk.qa.types import Answer, Passage, Quote, ShortAnswer

__all__ = ["Reader", "Reading", "answer_by_reading", "read_candidates"]

SentenceLookup = Callable[[Passage], list[tuple[int, int, np.ndarray]]]


class Reader(Protocol):
    """What answering needs of a reading model (see :class:`newsdesk.qa.reader.reader.ExtractiveReader`)."""

    def read(self, question: str, windows: Sequence[str]) -> list[SpanScore]: ...

    def confidence(self, margin: float) -> float: ...


@dataclass(frozen=True)
class Reading:
    """One read window: the sentence holding its best span, where the span is, and the reader's verdict."""

    sentence: ScoredSentence
    span_start: int  # article offsets
    span_end: int
    margin: float
    confidence: float
    evidence: float  # what windows are ranked by: margin plus weighted sentence score


def _window(candidate: ScoredSentence, sentences_of: SentenceLookup, neighbours: int) -> tuple[Window, list[tuple[int, int]]]:
    """The candidate's window, and its passage's sentence spans (both in article offsets)."""
    passage = candidate.source.passage
    spans = [(start, end) for start, end, _ in sentences_of(passage)] or [(candidate.start, candidate.end)]
    local = [(s - passage.start, e - passage.start) for s, e in spans]
    index = next((i for i, (s, _) in enumerate(spans) if s == candidate.start), None)
    if index is None:  # the passage changed since it was scored: read the sentence alone
        spans, index = [(candidate.start, candidate.end)], 0
        local = [(candidate.start - passage.start, candidate.end - passage.start)]
    window = window_around(passage.text, local, index, neighbours)
    shifted = Window(window.text, window.start + passage.start, window.end + passage.start, (candidate.start, candidate.end))
    return shifted, spans


def _holding_sentence(candidate: ScoredSentence, spans: list[tuple[int, int]], start: int, end: int) -> ScoredSentence:
    """The sentence(s) of the passage that hold the article span ``start:end``, as a quote candidate."""
    covering = [(s, e) for s, e in spans if s < end and e > start] or [(candidate.start, candidate.end)]
    first, last = covering[0][0], covering[-1][1]
    if (first, last) == (candidate.start, candidate.end):
        return candidate
    passage = candidate.source.passage
    return replace(candidate, start=first, end=last, text=passage.text[first - passage.start : last - passage.start])


def read_candidates(
    question: str,
    candidates: Sequence[ScoredSentence],
    sentences_of: SentenceLookup,
    reader: Reader,
    neighbours: int,
    evidence_weight: float = 0.0,
) -> list[Reading]:
    """Read each candidate sentence with its neighbours; readings best first (see the module docstring)."""
    windows = [_window(c, sentences_of, neighbours) for c in candidates]
    spans = reader.read(question, [w.text for w, _ in windows])
    readings = []
    for candidate, (window, sentence_spans), span in zip(candidates, windows, spans):
        if span.start < 0:
            continue
        start, end = window.start + span.start, window.start + span.end
        sentence = _holding_sentence(candidate, sentence_spans, start, end)
        evidence = span.margin + evidence_weight * candidate.score
        readings.append(Reading(sentence, start, end, span.margin, reader.confidence(span.margin), evidence))
    readings.sort(key=lambda r: -r.evidence)
    return readings


def _ordered_quotes(
    readings: Sequence[Reading], scored: Sequence[ScoredSentence], top_k: int, reader: Reader
) -> list[Quote]:
    """Quotes in the order of evidence, then the unread candidates in scoring order.

    A read quote's score is the reader's confidence in its span, lowered by how much less
    sentence-score evidence it has than the answer's window, so that the first quote's score is
    the answer's confidence and scores fall with the ranking. Unread candidates score 0.
    """
    ordered: list[ScoredSentence] = []
    # Article spans already quoted: a read span may join two sentences, and neither is quoted again.
    taken: dict[str, list[tuple[int, int]]] = {}

    def take(sentence: ScoredSentence, score: float) -> None:
        spans = taken.setdefault(sentence.source.passage.article_id, [])
        if not any(start < sentence.end and sentence.start < end for start, end in spans):
            spans.append((sentence.start, sentence.end))
            ordered.append(replace(sentence, score=score))

    lead = readings[0].evidence - readings[0].margin if readings else 0.0
    for reading in readings:
        take(reading.sentence, reader.confidence(reading.evidence - lead))
    for sentence in scored:
        take(sentence, 0.0)
    return collapse_duplicates(ordered, top_k)


def answer_by_reading(
    question: str,
    scored: Sequence[ScoredSentence],
    sentences_of: SentenceLookup,
    reader: Reader,
    top_k: int,
    budget: int,
    abstain_below: float,
    neighbours: int = 1,
    evidence_weight: float = 0.0,
) -> Answer:
    """Answer from the reader's best span among the ``budget`` best-scored sentences.

    Args:
        question: The question as asked.
        scored: Candidate sentences, best first (from :func:`newsdesk.qa.answering.scoring.score_sentences`).
        sentences_of: The stored ``(start, end, vector)`` of a passage's sentences.
        reader: The reading model.
        top_k: Quotes to return.
        budget: Candidate sentences read.
        abstain_below: Confidence under which no answer is given.
        neighbours: Sentences read on each side of a candidate.
        evidence_weight: Weight of the sentence score beside the reader's margin.

    Returns:
        An answer whose ``short_answer`` is the span read, or an abstention with the closest quotes.
    """
    if not scored:
        return Answer(question, None, 0.0, (), message=NO_ANSWER_MESSAGE, answer_kind="none")
    readings = read_candidates(question, scored[:budget], sentences_of, reader, neighbours, evidence_weight)
    quotes = tuple(_ordered_quotes(readings, scored, top_k, reader))
    if not readings:
        return Answer(question, None, 0.0, quotes, message=NO_ANSWER_MESSAGE, answer_kind="none")
    best = readings[0]
    confidence = round(best.confidence, 4)
    if confidence < abstain_below:
        return Answer(question, None, confidence, quotes, message=NO_ANSWER_MESSAGE, answer_kind="none")
    passage = best.sentence.source.passage
    short = ShortAnswer(
        text=passage.text[best.span_start - passage.start : best.span_end - passage.start],
        article_id=passage.article_id,
        start=best.span_start,
        end=best.span_end,
    )
    return Answer(question, best.sentence.text, confidence, quotes, short_answer=short)
