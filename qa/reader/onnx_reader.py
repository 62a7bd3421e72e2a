"""The extractive reader run as an int8 ONNX model with onnxruntime on the CPU.

Same inputs (:func:`~newsdesk.qa.reader.encoding.encode_pairs`) and the same
decoding (:func:`~newsdesk.qa.reader.spans.best_span`) as the torch reader, so
the two differ only in the network's arithmetic. The ONNX file is built from
the torch weights on first use (:mod:`newsdesk.qa.reader.onnx_export`); the
torch reader stays the one that trains and the one for GPUs.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsdesk.qa.errors import IndexStateError
from newsdesk.qa.reader.config import ReaderConfig
from newsdesk.qa.reader.onnx_export import INPUT_NAMES, INSTALL_HINT, cached_int8_model
from newsdesk.qa.reader.spans import SpanScore, calibrated_confidence

__all__ = ["OnnxReader", "load_onnx_reader", "onnx_available"]

log = logging.getLogger("newsdesk.reader.onnx")


def onnx_available() -> bool:
    """Whether onnxruntime, and onnx and onnx-ir (which build the int8 file), can be imported."""
    try:
        import onnx  # noqa: F401
        import onnx_ir  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def _cpu_count() -> int:
    # The cores this process may use, which a container or taskset can make fewer than the machine's.
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class OnnxReader:
    """Reads ``(question, window)`` pairs with the int8 ONNX span model.

    Args:
        session: An ``onnxruntime.InferenceSession`` of the exported reader.
        tokenizer: The torch reader's tokenizer (fast, with offsets).
        config: Input sizes and batching.
        calibration: ``{"slope", "bias"}`` turning a margin into a probability that the span is right.
    """

    device = "cpu"

    def __init__(self, session: Any, tokenizer: Any, config: ReaderConfig, calibration: dict[str, float]) -> None:
        self._session = session
        self._tokenizer = tokenizer
        self._config = config
        self._calibration = calibration
        # The tokenizer is not re-entrant; onnxruntime's threads already use every core for one batch.
        self._lock = threading.Lock()

    @property
    def config(self) -> ReaderConfig:
        """How this reader reads."""
        return self._config

    def read(self, question: str, windows: Sequence[str]) -> list[SpanScore]:
        """The best span of every window (window character offsets), in the order given."""
        from newsdesk.qa.reader.encoding import EncodedBatch, read_in_batches

        def logits(encoded: EncodedBatch) -> tuple[Any, Any]:
            starts, ends = self._session.run(["start_logits", "end_logits"], {n: getattr(encoded, n) for n in INPUT_NAMES})
            return starts, ends

        with self._lock:
            return read_in_batches(question, windows, self._tokenizer, self._config, logits)

    def confidence(self, margin: float) -> float:
        """Calibrated probability that a span with this margin over "not here" is a right answer."""
        return calibrated_confidence(margin, self._calibration)


def _session(path: Path) -> Any:
    """An onnxruntime session of ``path``; raises onnxruntime's own errors for a bad file."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = _cpu_count()
    options.inter_op_num_threads = 1
    # Spinning workers hold their cores; beside a server's threads and other processes, sleeping costs nothing.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _open_cached(directory: Path, cache_dir: Path | None) -> Any:
    """A session of the cached int8 file, exported again once if the cached file does not load."""
    try:
        from onnxruntime.capi import onnxruntime_pybind11_state as ort_errors
    except ImportError as exc:
        raise IndexStateError(f"the onnx-int8 reader needs onnxruntime ({exc.name} is missing): {INSTALL_HINT}") from exc
    broken = (OSError, ort_errors.Fail, ort_errors.InvalidProtobuf, ort_errors.NoSuchFile, ort_errors.InvalidGraph)
    path = cached_int8_model(directory, cache_dir)
    try:
        return _session(path)
    except broken as exc:
        log.warning("the cached int8 reader %s does not load (%s); exporting it again", path, str(exc).splitlines()[0])
    path = cached_int8_model(directory, cache_dir, rebuild=True)
    try:
        return _session(path)
    except broken as exc:
        raise IndexStateError(f"cannot load the int8 reading model {path}: {exc}") from exc


@functools.lru_cache(maxsize=4)
def load_onnx_reader(
    directory: Path | None = None, config: ReaderConfig | None = None, cache_dir: Path | None = None
) -> OnnxReader:
    """Load a saved reader (the shipped one by default) as an int8 ONNX reader, offline.

    The int8 file is exported into ``cache_dir`` on first use (tens of seconds) and reused
    afterwards. Loaded once per process and shared: a reader is thread-safe and read-only.

    Raises:
        IndexStateError: If onnxruntime or onnx is missing, or the model cannot be loaded or exported.
    """
    import json

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from transformers import AutoTokenizer

    from newsdesk.qa.reader.network import META_FILE, base_model_dir
    from newsdesk.qa.reader.reader import SHIPPED_READER

    directory = directory or SHIPPED_READER
    if not (directory / META_FILE).is_file():
        raise IndexStateError(f"no reading model in {directory} (train one with: newsdesk train-reader)")
    session = _open_cached(directory, cache_dir)
    meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    tokenizer = AutoTokenizer.from_pretrained(str(base_model_dir()))
    return OnnxReader(session, tokenizer, config or ReaderConfig(), meta["calibration"])
