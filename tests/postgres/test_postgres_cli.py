"""The CLI on a PostgreSQL database: --database-url (or NEWSDESK_DATABASE_URL) lists, asks and removes there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk import cli
from newsdesk.desk import Newsdesk
from newsdesk.index.postgres.store import PostgresStore
from newsdesk.qa.embedding import DEFAULT_MODEL
from newsdesk.qa.types import ArticleDraft
from tests.conftest import HashingEmbedder

BODY = "The harbour at Skerry Point reopened on Monday after the storm. Ferries run again from Tuesday."


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if any command loads an embedding model."""

    def refuse(config: object) -> None:
        raise AssertionError("the embedding model was loaded")

    monkeypatch.setattr("newsdesk.qa.embedding.factory.load_embedder", refuse)


@pytest.fixture
def database(postgres_url: str) -> str:
    """A database that records the default model's name (built with a fast stand-in model)."""
    desk = Newsdesk.over(PostgresStore(postgres_url), HashingEmbedder(name=DEFAULT_MODEL))
    desk.add_article(ArticleDraft(title="Harbour reopens", text=BODY, id="harbour", published="2025-03-01"))
    desk.close()
    return postgres_url


def test_list_and_remove_use_the_database_without_a_model(
    database: str, no_model: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unused = tmp_path / "unused"
    assert cli.main(["list", "--json", "--database-url", database, "--data-dir", str(unused)]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert (listing["total"], [a["id"] for a in listing["articles"]]) == (1, ["harbour"])
    assert cli.main(["remove", "harbour", "--database-url", database, "--data-dir", str(unused)]) == 0
    assert "removed harbour" in capsys.readouterr().out
    assert cli.main(["list", "--database-url", database]) == 0
    assert "0 of 0 articles" in capsys.readouterr().out
    assert not unused.exists()


def test_the_environment_names_the_database(
    database: str, no_model: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSDESK_DATABASE_URL", database)
    assert cli.main(["list"]) == 0
    assert "harbour" in capsys.readouterr().out


def test_an_empty_database_lists_nothing_and_removes_nothing(
    postgres_url: str, no_model: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["list", "--database-url", postgres_url]) == 0
    assert "0 of 0 articles" in capsys.readouterr().out
    assert cli.main(["remove", "nothing", "--database-url", postgres_url]) == 1
