"""An embedding model that loads only when something must be embedded.

Opening an index needs the model's name and dimension, not the model: when
the index records the configured model, both come from there, so ``newsdesk
list``, ``remove`` and commands about to fail on bad input never import torch.
"""

from __future__ import annotations

import threading

import numpy as np

from newsdesk.qa.embedding import factory
from newsdesk.qa.embedding.base import Embedder, EmbedderConfig
from newsdesk.qa.errors import IndexStateError

__all__ = ["LazyEmbedder", "model_name"]


def model_name(config: EmbedderConfig) -> str:
    """The name the model of ``config`` records in an index, known without loading it."""
    if config.backend == "onnx-int8":
        from newsdesk.qa.embedding.onnx import INT8_MODEL

        return INT8_MODEL
    return config.model


class LazyEmbedder:
    """An :class:`~newsdesk.qa.embedding.base.Embedder` whose model is loaded on first use (thread-safe).

    Args:
        config: The model to load.
        recorded: The ``(model, dimension)`` an index records, if any; its
            dimension is used when it names this model.
    """

    def __init__(self, config: EmbedderConfig, recorded: tuple[str, int] | None = None) -> None:
        self.config = config
        self.name = model_name(config)
        self._dimension = recorded[1] if recorded is not None and recorded[0] == self.name else None
        self._model: Embedder | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        """Whether the model has been loaded."""
        return self._model is not None

    def model(self) -> Embedder:
        """The loaded model, loading it now if needed.

        Raises:
            IndexStateError: If the model cannot be loaded.
        """
        with self._lock:
            if self._model is None:
                model = factory.load_embedder(self.config)
                if model.name != self.name:
                    raise IndexStateError(
                        f"the model {self.config.model!r} calls itself {model.name!r}, not {self.name!r}"
                    )
                self._model = model
                self._dimension = model.dimension
            return self._model

    @property
    def dimension(self) -> int:
        """The vector length: the index's record of it, else the loaded model's."""
        return self._dimension if self._dimension is not None else self.model().dimension

    @property
    def device(self) -> str:
        """Where the model runs (loads it)."""
        return self.model().device

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed passages (loads the model on the first call with texts)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self.model().embed(texts)

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one question (loads the model on the first call)."""
        return self.model().embed_query(text)
