"""What the reader gets to read: the share of questions whose answer is inside a window read.

Opens a built index read-only (for instance the cached realtimeqa-dev eval index that
``newsdesk eval --corpus`` made), finds each answerable question's candidate sentences as the
pipeline does, and for each way of spending the reading budget (whole passages, or sentences with
a neighbour on each side) counts the questions where a gold answer occurs in a window read, and
how many words are read per question (what reading costs)::

    python -m bench.coverage --data-dir ~/.cache/newsdesk/eval-indexes/KEY \\
        --questions ../shared/data/realtimeqa-dev/qa.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

from newsdesk.desk import Newsdesk
from newsdesk.index.datadir import VECTORS_FILE
from newsdesk.qa.answering.read_windows import windows_to_read
from newsdesk.qa.embedding import SentenceTransformerEmbedder
from newsdesk.qa.pipeline.config import PipelineConfig

__all__ = ["MODES", "main"]

# (unit, budget) pairs compared; the pipeline's default is among them.
MODES = (("sentence", 8), ("sentence", 16), ("passage", 4), ("passage", 6), ("passage", 8), ("passage", 12))


class _AnyReader:
    """Stands in for the reader so candidates are scored as with one (scoring needs none of its output)."""

    def read(self, question: str, windows: list[str]) -> list:  # pragma: no cover - never called
        raise AssertionError("coverage reads nothing")

    def confidence(self, margin: float) -> float:  # pragma: no cover
        return 0.0


def main(argv: list[str] | None = None) -> int:
    """Print coverage per reading mode; returns 0, or 2 on a usage error."""
    parser = argparse.ArgumentParser(prog="python -m bench.coverage", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="a built newsdesk index (read-only)")
    parser.add_argument("--questions", type=Path, required=True, help="JSONL of {question, answers, date?}")
    parser.add_argument("--limit", type=int, default=0, help="questions used (0: all answerable)")
    parser.add_argument("--out", type=Path, default=None, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    if not (args.data_dir / VECTORS_FILE).is_file() or not args.questions.is_file():
        print(f"bench: need a built index in {args.data_dir} and a questions file {args.questions}", file=sys.stderr)
        return 2
    os.environ["HF_HUB_OFFLINE"] = "1"
    rows = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r.get("answers")][: args.limit or None]
    config = PipelineConfig()
    desk = Newsdesk(args.data_dir, SentenceTransformerEmbedder(), config, writer=False, reader=_AnyReader())
    covered = {mode: 0 for mode in MODES}
    words: dict[tuple[str, int], list[int]] = {mode: [] for mode in MODES}
    try:
        for row in rows:
            found = desk.candidates(row["question"], as_of=row.get("date") or None)
            golds = [a.lower() for a in row["answers"] if a.strip()]
            for unit, budget in MODES:
                windows = windows_to_read(found.scored, found.sentences_of, unit, budget, config.answering.reading_neighbours)
                texts = [w.window.text.lower() for w in windows]
                covered[(unit, budget)] += any(g in t for g in golds for t in texts)
                words[(unit, budget)].append(sum(len(t.split()) for t in texts))
    finally:
        desk.close()
    print(f"{len(rows)} answerable questions from {args.questions}")
    print(f"{'unit':>9} {'budget':>6} {'answer read':>12} {'words read p50':>15}")
    figures = []
    for unit, budget in MODES:
        share = covered[(unit, budget)] / max(1, len(rows))
        median = statistics.median(words[(unit, budget)]) if rows else 0
        figures.append({"unit": unit, "budget": budget, "answer_read": round(share, 4), "words_read_p50": median})
        print(f"{unit:>9} {budget:>6} {share:>12.3f} {median:>15.0f}")
    if args.out:
        args.out.write_text(json.dumps({"questions": len(rows), "modes": figures}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
