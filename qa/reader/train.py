"""``newsdesk train-reader``: fine-tune the extractive reader from MiniLM, with checkpoints.

Run by hand, in the background (about 1-2 h on 2 CPU cores; minutes on a GPU)::

    python -m newsdesk.qa.reader.train --out qa/reader/model      # resumes from --work-dir when stopped

Every setting is in :class:`TrainingConfig`; the example order, negatives and
the new span head's initialisation follow its seed. A checkpoint is written
every ``checkpoint_every`` steps and a restarted run resumes from it. At the
end the model is exported (see :mod:`newsdesk.qa.reader.network`), scored on held-out
examples, its confidence calibrated there, and a model card written.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import random
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from newsdesk.qa.reader.config import ReaderConfig, TrainingConfig
from newsdesk.qa.reader.examples import ReadingExample, TrainingSplit, load_examples

__all__ = ["main", "train"]

log = logging.getLogger("newsdesk.reader.train")

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "reader-train"
SHIPPED = Path(__file__).resolve().parent / "model"


def _examples(work_dir: Path, squad: Path, news: Path, config: TrainingConfig) -> TrainingSplit:
    cache = work_dir / "examples.json"
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


def _save_checkpoint(path: Path, model: Any, optimizer: Any, scheduler: Any, step: int) -> None:
    import torch

    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    state = {
        "step": step,
        "model": {k: v for k, v in model.state_dict().items() if k in trainable},
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict(),
        "torch_rng": torch.get_rng_state(),
    }
    partial = path.with_suffix(".tmp")
    torch.save(state, partial)
    os.replace(partial, path)


def train(
    squad: Path,
    news: Path,
    work_dir: Path,
    out: Path,
    config: TrainingConfig,
    reader: ReaderConfig,
    max_steps: int | None = None,
    export_only: bool = False,
) -> Path:
    """Train (or resume), export to ``out`` and write the model card; returns ``out``.

    ``export_only`` exports the latest checkpoint as it is, while training may go on elsewhere.
    """
    import torch
    from newsdesk.qa.reader.encoding import encode_pairs, token_labels
    from newsdesk.qa.reader.network import SHARED_WEIGHT, base_model_dir
    from transformers import AutoModelForQuestionAnswering
    from transformers import logging as hf_logging

    hf_logging.set_verbosity_error()
    work_dir.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(config.threads)
    # Adam's tiny updates turn into denormal floats, which x86 CPUs compute many times slower.
    torch.set_flush_denormal(True)
    torch.manual_seed(config.seed)
    split = _examples(work_dir, squad, news, config)
    batches = _batches(split.train, config)
    total = len(batches) if max_steps is None else min(max_steps, len(batches))
    base = base_model_dir()
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(base))
    model = AutoModelForQuestionAnswering.from_pretrained(str(base))
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
    checkpoint = work_dir / "checkpoint.pt"
    step = 0
    if checkpoint.exists():
        state = torch.load(checkpoint, weights_only=False, map_location=device)
        model.load_state_dict(state["model"], strict=False)
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        torch.set_rng_state(state["torch_rng"].cpu())
        step = state["step"]
        log.info("resumed at step %d of %d", step, total)
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
    model.eval().to("cpu")
    from newsdesk.qa.reader.card import export_reader

    trained = step if export_only else total
    export_reader(model, tokenizer, split.held_out, out, config, reader, steps=trained, examples=len(split.train))
    return out


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: ``python -m newsdesk.qa.reader.train`` / ``newsdesk train-reader``."""
    parser = argparse.ArgumentParser(prog="newsdesk train-reader", description=__doc__.split("\n\n")[0])
    parser.add_argument("--squad", type=Path, default=DATA / "squad.json", help="SQuAD v1/v2 JSON training file")
    parser.add_argument("--news", type=Path, default=DATA / "realtimeqa.jsonl", help="news quiz JSONL training file")
    parser.add_argument("--work-dir", type=Path, default=Path.home() / ".cache" / "newsdesk" / "reader-train",
                        help="checkpoints and the example cache (a rerun resumes from here)")
    parser.add_argument("--out", type=Path, default=SHIPPED, help="where the trained model is written")
    parser.add_argument("--max-steps", type=int, default=None, help="stop early (a trial run)")
    parser.add_argument("--epochs", type=float, default=TrainingConfig.epochs)
    parser.add_argument("--export-only", action="store_true", help="export the latest checkpoint without training")
    parser.add_argument("--threads", type=int, default=TrainingConfig.threads, help="torch CPU threads (not part of the recipe)")
    args = parser.parse_args(argv)
    for path in (args.squad, args.news):
        if not path.is_file():
            parser.exit(2, f"error: training file not found: {path}\n")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    config = TrainingConfig(epochs=args.epochs, threads=args.threads)
    (args.work_dir).mkdir(parents=True, exist_ok=True)
    (args.work_dir / "config.json").write_text(json.dumps(asdict(config), indent=2), encoding="utf-8")
    train(args.squad, args.news, args.work_dir, args.out, config, ReaderConfig(), args.max_steps, args.export_only)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
