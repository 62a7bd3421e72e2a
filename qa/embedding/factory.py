"""Choosing an embedding backend by configuration."""

from __future__ import annotations

from newsdesk.qa.embedding.base import BACKENDS, Embedder, EmbedderConfig
from newsdesk.qa.errors import IndexStateError

__all__ = ["load_embedder"]


def load_embedder(config: EmbedderConfig = EmbedderConfig()) -> Embedder:
    """Load the embedder that ``config.backend`` names.

    Raises:
        IndexStateError: If the backend is unknown, not installed, or cannot load the model.
    """
    if config.backend == "torch":
        from newsdesk.qa.embedding.sentence_transformer import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(config)
    if config.backend == "onnx-int8":
        from newsdesk.qa.embedding.onnx import OnnxInt8Embedder

        return OnnxInt8Embedder(config)
    raise IndexStateError(f"unknown embedding backend {config.backend!r}; choose one of {', '.join(BACKENDS)}")
