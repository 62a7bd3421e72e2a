"""Composed answers: 2-4 verbatim sentences from the best, non-redundant evidence, each cited.

A list, a summary, a "why" or a comparison (:mod:`newsdesk.qa.story.question_kinds`)
needs more than the one sentence holding a span. The candidates are every sentence that
sentence scoring looked at. Each is weighed by its sentence score plus how much of the
question's *topic* (its weighted words, the instruction words such as "summarise" or
"happened" left out) it holds, how much of the topic its article's title holds, and, for
a summary, whether it is its article's lead; for a list, a sentence naming something not
in the question yet counts for more. Only articles that cover the topic (title and scored
sentences together) take part. Sentences are picked greedily: the reader's answer sentence
first when there is one, then the best others that are not near-copies of one already
picked, an article not yet cited counting for a little more.

The answer is the picked sentences, verbatim, each followed by a mark ``[n]`` where
``quotes[n-1]`` is its quote; ``citations`` give each sentence's offsets in the answer.
A summary's sentences are in time order; a list's answer sentence comes first, its other
items in the articles' order; the others' in order of evidence. Where the reader abstained,
only a summary is composed, and only when the evidence is strong (two sentences or more, the
best holding enough of the topic): a list, a reason or a comparison has no answer to lead with,
and the abstention stands.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from newsdesk.qa.answering.config import AnsweringConfig
from newsdesk.qa.answering.scoring import ScoredSentence, sentence_confidence
from newsdesk.qa.reader.windows import DATELINE
from newsdesk.qa.story.question_kinds import INSTRUCTION_WORDS, QuestionKind, question_kind
from newsdesk.qa.text import STOPWORDS, content_terms, stem, tokens
from newsdesk.qa.types import Answer, Citation, Quote

__all__ = ["ComposeConfig", "compose_answer", "topic_weights"]

_INSTRUCTION_STEMS = frozenset(stem(w) for w in INSTRUCTION_WORDS)
_NAME = re.compile(r"\b[A-Z][\w'’-]*[\w]")
_MONTHS_AND_DAYS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)


@dataclass(frozen=True)
class ComposeConfig:
    """How composed answers are picked (see the module docstring).

    Attributes:
        enabled: Compose answers for list, summary, why and comparison questions at all.
        min_sentences: Fewest sentences a composed answer has ...
        max_sentences: ... and most.
        candidates: Best-scored sentences looked through.
        prefix_chars: Words match on this many leading characters ("oppose", "opposition").
        topic_weight: Weight of the share of the topic a sentence holds.
        title_weight: Weight of the share of the topic its article's title holds.
        lead_weight: Added to an article's lead sentence for a summary.
        lead_chars: A sentence starting this close to its article's start is the lead.
        name_weight: Added for a list when a sentence names something not in the question.
        new_article_weight: Added to a sentence of an article not yet cited.
        min_weight_share: Past ``min_sentences``, a sentence weighing under this share of the
            best candidate's weight adds nothing worth citing.
        min_article_topic: Share of the topic an article (title and scored sentences) must cover.
        min_sentence_topic: Share of the topic a sentence must hold to be cited ...
        min_best_topic: ... and the best one, when composing without the reader's answer.
        same_share: Sentences sharing this share of the shorter one's words are near-copies.
    """

    enabled: bool = True
    min_sentences: int = 2
    max_sentences: int = 4
    candidates: int = 60
    prefix_chars: int = 5
    topic_weight: float = 1.0
    title_weight: float = 1.0
    lead_weight: float = 0.3
    lead_chars: int = 400
    name_weight: float = 0.2
    new_article_weight: float = 0.1
    min_weight_share: float = 0.6
    min_article_topic: float = 0.75
    min_sentence_topic: float = 0.12
    min_best_topic: float = 0.5
    same_share: float = 0.6


def topic_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """The question's term weights without the words that only say what kind of answer is wanted."""
    return {term: weight for term, weight in weights.items() if term not in _INSTRUCTION_STEMS}


