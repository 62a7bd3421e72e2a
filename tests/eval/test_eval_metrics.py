from __future__ import annotations

import pytest

from newsdesk.eval.metrics import (
    QuestionScore,
    aggregate,
    contains_answer,
    exact_match,
    f1_score,
    first_hit_rank,
    normalize_answer,
    percentile,
    recall_at_k,
    reciprocal_rank,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Eiffel Tower!", "eiffel tower"),
        ("  An   apple,  a day ", "apple day"),
        ("U.S.A.", "usa"),
        ("rock-n-roll", "rocknroll"),
        ("$1,000.50", "100050"),
        ("Tab\tand\nnewline", "tab and newline"),
        ("Theater Anthem", "theater anthem"),  # articles only as whole words
        ("Anthem of the Seas", "anthem of seas"),
        # Only ASCII punctuation goes (as in the official script); the article between
        # en dashes is still a whole word and leaves a space behind.
        ("north\u2013the\u2013south", "north\u2013 \u2013south"),
        ("THE", ""),
        ("", ""),
    ],
)
def test_normalize_answer(text: str, expected: str) -> None:
    assert normalize_answer(text) == expected


@pytest.mark.parametrize(
    ("prediction", "golds", "expected"),
    [
        ("Eiffel Tower", ["the Eiffel tower."], 1.0),
        ("Tower", ["Eiffel Tower"], 0.0),
        ("Paris", ["London", "paris!"], 1.0),
        ("the", ["a"], 1.0),  # both normalise to ""
        (None, ["Paris"], 0.0),
        ("Paris", [], 0.0),
    ],
)
def test_exact_match(prediction: str | None, golds: list[str], expected: float) -> None:
    assert exact_match(prediction, golds) == expected


@pytest.mark.parametrize(
    ("prediction", "golds", "expected"),
    [
        # pred tokens: eiffel tower in paris (4).
        # vs "eiffel tower": overlap 2, P=2/4, R=2/2 -> F1 = 2*.5*1/1.5 = 2/3.
        # vs "paris france": overlap 1, P=1/4, R=1/2 -> F1 = .25/.75 = 1/3. Best 2/3.
        ("the Eiffel Tower in Paris", ["Eiffel Tower", "Paris France"], 2 / 3),
        # pred: new york city (3).
        # vs "york": overlap 1, P=1/3, R=1 -> F1 = (2/3)/(4/3) = 1/2.
        # vs "new york": overlap 2, P=2/3, R=1 -> F1 = (4/3)/(5/3) = 4/5. Best 4/5.
        ("New York City", ["York", "new york"], 0.8),
        # Counts clip: pred {red: 2, blue: 1}, gold {red: 1, blue: 2} -> overlap 2,
        # P=2/3, R=2/3 -> F1 = 2/3.
        ("red red blue", ["red blue blue"], 2 / 3),
        ("Berlin", ["Paris"], 0.0),
        ("the", ["a"], 1.0),  # empty vs empty counts as a match (SQuAD v2 rule)
        ("the", ["Paris"], 0.0),
        (None, ["Paris"], 0.0),
        ("Paris", [], 0.0),
    ],
)
def test_f1_score(prediction: str | None, golds: list[str], expected: float) -> None:
    assert f1_score(prediction, golds) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "golds", "expected"),
    [
        ("Casualties rose to 6 on Monday.", ["6"], True),
        ("Casualties rose to 16 on Monday.", ["6"], False),
        ("6", ["6"], True),
        ("Visitors love the Eiffel Tower, in Paris.", ["eiffel tower"], True),
        ("The Eiffel Towers", ["Eiffel Tower"], False),
        ("Paris in spring", ["London", "PARIS"], True),
        ("the article is here", ["The"], False),  # empty normalised gold
        (None, ["Paris"], False),
        ("Paris", [], False),
    ],
)
def test_contains_answer(text: str | None, golds: list[str], expected: bool) -> None:
    assert contains_answer(text, golds) is expected


@pytest.mark.parametrize(
    ("texts", "golds", "expected"),
    [
        (["nothing", "still 16", "it was 6", "6 again"], ["6"], 3),
        (["6"], ["6"], 1),
        (["16", "26"], ["6"], None),
        ([], ["6"], None),
    ],
)
def test_first_hit_rank(texts: list[str], golds: list[str], expected: int | None) -> None:
    assert first_hit_rank(texts, golds) == expected


@pytest.mark.parametrize(
    ("rank", "k", "expected"),
    [(1, 1, 1.0), (3, 3, 1.0), (3, 2, 0.0), (None, 20, 0.0)],
)
def test_recall_at_k(rank: int | None, k: int, expected: float) -> None:
    assert recall_at_k(rank, k) == expected


