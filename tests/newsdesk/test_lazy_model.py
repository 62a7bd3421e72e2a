"""The lazily loaded embedding model: known name and dimension without loading, loaded on first embedding."""

from __future__ import annotations

import numpy as np
import pytest

from newsdesk.qa.embedding import DEFAULT_MODEL, EmbedderConfig
from newsdesk.qa.embedding.lazy import LazyEmbedder, model_name
from newsdesk.qa.errors import IndexStateError
from tests.conftest import HashingEmbedder


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[EmbedderConfig]:
    calls: list[EmbedderConfig] = []

    def load(config: EmbedderConfig) -> HashingEmbedder:
        calls.append(config)
        return HashingEmbedder(name=model_name(config), dimension=64)

    monkeypatch.setattr("newsdesk.qa.embedding.factory.load_embedder", load)
    return calls


def test_the_recorded_dimension_is_used_until_something_is_embedded(loads: list[EmbedderConfig]) -> None:
    lazy = LazyEmbedder(EmbedderConfig(), (DEFAULT_MODEL, 64))
    assert (lazy.name, lazy.dimension, lazy.loaded) == (DEFAULT_MODEL, 64, False)
    assert lazy.embed([]).shape == (0, 64) and loads == []
    vectors = lazy.embed(["The harbour reopened."])
    assert vectors.shape == (1, 64) and lazy.loaded and len(loads) == 1
    assert np.allclose(lazy.embed_query("The harbour reopened."), vectors[0])
    assert len(loads) == 1  # loaded once


def test_another_recorded_model_tells_nothing_so_the_dimension_loads_the_model(loads: list[EmbedderConfig]) -> None:
    lazy = LazyEmbedder(EmbedderConfig(), ("some-other-model", 768))
    assert lazy.dimension == 64 and len(loads) == 1


def test_the_int8_backend_records_its_own_name(loads: list[EmbedderConfig]) -> None:
    lazy = LazyEmbedder(EmbedderConfig(backend="onnx-int8"), (f"{DEFAULT_MODEL}-int8", 384))
    assert (lazy.name, lazy.dimension, loads) == (f"{DEFAULT_MODEL}-int8", 384, [])


def test_a_model_that_names_itself_otherwise_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("newsdesk.qa.embedding.factory.load_embedder", lambda config: HashingEmbedder(name="surprise"))
    with pytest.raises(IndexStateError, match="calls itself 'surprise'"):
        LazyEmbedder(EmbedderConfig()).embed(["text"])