def _same_word(a: str, b: str, prefix: int) -> bool:
    """Stems match when equal, or when both have 4 letters or more and agree on ``prefix`` (or the shorter's length)."""
    if a == b:
        return True
    n = min(prefix, len(a), len(b))
    return n >= 4 and a[:n] == b[:n]


def _share(topic: Mapping[str, float], text: str, prefix: int) -> float:
    total = sum(topic.values())
    if total <= 0:
        return 0.0
    present = set(content_terms(text))
    return sum(w for t, w in topic.items() if any(_same_word(t, p, prefix) for p in present)) / total


def _names(text: str, question_words: set[str]) -> set[str]:
    found = set()
    for match in _NAME.finditer(text):
        word = match.group().lower().rstrip("'’s")
        if word not in STOPWORDS and word not in _MONTHS_AND_DAYS and word not in question_words:
            found.add(word)
    return found


def _near_copy(words: set[str], others: Sequence[set[str]], share: float) -> bool:
    return any(len(words & o) >= share * max(min(len(words), len(o)), 1) for o in others)


def _overlaps(sentence: ScoredSentence, picked: Sequence[ScoredSentence]) -> bool:
    article = sentence.source.passage.article_id
    return any(p.source.passage.article_id == article and p.start < sentence.end and sentence.start < p.end for p in picked)


@dataclass(frozen=True)
class _Weighed:
    sentence: ScoredSentence
    topic: float
    weight: float


def _weigh(
    question: str, kind: QuestionKind, scored: Sequence[ScoredSentence], topic: Mapping[str, float], config: ComposeConfig
) -> list[_Weighed]:
    """The candidates of articles that cover the topic, with their weights (see the module docstring)."""
    pool = list(scored[: config.candidates])
    covered: dict[str, str] = {}
    for sentence in pool:
        article = sentence.source.passage.article_id
        covered[article] = covered.get(article, sentence.source.title) + " " + sentence.text
    about = {a for a, text in covered.items() if _share(topic, text, config.prefix_chars) >= config.min_article_topic}
    asked = set(tokens(question))
    weighed = []
    for sentence in pool:
        if sentence.source.passage.article_id not in about:
            continue
        share = _share(topic, sentence.text, config.prefix_chars)
        if share < config.min_sentence_topic:
            continue
        weight = sentence.score + config.topic_weight * share
        weight += config.title_weight * _share(topic, sentence.source.title, config.prefix_chars)
        if kind == QuestionKind.SUMMARY and sentence.start < config.lead_chars:
            weight += config.lead_weight
        if kind == QuestionKind.LIST and _names(sentence.text, asked):
            weight += config.name_weight
        weighed.append(_Weighed(sentence, share, weight))
    weighed.sort(key=lambda w: -w.weight)
    return weighed


def _pick(weighed: Sequence[_Weighed], first: ScoredSentence | None, config: ComposeConfig) -> list[ScoredSentence]:
    picked = [first] if first is not None else []
    words = [set(tokens(first.text))] if first is not None else []
    remaining = list(weighed)
    while len(picked) < config.max_sentences and remaining:
        cited = {p.source.passage.article_id for p in picked}
        best = max(
            remaining,
            key=lambda w: w.weight + config.new_article_weight * (w.sentence.source.passage.article_id not in cited),
        )
        if len(picked) >= config.min_sentences and best.weight < config.min_weight_share * weighed[0].weight:
            break
        remaining.remove(best)
        sentence = best.sentence
        sentence_words = set(tokens(sentence.text))
        if _overlaps(sentence, picked) or _near_copy(sentence_words, words, config.same_share):
            continue
        picked.append(sentence)
        words.append(sentence_words)
    return picked


