"""Scoring sentences without a reading model: term weights, evidence, the date prior, quotes and abstention."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pytest

from newsdesk.qa.answering.reading import answer_by_reading
from newsdesk.qa.answering.scoring import (
    NO_ANSWER_MESSAGE,
    AnsweringConfig,
    ScoredSentence,
    answer_from_passages,
    collapse_duplicates,
    score_sentences,
    term_weights,
)
from newsdesk.qa.reader.spans import SpanScore
from newsdesk.qa.retrieval.fusion import Candidate
from newsdesk.qa.retrieval.timeframe import TimeWindow
from newsdesk.qa.types import Answer, Passage, ShortAnswer, StoredPassage

CONFIG = AnsweringConfig()
QUESTION_VECTOR = np.array([1.0, 0.0, 0.0, 0.0], dtype=np.float32)


def unit(cosine: float) -> np.ndarray:
    """A unit vector whose cosine with the question vector is ``cosine``."""
    return np.array([cosine, math.sqrt(1.0 - cosine * cosine), 0.0, 0.0], dtype=np.float32)


def idf(df: int, passages: int) -> float:
    return math.log(1.0 + (passages - df + 0.5) / (df + 0.5))


@dataclass(frozen=True)
class Doc:
    """A synthetic article: its sentences with their cosines to the question, and its metadata."""

    article_id: str
    sentences: tuple[tuple[str, float], ...]
    published: str | None = "2025-06-25"
    source: str | None = None
    prefix: str = "Lead paragraph. "  # the passage starts after it, so passage and article offsets differ

    @property
    def text(self) -> str:
        return self.prefix + " ".join(s for s, _ in self.sentences)


class Corpus:
    """Stored passages (one per document), their sentence rows and the articles' texts."""

    def __init__(self, docs: Sequence[Doc]) -> None:
        self.articles: dict[str, str] = {}
        self.rows: dict[int, list[tuple[int, int, np.ndarray]]] = {}
        self.ranked: list[tuple[Candidate, StoredPassage]] = []
        for pid, doc in enumerate(docs, start=1):
            self.articles[doc.article_id] = doc.text
            start = len(doc.prefix)
            body = doc.text[start:]
            passage = Passage(doc.article_id, 0, start, len(doc.text), body, id=pid)
            stored = StoredPassage(
                passage, f"Title {doc.article_id}", f"https://example.org/{doc.article_id}", doc.published, doc.source
            )
            rows, at = [], start
            for sentence, cosine in doc.sentences:
                at = doc.text.index(sentence, at)
                rows.append((at, at + len(sentence), unit(cosine)))
                at += len(sentence)
            self.rows[pid] = rows
            self.ranked.append((Candidate(pid, 1.0 / pid, None, pid, None), stored))

    def sentences_of(self, passage: Passage) -> list[tuple[int, int, np.ndarray]]:
        return self.rows.get(passage.id or -1, [])


# -- term weights -------------------------------------------------------------------------------

FREQUENCIES = {"talks": 90, "istanbul": 30, "darchiev": 2, "talk": 50, "5": 10}


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Who is Darchiev?", {"darchiev": idf(2, 100)}),
        # stems are the keys; a word the index has never seen gets the highest weight
        ("Why did talks in Istanbul stall?", {"talk": idf(90, 100), "istanbul": idf(30, 100), "stall": idf(0, 100)}),
        # two spellings of one stem keep the larger weight (the rarer spelling's)
        ("talk or talks", {"talk": idf(50, 100)}),
        ("talks or talk", {"talk": idf(50, 100)}),
        # stopwords and one-letter words go, digits stay
        ("What is the week about, and who said it?", {}),
        ("Is plan B about 5 ships?", {"plan": idf(0, 100), "5": idf(10, 100), "ship": idf(0, 100)}),
        # lower-cased, possessives dropped
        ("DARCHIEV's arrival", {"darchiev": idf(2, 100), "arrival": idf(0, 100)}),
        ("", {}),
    ],
)
def test_term_weights_are_bm25_idf_of_the_question_words(question: str, expected: dict[str, float]) -> None:
    weights = term_weights(question, FREQUENCIES, 100)
    assert weights.keys() == expected.keys()
    for term, weight in expected.items():
        assert weights[term] == pytest.approx(weight, rel=1e-12)


