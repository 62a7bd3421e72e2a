"""Short answers: the span inside the answer sentence that answers a factoid question.

Rule-based and explainable: the question's wh-word gives an expected answer
type (person, place, date, number, name); candidate spans of the sentence are
runs of capitalised words, numbers with their units, and dates; spans made of
words the question already uses are not answers; the best candidate matches
the type and stands close to the question's words in the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdesk.qa.answering.config import ShortAnswerConfig
from newsdesk.qa.text import STOPWORDS, content_terms, stem

__all__ = [
    "CALENDAR_WORDS",
    "DATE_PATTERN",
    "DEMONYM_PATTERN",
    "NUMBER_PATTERN",
    "AnswerType",
    "ScoredSpan",
    "ShortAnswerConfig",
    "Span",
    "answer_type",
    "candidate_spans",
    "pick_short_answer",
]
_DEFAULT = ShortAnswerConfig()

_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
_NUMBER_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen|half)"
_DATE = re.compile(
    rf"\b(?:{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MONTHS}(?:\s+\d{{4}})?|{_MONTHS}\s+\d{{4}}|(?:in\s+)?(?:1[5-9]|20)\d{{2}}s?)\b"
)
_NUMBER = re.compile(
    rf"(?:[$€£¥]\s?)?\b(?:\d[\d,.]*|{_NUMBER_WORDS})(?:[\s-](?:{_NUMBER_WORDS}|and|a))*"
    r"(?:\s?(?:%|percent|per cent|percentage points?|million|billion|trillion|km|miles?|kilometres?|kilometers?|"
    r"years?|months?|weeks?|days?|hours?|minutes?|people|votes?|points?|dollars?|euros?|pounds?))?\b",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(
    r"\b(?:[A-Z][\w'’.-]*|[A-Z]{2,})(?:\s+(?:(?:of|the|de|da|van|von|al|bin|for|la|le|del|du)\s+)?(?:[A-Z][\w'’.-]*|\d+))*"
)
# Capitalised, but a time rather than a name.
_CALENDAR_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december today tonight".split()
)
# Public names for the other answering rules (span kinds) that reuse these patterns.
DATE_PATTERN, NUMBER_PATTERN, CALENDAR_WORDS = _DATE, _NUMBER, _CALENDAR_WORDS
_QUOTED = re.compile(r"[“\"]([^”\"]{2,80})[”\"]")


class AnswerType:
    PERSON = "person"
    PLACE = "place"
    DATE = "date"
    NUMBER = "number"
    NAME = "name"  # which/what + noun: a named thing
    OTHER = "other"


@dataclass(frozen=True)
class Span:
    """A candidate short answer: offsets into the sentence, and its kind."""

    start: int
    end: int
    kind: str


def answer_type(question: str, config: ShortAnswerConfig = _DEFAULT) -> str:
    """The kind of answer a question asks for, from its wh-word and what follows it."""
    q = question.lower().strip()
    if re.match(r"^(?:who|whom|whose)\b", q) or re.search(r"\b(?:who|whom)\b", q[: config.person_cue_chars]):
        return AnswerType.PERSON
    if re.search(r"\bhow (?:many|much|long|old|far|big|large|high|tall)\b|\bwhat (?:percentage|percent|number|age|amount)\b", q) or (
        # "What oil price cap ...", "What tariff ...": nouns that name a quantity.
        re.search(r"^(?:what|which) (?:\w+ ){0,2}?(?:price|cap|tariff|rate|cost|fee|fare|toll|budget|fine|salary|wage|sum)s?\b", q)
    ):
        return AnswerType.NUMBER
    if re.search(r"\bwhen\b|\bwhat (?:year|date|day|month|time)\b|\bwhich (?:year|date|day|month)\b|\bin what year\b", q):
        return AnswerType.DATE
    if re.search(r"\bwhere\b|\bwhat (?:country|city|state|town|place|region|nation|continent)\b|\bwhich (?:country|city|state|town|place|region|nation|continent)\b|\bin which (?:country|city|state)\b", q):
        return AnswerType.PLACE
    if re.search(r"\b(?:which|what)\b", q):
        return AnswerType.NAME
    return AnswerType.OTHER


def candidate_spans(sentence: str) -> list[Span]:
    """Dates, numbers, quoted titles and capitalised runs in a sentence (the first word's capital aside)."""
    spans: list[Span] = [Span(m.start(), m.end(), AnswerType.DATE) for m in _DATE.finditer(sentence)]
    taken = [(s.start, s.end) for s in spans]

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    for match in _NUMBER.finditer(sentence):
        text = match.group().strip()
        if text and free(match.start(), match.end()) and re.search(r"\d|" + _NUMBER_WORDS, text, re.IGNORECASE):
            spans.append(Span(match.start(), match.start() + len(match.group().rstrip()), AnswerType.NUMBER))
            taken.append((match.start(), match.end()))
    for match in _QUOTED.finditer(sentence):
        if free(match.start(1), match.end(1)):
            spans.append(Span(match.start(1), match.end(1), AnswerType.NAME))
    for match in _CAPITALISED.finditer(sentence):
        start, end = match.start(), match.end()
        text = sentence[start:end].rstrip(".’'")
        end = start + len(text)
        # "The", "In" opening the sentence are capitalised only by position; "The Hague" mid-sentence stays.
        while start == 0 and text and text.split()[0].lower() in STOPWORDS:
            first = text.split()[0]
            start += len(first) + 1
            text = text[len(first) + 1 :]
        if text and free(start, end) and text.lower().rstrip(".") not in _CALENDAR_WORDS:
            spans.append(Span(start, end, AnswerType.NAME))
    return sorted(spans, key=lambda s: s.start)


_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ian|ean|ese|ish|an|i)$")
DEMONYM_PATTERN = _DEMONYM


