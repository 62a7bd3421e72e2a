"""The answering stage's settings: sentence scoring, short answers, quotes and reading, in one place."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["AnsweringConfig", "ShortAnswerConfig"]


@dataclass(frozen=True)
class ShortAnswerConfig:
    """How the span that answers a factoid question is picked (see :mod:`newsdesk.qa.answering.short_answer`).

    Type fits run from 0 (the span cannot answer) to 1 (it is of the asked-for kind).

    Attributes:
        person_cue_chars: "who" or "whom" within this many leading characters of a
            question asks for a person ("Talks were led by whom?").
        place_cue_chars: Characters before a name searched for "in", "at", "from"...,
            which mark it as a place.
        other_kind_fit: Fit of a date, number or quoted title for a question asking
            for a name or for nothing in particular.
        demonym_fit: Fit of a lone demonym ("Russian") for a question asking for a name.
        single_name_person_fit: Fit of a one-word name for a "who" question (a full
            name fits fully).
        uncued_place_fit: Fit of a name not after "in", "at"... for a "where" question.
        fit_weight: Weight of the type fit beside the span's novelty (new words to
            the question, 0..1) and its distance from the question's words.
    """

    person_cue_chars: int = 40
    place_cue_chars: int = 12
    other_kind_fit: float = 0.3
    demonym_fit: float = 0.2
    single_name_person_fit: float = 0.6
    uncued_place_fit: float = 0.6
    fit_weight: float = 2.0


@dataclass(frozen=True)
class AnsweringConfig:
    """Weights and thresholds of sentence scoring (see :mod:`newsdesk.qa.answering.scoring`).

    The weights were chosen on realtimeqa-dev and confirmed on squad2-500 and
    the seed set (see the README's "Answer quality" section). Confidence is a
    logistic function of the best sentence's similarity and its passage's
    similarity, fitted on realtimeqa-dev questions asked once normally and
    once with every article holding the answer removed.

    Attributes:
        passages_considered: Top fused passages whose sentences are scored.
        similarity_weight: Weight of the question-sentence cosine.
        context_weight: Weight of the question-passage cosine.
        overlap_weight: Weight of the idf-weighted share of question words the sentence holds.
        rank_weight: Weight of the passage's retrieval rank (divided by its square root).
        type_weight: Weight of the short-answer type fit.
        type_checked: Leading sentences checked for a span of the asked-for type.
        recency_weight: Weight of the date prior.
        recency_days: Scale of the date prior's decay outside the question's window.
        confidence_similarity: Confidence logit per unit of sentence similarity.
        confidence_context: Confidence logit per unit of passage similarity.
        confidence_bias: Confidence logit's constant.
        abstain_below: Confidence under which no answer is given.
        same_quote_share: Sentences sharing this share of their words say the same
            thing: the best is quoted, the others' sources are named beside it.
        quotes_scanned_per_quote: Ranked sentences looked through per quote returned
            when collapsing duplicates (copies rank close to what they copy) ...
        min_quotes_scanned: ... and at least this many.
        reading_budget: Windows the reading model reads (when there is one): whole passages or
            sentences with their neighbours, after ``reading_unit``.
        reading_unit: ``"passage"`` (the best whole passages) or ``"sentence"`` (the best sentences,
            each with ``reading_neighbours`` on each side); see :mod:`newsdesk.qa.answering.read_windows`.
        reading_neighbours: Sentences read on each side of a candidate (``reading_unit`` "sentence").
        reading_evidence_weight: Weight of the sentence score beside the reader's
            margin when ranking what was read (see :mod:`newsdesk.qa.answering.reading`).
        reader_abstain_below: The reader's confidence under which no answer is given.
        sentence_abstain_below: The same for questions a sentence answers (why, how, yes/no).
        type_slack: How much lower (in the reader's logits) a span of the asked-for kind may
            score than the best span and still be preferred to it.
        type_miss_penalty: Margin taken from a window whose spans are all of the wrong kind.
        short_answer: How the short answer is picked in the answer sentence.
    """

    passages_considered: int = 60
    similarity_weight: float = 0.6
    context_weight: float = 0.5
    overlap_weight: float = 1.0
    rank_weight: float = 0.2
    type_weight: float = 0.5
    type_checked: int = 25
    recency_weight: float = 1.0
    recency_days: float = 7.0
    confidence_similarity: float = 3.1
    confidence_context: float = 1.8
    confidence_bias: float = -2.75
    abstain_below: float = 0.35
    same_quote_share: float = 0.8
    quotes_scanned_per_quote: int = 4
    min_quotes_scanned: int = 20
    reading_budget: int = 8
    reading_unit: str = "sentence"
    reading_neighbours: int = 1
    reading_evidence_weight: float = 4.0
    reader_abstain_below: float = 0.4
    sentence_abstain_below: float = 0.3
    type_slack: float = 4.0
    type_miss_penalty: float = 2.0
    short_answer: ShortAnswerConfig = field(default_factory=ShortAnswerConfig)
