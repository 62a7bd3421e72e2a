"""The postings table follows every write, is made for a database from before it, and the settings reach the search."""

from __future__ import annotations

import numpy as np
import psycopg

from newsdesk.desk import Newsdesk
from newsdesk.index.postgres.config import PostgresConfig
from newsdesk.index.postgres.schema import SCHEMA_VERSION
from newsdesk.index.postgres.store import PostgresStore
from newsdesk.qa.pipeline.storage import SearchRequest
from newsdesk.qa.retrieval.filters import PassageFilter
from newsdesk.qa.retrieval.fusion import RetrievalConfig
from newsdesk.qa.types import ArticleDraft
from tests.conftest import HashingEmbedder
from tests.postgres.test_store_contract import BODY, FLOOD

ARTICLES = [
    ArticleDraft(title="Council passes budget", text=BODY, id="budget"),
    ArticleDraft(title="Flood in the north", text=FLOOD, id="flood"),
    ArticleDraft(title="River budget", text="The river authority asked the council for a budget. " + FLOOD, id="river"),
]
FROM_POSTINGS = PostgresConfig(postings_above=0, postings_per_token=1000, postings_rescore=1000)


def _postings(url: str) -> list[tuple[str, int, float]]:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT lexeme, passage_id, impact FROM newsdesk_postings ORDER BY 1, 2").fetchall()


def _expected_postings(url: str) -> set[tuple[str, int]]:
    """(token, passage) for every token in every stored passage's lexemes."""
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT DISTINCT u.lexeme, p.id FROM newsdesk_passages p, unnest(p.lexemes) u").fetchall()
    return {(lexeme, int(pid)) for lexeme, pid in rows}


def _ranking(store: PostgresStore, terms: tuple[str, ...]) -> list[tuple[str, int]]:
    vector = np.zeros(HashingEmbedder().dimension, dtype=np.float32)
    request = SearchRequest(vector, terms, PassageFilter(), 50, RetrievalConfig(dense_k=0, lexical_k=50))
    return [(s.passage.article_id, s.passage.ordinal) for _, s in store.search(request)]


def test_postings_follow_adds_replaces_and_removals(postgres_url: str) -> None:
    desk = Newsdesk.over(PostgresStore(postgres_url), HashingEmbedder())
    try:
        for article in ARTICLES:
            desk.add_article(article)
        desk.add_article(ArticleDraft(title="Budget revised", text=FLOOD + " The budget grew.", id="budget"))
        desk.remove_article("flood")
        rows = _postings(postgres_url)
        assert {(lexeme, pid) for lexeme, pid, _ in rows} == _expected_postings(postgres_url)
        assert len(rows) == len(_expected_postings(postgres_url))  # one row per token and passage
        assert all(0 < impact < 1 for _, _, impact in rows)
    finally:
        desk.close()


def test_a_database_from_before_the_postings_gets_them_on_first_open(postgres_url: str) -> None:
    desk = Newsdesk.over(PostgresStore(postgres_url, FROM_POSTINGS), HashingEmbedder())
    for article in ARTICLES:
        desk.add_article(article)
    made_by_writes = _postings(postgres_url)
    before = _ranking(desk._store, ("budget", "river"))  # type: ignore[arg-type]
    desk.close()
    with psycopg.connect(postgres_url, autocommit=True) as conn:  # as a version-2 database was
        conn.execute("DROP TABLE newsdesk_postings")
        conn.execute("UPDATE newsdesk_meta SET value = '2' WHERE key = 'schema_version'")

    reopened = PostgresStore(postgres_url, FROM_POSTINGS)
    assert _ranking(reopened, ("budget", "river")) == before  # before check_model: no postings, the scan
    reopened.check_model(HashingEmbedder().name, HashingEmbedder().dimension)
    try:
        assert _postings(postgres_url) == made_by_writes
        assert _ranking(reopened, ("budget", "river")) == before
        with psycopg.connect(postgres_url) as conn:
            version = conn.execute("SELECT value FROM newsdesk_meta WHERE key = 'schema_version'").fetchone()[0]
        assert version == SCHEMA_VERSION == "3"  # an older newsdesk, which makes no postings, now refuses it
    finally:
        reopened.close()


def test_the_iterative_scan_setting_reaches_every_connection(postgres_url: str) -> None:
    store = PostgresStore(postgres_url, PostgresConfig(iterative_scan="relaxed_order"))
    try:
        with store._pool.connection() as conn:
            assert conn.execute("SHOW hnsw.iterative_scan").fetchone()[0] == "relaxed_order"
    finally:
        store.close()


def test_writers_opening_a_new_database_at_once_all_get_one_postings_table(postgres_url: str) -> None:
    """As ``newsdesk add`` from several processes on an empty database: none fails making the tables."""
    from concurrent.futures import ThreadPoolExecutor

    def open_and_write(number: int) -> bool:
        desk = Newsdesk.over(PostgresStore(postgres_url), HashingEmbedder())
        try:
            desk.add_article(ArticleDraft(title=f"Budget {number}", text=BODY, id=f"budget-{number}"))
            return True
        finally:
            desk.close()

    with ThreadPoolExecutor(6) as pool:
        assert all(pool.map(open_and_write, range(6)))
    assert {(lexeme, pid) for lexeme, pid, _ in _postings(postgres_url)} == _expected_postings(postgres_url)
