"""A writer process killed with SIGKILL: nothing it acknowledged is lost, nothing is half there."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import psycopg

from newsdesk.desk import Newsdesk
from newsdesk.index.postgres.store import PostgresStore
from newsdesk.qa.ingest.chunking import split_into_passages
from newsdesk.qa.ingest.sentences import split_sentences
from newsdesk.qa.pipeline.config import PipelineConfig
from tests.conftest import ROOT, HashingEmbedder
from tests.postgres.crash_writer import crash_article

KILLS = 3


def start_writer(url: str, mode: str, arg: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.postgres.crash_writer", url, mode, arg],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )


def kill_9(process: subprocess.Popen[str]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def assert_database_is_whole(url: str) -> set[str]:
    """Every stored article has exactly the sentences and passages its text splits into; returns the ids."""
    desk = Newsdesk.over(PostgresStore(url), HashingEmbedder())
    try:
        with psycopg.connect(url) as conn:
            rows = conn.execute(
                """SELECT a.id, a.text,
                          (SELECT count(*) FROM newsdesk_sentences s WHERE s.article_id = a.id),
                          (SELECT array_agg(ARRAY[p.start_char, p.end_char] ORDER BY p.ordinal)
                             FROM newsdesk_passages p WHERE p.article_id = a.id)
                   FROM newsdesk_articles a"""
            ).fetchall()
            state = conn.execute("SELECT articles, passages FROM newsdesk_state").fetchone()
            passages = conn.execute("SELECT count(*) FROM newsdesk_passages").fetchone()
        for article_id, text, sentences, spans in rows:
            assert sentences == len(split_sentences(text)), article_id
            expected = split_into_passages(article_id, text, desk._config.chunking)
            assert [tuple(s) for s in spans or []] == [(p.start, p.end) for p in expected], article_id
        assert state == (len(rows), passages[0] if passages else 0)  # the counts moved with the rows
        return {row[0] for row in rows}
    finally:
        desk.close()


def test_crash_articles_span_several_passages() -> None:
    article = crash_article("x", 1)
    assert len(split_into_passages("x", article.text, PipelineConfig().chunking)) >= 3


def test_a_writer_killed_inside_its_transaction_leaves_nothing_and_no_lock(postgres_url: str) -> None:
    Newsdesk.over(PostgresStore(postgres_url), HashingEmbedder()).close()  # tables made before the race
    writer = start_writer(postgres_url, "stall", "half-1")
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "inside"
        with psycopg.connect(postgres_url) as conn:  # its rows are written, not committed
            held = conn.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'").fetchone()
        assert held is not None and held[0] >= 1
    finally:
        kill_9(writer)
    assert "half-1" not in assert_database_is_whole(postgres_url)
    # The dead writer's lock on the article went with its connection: another writer gets through.
    desk = Newsdesk.over(PostgresStore(postgres_url), HashingEmbedder())
    started = time.monotonic()
    assert desk.add_article(crash_article("half-1", 0)).status == "added"
    assert time.monotonic() - started < 10
    desk.close()
    assert "half-1" in assert_database_is_whole(postgres_url)


def test_acknowledged_articles_survive_repeated_kill_9(postgres_url: str) -> None:
    seed = int(os.environ.get("NEWSDESK_CRASH_SEED", time.time_ns() % 1_000_000))
    print(f"crash test seed: {seed} (rerun with NEWSDESK_CRASH_SEED={seed})")
    rng = random.Random(seed)
    Newsdesk.over(PostgresStore(postgres_url), HashingEmbedder()).close()
    acknowledged: set[str] = set()
    first = 0
    for _ in range(KILLS):
        writer = start_writer(postgres_url, "loop", str(first))
        try:
            assert writer.stdout is not None
            for _ in range(rng.randint(2, 6)):
                line = writer.stdout.readline().split()
                assert line and line[0] == "ack", line
                acknowledged.add(line[1])
            time.sleep(rng.uniform(0.0, 0.05))  # land somewhere in the next article's write
        finally:
            kill_9(writer)
        stored = assert_database_is_whole(postgres_url)
        assert acknowledged <= stored
        first = max(int(i.split("-")[1]) for i in stored) + 10
