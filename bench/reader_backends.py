"""The reader's two CPU backends side by side: torch fp32 and int8 ONNX, speed and agreement.

Reads held-out windows (never trained on: :class:`TrainingConfig`'s held-out
weeks of a RealTimeQA file) the way the answering stage does, one question
against 16 windows per call, with both readers in the same run, alternating
call by call so machine load falls on both alike. Prints windows per second of
each, their ratio, and the share of windows where both pick the same span::

    python -m bench.reader_backends --windows 400 \
        --news ../shared/data/reader-train/realtimeqa.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newsdesk.qa.reader.config import ReaderConfig, TrainingConfig
from newsdesk.qa.reader.examples import ReadingExample, news_examples
from newsdesk.qa.reader.onnx_reader import load_onnx_reader
from newsdesk.qa.reader.reader import load_reader

__all__ = ["compare", "main", "question_batches"]

DEFAULT_NEWS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "reader-train" / "realtimeqa.jsonl"


def question_batches(held_out: Sequence[ReadingExample], windows: int, batch: int) -> list[tuple[str, list[str]]]:
    """``(question, windows)`` calls of ``batch`` windows each, ``windows`` in all.

    Each call holds the question's own windows (the one with its answer and the hard negatives),
    filled up with the windows that follow in the held-out set, as candidate windows from other
    articles fill a reading budget.
    """
    texts = [e.text for e in held_out]
    calls: list[tuple[str, list[str]]] = []
    at = 0
    while len(calls) * batch < windows and at < len(held_out):
        question = held_out[at].question
        own = [at]
        while own[-1] + 1 < len(held_out) and held_out[own[-1] + 1].question_id == held_out[at].question_id:
            own.append(own[-1] + 1)
        chosen = own[:batch] + [(own[-1] + k) % len(texts) for k in range(1, batch - len(own[:batch]) + 1)]
        calls.append((question, [texts[i] for i in chosen]))
        at = own[-1] + 1
    return calls


def compare(calls: list[tuple[str, list[str]]], first: Any, second: Any) -> dict[str, Any]:
    """Time both readers over the same calls (alternating) and count where their spans agree."""
    seconds = [0.0, 0.0]
    same_span = same_verdict = total = 0
    margin_gaps: list[float] = []
    for question, windows in calls:
        outputs = []
        for slot, reader in enumerate((first, second)):
            started = time.perf_counter()
            outputs.append(reader.read(question, windows))
            seconds[slot] += time.perf_counter() - started
        for a, b in zip(*outputs, strict=True):
            total += 1
            same_span += (a.start, a.end) == (b.start, b.end)
            same_verdict += (a.margin > 0) == (b.margin > 0)
            margin_gaps.append(abs(a.margin - b.margin))
    gaps = np.array(margin_gaps)
    return {
        "windows": total,
        "windows_per_s": [round(total / s, 1) for s in seconds],
        "speedup": round(seconds[0] / seconds[1], 2),
        "same_span": round(same_span / total, 4),
        "same_verdict": round(same_verdict / total, 4),
        "margin_gap_p50": round(float(np.percentile(gaps, 50)), 3),
        "margin_gap_p95": round(float(np.percentile(gaps, 95)), 3),
        "margin_gap_max": round(float(gaps.max()), 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reader_backends", description=__doc__.splitlines()[0])
    parser.add_argument("--news", type=Path, default=DEFAULT_NEWS, help="RealTimeQA-style JSONL (held-out weeks read)")
    parser.add_argument("--windows", type=int, default=400, help="windows read by each reader")
    parser.add_argument("--batch", type=int, default=ReaderConfig().batch_size, help="windows per call")
    parser.add_argument("--cache-dir", type=Path, default=None, help="where the int8 file is kept (default ~/.cache)")
    args = parser.parse_args(argv)
    if not args.news.is_file():
        print(f"no such file: {args.news}", file=sys.stderr)
        return 2
    calls = question_batches(news_examples(args.news, TrainingConfig()).held_out, args.windows, args.batch)
    torch_reader = load_reader(device="cpu")
    started = time.perf_counter()
    onnx_reader = load_onnx_reader(cache_dir=args.cache_dir)
    ready_s = time.perf_counter() - started
    for reader in (torch_reader, onnx_reader):  # warm both up (first calls allocate)
        reader.read(calls[0][0], calls[0][1])
    result = compare(calls, torch_reader, onnx_reader)
    result["onnx_load_s"] = round(ready_s, 1)
    print(json.dumps({"readers": ["torch-fp32", "onnx-int8"], **result}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
