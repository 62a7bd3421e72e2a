"""A streaming read replica: askers read from it, writes go to the primary, a replica alone is read-only."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from newsdesk.desk import Newsdesk
from newsdesk.index.postgres.store import PostgresStore
from newsdesk.qa.errors import IndexLockedError
from newsdesk.qa.types import ArticleDraft
from tests.conftest import HashingEmbedder
from tests.postgres.replica import streaming_replica, wait_for_replay

HARBOUR = ArticleDraft(title="Harbour reopens", text="The harbour at Skerry Point reopened on Monday. Ferries run again.",
                       id="harbour", published="2025-03-01")
SCHOOL = ArticleDraft(title="School opens", text="A primary school opened in Riverside on Friday. It has 300 pupils.",
                      id="school", published="2025-03-04")


@pytest.fixture(scope="module")
def replica_of(postgres_server: object) -> Iterator[str]:
    """The replica's URL template (``{database}``) of the session's server."""
    with streaming_replica(postgres_server) as template:
        yield template


@pytest.fixture
def replica_url(replica_of: str, postgres_url: str) -> str:
    """The test's database as the replica serves it (the primary's schema is made first)."""
    database = urlsplit(postgres_url).path.lstrip("/")
    return replica_of.format(database=database)


def test_answers_read_from_the_replica_match_the_primary(postgres_url: str, replica_url: str) -> None:
    model = HashingEmbedder()
    primary = Newsdesk.over(PostgresStore(postgres_url), model)
    primary.add_article(HARBOUR)
    wait_for_replay(postgres_url, replica_url)
    split = Newsdesk.over(PostgresStore(postgres_url, read_url=replica_url), model)
    question = "When did the harbour reopen?"
    assert split.ask(question).quotes == primary.ask(question).quotes
    split.add_article(SCHOOL)  # written to the primary ...
    assert primary.counts() == (2, 2)
    wait_for_replay(postgres_url, replica_url)
    assert split.counts() == (2, 2)  # ... and read back from the replica once replayed
    assert split.ask("How many pupils does the school have?").quotes[0].article_id == "school"
    split.close()
    primary.close()


def test_a_replica_alone_answers_but_refuses_writes(postgres_url: str, replica_url: str) -> None:
    model = HashingEmbedder()
    primary = Newsdesk.over(PostgresStore(postgres_url), model)
    primary.add_article(HARBOUR)
    wait_for_replay(postgres_url, replica_url)
    replica = Newsdesk.over(PostgresStore(replica_url), model)
    assert replica.ask("When did the harbour reopen?").quotes[0].article_id == "harbour"
    with pytest.raises(IndexLockedError, match="read-only replica"):
        replica.add_article(SCHOOL)
    with pytest.raises(IndexLockedError, match="read-only replica"):
        replica.remove_article("harbour")
    assert primary.counts() == (1, 1)
    replica.close()
    primary.close()
