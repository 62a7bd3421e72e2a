"""The reader's pure parts: windows, span decoding, labels, training examples, calibration."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from newsdesk.qa.ingest.sentences import split_sentences
from newsdesk.qa.reader.card import fit_logistic
from newsdesk.qa.reader.config import ReaderConfig, TrainingConfig
from newsdesk.qa.reader.examples import news_examples, squad_examples
from newsdesk.qa.reader.spans import best_span
from newsdesk.qa.reader.windows import window_around

DOCUMENT = "First one. Second one here. Third one! Fourth and last."


@pytest.mark.parametrize(
    ("index", "neighbours", "expected"),
    [
        (0, 1, "First one. Second one here."),
        (1, 1, "First one. Second one here. Third one!"),
        (3, 1, "Third one! Fourth and last."),
        (2, 0, "Third one!"),
        (1, 5, DOCUMENT),
    ],
)
def test_window_is_verbatim_centre_and_neighbours(index: int, neighbours: int, expected: str) -> None:
    sentences = split_sentences(DOCUMENT)
    window = window_around(DOCUMENT, sentences, index, neighbours)
    assert window.text == expected
    assert DOCUMENT[window.start : window.end] == window.text
    assert window.centre == sentences[index]


def _logits(size: int, start: dict[int, float], end: dict[int, float]) -> tuple[np.ndarray, np.ndarray]:
    s, e = np.zeros(size), np.zeros(size)
    for i, v in start.items():
        s[i] = v
    for i, v in end.items():
        e[i] = v
    return s, e


def test_best_span_stays_inside_the_window_and_ordered() -> None:
    # tokens: [CLS] q q [SEP] w0 w1 w2 [SEP]; w tokens cover chars 0-3, 4-7, 8-11
    starts = np.array([-1, -1, -1, -1, 0, 4, 8, -1])
    ends = np.array([-1, -1, -1, -1, 3, 7, 11, -1])
    # the highest logits sit on question tokens and on an end before its start: both must be ignored
    s, e = _logits(8, {1: 9.0, 4: -10.0, 5: 2.0, 6: -1.0}, {2: 9.0, 4: 5.0, 5: -1.0, 6: 1.5})
    span = best_span(s, e, starts, ends, max_tokens=30)
    assert (span.start, span.end) == (4, 11)
    assert span.score == pytest.approx(3.5)
    assert span.null_score == pytest.approx(0.0)


def test_best_span_respects_the_length_limit_and_reports_margin() -> None:
    starts = np.array([-1, 0, 4, 8])
    ends = np.array([-1, 3, 7, 11])
    s, e = _logits(4, {0: 1.0, 1: 3.0, 3: 0.5}, {0: 1.0, 3: 3.0, 1: 0.2})
    span = best_span(s, e, starts, ends, max_tokens=2)
    assert (span.start, span.end) in {(0, 3), (8, 11)}
    assert span.margin == pytest.approx(span.score - 2.0)


def test_best_span_of_an_empty_window_is_never_chosen() -> None:
    span = best_span(np.zeros(3), np.zeros(3), np.full(3, -1), np.full(3, -1), 30)
    assert span.start == -1 and span.margin == -math.inf


def test_token_labels_mark_the_gold_span_and_cls_for_none() -> None:
    from transformers import AutoTokenizer

    from newsdesk.qa.reader.encoding import encode_pairs, token_labels
    from newsdesk.qa.reader.network import base_model_dir

    tokenizer = AutoTokenizer.from_pretrained(str(base_model_dir()))
    text = "The summit was held in The Hague in June."
    answer = (text.index("The Hague"), text.index("The Hague") + len("The Hague"))
    batch = encode_pairs(["Where was the summit?", "Where was it?"], [text, text], tokenizer, ReaderConfig())
    starts, ends = token_labels(batch, [answer, None])
    assert batch.char_starts[0, starts[0]] == answer[0] and batch.char_ends[0, ends[0]] == answer[1]
    assert (starts[1], ends[1]) == (0, 0)


def test_long_questions_keep_their_end() -> None:
    from transformers import AutoTokenizer

    from newsdesk.qa.reader.encoding import question_tail
    from newsdesk.qa.reader.network import base_model_dir

    tokenizer = AutoTokenizer.from_pretrained(str(base_model_dir()))
    question = "background " * 100 + "Who won the race?"
    cut = question_tail(question, tokenizer, 8)
    assert cut.endswith("Who won the race?") and len(tokenizer(cut, add_special_tokens=False)["input_ids"]) <= 8


def test_squad_examples_build_positives_hard_negatives_and_hold_out(tmp_path: Path) -> None:
    context = "Paris is the capital of France. It has many museums. The Louvre is the largest museum. Rivers cross it."
    articles = []
    for number in range(2):
        qas = [
            {"id": f"a{number}", "question": "What is the largest museum?", "is_impossible": False,
             "answers": [{"text": "The Louvre", "answer_start": context.index("The Louvre")}]},
            {"id": f"u{number}", "question": "What is the smallest museum?", "is_impossible": True, "answers": []},
        ]
        articles.append({"title": f"T{number}", "paragraphs": [{"context": context, "qas": qas}]})
    path = tmp_path / "squad.json"
    path.write_text(json.dumps({"version": "v2.0", "data": articles}))
    split = squad_examples(path, TrainingConfig(holdout_every_squad_article=2, negatives_per_question=1))
    assert {e.question_id for e in split.held_out} == {"a1", "u1"}
    positives = [e for e in split.train if e.answer]
    assert len(positives) == 1 and positives[0].text[positives[0].answer[0] : positives[0].answer[1]] == "The Louvre"
    negatives = [e for e in split.train if e.answer is None]
    assert {e.question_id for e in negatives} == {"a0", "u0"}
    assert all("The Louvre" not in e.text for e in negatives)


def test_news_examples_take_negatives_from_other_paragraphs(tmp_path: Path) -> None:
    rows = [
        {"id": "q1", "question": "Which city hosted the summit?", "answers": ["Oslo"], "answer_start": 16,
         "context": "The summit met, Oslo said. Leaders came.", "week": "2023/a"},
        {"id": "q2", "question": "Who won the election?", "answers": ["Ana Ruiz"], "answer_start": 0,
         "context": "Ana Ruiz won the election. The summit was quiet.", "week": "2023/a"},
    ]
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    split = news_examples(path, TrainingConfig(holdout_every_news_week=99, negatives_per_question=1))
    by_question = {(e.question_id, e.answer is None): e for e in split.train}
    assert by_question[("q1", False)].text[slice(*by_question[("q1", False)].answer)] == "Oslo"
    assert "Oslo" not in by_question[("q1", True)].text and "Ana Ruiz" not in by_question[("q2", True)].text


def test_fit_logistic_recovers_a_separating_direction() -> None:
    xs = [float(x) for x in range(-10, 11)]
    ys = [int(x + (0.5 if i % 3 else -1.5) > 0) for i, x in enumerate(xs)]
    slope, bias = fit_logistic(xs, ys)
    assert slope > 0
    assert 1 / (1 + math.exp(-(slope * 8 + bias))) > 0.9
    assert 1 / (1 + math.exp(-(slope * -8 + bias))) < 0.1


@pytest.mark.parametrize(
    ("document", "expected_start"),
    [
        ("ISTANBUL: Diplomats met on Thursday. They talked.", "Diplomats met"),
        ("WASHINGTON/SOCHI: Putin spoke. Trump listened.", "Putin spoke."),
        ("KANANASKIS, Alberta: Leaders met. It rained.", "Leaders met."),
        ("NEW YORK (Reuters) — Stocks rose. Bonds fell.", "Stocks rose."),
        ("Officials said: talks will go on. Fine.", "Officials said:"),
    ],
)
def test_a_dateline_is_left_out_of_the_window(document: str, expected_start: str) -> None:
    window = window_around(document, split_sentences(document), 0)
    assert window.text.startswith(expected_start)
    assert document[window.start : window.end] == window.text
