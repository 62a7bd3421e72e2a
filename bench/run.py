"""Benchmark newsdesk against a bare sentence-transformers + FAISS reference, in one run.

Measures ingest throughput (with the share spent inside the model), query
latency in process and over HTTP, memory, index size, the query cache and a
single add, on the first N articles of a JSONL corpus. Prints a table and
writes every number to JSON::

    python -m bench.run [--corpus PATH] [--articles N] [--questions N] [--out bench-results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from bench.http import measure_http
from bench.reference import ReferenceIndex, build_reference_index, search_reference
from bench.report import print_table
from bench.timing import summarise_ms
from newsdesk.desk import Newsdesk
from newsdesk.index.datadir import VECTORS_FILE
from newsdesk.qa.embedding import Embedder, SentenceTransformerEmbedder
from newsdesk.qa.ingest.parsing import draft_from_mapping
from newsdesk.qa.types import ArticleDraft

__all__ = ["Question", "TimedEmbedder", "load_articles", "load_questions", "main", "run_benchmark"]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "realtimeqa-dev" / "articles.jsonl"
TOP_K = 5
# Distinct from any corpus question, so warming up does not fill the query cache with timed ones.
WARMUP_QUESTIONS = tuple(f"What was reported about topic number {i} this year?" for i in range(10))
FALLBACK_ARTICLE = ArticleDraft(
    title="Benchmark harbour reopens after storm",
    text="The harbour reopened on Monday after a storm closed it for three days. "
    "Officials said ferries would run a reduced timetable until Friday. "
    "Repairs to the northern pier are expected to cost two million pounds.",
    published="2024-01-08",
    id="bench-extra-article",
)


@dataclass(frozen=True)
class Question:
    """A benchmark question and the date it is asked on."""

    text: str
    as_of: str | None


class TimedEmbedder:
    """An :class:`Embedder` proxy that adds up the time and texts that pass through ``embed``."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self.device = getattr(inner, "device", "cpu")
        self.embed_seconds = 0.0
        self.texts_embedded = 0
        self.calls = 0

    def embed(self, texts: list[str]) -> np.ndarray:
        started = time.perf_counter()
        try:
            return self.inner.embed(texts)
        finally:
            self.embed_seconds += time.perf_counter() - started
            self.texts_embedded += len(texts)
            self.calls += 1

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)  # not counted: the inner cache calls its own embed


def load_articles(path: Path, limit: int) -> tuple[list[ArticleDraft], ArticleDraft | None]:
    """The first ``limit`` articles of a JSONL file (one ``{"title", "text", ...}`` object a line).

    Returns:
        Those articles, and one more from the rest of the file (the one whose
        length is nearest their median, so a single add times a typical
        article), or None when the file holds no more.
    """
    with open(path, encoding="utf-8") as lines:
        drafts = [
            draft_from_mapping(json.loads(line), f"{path.name} line {number}")
            for number, line in enumerate(lines, start=1) if line.strip()
        ]
    chosen, rest = drafts[:limit], drafts[limit:]
    if not rest:
        return chosen, None
    typical = statistics.median(len(d.text) for d in chosen)
    return chosen, min(rest, key=lambda d: abs(len(d.text) - typical))


