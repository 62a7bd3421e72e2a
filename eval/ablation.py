"""What each answering method buys: the same eval run with methods switched on one by one.

    python -m newsdesk.eval.ablation SET --corpus ARTICLES [--limit N] [--out ablation.json] [--only rules|reader]

Each row changes the pipeline's configuration only (the cached corpus index is
shared), so the differences are the methods' own.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

from newsdesk.eval.corpus import cached_corpus_index
from newsdesk.eval.questions import load_eval_set
from newsdesk.eval.runner import InProcessTarget, run_eval
from newsdesk.qa.answering.scoring import AnsweringConfig
from newsdesk.qa.embedding import SentenceTransformerEmbedder
from newsdesk.qa.pipeline.config import PipelineConfig
from newsdesk.qa.reader.reader import load_reader
from newsdesk.qa.retrieval.fusion import RetrievalConfig

from newsdesk.desk import Newsdesk
from newsdesk.settings import eval_cache_dir

__all__ = ["VARIANTS", "main"]

_PLAIN = AnsweringConfig(
    passages_considered=12, similarity_weight=1.0, context_weight=0.0, overlap_weight=0.0, rank_weight=0.0,
    type_weight=0.0, recency_weight=0.0,
)
_FINAL = PipelineConfig()

# name -> (retrieval, answering): each row adds one method to the row above it.
VARIANTS: dict[str, tuple[RetrievalConfig, AnsweringConfig]] = {
    "dense only, sentence similarity": (RetrievalConfig(dense_k=50, lexical_k=0), _PLAIN),
    "BM25 only, sentence similarity": (RetrievalConfig(dense_k=0, lexical_k=50), _PLAIN),
    "hybrid (RRF), sentence similarity": (RetrievalConfig(dense_k=50, lexical_k=50), _PLAIN),
    "+ idf term overlap": (RetrievalConfig(dense_k=50, lexical_k=50), replace(_PLAIN, similarity_weight=0.6, overlap_weight=1.0)),
    "+ passage context and rank": (
        RetrievalConfig(dense_k=50, lexical_k=50),
        replace(_PLAIN, similarity_weight=0.6, overlap_weight=1.0, context_weight=0.5, rank_weight=0.2),
    ),
    "+ answer-type fit": (
        RetrievalConfig(dense_k=50, lexical_k=50),
        replace(_PLAIN, similarity_weight=0.6, overlap_weight=1.0, context_weight=0.5, rank_weight=0.2, type_weight=0.5),
    ),
    "+ date prior (as_of)": (
        RetrievalConfig(dense_k=50, lexical_k=50),
        replace(_FINAL.answering, passages_considered=12),
    ),
    "+ 100+100 candidates, 60 passages (final)": (_FINAL.retrieval, _FINAL.answering),
}
# name -> answering settings of rows answered by the shipped reading model.
READER_VARIANTS: dict[str, AnsweringConfig] = {
    "reader, best 4 sentences read": replace(_FINAL.answering, reading_budget=4),
    "reader, best 8 sentences read (final)": _FINAL.answering,
    "reader, best 16 sentences read": replace(_FINAL.answering, reading_budget=16),
    "reader, best 8 sentences without neighbours": replace(_FINAL.answering, reading_neighbours=0),
}
KEYS = ("answer_hit", "f1", "exact_match", "quote_recall@1", "quote_recall@5", "quote_recall@20",
        "abstain_recall", "abstain_rate_answerable", "latency_ms_p50", "latency_ms_p95")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m newsdesk.eval.ablation", description=__doc__.split("\n")[0])
    parser.add_argument("set", type=Path)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--cache-dir", type=Path, default=eval_cache_dir())
    parser.add_argument("--only", choices=("rules", "reader"), help="run only the rules rows or only the reader rows")
    args = parser.parse_args()
    questions = load_eval_set(args.set)[: args.limit]
    embedder = SentenceTransformerEmbedder()
    data_dir, _ = cached_corpus_index(args.corpus, args.cache_dir, embedder, _FINAL)
    reader = load_reader() if args.only != "rules" else None
    runs = [] if args.only == "reader" else [(n, r, a, None) for n, (r, a) in VARIANTS.items()]
    runs += [] if reader is None else [(n, _FINAL.retrieval, a, reader) for n, a in READER_VARIANTS.items()]
    rows = {}
    print(f"{'method':44} " + " ".join(f"{k[:14]:>14}" for k in KEYS))
    for name, retrieval, answering, reads in runs:
        desk = Newsdesk(data_dir, embedder, replace(_FINAL, retrieval=retrieval, answering=answering), writer=False, reader=reads)
        try:
            metrics = run_eval(questions, InProcessTarget(desk), {})["metrics"]
        finally:
            desk.close()
        rows[name] = {k: metrics[k] for k in KEYS}
        print(f"{name:44} " + " ".join(f"{metrics[k]:14.3f}" for k in KEYS), flush=True)
    if args.out:
        args.out.write_text(json.dumps({"set": str(args.set), "corpus": str(args.corpus), "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
