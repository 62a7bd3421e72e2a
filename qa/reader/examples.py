"""Reading examples from the training files: windows that hold the answer, and windows that do not.

Two sources (see ``../shared/data/reader-train/README.md``):

- SQuAD 2.0/1.1 JSON: a window around the sentence that holds the gold answer;
  for each answerable question also a window of the same article without the
  answer (the most question-like one: a hard negative); for each unanswerable
  question the most question-like window of its paragraph.
- RealTimeQA JSONL (news quizzes): the answer window from the gold paragraph and
  the most question-like window of another paragraph of the same or a nearby week.

Negatives teach the "not here" score. Held-out SQuAD articles and news weeks are
kept apart for calibrating confidence: the reader never trains on them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsdesk.qa.ingest.sentences import split_sentences
from newsdesk.qa.reader.config import TrainingConfig
from newsdesk.qa.reader.windows import Window, window_around
from newsdesk.qa.text import content_terms

__all__ = ["ReadingExample", "TrainingSplit", "load_examples", "news_examples", "squad_examples"]


@dataclass(frozen=True)
class ReadingExample:
    """A question and one window; ``answer`` is the ``(start, end)`` of the gold span in ``text``, or None."""

    question_id: str
    question: str
    text: str
    answer: tuple[int, int] | None
    source: str


@dataclass(frozen=True)
class TrainingSplit:
    """Examples to train on, and held-out examples for calibration and checks."""

    train: list[ReadingExample]
    held_out: list[ReadingExample]


def _overlap(question_terms: set[str], text: str) -> float:
    return len(question_terms & set(content_terms(text))) / max(1, len(question_terms))


def _windows(document: str, neighbours: int) -> list[Window]:
    sentences = split_sentences(document)
    return [window_around(document, sentences, i, neighbours) for i in range(len(sentences))]


def _answer_window(document: str, start: int, end: int, neighbours: int) -> Window | None:
    sentences = split_sentences(document)
    for i, (s, e) in enumerate(sentences):
        if s <= start < e:
            window = window_around(document, sentences, i, neighbours)
            return window if end <= window.end else None
    return None


def _contains_any(text: str, answers: Iterable[str]) -> bool:
    lowered = text.lower()
    return any(a.strip() and a.strip().lower() in lowered for a in answers)


def _best_negative(question: str, candidates: Iterable[Window], answers: Sequence[str]) -> Window | None:
    terms = set(content_terms(question))
    best: tuple[float, Window] | None = None
    for window in candidates:
        if _contains_any(window.text, answers):
            continue
        score = _overlap(terms, window.text)
        if best is None or score > best[0]:
            best = (score, window)
    return best[1] if best else None


def _positive(question_id: str, question: str, document: str, start: int, text: str, source: str, neighbours: int) -> ReadingExample | None:
    if document[start : start + len(text)] != text:
        return None
    window = _answer_window(document, start, start + len(text), neighbours)
    if window is None:
        return None
    return ReadingExample(question_id, question, window.text, (start - window.start, start - window.start + len(text)), source)


def squad_examples(path: Path, config: TrainingConfig, neighbours: int = 1) -> TrainingSplit:
    """Reading examples from a SQuAD v1/v2 JSON file; every n-th article held out."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    train: list[ReadingExample] = []
    held_out: list[ReadingExample] = []
    for number, article in enumerate(data):
        target = held_out if number % config.holdout_every_squad_article == config.holdout_every_squad_article - 1 else train
        windows = [(p, w) for p, paragraph in enumerate(article["paragraphs"]) for w in _windows(paragraph["context"], neighbours)]
        for p, paragraph in enumerate(article["paragraphs"]):
            context = paragraph["context"]
            for qa in paragraph["qas"]:
                answers = [a["text"] for a in qa.get("answers", [])]
                question = qa["question"].strip()
                if qa.get("is_impossible") or not answers:
                    negative = _best_negative(question, (w for q, w in windows if q == p), answers)
                    if negative is not None:
                        target.append(ReadingExample(qa["id"], question, negative.text, None, "squad"))
                    continue
                gold = qa["answers"][0]
                positive = _positive(qa["id"], question, context, gold["answer_start"], gold["text"], "squad", neighbours)
                if positive is None:
                    continue
                target.append(positive)
                others = [w for q, w in windows if q != p or not (w.start <= gold["answer_start"] < w.end)]
                for _ in range(config.negatives_per_question):
                    negative = _best_negative(question, others, answers)
                    if negative is None:
                        break
                    others.remove(negative)
                    target.append(ReadingExample(qa["id"], question, negative.text, None, "squad"))
    return TrainingSplit(train, held_out)


def _read_jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def news_examples(path: Path, config: TrainingConfig, neighbours: int = 1) -> TrainingSplit:
    """Reading examples from RealTimeQA-style JSONL (``question``, ``context``, ``answers``, ``answer_start``, ``week``)."""
    records = list(_read_jsonl(path))
    weeks = sorted({r["week"] for r in records})
    held_weeks = {w for i, w in enumerate(weeks) if i % config.holdout_every_news_week == config.holdout_every_news_week - 1}
    by_week: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        by_week[record["week"]].append(record)
    train: list[ReadingExample] = []
    held_out: list[ReadingExample] = []
    for index, week in enumerate(weeks):
        nearby = [r for w in weeks[max(0, index - 1) : index + 2] for r in by_week[w]]
        target = held_out if week in held_weeks else train
        for record in by_week[week]:
            answers = record["answers"]
            positive = _positive(
                record["id"], record["question"], record["context"], record["answer_start"], answers[0], "news", neighbours
            )
            if positive is None:
                continue
            target.append(positive)
            others = [w for r in nearby if r["id"] != record["id"] for w in _windows(r["context"], neighbours)]
            for _ in range(config.negatives_per_question):
                negative = _best_negative(record["question"], others, answers)
                if negative is None:
                    break
                others.remove(negative)
                target.append(ReadingExample(record["id"], record["question"], negative.text, None, "news"))
    return TrainingSplit(train, held_out)


def load_examples(squad: Path, news: Path, config: TrainingConfig) -> TrainingSplit:
    """All reading examples of both sources."""
    parts = [squad_examples(squad, config), news_examples(news, config)]
    return TrainingSplit([e for p in parts for e in p.train], [e for p in parts for e in p.held_out])