def _quote(sentence: ScoredSentence, existing: Sequence[Quote]) -> Quote:
    dateline = DATELINE.match(sentence.text)  # "KANANASKIS, Alberta: " is where, not what the sentence says
    if dateline and dateline.end() < len(sentence.text):
        sentence = replace(sentence, start=sentence.start + dateline.end(), text=sentence.text[dateline.end() :])
    stored = sentence.source
    for quote in existing:
        if (quote.article_id, quote.start, quote.end) == (stored.passage.article_id, sentence.start, sentence.end):
            return quote
    return Quote(
        sentence.text, stored.passage.article_id, stored.title, stored.url, stored.published, stored.source,
        sentence.start, sentence.end, round(sentence.score, 4),
    )


def _answer_sentence(answer: Answer, scored: Sequence[ScoredSentence]) -> ScoredSentence | None:
    """The reader's answer sentence as a candidate (its quote's offsets), if it answered."""
    if answer.answer is None:
        return None
    quote = next((q for q in answer.quotes if q.text == answer.answer), None)
    if quote is None:
        return None
    source = next((s.source for s in scored if s.source.passage.article_id == quote.article_id), None)
    if source is None:
        return None
    return ScoredSentence(source, quote.start, quote.end, quote.text, 0.0, 0.0, 0.0, 0, 0.0, 0.0, quote.score)


def _confidence(picked: Sequence[ScoredSentence], answering: AnsweringConfig) -> float:
    """The sentence-scoring confidence of the best picked sentence (the reader did not answer)."""
    return sentence_confidence(max(picked, key=lambda s: s.similarity), answering)


def compose_answer(
    answer: Answer,
    scored: Sequence[ScoredSentence],
    weights: Mapping[str, float],
    config: ComposeConfig = ComposeConfig(),
    answering: AnsweringConfig = AnsweringConfig(),
) -> Answer:
    """A composed answer for a list, summary, why or comparison question; other answers unchanged.

    Args:
        answer: The reading stage's answer (or abstention).
        scored: The question's candidate sentences, best first.
        weights: The question's term weights (idf by stem).
        config: How sentences are picked.
        answering: The confidence formula, for a composition over an abstention.

    Returns:
        The answer with ``answer_kind="composed"``, the cited sentences as ``answer``, the
        quotes reordered so that ``[n]`` is ``quotes[n-1]``, and ``citations``; or ``answer``
        itself when the question is a factoid one or the evidence is too weak.
    """
    kind = question_kind(answer.question)
    if not config.enabled or kind == QuestionKind.FACTOID or not scored:
        return answer
    topic = topic_weights(weights)
    weighed = _weigh(answer.question, kind, scored, topic, config)
    first = _answer_sentence(answer, scored)
    if first is None and (
        kind != QuestionKind.SUMMARY or not weighed or max(w.topic for w in weighed) < config.min_best_topic
    ):
        return answer
    picked = _pick(weighed, first, config)
    if len(picked) < config.min_sentences:
        return answer
    in_order = lambda s: (s.source.published or "", s.source.passage.article_id, s.start)  # noqa: E731
    if kind == QuestionKind.SUMMARY:
        picked.sort(key=in_order)
    elif kind == QuestionKind.LIST:  # the answer sentence, then the other items as the articles tell them
        picked[1:] = sorted(picked[1:], key=in_order)
    cited = [_quote(s, answer.quotes) for s in picked]
    parts: list[str] = []
    citations = []
    offset = 0
    for number, quote in enumerate(cited, start=1):
        start = offset + (1 if parts else 0)
        citations.append(Citation(number - 1, start, start + len(quote.text)))
        parts.append(f"{quote.text} [{number}]")
        offset = start + len(parts[-1])
    rest = [q for q in answer.quotes if q not in cited]
    quotes = (*cited, *rest[: max(len(answer.quotes) - len(cited), 0)])
    confidence = answer.confidence if first is not None else round(_confidence(picked, answering), 4)
    short = answer.short_answer if first is not None else None
    return replace(
        answer, answer=" ".join(parts), confidence=confidence, quotes=quotes, short_answer=short,
        message=answer.message if first is not None else None, answer_kind="composed", citations=tuple(citations),
    )
