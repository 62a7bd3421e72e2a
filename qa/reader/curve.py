"""The training curve: held-out scores every few hundred steps, and which checkpoint is best."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsdesk.qa.reader.examples import ReadingExample

__all__ = ["curve_sample", "curve_score", "record_point", "read_curve"]


def curve_sample(held_out: Sequence[ReadingExample], per_source: int, seed: int) -> list[ReadingExample]:
    """All windows of ``per_source`` seeded-random held-out questions of each source (SQuAD, news)."""
    by_question: dict[str, list[ReadingExample]] = defaultdict(list)
    for example in held_out:
        by_question[example.question_id].append(example)
    rng = random.Random(seed)
    chosen: list[ReadingExample] = []
    for source in sorted({e.source for e in held_out}):
        ids = sorted(q for q, rows in by_question.items() if rows[0].source == source)
        for question_id in rng.sample(ids, min(per_source, len(ids))):
            chosen.extend(by_question[question_id])
    return chosen


def curve_score(metrics: dict[str, Any]) -> float:
    """One number to pick the best checkpoint: answer F1 over all windows and "not here" accuracy, equally."""
    return round((metrics["f1_best_window"] + metrics["no_answer_windows_refused"]) / 2, 4)


def record_point(path: Path, step: int, metrics_by_source: dict[str, dict[str, Any]]) -> float:
    """Append one point of the curve to ``path`` (JSON lines); returns its score (mean over sources)."""
    score = round(sum(curve_score(m) for m in metrics_by_source.values()) / max(1, len(metrics_by_source)), 4)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"step": step, "score": score, **metrics_by_source}) + "\n")
    return score


def read_curve(path: Path) -> list[dict[str, Any]]:
    """The points recorded so far (empty before the first check)."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
