"""Answering by reading, with a scripted reader: span, sentence, quotes order, abstention."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pytest

from newsdesk.qa.answering.config import AnsweringConfig
from newsdesk.qa.answering.reading import answer_by_reading
from newsdesk.qa.answering.scoring import ScoredSentence
from newsdesk.qa.ingest.sentences import split_sentences
from newsdesk.qa.reader.spans import SpanScore
from newsdesk.qa.types import Passage, StoredPassage

ARTICLE = (
    "Leaders met in Kananaskis on Monday. Canada hosted the G7 summit this year. "
    "The talks covered trade. Prime Minister Mark Carney chaired them."
)
OFFSET = 100  # the passage starts later in its article


class ScriptedReader:
    """Answers with the first occurrence of a phrase in each window, scored by a table."""

    def __init__(self, answers: dict[str, float]) -> None:
        self.answers = answers
        self.windows: list[str] = []

    def read(self, question: str, windows: Sequence[str]) -> list[SpanScore]:
        self.windows.extend(windows)
        out = []
        for window in windows:
            found = [(phrase, margin) for phrase, margin in self.answers.items() if phrase in window]
            if not found:
                out.append(SpanScore(0, 3, -5.0, 0.0))
                continue
            phrase, margin = max(found, key=lambda f: f[1])
            at = window.index(phrase)
            out.append(SpanScore(at, at + len(phrase), margin, 0.0))
        return out

    def confidence(self, margin: float) -> float:
        return float(1 / (1 + np.exp(-margin)))


def _scored() -> tuple[list[ScoredSentence], dict]:
    passage = Passage("a1", 0, OFFSET, OFFSET + len(ARTICLE), ARTICLE)
    stored = StoredPassage(passage, "G7 in Kananaskis", "https://example.org/g7", "2025-06-16", "Example News")
    spans = [(s + OFFSET, e + OFFSET) for s, e in split_sentences(ARTICLE)]
    rows = [(s, e, np.zeros(3, dtype=np.float32)) for s, e in spans]
    scored = [
        ScoredSentence(stored, s, e, ARTICLE[s - OFFSET : e - OFFSET], 0, 0, 0, 1, 0, 0, 1.0 - 0.1 * i)
        for i, (s, e) in enumerate(spans)
    ]
    return scored, {passage.article_id: rows}


def _config(budget: int, abstain_below: float, evidence_weight: float = 0.0, unit: str = "sentence") -> AnsweringConfig:
    return AnsweringConfig(
        reading_budget=budget, reader_abstain_below=abstain_below, reading_evidence_weight=evidence_weight, reading_unit=unit
    )


def _lookup(rows: dict):
    return lambda passage: rows[passage.article_id]


def test_answer_is_the_best_span_with_its_sentence_and_article_offsets() -> None:
    scored, rows = _scored()
    reader = ScriptedReader({"Canada": 3.0, "Mark Carney": 1.0})
    answer = answer_by_reading("Who hosted the G7 summit?", scored, _lookup(rows), reader, 3, _config(4, 0.5))
    assert answer.short_answer is not None
    assert answer.short_answer.text == "Canada"
    start = ARTICLE.index("Canada") + OFFSET
    assert (answer.short_answer.start, answer.short_answer.end) == (start, start + len("Canada"))
    assert answer.answer == "Canada hosted the G7 summit this year."
    assert answer.quotes[0].text == answer.answer
    assert answer.confidence == pytest.approx(1 / (1 + np.exp(-3.0)), abs=1e-4)
    # every window is the candidate with one neighbour on each side, verbatim
    assert reader.windows[1] == "Leaders met in Kananaskis on Monday. Canada hosted the G7 summit this year. The talks covered trade."


def test_quotes_follow_the_readers_evidence_then_unread_candidates() -> None:
    scored, rows = _scored()
    reader = ScriptedReader({"Mark Carney": 2.0})
    answer = answer_by_reading("Who chaired the talks?", scored, _lookup(rows), reader, 4, _config(2, 0.5))
    # only the first two sentences were read; neither window reaches Carney, so nothing is answered
    assert answer.answer is None and answer.short_answer is None
    assert len(answer.quotes) == 4
    assert [q.score for q in answer.quotes][2:] == [0.0, 0.0]
    wide = answer_by_reading("Who chaired the talks?", scored, _lookup(rows), reader, 4, _config(4, 0.5))
    assert wide.short_answer is not None and wide.short_answer.text == "Mark Carney"
    assert wide.quotes[0].text == "Prime Minister Mark Carney chaired them."


def test_low_confidence_abstains_and_keeps_the_quotes() -> None:
    scored, rows = _scored()
    answer = answer_by_reading("Who won?", scored, _lookup(rows), ScriptedReader({}), 3, _config(4, 0.5))
    assert answer.answer is None and answer.message and answer.quotes


def test_no_candidates_gives_no_answer() -> None:
    answer = answer_by_reading("Who won?", [], lambda p: [], ScriptedReader({}), 3, _config(4, 0.5))
    assert answer.answer is None and answer.quotes == ()


def test_sentence_score_weighs_in_when_asked() -> None:
    scored, rows = _scored()  # sentence scores fall 1.0, 0.9, 0.8, 0.7 down the article
    reader = ScriptedReader({"Kananaskis": 1.0, "Mark Carney": 1.2})
    question = "Where did the leaders meet?"
    alone = answer_by_reading(question, scored, _lookup(rows), reader, 3, _config(4, 0.5))
    assert alone.short_answer is not None and alone.short_answer.text == "Mark Carney"
    weighted = answer_by_reading(question, scored, _lookup(rows), reader, 3, _config(4, 0.5, 4.0))
    assert weighted.short_answer is not None and weighted.short_answer.text == "Kananaskis"
    assert weighted.confidence == pytest.approx(1 / (1 + np.exp(-1.0)), abs=1e-4)  # still the reader's own


def test_quote_scores_fall_with_the_ranking_and_start_at_the_confidence() -> None:
    scored, rows = _scored()
    reader = ScriptedReader({"Kananaskis": 1.0, "Mark Carney": 1.2, "trade": 0.5})
    answer = answer_by_reading("Where did the leaders meet?", scored, _lookup(rows), reader, 4, _config(4, 0.5, 4.0))
    scores = [q.score for q in answer.quotes]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] == pytest.approx(answer.confidence, abs=1e-4)


class FixedReader:
    """Gives every window the same best span and alternatives, by phrase."""

    def __init__(self, best: str, alternatives: Sequence[str] = (), margin: float = 3.0) -> None:
        self.best, self.alternatives, self.margin = best, alternatives, margin
        self.windows: list[str] = []

    def read(self, question: str, windows: Sequence[str]) -> list[SpanScore]:
        self.windows.extend(windows)
        out = []
        for window in windows:
            if self.best not in window:
                out.append(SpanScore(0, 3, -5.0, 0.0))
                continue
            at = window.index(self.best)
            others = tuple(
                (window.index(a), window.index(a) + len(a), self.margin - 1.0 - i)
                for i, a in enumerate(self.alternatives) if a in window
            )
            out.append(SpanScore(at, at + len(self.best), self.margin, 0.0, others))
        return out

    def confidence(self, margin: float) -> float:
        return float(1 / (1 + np.exp(-margin)))


def test_a_whole_passage_is_read_once_for_its_best_sentence() -> None:
    scored, rows = _scored()
    reader = FixedReader("Mark Carney")
    answer = answer_by_reading("Who chaired the talks?", scored, _lookup(rows), reader, 3, _config(1, 0.5, unit="passage"))
    assert reader.windows == [ARTICLE]  # one window: the passage, every sentence in it
    assert answer.short_answer is not None and answer.short_answer.text == "Mark Carney"
    assert answer.answer == "Prime Minister Mark Carney chaired them." and answer.answer_kind == "span"


def test_a_span_of_the_asked_for_kind_wins_and_its_day_is_resolved() -> None:
    scored, rows = _scored()
    reader = FixedReader("Kananaskis", alternatives=("Monday",))
    answer = answer_by_reading("When did the leaders meet?", scored, _lookup(rows), reader, 3, _config(1, 0.5, unit="passage"))
    assert answer.short_answer is not None and answer.short_answer.text == "Monday"
    assert answer.short_answer.date == "2025-06-16"  # the article's own Monday
    where = answer_by_reading("Where did the leaders meet?", scored, _lookup(rows), reader, 3, _config(1, 0.5, unit="passage"))
    assert where.short_answer is not None and where.short_answer.text == "Kananaskis" and where.short_answer.date is None


def test_a_span_of_the_wrong_kind_with_no_alternative_costs_confidence() -> None:
    scored, rows = _scored()
    reader = FixedReader("Kananaskis", margin=3.0)
    answer = answer_by_reading("How many leaders met?", scored, _lookup(rows), reader, 3, _config(1, 0.0, unit="passage"))
    assert answer.confidence == pytest.approx(1 / (1 + np.exp(-1.0)), abs=1e-4)  # margin 3 less the penalty 2


def test_why_questions_keep_a_sure_span_and_are_answered_by_the_sentence_where_none_fits() -> None:
    scored, rows = _scored()
    sure = answer_by_reading("Why did the talks matter?", scored, _lookup(rows), FixedReader("trade"), 3, _config(1, 0.5, unit="passage"))
    assert sure.short_answer is not None and sure.short_answer.text == "trade" and sure.answer_kind == "span"
    unsure = FixedReader("trade", margin=1.0)  # confidence 0.73: under the span threshold, over the sentence one
    answer = answer_by_reading("Why did the talks matter?", scored, _lookup(rows), unsure, 3, _config(1, 0.9, unit="passage"))
    assert answer.answer == "The talks covered trade." and answer.short_answer is None and answer.answer_kind == "sentence"
    yes_no = answer_by_reading("Did the talks cover trade?", scored, _lookup(rows), FixedReader("trade"), 3, _config(1, 0.5, unit="passage"))
    assert yes_no.answer == "The talks covered trade." and yes_no.short_answer is None and yes_no.answer_kind == "sentence"


def test_a_dateline_is_not_part_of_the_answer_sentence() -> None:
    text = "OTTAWA: Canada hosted the G7 summit this year. Leaders came."
    passage = Passage("d1", 0, 0, len(text), text)
    stored = StoredPassage(passage, "G7", None, "2025-06-16", "Example News")
    spans = split_sentences(text)
    rows = {"d1": [(s, e, np.zeros(3, dtype=np.float32)) for s, e in spans]}
    scored = [ScoredSentence(stored, s, e, text[s:e], 0, 0, 0, 1, 0, 0, 1.0) for s, e in spans]
    answer = answer_by_reading("Who hosted the summit?", scored, _lookup(rows), FixedReader("Canada"), 3, _config(1, 0.5, unit="passage"))
    assert answer.answer == "Canada hosted the G7 summit this year."
    assert answer.quotes[0].text == answer.answer and text[answer.quotes[0].start : answer.quotes[0].end] == answer.answer


def test_a_yes_no_question_the_reader_finds_no_span_for_is_answered_by_the_best_scored_sentence() -> None:
    scored, rows = _scored()
    strong = [replace(s, similarity=0.8, context=0.7) if i == 1 else s for i, s in enumerate(scored)]
    strong = [strong[1], strong[0], *strong[2:]]  # the best-scored sentence first
    reader = FixedReader("nothing in these windows")
    answer = answer_by_reading("Did Canada host the G7 summit?", strong, _lookup(rows), reader, 3, _config(1, 0.5, unit="passage"))
    assert answer.answer == "Canada hosted the G7 summit this year." and answer.answer_kind == "sentence"
    assert answer.quotes[0].text == answer.answer and answer.confidence == answer.quotes[0].score > 0.35
    weak = answer_by_reading("Did Canada host the G7 summit?", scored, _lookup(rows), reader, 3, _config(1, 0.5, unit="passage"))
    assert weak.answer is None and weak.answer_kind == "none"  # similarity 0: sentence scoring is not sure either