def test_rarer_words_weigh_more_and_unseen_words_most() -> None:
    weights = term_weights("talks Istanbul Darchiev Kananaskis", FREQUENCIES, 100)
    assert sorted(weights, key=weights.__getitem__, reverse=True) == ["kananaski", "darchiev", "istanbul", "talk"]
    assert weights["kananaski"] == pytest.approx(math.log(202.0))
    assert weights["talk"] == pytest.approx(math.log(1.0 + 10.5 / 90.5))


# -- sentence scores ----------------------------------------------------------------------------

EMBASSY = Doc("a", (("The embassy will reopen in May.", 0.8), ("Officials gave no other details.", 0.6)))
# Context: the normalised mean of unit(0.8) and unit(0.6) is (1, 1)/sqrt(2).
CONTEXT = 1 / math.sqrt(2)


@pytest.mark.parametrize(
    ("config", "weights", "expected"),
    [
        # 0.6 similarity + 0.5 context + 1.0 overlap + 0.2 / sqrt(rank 1)
        (
            CONFIG,
            {"embassy": 1.0, "reopen": 1.0},
            [0.6 * 0.8 + 0.5 * CONTEXT + 0.2 + 1.0, 0.6 * 0.6 + 0.5 * CONTEXT + 0.2],
        ),
        # overlap is the share of the question's weight the sentence holds
        (
            CONFIG,
            {"embassy": 3.0, "closure": 1.0},
            [0.6 * 0.8 + 0.5 * CONTEXT + 0.2 + 0.75, 0.6 * 0.6 + 0.5 * CONTEXT + 0.2],
        ),
        (CONFIG, {}, [0.6 * 0.8 + 0.5 * CONTEXT + 0.2, 0.6 * 0.6 + 0.5 * CONTEXT + 0.2]),
        (
            AnsweringConfig(similarity_weight=1.0, context_weight=0.0, overlap_weight=2.0, rank_weight=0.0),
            {"embassy": 1.0, "reopen": 1.0},
            [0.8 + 2.0, 0.6],
        ),
    ],
)
def test_a_sentence_score_is_the_weighted_sum_of_its_evidence(
    config: AnsweringConfig, weights: dict[str, float], expected: list[float]
) -> None:
    corpus = Corpus([EMBASSY])
    scored = score_sentences(
        "Why will the embassy reopen?", QUESTION_VECTOR, corpus.ranked, corpus.sentences_of, config, None, weights
    )
    assert [s.text for s in scored] == ["The embassy will reopen in May.", "Officials gave no other details."]
    assert [s.score for s in scored] == pytest.approx(expected, abs=1e-6)
    assert [s.similarity for s in scored] == pytest.approx([0.8, 0.6], abs=1e-6)
    assert [s.context for s in scored] == pytest.approx([CONTEXT, CONTEXT], abs=1e-6)
    assert [(s.passage_rank, s.type_fit, s.recency) for s in scored] == [(1, 0.0, 0.0), (1, 0.0, 0.0)]


def test_without_weights_every_meaningful_question_word_counts_the_same() -> None:
    corpus = Corpus([Doc("a", (("The embassy will reopen in May.", 0.5), ("The embassy stays shut.", 0.5)))])
    scored = score_sentences(
        "Why will the embassy reopen?", QUESTION_VECTOR, corpus.ranked, corpus.sentences_of, CONFIG
    )
    assert [(s.text, s.overlap) for s in scored] == [
        ("The embassy will reopen in May.", 1.0),
        ("The embassy stays shut.", 0.5),
    ]


