"""The sentence-transformers (torch) embedding backend, offline by default."""

from __future__ import annotations

import os

import numpy as np

from newsdesk.qa.embedding.base import EmbedderConfig, QueryCache, resolve_model_path
from newsdesk.qa.errors import IndexStateError

__all__ = ["SentenceTransformerEmbedder"]


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
        self._query_cache = QueryCache(config.query_cache_size)

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
        return self._query_cache.embed_query(text, self.embed)
