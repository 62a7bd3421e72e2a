"""Fixtures of the story tests: the seeds plus written story articles (a flood, a disputed figure), indexed once."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.api.main import create_app
from newsdesk.desk import Newsdesk
from newsdesk.qa.embedding import SentenceTransformerEmbedder
from newsdesk.qa.ingest.files import add_paths
from newsdesk.qa.reader.reader import ExtractiveReader
from newsdesk.settings import Settings
from tests.conftest import SEEDS

STORY_ARTICLES = Path(__file__).resolve().parent / "articles" / "story.jsonl"


@pytest.fixture(scope="session")
def story_index_dir(tmp_path_factory: pytest.TempPathFactory, embedder: SentenceTransformerEmbedder) -> Path:
    """The seeds and the story articles, indexed once; tests copy it before writing."""
    data_dir = tmp_path_factory.mktemp("story-index")
    desk = Newsdesk(data_dir, embedder)
    outcomes = add_paths(desk, [str(SEEDS), str(STORY_ARTICLES)])
    assert all(o.error is None for o in outcomes)
    desk.close()
    return data_dir


@pytest.fixture(scope="session")
def story_desk(
    story_index_dir: Path, embedder: SentenceTransformerEmbedder, reader: ExtractiveReader
) -> Iterator[Newsdesk]:
    """A read-only newsdesk over the story index with the shipped reader."""
    desk = Newsdesk(story_index_dir, embedder, writer=False, reader=reader)
    yield desk
    desk.close()


@pytest.fixture
def story_client(
    story_index_dir: Path, tmp_path: Path, embedder: SentenceTransformerEmbedder, reader: ExtractiveReader
) -> Iterator[TestClient]:
    """The real app, with the shipped reader, over a private copy of the story index."""
    target = tmp_path / "data"
    shutil.copytree(story_index_dir, target, ignore=shutil.ignore_patterns("write.lock"))
    settings = Settings(data_dir=target, seed_dir=None)
    with TestClient(create_app(settings, embedder=embedder, reader=reader)) as client:
        yield client
