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

from newsdesk.desk import Newsdesk
from newsdesk.eval.corpus import cached_corpus_index
from newsdesk.eval.questions import load_eval_set
from newsdesk.eval.runner import InProcessTarget, run_eval
from newsdesk.qa.answering.scoring import AnsweringConfig
from newsdesk.qa.embedding import SentenceTransformerEmbedder
from newsdesk.qa.pipeline.config import PipelineConfig
from newsdesk.qa.reader.reader import load_reader
from newsdesk.qa.retrieval.fusion import RetrievalConfig
from newsdesk.settings import eval_cache_dir

__all__ = ["VARIANTS", "main"]

_FINAL = PipelineConfig()
_RULES = _FINAL.answering
# The early rows run on fewer candidates and passages, so that each method's own gain shows.
_FEW_CANDIDATES = 50
_FEW_PASSAGES = 12
_HYBRID = replace(_FINAL.retrieval, dense_k=_FEW_CANDIDATES, lexical_k=_FEW_CANDIDATES)
_SCORES = ("similarity_weight", "overlap_weight", "context_weight", "rank_weight", "type_weight", "recency_weight")
_SIMILARITY, _OVERLAP, _CONTEXT, _RANK, _TYPE, _RECENCY = _SCORES


def _scoring(*scores: str) -> AnsweringConfig:
    """The final answering settings on few passages, with only ``scores`` at their final weights.

    With none, sentence similarity alone (at weight 1) ranks the sentences.
    """
    weights = {name: getattr(_RULES, name) if name in scores else 0.0 for name in _SCORES}
    if not scores:
        weights[_SIMILARITY] = 1.0
    return replace(_RULES, passages_considered=_FEW_PASSAGES, **weights)


_FINAL_NAME = (
    f"+ {_FINAL.retrieval.dense_k}+{_FINAL.retrieval.lexical_k} candidates, {_RULES.passages_considered} passages (final)"
)

# name -> (retrieval, answering): each row adds one method to the row above it.
VARIANTS: dict[str, tuple[RetrievalConfig, AnsweringConfig]] = {
    "dense only, sentence similarity": (replace(_HYBRID, lexical_k=0), _scoring()),
    "BM25 only, sentence similarity": (replace(_HYBRID, dense_k=0), _scoring()),
    "hybrid (RRF), sentence similarity": (_HYBRID, _scoring()),
    "+ idf term overlap": (_HYBRID, _scoring(_SIMILARITY, _OVERLAP)),
    "+ passage context and rank": (_HYBRID, _scoring(_SIMILARITY, _OVERLAP, _CONTEXT, _RANK)),
    "+ answer-type fit": (_HYBRID, _scoring(_SIMILARITY, _OVERLAP, _CONTEXT, _RANK, _TYPE)),
    "+ date prior (as_of)": (_HYBRID, _scoring(*_SCORES)),
    _FINAL_NAME: (_FINAL.retrieval, _RULES),
}
# name -> answering settings of rows answered by the shipped reading model: half and twice the final budget.
_BUDGET = _RULES.reading_budget
_UNIT = _RULES.reading_unit
READER_VARIANTS: dict[str, AnsweringConfig] = {
    f"reader, best {_BUDGET} sentences with neighbours read": replace(_RULES, reading_unit="sentence"),
    f"reader, best {_BUDGET // 2} {_UNIT}s read": replace(_RULES, reading_budget=_BUDGET // 2),
    f"reader, best {_BUDGET} {_UNIT}s read (final)": _RULES,
    f"reader, best {_BUDGET * 2} {_UNIT}s read": replace(_RULES, reading_budget=_BUDGET * 2),
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