@pytest.mark.parametrize(
    ("docs", "weights", "expected"),
    [
        pytest.param(
            [Doc("a", (("Delegates met briefly.", 0.3), ("Delegates met again.", 0.9)))],
            {}, [("a", "Delegates met again."), ("a", "Delegates met briefly.")],
            id="closer-embedding-first",
        ),
        pytest.param(
            [Doc("a", (("Delegates met briefly.", 0.5), ("Darchiev met delegates.", 0.5)))],
            {"darchiev": 1.0}, [("a", "Darchiev met delegates."), ("a", "Delegates met briefly.")],
            id="question-words-first",
        ),
        pytest.param(
            [Doc("a", (("Talks resumed in Istanbul.", 0.5), ("Darchiev spoke at length.", 0.5)))],
            {"darchiev": idf(2, 100), "talk": idf(90, 100)},
            [("a", "Darchiev spoke at length."), ("a", "Talks resumed in Istanbul.")],
            id="rare-word-beats-common-word",
        ),
        pytest.param(
            [Doc("a", (("Talks resumed in Istanbul.", 0.5), ("Darchiev spoke at length.", 0.5)))],
            {"darchiev": idf(90, 100), "talk": idf(2, 100)},
            [("a", "Talks resumed in Istanbul."), ("a", "Darchiev spoke at length.")],
            id="weights-decide-not-position",
        ),
        pytest.param(
            [Doc("a", (("Talks resumed.", 0.5),)), Doc("b", (("Talks resumed.", 0.5),))],
            {}, [("a", "Talks resumed."), ("b", "Talks resumed.")],
            id="better-retrieved-passage-first",
        ),
        pytest.param(
            [Doc("a", (("Talks resumed.", 0.5),)), Doc("b", (("Talks resumed.", 0.5), ("Darchiev led them.", 0.9)))],
            {}, [("b", "Darchiev led them."), ("b", "Talks resumed."), ("a", "Talks resumed.")],
            id="closer-passage-lifts-its-sentences-over-better-retrieved",
        ),
    ],
)  # fmt: skip
def test_sentences_are_ordered_by_evidence(
    docs: list[Doc], weights: dict[str, float], expected: list[tuple[str, str]]
) -> None:
    corpus = Corpus(docs)
    scored = score_sentences(
        "Why did Darchiev meet?", QUESTION_VECTOR, corpus.ranked, corpus.sentences_of, CONFIG, None, weights
    )
    assert [(s.source.passage.article_id, s.text) for s in scored] == expected
    assert [s.score for s in scored] == sorted((s.score for s in scored), reverse=True)


SAME = (("Leaders agreed on a statement.", 0.5),)
WINDOW = TimeWindow(date(2025, 6, 18), date(2025, 6, 25))


@pytest.mark.parametrize(
    ("window", "dates", "recency_days", "expected"),
    [
        # no window: retrieval order, no date prior
        (None, ("2025-06-02", "2025-06-24"), 7.0, [("old", 0.0), ("new", 0.0)]),
        # a window lifts the article inside it above a better-retrieved one outside
        (WINDOW, ("2025-06-02", "2025-06-24"), 7.0, [("new", 1.0), ("old", math.exp(-16 / 7))]),
        # ... and keeps the better-retrieved one first when that one is inside
        (
            TimeWindow(date(2025, 5, 26), date(2025, 6, 4)),
            ("2025-06-02", "2025-06-24"),
            7.0,
            [("old", 1.0), ("new", math.exp(-20 / 7))],
        ),
        # closer to the window wins when both are outside; the scale sets the decay
        (WINDOW, ("2025-06-10", "2025-06-16"), 7.0, [("new", math.exp(-2 / 7)), ("old", math.exp(-8 / 7))]),
        (WINDOW, ("2025-06-10", "2025-06-16"), 14.0, [("new", math.exp(-2 / 14)), ("old", math.exp(-8 / 14))]),
        # undated or unreadable dates get no prior
        (WINDOW, (None, "2025-06-24"), 7.0, [("new", 1.0), ("old", 0.0)]),
        (WINDOW, ("June 2025", "2025-06-01"), 7.0, [("new", math.exp(-17 / 7)), ("old", 0.0)]),
    ],
)
def test_the_date_prior_favours_articles_from_the_questions_window(
    window: TimeWindow | None,
    dates: tuple[str | None, str | None],
    recency_days: float,
    expected: list[tuple[str, float]],
) -> None:
    corpus = Corpus([Doc("old", SAME, published=dates[0]), Doc("new", SAME, published=dates[1])])
    config = AnsweringConfig(recency_days=recency_days)
    scored = score_sentences(
        "Why did leaders agree?", QUESTION_VECTOR, corpus.ranked, corpus.sentences_of, config, window, {}
    )
    assert [s.source.passage.article_id for s in scored] == [article for article, _ in expected]
    assert [s.recency for s in scored] == pytest.approx([recency for _, recency in expected], abs=1e-9)
    base = 0.6 * 0.5 + 0.5 * 0.5
    ranks = {"old": 1, "new": 2}
    assert [s.score for s in scored] == pytest.approx(
        [base + 0.2 / math.sqrt(ranks[a]) + r for a, r in expected], abs=1e-6
    )


