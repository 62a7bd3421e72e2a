"""``newsdesk eval``: score an eval set and report the metrics."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsdesk.cli.common import UsageError
from newsdesk.settings import Settings, eval_cache_dir

__all__ = ["register"]

SUMMARY_KEYS = (
    "conversations", "followup_turns", "questions", "answerable", "unanswerable", "answer_hit",
    "first_turn_answer_hit", "followup_answer_hit", "exact_match", "f1", "quote_recall@1",
    "quote_recall@5", "quote_recall@20", "mrr", "abstain_precision", "abstain_recall",
    "abstain_rate_answerable", "quotes_verbatim", "cases", "latest_accuracy", "earlier_recall",
    "disagreement_recall", "disagreement_precision", "timeline_order_accuracy", "timeline_event_recall",
    "citation_precision", "latency_ms_p50", "latency_ms_p95",
)
_COUNTS = ("conversations", "followup_turns", "questions", "answerable", "unanswerable", "cases")


def _parse_thresholds(values: list[str]) -> dict[str, float]:
    thresholds = {}
    for value in values:
        name, sep, number = value.partition("=")
        try:
            thresholds[name.strip()] = float(number)
        except ValueError:
            sep = ""
        if not sep or not name.strip():
            raise UsageError(f"--fail-under takes METRIC=VALUE, got {value!r}")
    return thresholds


def _format(name: str, value: float | None) -> str:
    if value is None:  # a story metric with nothing to measure (no timeline, no citations)
        return "n/a"
    if name in _COUNTS:
        return str(int(value))
    return f"{value:.1f} ms" if name.startswith("latency") else f"{value:.3f}"


def print_metrics(metrics: dict[str, float], baseline: dict[str, Any] | None) -> None:
    rows = [(k, metrics[k]) for k in SUMMARY_KEYS if k in metrics]
    if baseline is None:
        for name, value in rows:
            print(f"  {name:24} {_format(name, value):>10}")
        return
    from newsdesk.eval.report import compare_metrics

    changes = {c.name: c for c in compare_metrics(metrics, baseline.get("metrics", {}))}
    print(f"  {'metric':24} {'now':>10} {'before':>10} {'change':>9}")
    for name, value in rows:
        change = changes.get(name)
        if change is None:
            print(f"  {name:24} {_format(name, value):>10}")
            continue
        mark = {True: " better", False: " worse", None: ""}[change.better] if change.change else ""
        print(f"  {name:24} {_format(name, value):>10} {_format(name, change.baseline):>10} {change.change:+9.3f}{mark}")


def _target_and_settings(args: argparse.Namespace) -> tuple[Any, dict[str, Any], Any]:
    """Build what answers the questions; returns (target, settings, closer)."""
    from newsdesk.eval.runner import HttpTarget, InProcessTarget

    if args.url:
        if args.corpus:
            raise UsageError("--corpus indexes in-process; it cannot be combined with --url")
        return HttpTarget(args.url, api_key=os.environ.get("NEWSDESK_API_KEY")), {"url": args.url}, None
    from newsdesk.desk import Newsdesk
    from newsdesk.qa.embedding import load_embedder
    from newsdesk.qa.pipeline.config import PipelineConfig

    settings = Settings.from_env(
        data_dir=args.data_dir, model=args.model, backend=args.backend, reader=args.reader,
        database_url=getattr(args, "database_url", None),
    )
    embedder = load_embedder(settings.embedder_config())
    reader = settings.load_reader()
    config = PipelineConfig()
    data_dir = settings.data_dir
    run_settings: dict[str, Any] = {"model": embedder.name, "device": embedder.device, "reader": settings.reader}
    if args.corpus:
        from tqdm import tqdm

        from newsdesk.eval.corpus import cached_corpus_index

        bar = tqdm(unit="article", desc="indexing corpus", file=sys.stderr, disable=None)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        data_dir, cached = cached_corpus_index(Path(args.corpus), args.cache_dir, embedder, config, progress)
        bar.close()
        print(f"corpus index {'reused from cache' if cached else 'built'}: {data_dir}", file=sys.stderr)
        run_settings.update(corpus=str(args.corpus), corpus_index=str(data_dir), corpus_cached=cached)
    else:
        run_settings.update(data_dir=str(data_dir))
    if settings.database_url:
        from newsdesk.index.factory import describe_storage

        desk = _database_desk(settings, data_dir if args.corpus else None, embedder, config, reader)
        run_settings.update(database=describe_storage(data_dir, settings.database_url))
    else:
        desk = Newsdesk(data_dir, embedder, config, writer=False, reader=reader)
    articles, passages = desk.counts()
    run_settings.update(articles=articles, passages=passages)
    return InProcessTarget(desk), run_settings, desk


def _database_desk(settings: Settings, corpus_index: Path | None, embedder: Any, config: Any, reader: Any) -> Any:
    """A newsdesk over the database; with a corpus, its embedded index is copied in first (no re-embedding)."""
    from newsdesk.desk import Newsdesk
    from newsdesk.index.factory import describe_storage, open_store
    from newsdesk.index.migrate import copy_index

    store = open_store(embedder.dimension, settings.data_dir, settings.database_url)
    if corpus_index is not None:
        try:
            copied = copy_index(corpus_index, store)
        except BaseException:
            store.close()
            raise
        print(f"corpus copied into {describe_storage(settings.data_dir, settings.database_url)}: {copied} articles",
              file=sys.stderr)
    return Newsdesk.over(store, embedder, config, reader)


def _load(args: argparse.Namespace) -> tuple[Callable[..., dict[str, Any]], int, str]:
    """The eval to run (questions or conversations), how many questions it asks, and what it holds."""
    from newsdesk.eval.questions import is_conversation_set, load_conversation_set, load_eval_set
    from newsdesk.eval.runner import run_conversation_eval, run_eval
    from newsdesk.eval.stories import is_story_set, load_story_set, run_story_eval

    if is_story_set(args.set):
        if args.url:
            raise UsageError("story sets run in-process (they need the newsdesk's timeline); drop --url")
        cases = load_story_set(args.set)[: args.limit or None]

        def run_stories(target: Any, settings: dict[str, Any], on_question: Any) -> dict[str, Any]:
            return run_story_eval(cases, target.desk, settings, on_question)

        return run_stories, len(cases), f"{len(cases)} story cases"
    if is_conversation_set(args.set):
        conversations = load_conversation_set(args.set)[: args.limit or None]
        turns = sum(len(c.turns) for c in conversations)

        def run_conversations(target: Any, settings: dict[str, Any], on_question: Any) -> dict[str, Any]:
            return run_conversation_eval(conversations, target, settings, not args.no_followups, on_question)

        followups = "without" if args.no_followups else "with"
        described = f"{len(conversations)} conversations, {turns} turns, {followups} follow-up resolution"
        return run_conversations, turns, described
    if args.no_followups:
        raise UsageError("--no-followups applies to conversation sets (JSONL records with 'turns')")
    questions = load_eval_set(args.set)[: args.limit or None]

    def run_questions(target: Any, settings: dict[str, Any], on_question: Any) -> dict[str, Any]:
        return run_eval(questions, target, settings, on_question)

    return run_questions, len(questions), f"{len(questions)} questions"


def cmd_eval(args: argparse.Namespace) -> int:
    from newsdesk.eval.questions import EvalSetError

    try:
        run, asked, described = _load(args)
    except EvalSetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    thresholds = _parse_thresholds(args.fail_under)
    try:
        baseline = json.loads(Path(args.compare).read_text()) if args.compare else None
    except (OSError, ValueError) as exc:
        raise UsageError(f"--compare: cannot read {args.compare} ({exc})") from exc
    target, run_settings, desk = _target_and_settings(args)
    run_settings = {"set": str(args.set), **run_settings}
    from tqdm import tqdm

    bar = tqdm(total=asked, unit="q", desc="asking", file=sys.stderr, disable=None)
    try:
        results = run(target, run_settings, lambda _: bar.update(1))
    finally:
        bar.close()
        if desk is not None:
            desk.close()
    print(f"\n{args.set}: {described}")
    print_metrics(results["metrics"], baseline)
    for note in results.get("notes", []):
        print(f"  note: {note}")
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=1, ensure_ascii=False))
        print(f"results written to {args.out}")
    if args.report:
        from newsdesk.eval.report import render_report

        Path(args.report).write_text(render_report(results, baseline), encoding="utf-8")
        print(f"report written to {args.report}")
    failed = []
    for name, floor in thresholds.items():
        if name not in results["metrics"]:
            print(f"error: unknown metric {name!r} in --fail-under", file=sys.stderr)
            return 2
        if results["metrics"][name] is None or results["metrics"][name] < floor:
            failed.append(f"{name} {_format(name, results['metrics'][name])} < {floor}")
    if failed:
        print("FAILED: " + "; ".join(failed), file=sys.stderr)
        return 1
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``eval`` subcommand to the CLI."""
    parser = sub.add_parser(
        "eval", parents=[common], help="score an eval set of question-answer pairs or conversations"
    )
    parser.add_argument(
        "set", type=Path, help="JSONL, CSV (question,answer), SQuAD v1/v2 JSON, or a JSONL conversation set"
    )
    parser.add_argument("--corpus", type=Path, help="articles to index into a separate, cached eval index")
    parser.add_argument("--out", type=Path, help="write results (metrics and every question) as JSON")
    parser.add_argument("--report", type=Path, help="write a self-contained HTML report")
    parser.add_argument("--compare", type=Path, help="an earlier results JSON to compare with")
    parser.add_argument("--fail-under", action="append", default=[], metavar="METRIC=VALUE",
                        help="exit 1 when a metric is below VALUE (repeatable)")
    parser.add_argument("--limit", type=int, help="only the first N questions (conversations, for a conversation set)")
    parser.add_argument("--no-followups", action="store_true",
                        help="conversation sets: ask each turn as written, without follow-up resolution")
    parser.add_argument("--url", help="score a running server (e.g. http://127.0.0.1:8000) instead of in-process")
    parser.add_argument("--cache-dir", type=Path, default=eval_cache_dir(),
                        help="where corpus indexes are cached (env NEWSDESK_EVAL_CACHE)")
    parser.set_defaults(run=cmd_eval)
