"""Answering by reading, with a scripted reader: span, sentence, quotes order, abstention."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
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


def _lookup(rows: dict):
    return lambda passage: rows[passage.article_id]


def test_answer_is_the_best_span_with_its_sentence_and_article_offsets() -> None:
    scored, rows = _scored()
    reader = ScriptedReader({"Canada": 3.0, "Mark Carney": 1.0})
    answer = answer_by_reading("Who hosted the G7 summit?", scored, _lookup(rows), reader, 3, 4, 0.5)
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
    answer = answer_by_reading("Who chaired the talks?", scored, _lookup(rows), reader, 4, 2, 0.5)
    # only the first two sentences were read; neither window reaches Carney, so nothing is answered
    assert answer.answer is None and answer.short_answer is None
    assert len(answer.quotes) == 4
    assert [q.score for q in answer.quotes][2:] == [0.0, 0.0]
    wide = answer_by_reading("Who chaired the talks?", scored, _lookup(rows), reader, 4, 4, 0.5)
    assert wide.short_answer is not None and wide.short_answer.text == "Mark Carney"
    assert wide.quotes[0].text == "Prime Minister Mark Carney chaired them."


def test_low_confidence_abstains_and_keeps_the_quotes() -> None:
    scored, rows = _scored()
    answer = answer_by_reading("Who won?", scored, _lookup(rows), ScriptedReader({}), 3, 4, 0.5)
    assert answer.answer is None and answer.message and answer.quotes


def test_no_candidates_gives_no_answer() -> None:
    answer = answer_by_reading("Who won?", [], lambda p: [], ScriptedReader({}), 3, 4, 0.5)
    assert answer.answer is None and answer.quotes == ()


def test_sentence_score_weighs_in_when_asked() -> None:
    scored, rows = _scored()  # sentence scores fall 1.0, 0.9, 0.8, 0.7 down the article
    reader = ScriptedReader({"Kananaskis": 1.0, "Mark Carney": 1.2})
    question = "Where did the leaders meet?"
    alone = answer_by_reading(question, scored, _lookup(rows), reader, 3, 4, 0.5)
    assert alone.short_answer is not None and alone.short_answer.text == "Mark Carney"
    weighted = answer_by_reading(question, scored, _lookup(rows), reader, 3, 4, 0.5, evidence_weight=4.0)
    assert weighted.short_answer is not None and weighted.short_answer.text == "Kananaskis"
    assert weighted.confidence == pytest.approx(1 / (1 + np.exp(-1.0)), abs=1e-4)  # still the reader's own


def test_quote_scores_fall_with_the_ranking_and_start_at_the_confidence() -> None:
    scored, rows = _scored()
    reader = ScriptedReader({"Kananaskis": 1.0, "Mark Carney": 1.2, "trade": 0.5})
    answer = answer_by_reading("Where did the leaders meet?", scored, _lookup(rows), reader, 4, 4, 0.5, evidence_weight=4.0)
    scores = [q.score for q in answer.quotes]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] == pytest.approx(answer.confidence, abs=1e-4)