ARTICLE = "Lead paragraph. Talks resumed on Monday. Darchiev headed the Russian team. Both sides met again on Friday."
FIRST, SECOND, THIRD = (
    "Talks resumed on Monday.",
    "Darchiev headed the Russian team.",
    "Both sides met again on Friday.",
)


def _overlapping_passages() -> tuple[
    list[tuple[Candidate, StoredPassage]], dict[int, list[tuple[int, int, np.ndarray]]]
]:
    """Two passages of one article sharing its second sentence (as a window overlap would)."""
    spans = {s: (ARTICLE.index(s), ARTICLE.index(s) + len(s)) for s in (FIRST, SECOND, THIRD)}
    one = Passage("x", 0, spans[FIRST][0], spans[SECOND][1], ARTICLE[spans[FIRST][0] : spans[SECOND][1]], id=1)
    two = Passage("x", 1, spans[SECOND][0], spans[THIRD][1], ARTICLE[spans[SECOND][0] : spans[THIRD][1]], id=2)
    rows = {
        1: [(*spans[FIRST], unit(0.4)), (*spans[SECOND], unit(0.6))],
        2: [(*spans[SECOND], unit(0.6)), (*spans[THIRD], unit(0.5))],
    }
    ranked = [
        (Candidate(p.id or 0, 0.0, None, None, None), StoredPassage(p, "T", None, "2025-06-25", None))
        for p in (one, two)
    ]
    return ranked, rows


def test_each_sentence_is_scored_once_with_its_best_passage_and_article_offsets() -> None:
    ranked, rows = _overlapping_passages()
    scored = score_sentences("Why?", QUESTION_VECTOR, ranked, lambda p: rows[p.id or 0], CONFIG)
    assert {s.text: s.passage_rank for s in scored} == {FIRST: 1, SECOND: 1, THIRD: 2}
    assert len(scored) == 3
    for s in scored:
        assert ARTICLE[s.start : s.end] == s.text


def test_the_same_passage_retrieved_twice_is_scored_once() -> None:
    corpus = Corpus([EMBASSY])
    twice = corpus.ranked * 2
    scored = score_sentences("Why?", QUESTION_VECTOR, twice, corpus.sentences_of, CONFIG)
    assert [(s.text, s.passage_rank) for s in scored] == [(t, 1) for t, _ in EMBASSY.sentences]


@pytest.mark.parametrize(("considered", "articles"), [(1, {"a"}), (2, {"a", "b"}), (60, {"a", "b", "c"})])
def test_only_the_leading_passages_are_considered(considered: int, articles: set[str]) -> None:
    corpus = Corpus([Doc(x, (("Talks resumed.", 0.5),)) for x in "abc"])
    config = AnsweringConfig(passages_considered=considered)
    scored = score_sentences("Why?", QUESTION_VECTOR, corpus.ranked, corpus.sentences_of, config)
    assert {s.source.passage.article_id for s in scored} == articles


def test_a_passage_without_sentences_is_skipped_but_keeps_its_rank() -> None:
    corpus = Corpus([Doc("a", (("Talks resumed.", 0.5),)), Doc("b", (("Talks resumed.", 0.5),))])
    corpus.rows[1] = []  # replaced since retrieval
    scored = score_sentences("Why?", QUESTION_VECTOR, corpus.ranked, corpus.sentences_of, CONFIG)
    assert [(s.source.passage.article_id, s.passage_rank) for s in scored] == [("b", 2)]
    assert score_sentences("Why?", QUESTION_VECTOR, [], corpus.sentences_of, CONFIG) == []


DATED = Doc("a", (("The talks ended without a deal.", 0.7), ("They met on March 24 in Riyadh.", 0.5)))


