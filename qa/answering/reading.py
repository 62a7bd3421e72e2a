"""Answering by reading: a trained reader picks the answer span in the best evidence.

Sentence scoring (:mod:`newsdesk.qa.answering.scoring`) ranks candidate
sentences cheaply; the reading budget buys windows around the best of them
(:mod:`newsdesk.qa.answering.read_windows`: whole passages, or sentences with
their neighbours). The extractive reader scores every span of a window as the
answer and also "the answer is not here". A span of the wrong kind for the
question (a place for *when*) gives way to the reader's best span of the right
kind (:mod:`newsdesk.qa.answering.span_kinds`); numbers keep their currency
and unit. ``short_answer`` is the span (with the day a relative time in it
names), ``answer`` the sentence that holds it, and the quotes follow the
reader's evidence. *Why*, *how*, *what did X say* and yes/no questions have no
span to give: their answer is the sentence holding the reader's best evidence
(``answer_kind`` ``"sentence"``). Confidence is the reader's calibrated
probability that the span is right.

Windows are ranked by the reader's margin plus ``evidence_weight`` times the
holding sentence's score: the reader judges whether a span answers, while the
sentence score carries what it cannot see, such as how close the article's date
is to the time the question is about and how well the passage ranked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from newsdesk.qa.answering.config import AnsweringConfig
from newsdesk.qa.answering.read_windows import ReadWindow, SentenceLookup, windows_to_read
from newsdesk.qa.answering.relative_dates import resolve_relative_date
from newsdesk.qa.answering.scoring import NO_ANSWER_MESSAGE, ScoredSentence, collapse_duplicates, sentence_confidence
from newsdesk.qa.answering.short_answer import AnswerType, answer_type
from newsdesk.qa.answering.span_kinds import fitting_part, is_yes_no, span_fits, wants_sentence, widen_number
from newsdesk.qa.reader.spans import SpanScore
from newsdesk.qa.reader.windows import DATELINE
from newsdesk.qa.types import Answer, Quote, ShortAnswer

__all__ = ["Reader", "Reading", "SentenceLookup", "answer_by_reading", "read_candidates"]

_TYPED = (AnswerType.DATE, AnswerType.NUMBER, AnswerType.PERSON, AnswerType.PLACE)


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


def _holding_sentence(candidate: ScoredSentence, spans: list[tuple[int, int]], start: int, end: int,
                      scores: dict[tuple[str, int], ScoredSentence]) -> ScoredSentence:
    """The sentence(s) holding the article span ``start:end``, as a quote candidate, its dateline left out."""
    covering = [(s, e) for s, e in spans if s < end and e > start] or [(candidate.start, candidate.end)]
    first, last = covering[0][0], covering[-1][1]
    passage = candidate.source.passage
    own = scores.get((passage.article_id, first), candidate)
    if (first, last) != (own.start, own.end):
        own = replace(own, start=first, end=last, text=passage.text[first - passage.start : last - passage.start])
    dateline = DATELINE.match(own.text)
    if dateline and own.start + dateline.end() <= start:
        own = replace(own, start=own.start + dateline.end(), text=own.text[dateline.end() :])
    return own


def _span_of_kind(expected: str, window: str, span: SpanScore, slack: float) -> tuple[int, int, float, bool]:
    """The span to answer with: ``(start, end, score, fits)`` in window offsets (see the module docstring)."""
    if expected not in _TYPED or span_fits(expected, window[span.start : span.end]):
        start, end, score, fits = span.start, span.end, span.score, True
    else:
        start, end, score, fits = span.start, span.end, span.score, False
        for other_start, other_end, other_score in span.alternatives:
            if other_score < span.score - slack:
                break
            if span_fits(expected, window[other_start:other_end]):
                start, end, score, fits = other_start, other_end, other_score, True
                break
    part = fitting_part(expected, window[start:end]) if fits else None
    if part is not None:
        start, end = start + part[0], start + part[1]
    if expected == AnswerType.NUMBER or (fits and expected not in (AnswerType.PERSON, AnswerType.PLACE)):
        start, end = widen_number(window, start, end)
    return start, end, score, fits


def read_candidates(
    question: str,
    windows: Sequence[ReadWindow],
    reader: Reader,
    config: AnsweringConfig,
    scores: dict[tuple[str, int], ScoredSentence] | None = None,
) -> list[Reading]:
    """Read each window; readings best first (see the module docstring)."""
    spans = reader.read(question, [w.window.text for w in windows])
    expected = answer_type(question, config.short_answer)
    scores = scores or {}
    readings = []
    for read, span in zip(windows, spans):
        if span.start < 0:
            continue
        text = read.window.text
        start, end, score, fits = _span_of_kind(expected, text, span, config.type_slack)
        margin = score - span.null_score - (0.0 if fits else config.type_miss_penalty)
        start, end = read.window.start + start, read.window.start + end
        sentence = _holding_sentence(read.candidate, read.spans, start, end, scores)
        evidence = margin + config.reading_evidence_weight * sentence.score
        readings.append(Reading(sentence, start, end, margin, reader.confidence(margin), evidence))
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


def _sentence_answer(
    question: str, best: Reading, scored: Sequence[ScoredSentence], quotes: tuple[Quote, ...], config: AnsweringConfig
) -> Answer:
    """A why/how/yes-no question: the sentence of the reader's best evidence, else the best-scored sentence.

    A reader trained on spans often finds none for a yes/no question; the best-scored sentence then
    answers when sentence scoring's own calibrated confidence clears its threshold.
    """
    if best.confidence >= config.sentence_abstain_below:
        return Answer(question, best.sentence.text, round(best.confidence, 4), quotes, answer_kind="sentence")
    top = scored[0]
    confidence = round(sentence_confidence(top, config), 4)
    if confidence < config.abstain_below:
        return Answer(question, None, round(max(best.confidence, confidence), 4), quotes, message=NO_ANSWER_MESSAGE, answer_kind="none")
    first = next((q for q in quotes if q.article_id == top.source.passage.article_id and q.start == top.start), None)
    if first is None:
        first = collapse_duplicates([replace(top, score=confidence)], 1)[0]
    rest = tuple(replace(q, score=min(q.score, confidence)) for q in quotes if q is not first)
    ordered = (replace(first, score=confidence), *rest)[: len(quotes) or 1]
    return Answer(question, top.text, confidence, ordered, answer_kind="sentence")


def answer_by_reading(
    question: str,
    scored: Sequence[ScoredSentence],
    sentences_of: SentenceLookup,
    reader: Reader,
    top_k: int,
    config: AnsweringConfig,
) -> Answer:
    """Answer from the reader's best span in the windows the reading budget buys.

    Args:
        question: The question as asked.
        scored: Candidate sentences, best first (from :func:`newsdesk.qa.answering.scoring.score_sentences`).
        sentences_of: The stored ``(start, end, vector)`` of a passage's sentences.
        reader: The reading model.
        top_k: Quotes to return.
        config: The reading budget and unit, evidence weight, type checks and abstention thresholds.

    Returns:
        An answer whose ``short_answer`` is the span read (or, for a question a sentence answers,
        the sentence alone), or an abstention with the closest quotes.
    """
    if not scored:
        return Answer(question, None, 0.0, (), message=NO_ANSWER_MESSAGE, answer_kind="none")
    windows = windows_to_read(scored, sentences_of, config.reading_unit, config.reading_budget, config.reading_neighbours)
    scores = {(s.source.passage.article_id, s.start): s for s in scored}
    readings = read_candidates(question, windows, reader, config, scores)
    quotes = tuple(_ordered_quotes(readings, scored, top_k, reader))
    if not readings:
        return Answer(question, None, 0.0, quotes, message=NO_ANSWER_MESSAGE, answer_kind="none")
    best = readings[0]
    confidence = round(best.confidence, 4)
    # A why/how/what-did-X-say question takes the reader's span when it is sure of one; where no span
    # fits, and always for yes/no, the sentence that settles it answers.
    if is_yes_no(question) or (wants_sentence(question) and confidence < config.reader_abstain_below):
        return _sentence_answer(question, best, scored, quotes, config)
    if confidence < config.reader_abstain_below:
        return Answer(question, None, confidence, quotes, message=NO_ANSWER_MESSAGE, answer_kind="none")
    stored = best.sentence.source
    passage = stored.passage
    text = passage.text[best.span_start - passage.start : best.span_end - passage.start]
    day = resolve_relative_date(text, stored.published) if span_fits(AnswerType.DATE, text) else None
    short = ShortAnswer(text, passage.article_id, best.span_start, best.span_end, day)
    return Answer(question, best.sentence.text, confidence, quotes, short_answer=short, answer_kind="span")
