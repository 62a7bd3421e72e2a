"""The approximate vector index at scale: build time, memory, disk, latency and recall.

    python -m bench.ann [--passages 1000000] [--queries 200] [--out bench-ann.json]

Vectors are synthetic: either grown from the sentence vectors of a real
newsdesk store (``--from-store``, the realistic case), or clusters of random
directions (hard for any approximate index: random high-dimensional noise has
no neighbourhood structure). 384 dimensions (all-MiniLM-L6-v2's). Recall@10 is
measured against exact search over the same vectors.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import tempfile
import time
from pathlib import Path

import faiss
import numpy as np

from newsdesk.index.vectors import VectorIndex

DIMENSION = 384


def synthetic_vectors(count: int, seed: int = 0) -> np.ndarray:
    """Normalised vectors in ~count/100 clusters of varied spread, like sentence embeddings of news."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(max(count // 100, 10), DIMENSION)).astype(np.float32)
    out = np.empty((count, DIMENSION), dtype=np.float32)
    for start in range(0, count, 100_000):
        n = min(100_000, count - start)
        which = rng.integers(0, len(centres), n)
        spread = rng.uniform(0.3, 1.0, (n, 1)).astype(np.float32)
        out[start : start + n] = centres[which] + spread * rng.normal(size=(n, DIMENSION)).astype(np.float32)
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out


def vectors_like_stored(store_path: Path, count: int, seed: int = 0) -> np.ndarray:
    """``count`` vectors made from the sentence vectors of a real newsdesk store.

    The stored vectors are used as they are, then repeated with a little noise
    (about cos 0.93 to their source) until there are ``count``: the
    neighbourhood structure of real embeddings, at any size.
    """
    import sqlite3

    rows = sqlite3.connect(store_path).execute("SELECT vector FROM sentences").fetchall()
    real = np.vstack([np.frombuffer(r[0], dtype=np.float16) for r in rows]).astype(np.float32)
    rng = np.random.default_rng(seed)
    picks = np.concatenate([np.arange(min(count, len(real))), rng.integers(0, len(real), max(0, count - len(real)))])
    out = real[picks]
    noisy = np.arange(len(out)) >= len(real)
    out[noisy] += rng.normal(scale=0.02, size=(int(noisy.sum()), DIMENSION)).astype(np.float32)
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ann", description=__doc__.split("\n")[0])
    parser.add_argument("--passages", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--nprobe", type=int, nargs="+", default=[16, 32, 48, 64, 128, 256])
    parser.add_argument("--out", type=Path, default=Path("bench-ann.json"))
    parser.add_argument("--from-store", type=Path, help="a newsdesk.sqlite3 whose sentence vectors seed the data")
    args = parser.parse_args()

    if args.from_store:
        pool = vectors_like_stored(args.from_store, args.passages + args.queries)
        vectors, queries = pool[: args.passages], pool[args.passages :]
    else:
        vectors = synthetic_vectors(args.passages)
        queries = synthetic_vectors(args.queries, seed=1)
    ids = np.arange(1, args.passages + 1, dtype=np.int64)
    rss_before = peak_rss_mb()
    started = time.perf_counter()
    index = VectorIndex.build(DIMENSION, ids, vectors, approximate_above=0)
    build_s = time.perf_counter() - started
    results: dict[str, object] = {
        "passages": args.passages,
        "data": f"grown from {args.from_store}" if args.from_store else "random clusters",
        "build_s": round(build_s, 1),
    }

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "vectors.faiss"
        index.save(path)
        results["disk_bytes_per_passage"] = round(path.stat().st_size / args.passages, 1)
        started = time.perf_counter()
        VectorIndex.load(path, DIMENSION)
        results["load_s"] = round(time.perf_counter() - started, 2)
    results["peak_rss_mb_growth"] = round(peak_rss_mb() - rss_before, 1)

    faiss.omp_set_num_threads(2)  # ground truth, in batch
    exact = faiss.IndexFlatIP(DIMENSION)
    exact.add(vectors)
    _, truth = exact.search(queries, 10)
    del exact
    faiss.omp_set_num_threads(1)  # as newsdesk serves single questions

    print(f"{args.passages:,} passages: IVF build {build_s:.1f} s, {results['disk_bytes_per_passage']} bytes/passage on disk")
    print(f"{'nprobe':>6} {'p50 ms':>8} {'p95 ms':>8} {'recall@10':>10}")
    sweep = []
    for nprobe in args.nprobe:
        faiss.extract_index_ivf(index._index).nprobe = nprobe
        latencies, recalls = [], []
        for query, true_ids in zip(queries, truth):
            t = time.perf_counter()
            found = index.search(query, 10)
            latencies.append((time.perf_counter() - t) * 1000)
            recalls.append(len({i - 1 for i, _ in found} & set(true_ids.tolist())) / 10)
        row = {
            "nprobe": nprobe,
            "p50_ms": round(statistics.median(latencies), 2),
            "p95_ms": round(sorted(latencies)[int(0.95 * len(latencies)) - 1], 2),
            "recall@10": round(statistics.fmean(recalls), 4),
        }
        sweep.append(row)
        print(f"{nprobe:>6} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['recall@10']:>10}")
    results["sweep"] = sweep
    args.out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