@pytest.mark.parametrize(
    ("question", "type_checked", "expected"),
    [
        # a "when" question lifts the sentence holding a date by type_weight
        (
            "When did the talks end?",
            25,
            [("They met on March 24 in Riyadh.", 1.0), ("The talks ended without a deal.", 0.0)],
        ),
        # ... but only among the leading type_checked sentences
        (
            "When did the talks end?",
            1,
            [("The talks ended without a deal.", 0.0), ("They met on March 24 in Riyadh.", 0.0)],
        ),
        # a question of no particular type checks nothing
        (
            "Why did the talks end?",
            25,
            [("The talks ended without a deal.", 0.0), ("They met on March 24 in Riyadh.", 0.0)],
        ),
    ],
)
def test_type_fit_lifts_sentences_holding_the_asked_for_kind_of_span(
    question: str, type_checked: int, expected: list[tuple[str, float]]
) -> None:
    corpus = Corpus([DATED])
    config = AnsweringConfig(type_checked=type_checked)
    weights: dict[str, float] = {}  # similarity alone puts the dateless sentence 0.12 ahead
    plain = score_sentences(
        "Why did the talks end?", QUESTION_VECTOR, corpus.ranked, corpus.sentences_of, config, None, weights
    )
    scored = score_sentences(question, QUESTION_VECTOR, corpus.ranked, corpus.sentences_of, config, None, weights)
    assert [(s.text, s.type_fit) for s in scored] == expected
    before = {s.text: s.score for s in plain}
    assert [s.score for s in scored] == pytest.approx([before[t] + config.type_weight * fit for t, fit in expected])


# -- quotes -------------------------------------------------------------------------------------


def _sentence(text: str, article_id: str, score: float, source: str | None = None, start: int = 0) -> ScoredSentence:
    passage = Passage(article_id, 0, 0, 200, text)
    stored = StoredPassage(passage, f"Title {article_id}", None, "2025-06-25", source)
    return ScoredSentence(stored, start, start + len(text), text, 0.5, 0.5, 0.0, 1, 0.0, 0.0, score)


NATO = "NATO allies agreed to spend five percent of GDP on defence."
NATO_REWORDED = "NATO allies agreed to spend five percent of GDP on their defence."  # 11 words, 10 shared
NATO_OTHER = "NATO allies could not agree on Ukraine."
TRUMP = "Trump left the summit a day early."


@pytest.mark.parametrize(
    ("sentences", "limit", "expected"),
    [
        pytest.param(
            [
                _sentence(NATO, "a", 3.0, "Reuters"),
                _sentence(TRUMP, "b", 2.0, "AP"),
                _sentence(NATO_OTHER, "c", 1.0, "BBC"),
            ],
            2,
            [(NATO, "a", ()), (TRUMP, "b", ())],
            id="distinct-up-to-limit",
        ),
        pytest.param(
            [_sentence(NATO, "a", 3.0, "Reuters"), _sentence(NATO, "b", 2.0, "AP"), _sentence(TRUMP, "c", 1.0, "BBC")],
            5,
            [(NATO, "a", ("AP",)), (TRUMP, "c", ())],
            id="copy-elsewhere-credits-its-source",
        ),
        pytest.param(
            [_sentence(NATO, "a", 3.0, "Reuters"), _sentence(NATO_REWORDED, "b", 2.0, None)],
            5,
            [(NATO, "a", ("Title b",))],
            id="near-copy-credits-title-without-source",
        ),
        pytest.param(
            [_sentence(NATO, "a", 3.0, "Reuters"), _sentence(NATO, "a", 2.0, "Reuters", start=120)],
            5,
            [(NATO, "a", ())],
            id="repeat-in-same-article-credits-nobody",
        ),
        pytest.param(
            [_sentence(NATO, "a", 3.0, "Reuters"), _sentence(NATO, "b", 2.0, "AP"), _sentence(NATO, "c", 1.0, "AP")],
            5,
            [(NATO, "a", ("AP",))],
            id="each-source-credited-once",
        ),
        pytest.param(
            [_sentence(NATO, "a", 3.0, "Reuters"), _sentence(TRUMP, "b", 2.0, "AP"), _sentence(NATO, "c", 1.0, "BBC")],
            1,
            [(NATO, "a", ("BBC",))],
            id="copies-credited-past-the-limit",
        ),
        pytest.param(
            [_sentence(NATO, "a", 3.0, "Reuters"), _sentence(NATO_OTHER, "b", 2.0, "AP")],
            5,
            [(NATO, "a", ()), (NATO_OTHER, "b", ())],
            id="shared-words-below-80-percent-differ",
        ),
        pytest.param([], 3, [], id="nothing"),
    ],
)
def test_collapse_duplicates(
    sentences: list[ScoredSentence], limit: int, expected: list[tuple[str, str, tuple[str, ...]]]
) -> None:
    quotes = collapse_duplicates(sentences, limit)
    assert [(q.text, q.article_id, q.also_reported_by) for q in quotes] == expected


