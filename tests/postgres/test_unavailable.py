"""A database that goes away after start-up: a clear, one-line StorageUnavailableError; 503 from the API; one line from the CLI.

Each test reaches the session's server through a proxy of its own and closes the
proxy, so the server itself stays up for the other tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk import cli
from newsdesk.api.main import create_app
from newsdesk.desk import Newsdesk
from newsdesk.index.postgres.connection import PostgresConfig
from newsdesk.index.postgres.store import PostgresStore
from newsdesk.qa.errors import StorageUnavailableError
from newsdesk.qa.types import ArticleDraft
from newsdesk.settings import Settings
from tests.conftest import HashingEmbedder
from tests.postgres.proxy import ClosableProxy, closable_proxy
from tests.postgres.test_store_contract import FLOOD

ARTICLE = ArticleDraft(title="Flood in the north", text=FLOOD, id="flood-1", published="2024-04-04")


@pytest.fixture
def proxied(postgres_server: object, postgres_url: str) -> Iterator[tuple[ClosableProxy, str]]:
    """The test's database through a proxy the test may close (closed at the end in any case)."""
    with closable_proxy(postgres_server, postgres_url) as proxied:
        yield proxied


def test_a_store_whose_database_goes_away_raises_storage_unavailable(proxied: tuple[ClosableProxy, str]) -> None:
    proxy, url = proxied
    desk = Newsdesk.over(PostgresStore(url, PostgresConfig(connect_timeout=1)), HashingEmbedder())
    desk.add_article(ARTICLE)
    assert desk.ask("How many families did boats rescue?").quotes
    proxy.close()
    # First the pooled connection breaks, then the pool cannot connect anew within its time-out.
    with pytest.raises(StorageUnavailableError, match=r"^the database is unavailable: \S") as broken:
        desk.counts()
    with pytest.raises(StorageUnavailableError, match=r"^no database connection within 1 s") as waited:
        desk.ask("How many families did boats rescue?")
    for error in (broken.value, waited.value):
        assert "\n" not in str(error)
    desk.close()
    with pytest.raises(StorageUnavailableError, match=r"^cannot connect to PostgreSQL at postgresql://postgres@127\.0\.0\.1:"):
        PostgresStore(url)


def test_the_api_answers_503_with_a_one_line_detail(
    proxied: tuple[ClosableProxy, str], tmp_path: Path
) -> None:
    proxy, url = proxied
    settings = Settings(data_dir=tmp_path / "unused", seed_dir=None, reader="none", database_url=url)
    with TestClient(create_app(settings, embedder=HashingEmbedder())) as client:
        added = client.post("/articles", json={"id": "flood-1", "title": "Flood in the north", "text": FLOOD})
        assert added.status_code == 201, added.text
        proxy.close()
        response = client.post("/ask", json={"question": "How many families did boats rescue?"})
    assert response.status_code == 503
    (detail,) = response.json().values()
    assert detail.startswith("the database is unavailable: ") and "\n" not in detail
    openapi = client.app.openapi()["paths"]  # type: ignore[attr-defined]
    assert "503" in openapi["/ask"]["post"]["responses"] and "503" in openapi["/health"]["get"]["responses"]


def test_the_cli_prints_one_line(
    proxied: tuple[ClosableProxy, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    proxy, url = proxied
    desk = Newsdesk.over(PostgresStore(url), HashingEmbedder(name="cli-test"))
    desk.add_article(ARTICLE)
    desk.close()
    listing = PostgresStore.list_articles

    def list_after_the_database_left(self: PostgresStore, limit: int, offset: int) -> object:
        proxy.close()  # after start-up: the store is open, its pooled connection now broken
        return listing(self, limit, offset)

    monkeypatch.setattr(PostgresStore, "list_articles", list_after_the_database_left)
    assert cli.main(["list", "--database-url", url]) == 2
    went_away = capsys.readouterr()
    assert went_away.out == "" and went_away.err.startswith("error: the database is unavailable: ")
    assert went_away.err.count("\n") == 1
    assert cli.main(["list", "--database-url", url]) == 2  # and at start-up
    refused = capsys.readouterr().err
    assert refused.startswith("error: cannot connect to PostgreSQL at ") and refused.count("\n") == 1
