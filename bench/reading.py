"""What reading costs: ``/ask`` latency in-process at several reading budgets, beside a bare reference.

Opens an index that is already built (for instance the cached realtimeqa-dev
eval index that ``newsdesk eval --corpus`` made) read-only, and times
``Newsdesk.ask`` with sentence scoring alone (budget 0) and with the reader
reading the best 4, 8, ... candidate sentences. The bare reference (embed the
question, top-10 from the index's own FAISS snapshot) is timed question by
question in the same run, so machine load falls on both alike::

    python -m bench.reading --data-dir ~/.cache/newsdesk/eval-indexes/KEY \
        --questions ../shared/data/realtimeqa-dev/qa.jsonl --budgets 0 4 8 12 16
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import faiss

from bench.reference import ReferenceIndex, search_reference
from bench.run import WARMUP_QUESTIONS, Question, load_questions
from bench.timing import summarise_ms
from newsdesk.desk import Newsdesk
from newsdesk.index.datadir import VECTORS_FILE
from newsdesk.qa.embedding import EmbedderConfig, SentenceTransformerEmbedder
from newsdesk.qa.pipeline.config import PipelineConfig
from newsdesk.qa.reader.reader import load_reader

__all__ = ["main", "measure_budgets"]

TOP_K = 5


def measure_budgets(
    data_dir: Path, embedder: SentenceTransformerEmbedder, reader: Any, questions: list[Question], budgets: list[int]
) -> list[dict[str, Any]]:
    """p50/p95/mean of ``ask`` per budget (0 = no reader), and the reference measured alongside."""
    reference = ReferenceIndex(embedder._model, faiss.read_index(str(data_dir / VECTORS_FILE)), 0.0, 0)
    rows = []
    for budget in budgets:
        base = PipelineConfig()
        config = replace(base, answering=replace(base.answering, reading_budget=budget))
        desk = Newsdesk(data_dir, embedder, config, writer=False, reader=reader if budget else None)
        try:
            for warmup in WARMUP_QUESTIONS:
                desk.ask(warmup, TOP_K)
            ours, bare, reading = [], [], []
            for question in questions:
                # The embedder caches one question only, so no budget reuses another's embedding.
                started = time.perf_counter()
                answer = desk.ask(question.text, TOP_K, as_of=question.as_of)
                ours.append((time.perf_counter() - started) * 1000)
                reading.append(answer.timings_ms["answer"])
                started = time.perf_counter()
                search_reference(reference, question.text)
                bare.append((time.perf_counter() - started) * 1000)
        finally:
            desk.close()
        ask, ref = summarise_ms(ours), summarise_ms(bare)
        rows.append({
            "budget": budget, "ask": ask, "answer_stage": summarise_ms(reading), "reference": ref,
            "ratio_p50": round(ask["p50_ms"] / ref["p50_ms"], 2),
        })
    return rows


def main(argv: list[str] | None = None) -> int:
    """Run the reading benchmark; returns 0, or 2 on a usage error."""
    parser = argparse.ArgumentParser(prog="python -m bench.reading", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="a built newsdesk index (read-only)")
    parser.add_argument("--questions", type=Path, required=True, help="JSONL of {question, date}")
    parser.add_argument("--limit", type=int, default=100, help="questions timed per budget")
    parser.add_argument("--budgets", type=int, nargs="+", default=[0, 4, 8, 12, 16])
    parser.add_argument("--out", type=Path, default=Path("bench-reading.json"))
    args = parser.parse_args(argv)
    if not (args.data_dir / VECTORS_FILE).is_file() or not args.questions.is_file():
        print(f"bench: need a built index in {args.data_dir} and a questions file {args.questions}", file=sys.stderr)
        return 2
    os.environ["HF_HUB_OFFLINE"] = "1"
    questions, _ = load_questions(args.questions, args.limit)
    embedder = SentenceTransformerEmbedder(EmbedderConfig(query_cache_size=1))
    reader = load_reader()
    rows = measure_budgets(args.data_dir, embedder, reader, questions, args.budgets)
    print(f"{'budget':>6} {'ask p50':>9} {'ask p95':>9} {'answer p50':>11} {'reference p50':>14} {'ratio':>6}")
    for row in rows:
        print(f"{row['budget']:>6} {row['ask']['p50_ms']:>7.1f}ms {row['ask']['p95_ms']:>7.1f}ms "
              f"{row['answer_stage']['p50_ms']:>9.1f}ms {row['reference']['p50_ms']:>12.1f}ms {row['ratio_p50']:>5.1f}x")
    args.out.write_text(json.dumps({"rows": rows, "questions": len(questions), "data_dir": str(args.data_dir)}, indent=2) + "\n")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