def test_only_the_leading_candidates_are_looked_at_for_copies() -> None:
    # limit 1 looks at max(4 * 1, 20) = 20 sentences: a copy at position 21 is not credited
    filler = [
        _sentence(f"Unrelated sentence number {i} about {w}.", f"f{i}", 2.0 - i / 100, "X")
        for i, w in enumerate("abcdefghijklmnopqrs")
    ]
    near = [_sentence(NATO, "a", 3.0, "Reuters"), *filler, _sentence(NATO, "late", 0.5, "Late")]
    assert len(near) == 21
    assert collapse_duplicates(near, 1)[0].also_reported_by == ()
    assert collapse_duplicates(near[:19] + near[20:], 1)[0].also_reported_by == ("Late",)


def test_a_quote_carries_its_articles_metadata_and_a_rounded_score() -> None:
    [quote] = collapse_duplicates([_sentence(NATO, "a", 1.234567, "Reuters", start=40)], 3)
    assert (quote.title, quote.url, quote.published, quote.source) == ("Title a", None, "2025-06-25", "Reuters")
    assert (quote.start, quote.end, quote.score) == (40, 40 + len(NATO), 1.2346)


# -- answers ------------------------------------------------------------------------------------


def confidence(similarity: float, context: float) -> float:
    return round(1.0 / (1.0 + math.exp(-(3.1 * similarity + 1.8 * context - 2.75))), 4)


@pytest.mark.parametrize(
    ("cosine", "abstain_below", "expected_confidence", "answered"),
    [
        (1.0, 0.35, 0.8957, True),
        (0.5, 0.35, 0.4256, True),
        (0.45, 0.35, 0.3670, True),
        (0.4, 0.35, 0.3122, False),
        (0.0, 0.35, 0.0601, False),
        (0.5, 0.43, 0.4256, False),
        (0.0, 0.0, 0.0601, True),
    ],
)
def test_confidence_and_abstention(
    cosine: float, abstain_below: float, expected_confidence: float, answered: bool
) -> None:
    sentence = "Darchiev headed the Russian team."
    corpus = Corpus([Doc("a", ((sentence, cosine),))])
    config = AnsweringConfig(abstain_below=abstain_below)
    answer = answer_from_passages(
        "Who headed the Russian team?", QUESTION_VECTOR, corpus.ranked, corpus.sentences_of, 3, config
    )
    assert expected_confidence == confidence(cosine, cosine)
    assert answer.confidence == pytest.approx(expected_confidence, abs=1e-4)
    assert [q.text for q in answer.quotes] == [sentence]  # an abstention still shows the closest quotes
    if answered:
        assert (answer.answer, answer.message) == (sentence, None)
        assert answer.short_answer is not None and answer.short_answer.text == "Darchiev"
    else:
        assert (answer.answer, answer.short_answer, answer.message) == (None, None, NO_ANSWER_MESSAGE)


def test_nothing_retrieved_is_an_abstention_without_quotes() -> None:
    answer = answer_from_passages("Who won?", QUESTION_VECTOR, [], lambda p: [], 5, CONFIG)
    assert answer == Answer("Who won?", None, 0.0, (), message=NO_ANSWER_MESSAGE, answer_kind="none")


SUMMIT = Doc(
    "summit",
    (
        ("Leaders of the Group of Seven met in Kananaskis.", 0.6),
        ("Mark Carney chaired the summit for Canada.", 0.95),
        ("Trump left the gathering a day early.", 0.7),
        ("The leaders issued no joint statement on Ukraine.", 0.5),
    ),
    published="2025-06-17",
    source="Example News",
)
NATO_DOC = Doc("nato", (("NATO allies met in The Hague.", 0.3),), published="2025-06-25", source="Other Wire")