def _type_fits(expected: str, span: Span, text: str, before: str, config: ShortAnswerConfig) -> float:
    """How well a span fits the expected answer type, 0..1 (rules, no NER)."""
    if expected in (AnswerType.DATE, AnswerType.NUMBER):
        return 1.0 if span.kind == expected else 0.0
    if span.kind != AnswerType.NAME:
        return config.other_kind_fit if expected in (AnswerType.NAME, AnswerType.OTHER) else 0.0
    words = text.split()
    if len(words) == 1 and _DEMONYM.match(text):  # "Russian", "American": adjectives, not answers
        return config.demonym_fit if expected == AnswerType.NAME else 0.0
    if expected == AnswerType.PERSON:
        return 1.0 if len(words) >= 2 else config.single_name_person_fit
    if expected == AnswerType.PLACE:
        cued = re.search(r"\b(?:in|at|from|to|near|into|outside)\s+(?:the\s+)?$", before)
        return 1.0 if cued else config.uncued_place_fit
    return 1.0


@dataclass(frozen=True)
class ScoredSpan:
    """A chosen short answer span and how well it fits the question's type (0..1)."""

    span: Span
    fit: float


def pick_short_answer(question: str, sentence: str, config: ShortAnswerConfig = _DEFAULT) -> ScoredSpan | None:
    """The span of ``sentence`` that best answers ``question``, or None.

    Args:
        question: The question.
        sentence: The chosen answer sentence.
        config: The type fits and their weight.

    Returns:
        The span (offsets into ``sentence``) with its type fit; None when no
        candidate is new to the question and fits its type.
    """
    expected = answer_type(question, config)
    asked = set(content_terms(question))
    anchors = [m.start() for m in re.finditer(r"\w+", sentence) if stem(m.group().lower()) in asked]
    best: tuple[float, ScoredSpan] | None = None
    for span in candidate_spans(sentence):
        text = sentence[span.start : span.end]
        words = content_terms(text)
        if not words or all(w in asked for w in words):
            continue
        if span.start == 0 and re.match(r"^[A-Z/ ,.-]+:", sentence):  # dateline such as "MOSCOW:"
            continue
        before = sentence[max(0, span.start - config.place_cue_chars) : span.start]
        fit = _type_fits(expected, span, text, before, config)
        if fit == 0.0:
            continue
        novelty = sum(w not in asked for w in words) / len(words)
        distance = min((abs(a - span.start) for a in anchors), default=len(sentence))
        score = config.fit_weight * fit + novelty - distance / max(len(sentence), 1)
        if best is None or score > best[0]:
            best = (score, ScoredSpan(span, fit))
    return best[1] if best else None
