"""The key changes Citus needs (index/postgres/citus.py) leave newsdesk working: tested on plain PostgreSQL."""

from __future__ import annotations

import numpy as np
import psycopg

from newsdesk.desk import Newsdesk
from newsdesk.index.postgres.citus import DISTRIBUTION_KEYS
from newsdesk.index.postgres.store import PostgresStore
from newsdesk.qa.pipeline.storage import SearchRequest
from newsdesk.qa.retrieval.filters import PassageFilter
from newsdesk.qa.retrieval.fusion import RetrievalConfig
from newsdesk.qa.types import ArticleDraft
from tests.conftest import HashingEmbedder
from tests.postgres.test_store_contract import BODY, FLOOD


def _found(store: PostgresStore, words: tuple[str, ...]) -> list[str]:
    vector = HashingEmbedder().embed(["budget council"])[0].astype(np.float32)
    ranked = store.search(SearchRequest(vector, words, PassageFilter(), 10, RetrievalConfig()))
    return [s.passage.article_id for _, s in ranked]


def test_a_database_keyed_for_citus_still_adds_searches_replaces_and_removes(postgres_url: str) -> None:
    desk = Newsdesk.over(PostgresStore(postgres_url), HashingEmbedder())
    desk.add_article(ArticleDraft(title="Council passes budget", text=BODY, id="budget"))
    desk.close()
    with psycopg.connect(postgres_url) as conn, conn.transaction():
        for statement in DISTRIBUTION_KEYS:
            conn.execute(statement)
        key = conn.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'newsdesk_passages_pkey'"
        ).fetchone()[0]
    assert key == "PRIMARY KEY (article_id, id)"

    store = PostgresStore(postgres_url)
    desk = Newsdesk.over(store, HashingEmbedder())
    try:
        desk.add_article(ArticleDraft(title="Flood in the north", text=FLOOD, id="flood"))
        desk.add_article(ArticleDraft(title="Budget revised", text=BODY + " It was revised.", id="budget"))
        assert "flood" in _found(store, ("flood",)) and "budget" in _found(store, ("budget",))
        ids = [s.passage.id for _, s in store.search(SearchRequest(
            HashingEmbedder().embed(["flood"])[0], ("flood",), PassageFilter(), 5, RetrievalConfig()))]
        assert all(store.sentences_of_passages(ids).get(i) for i in ids)
        assert desk.remove_article("flood") and "flood" not in _found(store, ("flood",))
        assert store.counts()[0] == 1
    finally:
        desk.close()