@pytest.mark.parametrize(("top_k", "quoted"), [(1, 1), (2, 2), (4, 4), (5, 5), (10, 5)])
def test_answer_quotes_are_verbatim_best_first_and_at_most_top_k(top_k: int, quoted: int) -> None:
    corpus = Corpus([SUMMIT, NATO_DOC])
    question = "Who chaired the summit?"
    answer = answer_from_passages(question, QUESTION_VECTOR, corpus.ranked, corpus.sentences_of, top_k, CONFIG)
    assert answer.question == question
    assert answer.answer == "Mark Carney chaired the summit for Canada."
    order = [
        "Mark Carney chaired the summit for Canada.",
        "Trump left the gathering a day early.",
        "Leaders of the Group of Seven met in Kananaskis.",
        "The leaders issued no joint statement on Ukraine.",
        "NATO allies met in The Hague.",
    ]
    assert [q.text for q in answer.quotes] == order[:quoted]
    scores = [q.score for q in answer.quotes]
    assert scores == sorted(scores, reverse=True)
    for quote in answer.quotes:
        assert corpus.articles[quote.article_id][quote.start : quote.end] == quote.text
        doc = SUMMIT if quote.article_id == "summit" else NATO_DOC
        assert (quote.title, quote.url, quote.published, quote.source) == (
            f"Title {doc.article_id}", f"https://example.org/{doc.article_id}", doc.published, doc.source,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Who chaired the summit?", "Mark Carney"),
        ("Which country chaired the summit?", "Canada"),
        ("Why was the summit chaired?", None),  # no particular type: no short answer
        ("When was the summit chaired?", None),  # no date in the sentence
    ],
)
def test_short_answer_points_into_the_article(question: str, expected: str | None) -> None:
    corpus = Corpus([SUMMIT])
    answer = answer_from_passages(question, QUESTION_VECTOR, corpus.ranked, corpus.sentences_of, 3, CONFIG)
    assert answer.answer == "Mark Carney chaired the summit for Canada."
    if expected is None:
        assert answer.short_answer is None
        return
    start = SUMMIT.text.index(expected)
    assert answer.short_answer == ShortAnswer(expected, "summit", start, start + len(expected))
    assert SUMMIT.text[start : start + len(expected)] == expected


# -- quotes of an answer read by a reading model ------------------------------------------------


class SpanAcrossSentences:
    """A reader whose best span runs from the end of one sentence into the next."""

    phrase = "thank her. The coastal authority"

    def read(self, question: str, windows: Sequence[str]) -> list[SpanScore]:
        found = [w.find(self.phrase) for w in windows]
        return [
            SpanScore(at, at + len(self.phrase), 3.0, 0.0) if at >= 0 else SpanScore(0, 1, -3.0, 0.0) for at in found
        ]

    def confidence(self, margin: float) -> float:
        return float(1 / (1 + math.exp(-margin)))


QUAY = Doc(
    "quay",
    (
        ("Villagers gathered on the quay to thank her.", 0.9),
        ("The coastal authority said the beacon would be checked twice a year.", 0.5),
    ),
)


# The reader's span joins both sentences into one quote; the second sentence is not quoted again on its own.
def test_quotes_of_a_read_answer_do_not_overlap() -> None:
    corpus = Corpus([QUAY])
    scored = score_sentences("Who did villagers thank?", QUESTION_VECTOR, corpus.ranked, corpus.sentences_of, CONFIG)
    answer = answer_by_reading(
        "Who did villagers thank?", scored, corpus.sentences_of, SpanAcrossSentences(), 5,
        AnsweringConfig(reading_budget=1, reader_abstain_below=0.0, reading_evidence_weight=0.0, reading_unit="sentence"),
    )
    assert answer.answer == QUAY.text[len(QUAY.prefix) :]  # both sentences, as one verbatim quote
    spans = sorted((q.start, q.end) for q in answer.quotes if q.article_id == "quay")
    assert all(end <= start for (_, end), (start, _) in zip(spans, spans[1:])), spans


def test_counts_read_ahead_of_the_passage_total_still_weigh_every_word() -> None:
    # A question asked while articles are added may see new frequencies with an older passage total.
    weights = term_weights("When does work on the pier start?", {"work": 12, "pier": 12, "start": 12}, 10)
    assert set(weights) == {"work", "pier", "start"} and all(w > 0 for w in weights.values())
