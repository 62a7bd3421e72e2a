"""Fixtures of the API tests that need the app but no real model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.api.main import create_app
from newsdesk.settings import Settings
from tests.conftest import HashingEmbedder


@pytest.fixture
def app_client(tmp_path: Path) -> Iterator[TestClient]:
    """The real app over an empty index, with the hashing embedder and rules-only answers (fast)."""
    settings = Settings(data_dir=tmp_path, seed_dir=None, reader="none")
    with TestClient(create_app(settings, embedder=HashingEmbedder())) as client:
        yield client