def load_questions(path: Path, count: int) -> tuple[list[Question], int]:
    """``count`` questions from a JSONL file of ``{"question", "date"}``, cycled if it has fewer.

    Returns:
        The questions and how many of them are distinct.
    """
    with open(path, encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    distinct = list(dict.fromkeys(Question(r["question"], r.get("date")) for r in records))
    if not distinct:
        raise ValueError(f"{path} holds no questions")
    return [distinct[i % len(distinct)] for i in range(count)], min(count, len(distinct))


def measure_ingest(desk: Newsdesk, timed: TimedEmbedder, drafts: list[ArticleDraft]) -> dict[str, Any]:
    """Add every article, timed, and split the time into the model's share and the rest."""
    started = time.perf_counter()
    statuses = [desk.add_article(draft).status for draft in drafts]
    seconds = time.perf_counter() - started
    saved = time.perf_counter()
    desk.save()
    save_s = time.perf_counter() - saved
    articles, passages = desk.counts()
    other = seconds - timed.embed_seconds
    return {
        "seconds": round(seconds, 3), "articles": articles, "passages": passages,
        "statuses": {s: statuses.count(s) for s in sorted(set(statuses))},
        "sentences_embedded": timed.texts_embedded, "embed_calls": timed.calls,
        "articles_per_s": round(len(drafts) / seconds, 2), "passages_per_s": round(passages / seconds, 2),
        "embed_s": round(timed.embed_seconds, 3), "other_s": round(other, 3),
        "overhead_pct": round(100 * other / timed.embed_seconds, 1), "save_s": round(save_s, 3),
    }


def measure_reference_ingest(desk: Newsdesk, model: Any) -> tuple[ReferenceIndex, dict[str, Any]]:
    """Embed newsdesk's own passages whole with the bare reference, timed."""
    stored = desk._store.articles.passages(desk._store.articles.passage_ids().tolist())
    ids = sorted(stored)
    reference = build_reference_index(model, [stored[i].passage.text for i in ids], ids)
    return reference, {
        "seconds": round(reference.seconds, 3), "passages": reference.passages,
        "passages_per_s": round(reference.passages / reference.seconds, 2),
    }


def measure_queries(desk: Newsdesk, reference: ReferenceIndex, questions: list[Question]) -> dict[str, Any]:
    """Latency of ``desk.ask`` and of the bare reference search, after the same warm-up.

    The two are interleaved question by question, so that load from other
    processes on the machine falls on both alike.
    """
    for warmup in WARMUP_QUESTIONS:
        desk.ask(warmup, TOP_K)
        search_reference(reference, warmup)
    ours: list[float] = []
    bare: list[float] = []
    stages: defaultdict[str, list[float]] = defaultdict(list)
    for question in questions:
        started = time.perf_counter()
        answer = desk.ask(question.text, TOP_K, as_of=question.as_of)
        ours.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        search_reference(reference, question.text)
        bare.append((time.perf_counter() - started) * 1000)
        for stage, ms in answer.timings_ms.items():
            stages[stage].append(ms)
    newsdesk, reference_ms = summarise_ms(ours), summarise_ms(bare)
    return {
        "newsdesk": newsdesk, "reference": reference_ms,
        "ratio_p50": round(newsdesk["p50_ms"] / reference_ms["p50_ms"], 2),
        "ratio_p95": round(newsdesk["p95_ms"] / reference_ms["p95_ms"], 2),
        "pipeline_median_ms": {stage: round(float(np.median(ms)), 2) for stage, ms in stages.items()},
    }


def measure_query_cache(desk: Newsdesk, question: str) -> dict[str, float]:
    """Ask a new question twice; the second embedding should come from the cache."""
    text = f"{question} (asked twice)"
    first = desk.ask(text, TOP_K).timings_ms["embed"]
    second = desk.ask(text, TOP_K).timings_ms["embed"]
    return {"first_embed_ms": first, "second_embed_ms": second}


def measure_single_add(desk: Newsdesk, timed: TimedEmbedder, draft: ArticleDraft) -> dict[str, Any]:
    """Add one article to the built index, timed; checks that the add leaves the FAISS snapshot alone.

    Sentences already stored are not embedded again, so the result also says
    how many were: a near-duplicate article adds in about a millisecond.
    """
    snapshot = desk.data_dir / VECTORS_FILE
    before = snapshot.stat().st_mtime_ns if snapshot.exists() else None
    embedded, embed_seconds = timed.texts_embedded, timed.embed_seconds
    started = time.perf_counter()
    result = desk.add_article(draft)
    add_ms = (time.perf_counter() - started) * 1000
    after = snapshot.stat().st_mtime_ns if snapshot.exists() else None
    return {"add_ms": round(add_ms, 2), "status": result.status, "passages": result.passages,
            "sentences_embedded": timed.texts_embedded - embedded,
            "embed_ms": round((timed.embed_seconds - embed_seconds) * 1000, 2),
            "snapshot_written_by_add": before != after}


def index_size(data_dir: Path, passages: int) -> dict[str, Any]:
    """Bytes of every file in the data directory, in all and per passage."""
    total = sum(path.stat().st_size for path in data_dir.rglob("*") if path.is_file())
    return {"bytes": total, "mb": round(total / 2**20, 2), "passages": passages,
            "bytes_per_passage": round(total / passages) if passages else None}


def run_benchmark(
    embedder: SentenceTransformerEmbedder,
    drafts: list[ArticleDraft],
    extra: ArticleDraft,
    questions: list[Question],
    work_dir: Path,
    with_http: bool = True,
) -> dict[str, Any]:
    """Run every measurement on a fresh index in ``work_dir``; returns the results.

    Args:
        embedder: The loaded model; the reference uses the very same model object.
        drafts: Articles to index.
        extra: One more article, for the single-add timing.
        questions: Questions to time, each asked once.
        work_dir: An empty folder for the index and the server log.
        with_http: Also start ``newsdesk serve`` and time it.
    """
    model = embedder._model  # the same object, so both sides share weights, device and precision
    model.encode(["warm up"], show_progress_bar=False)  # one-off lazy initialisation, charged to neither
    data_dir = work_dir / "data"
    timed = TimedEmbedder(embedder)
    desk = Newsdesk(data_dir, timed)
    try:
        ingest = measure_ingest(desk, timed, drafts)
        reference, reference_ingest = measure_reference_ingest(desk, model)
        queries = measure_queries(desk, reference, questions)
        cache = measure_query_cache(desk, questions[0].text)
        single_add = measure_single_add(desk, timed, extra)
        passages = desk.counts()[1]
    finally:
        desk.close()  # the server needs the write lock
    results: dict[str, Any] = {
        "ingest": ingest, "reference_ingest": reference_ingest,
        "ingest_ratio": round(ingest["seconds"] / reference_ingest["seconds"], 2),
        "query": queries, "query_cache": cache, "single_add": single_add, "disk": index_size(data_dir, passages),
    }
    if with_http:
        results["http"] = measure_http(data_dir, [(q.text, q.as_of) for q in questions], WARMUP_QUESTIONS)
    results["bench_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return results


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="articles JSONL; questions come from qa.jsonl beside it")
    parser.add_argument("--articles", type=int, default=200, help="index the first N articles (default 200)")
    parser.add_argument("--questions", type=int, default=100, help="time N questions (default 100)")
    parser.add_argument("--out", type=Path, default=Path("bench-results.json"), help="JSON results file")
    parser.add_argument("--no-http", action="store_true", help="skip starting the server")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns 0, or 2 when the corpus is missing."""
    args = parse_args(argv)
    questions_path = args.corpus.parent / "qa.jsonl"
    if not args.corpus.is_file() or not questions_path.is_file():
        print(f"bench: corpus not found: need {args.corpus} and {questions_path} "
              "(the shared data folder beside the repository, or pass --corpus)", file=sys.stderr)
        return 2
    if args.articles < 1 or args.questions < 1:
        print("bench: --articles and --questions must be at least 1", file=sys.stderr)
        return 2
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    started = time.perf_counter()
    drafts, extra = load_articles(args.corpus, args.articles)
    extra = extra or FALLBACK_ARTICLE
    questions, distinct = load_questions(questions_path, args.questions)
    embedder = SentenceTransformerEmbedder()
    import torch

    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-") as work_dir:
        results = run_benchmark(embedder, drafts, extra, questions, Path(work_dir), with_http=not args.no_http)
    results["config"] = {
        "corpus": str(args.corpus), "articles": len(drafts), "questions": len(questions),
        "distinct_questions": distinct, "questions_repeated": distinct < len(questions),
        "warmup_questions": len(WARMUP_QUESTIONS), "top_k": TOP_K, "model": embedder.name,
        "device": embedder.device, "torch_threads": torch.get_num_threads(),
        "faiss_threads": faiss.omp_get_max_threads(), "cpus": os.cpu_count(), "python": platform.python_version(),
    }
    results["total_wall_s"] = round(time.perf_counter() - started, 2)
    print_table(results)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