@pytest.mark.parametrize(("rank", "expected"), [(1, 1.0), (4, 0.25), (None, 0.0)])
def test_reciprocal_rank(rank: int | None, expected: float) -> None:
    assert reciprocal_rank(rank) == expected


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([1.0, 2.0, 3.0, 4.0], 50, 2.5),  # position 1.5
        ([1.0, 2.0, 3.0, 4.0], 95, 3.85),  # position 2.85 -> 3 + .85 * 1
        ([4.0, 1.0, 3.0, 2.0], 25, 1.75),  # unsorted input; position .75
        ([1.0, 2.0, 3.0, 4.0], 0, 1.0),
        ([1.0, 2.0, 3.0, 4.0], 100, 4.0),
        ([10.0, 20.0], 95, 19.5),
        ([5.0], 95, 5.0),
        ([], 50, 0.0),
    ],
)
def test_percentile(values: list[float], q: float, expected: float) -> None:
    assert percentile(values, q) == pytest.approx(expected)


@pytest.mark.parametrize("q", [-1, 100.5])
def test_percentile_rejects_out_of_range(q: float) -> None:
    with pytest.raises(ValueError, match="percentile"):
        percentile([1.0], q)


def _score(
    *,
    answerable: bool,
    abstained: bool = False,
    answer_hit: bool = False,
    em: float = 0.0,
    f1: float = 0.0,
    rank: int | None = None,
    verbatim: int = 0,
    total: int = 0,
    latency_ms: float = 0.0,
) -> QuestionScore:
    return QuestionScore(
        answerable=answerable,
        abstained=abstained,
        answer_hit=answer_hit,
        exact_match=em,
        f1=f1,
        hit_rank=rank,
        quotes_verbatim=verbatim,
        quotes_total=total,
        latency_ms=latency_ms,
    )


def test_aggregate_hand_computed() -> None:
    scores = [
        _score(
            answerable=True,
            answer_hit=True,
            em=1.0,
            f1=1.0,
            rank=1,
            verbatim=2,
            total=2,
            latency_ms=100.0,
        ),
        _score(answerable=True, f1=0.5, rank=3, verbatim=1, total=2, latency_ms=200.0),
        _score(answerable=True, abstained=True, latency_ms=300.0),
        _score(answerable=False, abstained=True, latency_ms=400.0),
        # Answered an unanswerable question; its rank must not leak into answerable metrics.
        _score(
            answerable=False,
            answer_hit=True,
            em=1.0,
            f1=1.0,
            rank=2,
            verbatim=1,
            total=1,
            latency_ms=1000.0,
        ),
    ]

    report = aggregate(scores, ks=(1, 3))

    assert report == pytest.approx(
        {
            "questions": 5,
            "answerable": 3,
            "unanswerable": 2,
            "answer_hit": 1 / 3,  # 1 of 3 answerable
            "exact_match": 1 / 3,
            "f1": 0.5,  # (1 + .5 + 0) / 3
            "mrr": 4 / 9,  # (1/1 + 1/3 + 0) / 3
            "quote_recall@1": 1 / 3,  # ranks 1, 3, None
            "quote_recall@3": 2 / 3,
            "abstain_rate_answerable": 1 / 3,
            "abstain_precision": 0.5,  # 2 abstentions, 1 on an unanswerable question
            "abstain_recall": 0.5,  # 1 of 2 unanswerable questions abstained on
            "quotes_verbatim": 0.8,  # (2 + 1 + 1) / (2 + 2 + 1)
            "latency_ms_p50": 300.0,  # sorted 100, 200, 300, 400, 1000; position 2
            "latency_ms_p95": 880.0,  # position 3.8 -> 400 + .8 * 600
            "latency_ms_mean": 400.0,  # 2000 / 5
        }
    )


def test_aggregate_of_nothing_uses_documented_defaults() -> None:
    report = aggregate([], ks=(5,))

    assert report == {
        "questions": 0,
        "answerable": 0,
        "unanswerable": 0,
        "answer_hit": 0.0,
        "exact_match": 0.0,
        "f1": 0.0,
        "mrr": 0.0,
        "quote_recall@5": 0.0,
        "abstain_rate_answerable": 0.0,
        "abstain_precision": 0.0,
        "abstain_recall": 0.0,
        "quotes_verbatim": 1.0,
        "latency_ms_p50": 0.0,
        "latency_ms_p95": 0.0,
        "latency_ms_mean": 0.0,
    }


def test_aggregate_default_ks_cover_1_to_20() -> None:
    report = aggregate([_score(answerable=True, rank=7)])

    recall_keys = [key for key in report if key.startswith("quote_recall@")]
    assert recall_keys == [f"quote_recall@{k}" for k in range(1, 21)]
    assert report["quote_recall@6"] == 0.0
    assert report["quote_recall@7"] == 1.0
