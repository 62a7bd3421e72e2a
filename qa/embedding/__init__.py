"""Embedding: one interface (:class:`Embedder`), its backends, and the factory that picks one.

- :mod:`.base`: the interface, its settings, the query cache and pooling (no torch);
- :mod:`.sentence_transformer`: sentence-transformers on torch (the default);
- :mod:`.onnx`: the int8 ONNX copy of the default model (CPU);
- :mod:`.factory`: :func:`load_embedder`, by ``EmbedderConfig.backend``;
- :mod:`.lazy`: a stand-in that loads the model on first use.

Importing this package loads neither torch nor onnxruntime.
"""

from newsdesk.qa.embedding.base import (
    BACKENDS,
    DEFAULT_MODEL,
    Embedder,
    EmbedderConfig,
    QueryCache,
    pool_mean,
    resolve_model_path,
)
from newsdesk.qa.embedding.factory import load_embedder
from newsdesk.qa.embedding.sentence_transformer import SentenceTransformerEmbedder

__all__ = [
    "BACKENDS",
    "DEFAULT_MODEL",
    "Embedder",
    "EmbedderConfig",
    "QueryCache",
    "SentenceTransformerEmbedder",
    "load_embedder",
    "pool_mean",
    "resolve_model_path",
]
