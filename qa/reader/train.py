"""``newsdesk train-reader``: fine-tune the extractive reader from MiniLM, with checkpoints.

Run by hand, in the background (hours on 2 CPU cores; minutes on a GPU)::

    python -m newsdesk.qa.reader.train --out qa/reader/model      # resumes from --work-dir when stopped

Every setting is in :class:`TrainingConfig`; the example order, negatives and
the new span head's initialisation follow its seed. A checkpoint is written
every ``checkpoint_every`` steps and a restarted run resumes from it exactly.
Every ``eval_every`` steps held-out questions are scored (``curve.jsonl`` in the
work dir) and the best weights so far kept (``best.pt``). At the end the best
weights are exported (see :mod:`newsdesk.qa.reader.network`), scored on held-out
examples, their confidence calibrated there, and a model card written.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import math
import os
import random
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from newsdesk.qa.reader.config import ReaderConfig, TrainingConfig
from newsdesk.qa.reader.curve import curve_sample, read_curve, record_point
from newsdesk.qa.reader.examples import ReadingExample, TrainingSplit, load_examples

__all__ = ["main", "train"]

log = logging.getLogger("newsdesk.reader.train")

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "reader-train"
SHIPPED = Path(__file__).resolve().parent / "model"
SQUAD_FILES = (DATA / "squad.json", DATA / "squad11-train.json.gz")
NEWS_FILES = (DATA / "realtimeqa.jsonl", DATA / "realtimeqa-extra.jsonl")


def _fingerprint(paths: Sequence[Path], config: TrainingConfig) -> str:
    """Names and sizes of the inputs and the settings that shape examples: a stale cache is never reused."""
    parts = [f"{p.name}:{p.stat().st_size}" for p in paths]
    parts += [str(v) for v in (config.negatives_per_question, config.holdout_every_squad_article,
                               config.holdout_every_news_week, config.news_repeats)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


def _examples(work_dir: Path, squad: Sequence[Path], news: Sequence[Path], config: TrainingConfig) -> TrainingSplit:
    cache = work_dir / f"examples-{_fingerprint([*squad, *news], config)}.json"
    if cache.exists():
        raw = json.loads(cache.read_text(encoding="utf-8"))
        rebuild = lambda rows: [ReadingExample(r[0], r[1], r[2], tuple(r[3]) if r[3] else None, r[4]) for r in rows]
        return TrainingSplit(rebuild(raw["train"]), rebuild(raw["held_out"]))
    split = load_examples(squad, news, config)
    rows = lambda part: [[e.question_id, e.question, e.text, e.answer, e.source] for e in part]
    cache.write_text(json.dumps({"train": rows(split.train), "held_out": rows(split.held_out)}), encoding="utf-8")
    return split


def _batches(examples: list[ReadingExample], config: TrainingConfig) -> list[list[int]]:
    """Seeded batches of similar-length examples (less padding), in shuffled order, for every epoch."""
    rng = random.Random(config.seed)
    total = math.ceil(len(examples) / config.batch_size * config.epochs)
    batches: list[list[int]] = []
    while len(batches) < total:
        order = list(range(len(examples)))
        rng.shuffle(order)
        chunk = config.batch_size * 50
        epoch: list[list[int]] = []
        for at in range(0, len(order), chunk):
            part = sorted(order[at : at + chunk], key=lambda i: len(examples[i].question) + len(examples[i].text))
            epoch.extend(part[i : i + config.batch_size] for i in range(0, len(part), config.batch_size))
        rng.shuffle(epoch)
        batches.extend(epoch)
    return batches[:total]


def _trainable_state(model: Any) -> dict[str, Any]:
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    return {k: v.detach().clone() for k, v in model.state_dict().items() if k in trainable}


def _atomic_save(state: dict[str, Any], path: Path) -> None:
    import torch

    partial = path.with_suffix(".tmp")
    torch.save(state, partial)
    os.replace(partial, path)


def _save_checkpoint(path: Path, model: Any, optimizer: Any, scheduler: Any, step: int) -> None:
    import torch

    _atomic_save({
        "step": step,
        "model": _trainable_state(model),
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict(),
        "torch_rng": torch.get_rng_state(),
    }, path)


def _initial_model(config: TrainingConfig) -> Any:
    """MiniLM with a new span head, or a saved reader to continue from."""
    from transformers import AutoModelForQuestionAnswering

    from newsdesk.qa.reader.network import base_model_dir, load_network

    if config.init_from:
        model, _ = load_network(Path(config.init_from))
        return model
    return AutoModelForQuestionAnswering.from_pretrained(str(base_model_dir()))


def _check(model: Any, tokenizer: Any, sample: list[ReadingExample], reader: ReaderConfig, device: str) -> dict[str, dict[str, Any]]:
    """Held-out metrics per source of the model as it is now (left in training mode)."""
    from newsdesk.qa.reader.card import held_out_report
    from newsdesk.qa.reader.reader import ExtractiveReader

    model.eval()
    scorer = ExtractiveReader(model, tokenizer, reader, {"slope": 1.0, "bias": 0.0}, device)
    metrics = {source: held_out_report(scorer, [e for e in sample if e.source == source])[0]
               for source in sorted({e.source for e in sample})}
    model.train()
    return metrics


def train(
    squad: Sequence[Path],
    news: Sequence[Path],
    work_dir: Path,
    out: Path,
    config: TrainingConfig,
    reader: ReaderConfig,
    max_steps: int | None = None,
    export_only: bool = False,
) -> Path:
    """Train (or resume), export the best weights to ``out`` and write the model card; returns ``out``.

    ``export_only`` exports the best checkpoint so far, while training may go on elsewhere.
    """
    import torch
    from transformers import AutoTokenizer
    from transformers import logging as hf_logging

    from newsdesk.qa.reader.encoding import encode_pairs, token_labels
    from newsdesk.qa.reader.network import SHARED_WEIGHT, base_model_dir

    hf_logging.set_verbosity_error()
    work_dir.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(config.threads)
    # Adam's tiny updates turn into denormal floats, which x86 CPUs compute many times slower.
    torch.set_flush_denormal(True)
    torch.manual_seed(config.seed)
    split = _examples(work_dir, squad, news, config)
    batches = _batches(split.train, config)
    total = len(batches) if max_steps is None else min(max_steps, len(batches))
    log.info("%d training windows, %d held out; %d steps", len(split.train), len(split.held_out), total)
    tokenizer = AutoTokenizer.from_pretrained(str(base_model_dir()))
    model = _initial_model(config)
    model.get_parameter(SHARED_WEIGHT).requires_grad_(False)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model.to(device)
    decay = [p for n, p in model.named_parameters() if p.requires_grad and not (n.endswith("bias") or "LayerNorm" in n)]
    no_decay = [p for n, p in model.named_parameters() if p.requires_grad and (n.endswith("bias") or "LayerNorm" in n)]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": config.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=config.learning_rate,
    )
    warmup = max(1, int(config.warmup_share * len(batches)))
    schedule = lambda s: min((s + 1) / warmup, max(0.0, (len(batches) - s) / max(1, len(batches) - warmup)))
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    checkpoint, best_path, curve_path = work_dir / "checkpoint.pt", work_dir / "best.pt", work_dir / "curve.jsonl"
    step = 0
    if checkpoint.exists():
        state = torch.load(checkpoint, weights_only=False, map_location=device)
        model.load_state_dict(state["model"], strict=False)
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        torch.set_rng_state(state["torch_rng"].cpu())
        step = state["step"]
        log.info("resumed at step %d of %d", step, total)
    sample = curve_sample(split.held_out, config.eval_questions, config.seed)
    best = max((p["score"] for p in read_curve(curve_path)), default=-1.0)

    def check(at: int) -> None:
        nonlocal best
        score = record_point(curve_path, at, _check(model, tokenizer, sample, reader, device))
        log.info("held-out at step %d: score %.4f (best %.4f) -> %s", at, score, best, curve_path)
        if score > best:
            best = score
            _atomic_save({"step": at, "score": score, "model": _trainable_state(model)}, best_path)

    if not export_only and not read_curve(curve_path):
        check(step)
    model.train()
    started, losses = time.monotonic(), []
    first = step
    for step in range(first, first if export_only else total):
        rows = [split.train[i] for i in batches[step]]
        encoded = encode_pairs([e.question for e in rows], [e.text for e in rows], tokenizer, reader)
        start_labels, end_labels = token_labels(encoded, [e.answer for e in rows])
        output = model(
            input_ids=torch.from_numpy(encoded.input_ids).to(device),
            token_type_ids=torch.from_numpy(encoded.token_type_ids).to(device),
            attention_mask=torch.from_numpy(encoded.attention_mask).to(device),
            start_positions=torch.from_numpy(start_labels).to(device),
            end_positions=torch.from_numpy(end_labels).to(device),
        )
        output.loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(float(output.loss.detach()))
        if (step + 1) % 10 == 0:
            pace = (time.monotonic() - started) / len(losses)
            log.info("step %d/%d loss %.3f  %.2f s/step  lr %.2e", step + 1, total, sum(losses[-10:]) / 10, pace, scheduler.get_last_lr()[0])
        if (step + 1) % config.checkpoint_every == 0 or step + 1 == total:
            _save_checkpoint(checkpoint, model, optimizer, scheduler, step + 1)
        if (step + 1) % config.eval_every == 0 or step + 1 == total:
            check(step + 1)
    trained = step if export_only else total
    if best_path.exists():
        kept = torch.load(best_path, weights_only=False, map_location=device)
        model.load_state_dict(kept["model"], strict=False)
        trained = kept["step"]
        log.info("exporting the best weights: step %d, score %.4f", trained, kept["score"])
    model.eval().to("cpu")
    from newsdesk.qa.reader.card import export_reader

    calibration = curve_sample(split.held_out, config.calibration_questions, config.seed + 1)
    export_reader(model, tokenizer, calibration, out, config, reader, steps=trained, examples=len(split.train),
                  curve=read_curve(curve_path))
    return out


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: ``python -m newsdesk.qa.reader.train`` / ``newsdesk train-reader``."""
    defaults = TrainingConfig()
    parser = argparse.ArgumentParser(prog="newsdesk train-reader", description=__doc__.split("\n\n")[0])
    parser.add_argument("--squad", type=Path, nargs="+", default=list(SQUAD_FILES), help="SQuAD v1/v2 JSON training files (.gz too)")
    parser.add_argument("--news", type=Path, nargs="+", default=list(NEWS_FILES), help="news quiz JSONL training files")
    parser.add_argument("--work-dir", type=Path, default=Path.home() / ".cache" / "newsdesk" / "reader-train",
                        help="checkpoints, the curve and the example cache (a rerun resumes from here)")
    parser.add_argument("--out", type=Path, default=SHIPPED, help="where the trained model is written")
    parser.add_argument("--max-steps", type=int, default=None, help="stop early (a trial run)")
    parser.add_argument("--epochs", type=float, default=defaults.epochs)
    parser.add_argument("--learning-rate", type=float, default=defaults.learning_rate)
    parser.add_argument("--init-from", default=defaults.init_from, help="a saved reader to continue from (default: MiniLM)")
    parser.add_argument("--export-only", action="store_true", help="export the best checkpoint so far without training")
    parser.add_argument("--threads", type=int, default=defaults.threads, help="torch CPU threads (not part of the recipe)")
    args = parser.parse_args(argv)
    for path in (*args.squad, *args.news):
        if not path.is_file():
            parser.exit(2, f"error: training file not found: {path}\n")
    if args.init_from and not (Path(args.init_from) / "reader.json").is_file():
        parser.exit(2, f"error: no saved reader in {args.init_from}\n")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    config = TrainingConfig(epochs=args.epochs, threads=args.threads, learning_rate=args.learning_rate,
                            init_from=str(args.init_from))
    args.work_dir.mkdir(parents=True, exist_ok=True)
    (args.work_dir / "config.json").write_text(json.dumps(asdict(config), indent=2), encoding="utf-8")
    train(args.squad, args.news, args.work_dir, args.out, config, ReaderConfig(), args.max_steps, args.export_only)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
