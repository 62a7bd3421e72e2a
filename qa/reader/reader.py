"""The extractive reader: the best answer span of each window, and how sure it is."""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsdesk.qa.errors import IndexStateError
from newsdesk.qa.reader.config import ReaderConfig
from newsdesk.qa.reader.spans import SpanScore, calibrated_confidence

__all__ = ["SHIPPED_READER", "ExtractiveReader", "load_reader"]

#: The reader shipped in the package (see its README.md, the model card).
SHIPPED_READER = Path(__file__).resolve().parent / "model"


class ExtractiveReader:
    """Reads ``(question, window)`` pairs with a span model.

    Args:
        model: A ``BertForQuestionAnswering``-like torch module in eval mode.
        tokenizer: Its tokenizer (fast, with offsets).
        config: Input sizes and batching.
        calibration: ``{"slope", "bias"}`` turning a margin into a probability that the span is right.
        device: Where ``model`` lives.
    """

    def __init__(self, model: Any, tokenizer: Any, config: ReaderConfig, calibration: dict[str, float], device: str = "cpu") -> None:
        self._model = model
        self._tokenizer = tokenizer
        self._config = config
        self._calibration = calibration
        self.device = device
        # One forward pass at a time: torch's CPU pool is shared, and the tokenizer is not re-entrant.
        self._lock = threading.Lock()

    @property
    def config(self) -> ReaderConfig:
        """How this reader reads."""
        return self._config

    def read(self, question: str, windows: Sequence[str]) -> list[SpanScore]:
        """The best span of every window (window character offsets), in the order given."""
        import torch

        from newsdesk.qa.reader.encoding import EncodedBatch, read_in_batches

        def logits(encoded: EncodedBatch) -> tuple[Any, Any]:
            output = self._model(
                input_ids=torch.from_numpy(encoded.input_ids).to(self.device),
                token_type_ids=torch.from_numpy(encoded.token_type_ids).to(self.device),
                attention_mask=torch.from_numpy(encoded.attention_mask).to(self.device),
            )
            return output.start_logits.float().cpu().numpy(), output.end_logits.float().cpu().numpy()

        with self._lock, torch.inference_mode():
            return read_in_batches(question, windows, self._tokenizer, self._config, logits)

    def confidence(self, margin: float) -> float:
        """Calibrated probability that a span with this margin over "not here" is a right answer."""
        return calibrated_confidence(margin, self._calibration)


@functools.lru_cache(maxsize=4)
def load_reader(
    directory: Path | None = None, config: ReaderConfig | None = None, device: str | None = None
) -> ExtractiveReader:
    """Load a saved reader (the shipped one by default), offline.

    Loaded once per process and shared: a reader is thread-safe and read-only.

    Raises:
        IndexStateError: If the files are missing or do not fit the installed base model.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import torch
    from transformers import AutoTokenizer

    from newsdesk.qa.reader.network import base_model_dir, load_network

    directory = directory or SHIPPED_READER
    if not (directory / "reader.json").is_file():
        raise IndexStateError(f"no reading model in {directory} (train one with: newsdesk train-reader)")
    try:
        model, meta = load_network(directory)
    except (OSError, ValueError, KeyError) as exc:
        raise IndexStateError(f"cannot load the reading model in {directory}: {exc}") from exc
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    model.to(device)
    if device.startswith("cuda"):
        model.half()
    tokenizer = AutoTokenizer.from_pretrained(str(base_model_dir()))
    return ExtractiveReader(model, tokenizer, config or ReaderConfig(), meta["calibration"], device)
