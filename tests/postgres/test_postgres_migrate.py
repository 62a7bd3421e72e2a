"""Moving to PostgreSQL: ``newsdesk migrate`` copies an embedded index, and ``newsdesk eval`` runs on a database."""

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

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = [
    ArticleDraft(title="Harbour reopens", text="The harbour at Skerry Point reopened on Monday. Ferries run again.",
                 id="harbour", published="2025-03-01", source="Gazette"),
    ArticleDraft(title="School opens", text="A primary school opened in Riverside on Friday. It has 300 pupils.",
                 id="school", published="2025-03-04", source="Herald"),
]
QUESTIONS = ["When did the harbour reopen?", "How many pupils does the school have?"]


@pytest.fixture
def stand_in_model(monkeypatch: pytest.MonkeyPatch) -> HashingEmbedder:
    """The CLI's model is a fast stand-in under the default model's name."""
    model = HashingEmbedder(name=DEFAULT_MODEL)
    monkeypatch.setattr("newsdesk.qa.embedding.factory.load_embedder", lambda config: model)
    return model


def test_migrate_copies_an_index_that_then_answers_alike(
    postgres_url: str, stand_in_model: HashingEmbedder, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    embedded = Newsdesk(tmp_path / "data", stand_in_model)
    embedded.add_articles(ARTICLES)
    expected = [embedded.ask(q, as_of="2025-03-05") for q in QUESTIONS]
    embedded.close()
    calls = stand_in_model.calls
    arguments = ["migrate", "--data-dir", str(tmp_path / "data"), "--database-url", postgres_url]
    assert cli.main(arguments) == 0
    assert "2 articles" in capsys.readouterr().out
    assert cli.main(arguments) == 0  # again: nothing is written twice
    assert stand_in_model.calls == calls  # nothing embedded
    database = Newsdesk.over(PostgresStore(postgres_url), stand_in_model)
    assert database.counts() == (2, 2)
    answers = [database.ask(q, as_of="2025-03-05") for q in QUESTIONS]
    assert [(a.answer, a.quotes) for a in answers] == [(e.answer, e.quotes) for e in expected]
    database.close()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["migrate"], "give --database-url"),
        (["migrate", "--data-dir", "{tmp}/nothing", "--database-url", "{url}"], "no newsdesk index"),
    ],
)
def test_migrate_refuses_what_it_cannot_do(
    arguments: list[str], message: str, postgres_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NEWSDESK_DATABASE_URL", raising=False)
    filled = [a.format(tmp=tmp_path, url=postgres_url) for a in arguments]
    assert cli.main(filled) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_eval_with_a_corpus_runs_on_the_database(
    postgres_url: str, stand_in_model: HashingEmbedder, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results.json"
    arguments = [
        "eval", str(ROOT / "eval/sets/seed.jsonl"), "--corpus", str(ROOT / "seeds"), "--limit", "5",
        "--cache-dir", str(tmp_path / "cache"), "--reader", "none", "--database-url", postgres_url, "--out", str(out),
    ]
    assert cli.main(arguments) == 0
    results = json.loads(out.read_text())
    assert results["settings"]["database"].startswith("PostgreSQL at ")
    assert results["metrics"]["questions"] == 5
    database = PostgresStore(postgres_url)
    assert database.counts()[0] == results["settings"]["articles"] > 0
    database.close()
