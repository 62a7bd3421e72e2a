"""Reading examples from the training files: windows that hold the answer, and windows that do not.

Sources (see ``../shared/data/reader-train/README.md``), each file read on its own:

- SQuAD 2.0/1.1 JSON (plain or ``.gz``): a window around the sentence that holds
  the gold answer; for each answerable question also the windows of the same
  article without the answer that share most words with the question (hard
  negatives, from its own and other paragraphs); for each unanswerable question
  the most question-like window of its paragraph.
- RealTimeQA JSONL (news quizzes): the answer window from the gold paragraph and
  the most question-like windows of other paragraphs of the same or nearby weeks.

Negatives teach the "not here" score. Every n-th article of a SQuAD file and
every n-th week of a news file are held out for the training curve and for
calibrating confidence: the reader never trains on them. The held-out choice is
made per file, so adding a file never moves another file's examples across.
"""

from __future__ import annotations

import gzip
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


@dataclass(frozen=True)
class _Candidate:
    """A window with its content terms computed once (negatives are searched many times)."""

    window: Window
    terms: frozenset[str]
    group: int


def _candidates(document: str, neighbours: int, group: int) -> list[_Candidate]:
    sentences = split_sentences(document)
    windows = (window_around(document, sentences, i, neighbours) for i in range(len(sentences)))
    return [_Candidate(w, frozenset(content_terms(w.text)), group) for w in windows]


def _answer_window(document: str, start: int, end: int, neighbours: int) -> Window | None:
    sentences = split_sentences(document)
    for i, (s, e) in enumerate(sentences):
        if s <= start < e:
            window = window_around(document, sentences, i, neighbours)
            return window if end <= window.end and start >= window.start else None
    return None


def _contains_any(text: str, answers: Iterable[str]) -> bool:
    lowered = text.lower()
    return any(a.strip() and a.strip().lower() in lowered for a in answers)


def _hardest_negatives(question: str, candidates: Iterable[_Candidate], answers: Sequence[str], count: int) -> list[Window]:
    """The ``count`` windows sharing most content words with the question, none holding an answer."""
    terms = set(content_terms(question))
    scored = sorted(
        ((len(terms & c.terms), -i, c.window) for i, c in enumerate(candidates)),
        key=lambda row: (row[0], row[1]),
        reverse=True,
    )
    negatives: list[Window] = []
    for _, _, window in scored:
        if len(negatives) == count:
            break
        if not _contains_any(window.text, answers):
            negatives.append(window)
    return negatives


def _positive(question_id: str, question: str, document: str, start: int, text: str, source: str, neighbours: int) -> ReadingExample | None:
    if document[start : start + len(text)] != text:
        return None
    window = _answer_window(document, start, start + len(text), neighbours)
    if window is None:
        return None
    return ReadingExample(question_id, question, window.text, (start - window.start, start - window.start + len(text)), source)


def _read_json(path: Path) -> dict:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _read_jsonl(path: Path) -> Iterator[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def squad_examples(path: Path, config: TrainingConfig, neighbours: int = 1) -> TrainingSplit:
    """Reading examples from a SQuAD v1/v2 JSON file (plain or gzip); every n-th article held out."""
    data = _read_json(path)["data"]
    train: list[ReadingExample] = []
    held_out: list[ReadingExample] = []
    every = config.holdout_every_squad_article
    for number, article in enumerate(data):
        target = held_out if number % every == every - 1 else train
        candidates = [c for p, paragraph in enumerate(article["paragraphs"]) for c in _candidates(paragraph["context"], neighbours, p)]
        for p, paragraph in enumerate(article["paragraphs"]):
            context = paragraph["context"]
            for qa in paragraph["qas"]:
                answers = [a["text"] for a in qa.get("answers", [])]
                question = qa["question"].strip()
                if qa.get("is_impossible") or not answers:
                    for negative in _hardest_negatives(question, (c for c in candidates if c.group == p), answers, 1):
                        target.append(ReadingExample(qa["id"], question, negative.text, None, "squad"))
                    continue
                gold = qa["answers"][0]
                positive = _positive(qa["id"], question, context, gold["answer_start"], gold["text"], "squad", neighbours)
                if positive is None:
                    continue
                target.append(positive)
                others = (c for c in candidates if c.group != p or not (c.window.start <= gold["answer_start"] < c.window.end))
                for negative in _hardest_negatives(question, others, answers, config.negatives_per_question):
                    target.append(ReadingExample(qa["id"], question, negative.text, None, "squad"))
    return TrainingSplit(train, held_out)


def news_examples(path: Path, config: TrainingConfig, neighbours: int = 1) -> TrainingSplit:
    """Reading examples from RealTimeQA-style JSONL (``question``, ``context``, ``answers``, ``answer_start``, ``week``)."""
    records = list(_read_jsonl(path))
    weeks = sorted({r["week"] for r in records})
    every = config.holdout_every_news_week
    held_weeks = {w for i, w in enumerate(weeks) if i % every == every - 1}
    by_week: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        by_week[record["week"]].append(record)
    windows_of = {r["id"]: _candidates(r["context"], neighbours, n) for n, r in enumerate(records)}
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
            others = (c for r in nearby if r["id"] != record["id"] for c in windows_of[r["id"]])
            for negative in _hardest_negatives(record["question"], others, answers, config.negatives_per_question):
                target.append(ReadingExample(record["id"], record["question"], negative.text, None, "news"))
    return TrainingSplit(train, held_out)


def load_examples(squad: Sequence[Path], news: Sequence[Path], config: TrainingConfig) -> TrainingSplit:
    """All reading examples of every file; news training examples repeated ``config.news_repeats`` times."""
    parts = [squad_examples(path, config) for path in squad]
    news_parts = [news_examples(path, config) for path in news]
    train = [e for p in parts for e in p.train] + [e for p in news_parts for e in p.train] * config.news_repeats
    held_out = [e for p in parts + news_parts for e in p.held_out]
    return TrainingSplit(train, held_out)
