"""A real server killed with SIGKILL mid-ingest, three times: nothing it acknowledged is lost, nothing is half there."""

from __future__ import annotations

import os
import random
import sqlite3
import threading
import time
from pathlib import Path

import httpx
import numpy as np

from loadtest.server import LocalServer
from loadtest.workload import load_article
from newsdesk.desk import Newsdesk
from newsdesk.index.datadir import STORE_FILE, VECTORS_FILE
from newsdesk.index.vectors import VectorIndex
from newsdesk.qa.embedding import SentenceTransformerEmbedder
from newsdesk.qa.ingest.chunking import split_into_passages
from newsdesk.qa.ingest.sentences import split_sentences

CRASHES = 3
STARTUP_TIMEOUT_S = 120.0
SERVER_ENV = {"NEWSDESK_SNAPSHOT_SECONDS": "1"}  # snapshots are written often, so some kills land mid-write


def listed_ids(client: httpx.Client) -> set[str]:
    response = client.get("/articles", params={"limit": 1000})
    assert response.status_code == 200
    return {a["id"] for a in response.json()["articles"]}


def post_until_killed(client: httpx.Client, killed: threading.Event, rng: random.Random, first: int,
                      acknowledged: dict[str, str]) -> int:
    """POST new articles, one or a list of up to three at a time, until the server is killed.

    Returns:
        The next unused article number.
    """
    number = first
    while True:
        batch = [load_article(f"crash-{n}", n, rng) for n in range(number, number + rng.randint(1, 3))]
        number += len(batch)  # used even if not acknowledged: a killed request may still have been stored
        try:
            response = client.post("/articles", json=batch[0][0] if len(batch) == 1 else [b for b, _ in batch])
        except httpx.TransportError:
            assert killed.is_set(), "the connection failed before the server was killed"
            return number
        assert response.status_code == 201, response.text
        assert [a["id"] for a in response.json()["articles"]] == [b["id"] for b, _ in batch]
        acknowledged.update((str(b["id"]), town) for b, town in batch)


def stored_passage_ids(data_dir: Path) -> np.ndarray:
    db = sqlite3.connect(data_dir / STORE_FILE)
    try:
        return np.array([r[0] for r in db.execute("SELECT id FROM passages ORDER BY id")], dtype=np.int64)
    finally:
        db.close()


def assert_store_is_whole(data_dir: Path, embedder: SentenceTransformerEmbedder) -> int:
    """Every stored article has exactly the passages its text splits into, each with a vector; returns the count."""
    db = sqlite3.connect(data_dir / STORE_FILE)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        for orphans in (
            "SELECT COUNT(*) FROM passages WHERE article_id NOT IN (SELECT id FROM articles)",
            "SELECT COUNT(*) FROM sentences WHERE article_id NOT IN (SELECT id FROM articles)",
            "SELECT COUNT(*) FROM passages_fts WHERE rowid NOT IN (SELECT id FROM passages)",
            "SELECT COUNT(*) FROM passages WHERE id NOT IN (SELECT rowid FROM passages_fts)",
        ):
            assert db.execute(orphans).fetchone() == (0,), orphans
        stored = {
            article_id: [tuple(r) for r in db.execute(
                "SELECT start, end FROM passages WHERE article_id = ? ORDER BY ordinal", (article_id,))]
            for (article_id,) in db.execute("SELECT id FROM articles").fetchall()
        }
        texts = dict(db.execute("SELECT id, text FROM articles").fetchall())
        sentences = dict(db.execute("SELECT article_id, COUNT(*) FROM sentences GROUP BY article_id").fetchall())
    finally:
        db.close()

    desk = Newsdesk(data_dir, embedder, writer=False)
    try:
        for article_id, spans in stored.items():
            text = texts[article_id]
            assert sentences.get(article_id) == len(split_sentences(text)), article_id
            expected = split_into_passages(article_id, text, desk._config.chunking)
            assert spans == [(p.start, p.end) for p in expected], f"{article_id} is stored with the wrong passages"
        passage_ids = desk._store.articles.passage_ids()
        assert len({pid for pid, _ in desk._store.articles.passage_sentence_vectors(None)}) == len(passage_ids)
        assert np.array_equal(np.sort(desk._store.vectors.ids()), passage_ids)
    finally:
        desk.close()
    return len(stored)


def test_acknowledged_articles_survive_repeated_kill_9(
    writable_seed_dir: Path, embedder: SentenceTransformerEmbedder, tmp_path: Path
) -> None:
    seed = int(os.environ.get("NEWSDESK_CRASH_SEED", time.time_ns() % 1_000_000))
    print(f"crash test seed: {seed} (rerun with NEWSDESK_CRASH_SEED={seed})")
    rng = random.Random(seed)
    acknowledged: dict[str, str] = {}
    number = 0
    log = tmp_path / "server.log"

    for crash in range(CRASHES):
        server = LocalServer(writable_seed_dir, log, env=SERVER_ENV)
        killed = threading.Event()

        def kill_now() -> None:
            killed.set()
            server.kill()

        killer = threading.Timer(rng.uniform(0.5, 3.0), kill_now)
        try:
            server.start()
            server.wait_until_healthy(STARTUP_TIMEOUT_S)
            with httpx.Client(base_url=server.url, timeout=60.0) as client:
                health = client.get("/health").json()
                assert health["passages"] == health["vectors"], f"after crash {crash}: {health}"
                assert set(acknowledged) <= listed_ids(client), f"lost after crash {crash}"
                killer.start()
                number = post_until_killed(client, killed, rng, number, acknowledged)
        finally:
            killer.cancel()
            if killer.is_alive():
                killer.join()
            server.kill()
        assert server.exit_status() == -9, f"the server was not killed but exited:\n{server.log_tail()}"
        print(f"crash {crash + 1}: {len(acknowledged)} articles acknowledged so far")
    assert len(acknowledged) >= CRASHES, "too few articles were posted for the test to mean anything"

    with LocalServer(writable_seed_dir, log, env=SERVER_ENV) as server:
        server.wait_until_healthy(STARTUP_TIMEOUT_S)
        with httpx.Client(base_url=server.url, timeout=60.0) as client:
            for article_id, town in acknowledged.items():
                response = client.get(f"/articles/{article_id}")
                assert response.status_code == 200, f"acknowledged article {article_id} is gone"
                assert f"The mascot of {town} is" in response.json()["text"]
            health = client.get("/health").json()
            assert health["passages"] == health["vectors"]
            article_id, town = rng.choice(sorted(acknowledged.items()))
            quotes = client.post("/ask", json={"question": f"What is the mascot of {town}?"}).json()["quotes"]
            assert article_id in [q["article_id"] for q in quotes], f"no quote from {article_id} about {town}"
        assert server.stop() in LocalServer.CLEAN_EXIT, server.log_tail()

    # A clean shutdown leaves a snapshot that matches the store without any reconciling.
    snapshot = VectorIndex.load(writable_seed_dir / VECTORS_FILE, embedder.dimension)
    assert np.array_equal(np.sort(snapshot.ids()), stored_passage_ids(writable_seed_dir))
    assert assert_store_is_whole(writable_seed_dir, embedder) == health["articles"]
    assert health["articles"] >= 14 + len(acknowledged)
