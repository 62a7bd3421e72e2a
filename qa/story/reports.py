"""Reports: the values that articles of several dates give as the answer to one question.

The answer comes from the reader's best span. Other articles may answer the same question
with another value: a death toll that rose, a figure that sources give differently. Their
sentences are among the candidates scoring found; the best of them were already read for the
answer, and a few more are read here. A candidate is a report only when it answers the same
question: the reader's margin clears a threshold, the sentence holds enough of the question's
weighted words, and its value is of the answer's kind and unit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from newsdesk.qa.answering.config import AnsweringConfig
from newsdesk.qa.answering.read_windows import ReadWindow, SentenceLookup, sentence_windows, windows_to_read
from newsdesk.qa.answering.reading import Reader, Reading, read_candidates
from newsdesk.qa.answering.scoring import ScoredSentence
from newsdesk.qa.reader.spans import SpanScore
from newsdesk.qa.story.config import StoryConfig
from newsdesk.qa.story.values import COUNTED_PEOPLE, Value, mentions, value_at, values_in
from newsdesk.qa.text import content_terms, tokens
from newsdesk.qa.types import Answer, Quote

__all__ = ["Evidence", "RememberingReader", "Report", "answer_report", "gather_reports"]


class RememberingReader:
    """A :class:`Reader` that keeps what it read for one question, so reading again costs nothing."""

    def __init__(self, reader: Reader) -> None:
        self._reader = reader
        self._read: dict[tuple[str, str], SpanScore] = {}

    def read(self, question: str, windows: Sequence[str]) -> list[SpanScore]:
        missing = [w for w in dict.fromkeys(windows) if (question, w) not in self._read]
        if missing:
            self._read.update(((question, w), s) for w, s in zip(missing, self._reader.read(question, missing)))
        return [self._read[(question, w)] for w in windows]

    def confidence(self, margin: float) -> float:
        return self._reader.confidence(margin)


@dataclass(frozen=True)
class Evidence:
    """What the reading stage looked at for a question: its scored candidates and the reader."""

    question: str
    scored: Sequence[ScoredSentence]
    sentences_of: SentenceLookup
    reader: Reader
    weights: Mapping[str, float]  # idf weights of the question's terms (stems)


@dataclass(frozen=True)
class Report:
    """One article's value for the answer: the value, its quote, the day, and who said it."""

    value: Value  # offsets into quote.text
    quote: Quote
    span: tuple[int, int]  # the reader's span, article offsets
    published: date
    source: str
    margin: float
    confidence: float


def _day(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published) if published else None
    except ValueError:
        return None


def _source(quote: Quote) -> str:
    return quote.source or quote.title


def _compatible(value: Value, answer: Value) -> bool:
    if value.amount is not None or answer.amount is not None:
        return value.kind == answer.kind and value.unit == answer.unit
    return value.kind == answer.kind or {value.kind, answer.kind} <= {"name", "text"}


def answer_report(answer: Answer) -> Report | None:
    """The answer's own report: its short answer read as a value in its quote, when it has a date."""
    short = answer.short_answer
    if short is None:
        return None
    quote = next((q for q in answer.quotes if q.article_id == short.article_id and q.start <= short.start < q.end), None)
    day = _day(quote.published) if quote else None
    if quote is None or day is None:
        return None
    value = value_at(quote.text, short.start - quote.start, short.end - quote.start)
    span = (short.start, short.end)
    return Report(value, quote, span, day, _source(quote), float("inf"), answer.confidence)


def _quote(reading: Reading) -> Quote:
    sentence = reading.sentence
    stored = sentence.source
    return Quote(
        sentence.text, stored.passage.article_id, stored.title, stored.url, stored.published, stored.source,
        sentence.start, sentence.end, round(reading.confidence, 4),
    )


def _covers(window: ReadWindow, sentence: ScoredSentence) -> bool:
    return window.candidate.source.passage.article_id == sentence.source.passage.article_id and (
        window.window.start <= sentence.start < window.window.end
    )


def _extra_windows(evidence: Evidence, answer: Value, reported: set[str], config: StoryConfig) -> list[ReadWindow]:
    """Sentences read alone from articles with no report yet, that hold a value of the answer's kind.

    A whole passage read for the answer may give its best span to another figure ("27 died"
    beside "8,500 evacuated"); the sentence alone says what it says about the question.
    """
    extra: list[ScoredSentence] = []
    for sentence in evidence.scored[: config.candidates]:
        article = sentence.source.passage.article_id
        if len(extra) == config.extra_reads:
            break
        if article in reported or sentence.overlap < config.min_overlap or not _day(sentence.source.published):
            continue
        if answer.kind in ("name", "text") or any(_compatible(v, answer) for v in values_in(sentence.text)):
            extra.append(sentence)
    return sentence_windows(extra, evidence.sentences_of, 0, len(extra))


