"""Training data of the reader: gzip files, per-file hold-out, news weighting, the held-out curve."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from newsdesk.qa.reader.config import TrainingConfig
from newsdesk.qa.reader.curve import curve_sample, curve_score, read_curve, record_point
from newsdesk.qa.reader.examples import ReadingExample, load_examples, squad_examples
from newsdesk.qa.reader.train import _batches, _fingerprint

CONTEXT = "Paris is the capital of France. It has many museums. The Louvre is the largest museum. Rivers cross it."
OTHER = "The largest museum of Spain is the Prado. Madrid is its capital. Tourists visit the museum daily."


def _squad(path: Path, articles: int) -> Path:
    data = []
    for number in range(articles):
        qas = [{"id": f"s{number}", "question": "What is the largest museum?", "is_impossible": False,
                "answers": [{"text": "The Louvre", "answer_start": CONTEXT.index("The Louvre")}]}]
        data.append({"title": f"T{number}", "paragraphs": [{"context": CONTEXT, "qas": qas}, {"context": OTHER, "qas": []}]})
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as handle:
        json.dump({"version": "1.1", "data": data}, handle)
    return path


def _news(path: Path, weeks: list[str]) -> Path:
    rows = [{"id": f"n{i}", "question": "Which city hosted the summit?", "answers": ["Oslo"], "answer_start": 16,
             "context": "The summit met, Oslo said. Leaders came to the summit.", "week": week}
            for i, week in enumerate(weeks)]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return path


def test_gzip_squad_files_read_and_negatives_come_from_other_paragraphs(tmp_path: Path) -> None:
    split = squad_examples(_squad(tmp_path / "train.json.gz", 1), TrainingConfig(negatives_per_question=2))
    negatives = [e.text for e in split.train if e.answer is None]
    assert negatives and all("The Louvre" not in text for text in negatives)
    # the most question-like window without the answer is in the other paragraph ("largest museum")
    assert any("Prado" in text for text in negatives)


def test_each_file_holds_out_its_own_articles_and_news_is_repeated(tmp_path: Path) -> None:
    config = TrainingConfig(holdout_every_squad_article=2, holdout_every_news_week=2, negatives_per_question=0, news_repeats=3)
    squad = [_squad(tmp_path / "a.json", 2), _squad(tmp_path / "b.json.gz", 2)]
    news = [_news(tmp_path / "n1.jsonl", ["w1", "w2"]), _news(tmp_path / "n2.jsonl", ["w3", "w4"])]
    split = load_examples(squad, news, config)
    # the second article of each SQuAD file and the second week of each news file are held out
    assert sorted(e.question_id for e in split.held_out) == ["n1", "n1", "s1", "s1"]
    news_rows = [e for e in split.train if e.source == "news"]
    assert len(news_rows) == 6 and {e.question_id for e in news_rows} == {"n0"}


def test_batches_are_the_same_prefix_for_a_shorter_schedule() -> None:
    examples = [ReadingExample(str(i), "q" * (i % 7), "t" * i, None, "squad") for i in range(500)]
    long = _batches(examples, TrainingConfig(batch_size=10, epochs=0.5))
    short = _batches(examples, TrainingConfig(batch_size=10, epochs=0.2))
    # a run resumed with fewer epochs sees the same batches in the same order
    assert short == long[: len(short)] and len(short) == 10


def test_the_example_cache_key_follows_the_files_and_settings(tmp_path: Path) -> None:
    path = _news(tmp_path / "n.jsonl", ["w1"])
    first = _fingerprint([path], TrainingConfig())
    assert _fingerprint([path], TrainingConfig(news_repeats=1)) != first
    path.write_text(path.read_text() + "\n", encoding="utf-8")
    assert _fingerprint([path], TrainingConfig()) != first


def test_curve_sample_takes_whole_questions_per_source_and_the_curve_is_recorded(tmp_path: Path) -> None:
    held = [ReadingExample(f"{source}{q}", "q", f"w{k}", (0, 1) if k == 0 else None, source)
            for source in ("news", "squad") for q in range(10) for k in range(3)]
    sample = curve_sample(held, 4, seed=1)
    assert len({e.question_id for e in sample if e.source == "news"}) == 4
    assert len(sample) == 24 and sample == curve_sample(held, 4, seed=1)
    metrics = {"f1_best_window": 0.6, "no_answer_windows_refused": 0.9}
    assert curve_score(metrics) == 0.75
    path = tmp_path / "curve.jsonl"
    assert read_curve(path) == []
    assert record_point(path, 250, {"news": metrics, "squad": {**metrics, "f1_best_window": 0.4}}) == 0.7
    assert read_curve(path)[0]["step"] == 250