def _report(reading: Reading, answer: Value) -> Report | None:
    """The reading as a report, when it is dated and its value is of the answer's kind and unit."""
    quote = _quote(reading)
    day = _day(quote.published)
    value = value_at(quote.text, reading.span_start - quote.start, reading.span_end - quote.start)
    if day is None or not _compatible(value, answer):
        return None
    span = (reading.span_start, reading.span_end)
    return Report(value, quote, span, day, _source(quote), reading.margin, reading.confidence)


def _context_share(own: Quote, quote: Quote, weights: Mapping[str, float]) -> float:
    """The weighted share of the question's words in the answer's sentence that ``quote`` holds too."""
    anchor = {t: weights[t] for t in set(content_terms(own.text)) if t in weights}
    total = sum(anchor.values())
    held = set(content_terms(quote.text))
    return sum(w for t, w in anchor.items() if t in held) / total if total > 0 else 1.0


def _names(question: str) -> set[str]:
    """The stems of the capitalised words in a question after its first word ("Trump", "Riverton")."""
    words = question.split()[1:]
    return set(content_terms(" ".join(w for w in words if w[:1].isupper())))


def _competes(report: Report, own: Report, evidence: Evidence, config: StoryConfig) -> bool:
    """A report answers the answer's question with a value of its own: the same context (the
    question's words and names the answer's sentence holds), the same counted thing ("viewers",
    not "likes"), and neither sentence gives the other's value (a sentence naming both is not a
    rival report)."""
    if _context_share(own.quote, report.quote, evidence.weights) < config.min_context:
        return False
    held = set(content_terms(report.quote.text))
    if not (_names(evidence.question) & set(content_terms(own.quote.text))) <= held:
        return False
    nouns = {report.value.noun, own.value.noun}
    if None not in nouns and len(nouns) > 1 and not nouns <= COUNTED_PEOPLE:
        return False
    if report.value.matches(own.value):
        return True
    return not mentions(own.quote.text, report.value) and not mentions(report.quote.text, own.value)


def _merged(kept: Report, copy: Report) -> Report:
    """A report and its syndicated copy as one: the earlier text speaks, the other is also reported by."""
    first, other = (copy, kept) if copy.published < kept.published else (kept, copy)
    also = tuple(dict.fromkeys((*first.quote.also_reported_by, other.source, *other.quote.also_reported_by)))
    also = tuple(a for a in also if a != first.source)
    return replace(kept, quote=replace(first.quote, also_reported_by=also), published=first.published, source=first.source)


def _same_text(a: Quote, b: Quote, share: float) -> bool:
    words_a, words_b = set(tokens(a.text)), set(tokens(b.text))
    return len(words_a & words_b) >= share * max(len(words_a), len(words_b), 1)


def _add_reports(
    reports: list[Report], windows: Sequence[ReadWindow], evidence: Evidence, answering: AnsweringConfig, config: StoryConfig
) -> None:
    """Read the windows (what was read before is remembered) and add the readings that are reports."""
    scores = {(s.source.passage.article_id, s.start): s for s in evidence.scored}
    read_candidates(evidence.question, windows, evidence.reader, answering, scores)  # one batch; then remembered
    best = [r[0] for r in (read_candidates(evidence.question, [w], evidence.reader, answering, scores) for w in windows) if r]
    overlap = {id(r): max(w.candidate.overlap, r.sentence.overlap) for w, r in zip(windows, best)}
    own = reports[0]
    for reading in sorted(best, key=lambda r: -r.evidence):
        if reading.margin < config.min_margin or overlap[id(reading)] < config.min_overlap:
            continue
        report = _report(reading, own.value)
        if report is None or report.quote.article_id in {r.quote.article_id for r in reports}:
            continue
        if not _competes(report, own, evidence, config):
            continue
        copy_of = next((i for i, r in enumerate(reports) if _same_text(r.quote, report.quote, config.same_text_share)), None)
        if copy_of is None:
            reports.append(report)
        else:
            reports[copy_of] = _merged(reports[copy_of], report)


def gather_reports(answer: Answer, evidence: Evidence, answering: AnsweringConfig, config: StoryConfig) -> list[Report]:
    """Every article's report for the question, the answer's own first; syndicated copies collapsed.

    Returns:
        The reports, at most one per article; empty when the answer has no dated short answer.
    """
    own = answer_report(answer)
    if own is None:
        return []
    read = windows_to_read(
        evidence.scored, evidence.sentences_of, answering.reading_unit, answering.reading_budget,
        answering.reading_neighbours,
    )
    reports = [own]
    _add_reports(reports, read, evidence, answering, config)
    extra = _extra_windows(evidence, own.value, {r.quote.article_id for r in reports}, config)
    _add_reports(reports, extra, evidence, answering, config)
    return reports
