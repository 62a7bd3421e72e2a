"""The SQLite article store's schema, and what a store file records, read without opening it as a store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from newsdesk.index.bm25 import TOKENIZER

__all__ = ["FEEDS_SCHEMA", "SCHEMA", "SCHEMA_VERSION", "recorded_model"]

SCHEMA_VERSION = "2"
# The followed feeds (newsdesk.index.feeds). Added without a version change: a store made before
# it gets the table when it is next opened, and nothing else in the file changes.
FEEDS_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    every_seconds REAL NOT NULL,
    added_at REAL NOT NULL,
    next_check_at REAL NOT NULL,
    title TEXT,
    last_checked_at REAL,
    last_new_entry_at REAL,
    last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    etag TEXT,
    last_modified TEXT,
    -- Entry key -> fingerprint of the entries stored (JSON), so a check works only on changes.
    seen TEXT NOT NULL DEFAULT '{}',
    -- The poller checking it now, and until when (see claim_due).
    lease_owner TEXT,
    lease_until REAL
);
CREATE INDEX IF NOT EXISTS feeds_by_next_check ON feeds(next_check_at);
"""
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    url TEXT,
    published TEXT,
    source TEXT,
    content_hash TEXT NOT NULL,
    added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE IF NOT EXISTS sentences (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    embed_hash TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (article_id, ordinal)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sentences_by_hash ON sentences(embed_hash);
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    first_sentence INTEGER NOT NULL,
    last_sentence INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_by_article ON passages(article_id);
CREATE INDEX IF NOT EXISTS articles_by_published ON articles(published);
-- Newest first, an undated article by the day it was added (list_articles).
CREATE INDEX IF NOT EXISTS articles_by_day ON articles(COALESCE(published, substr(added_at, 1, 10)), added_at);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    title, text, tokenize = '{TOKENIZER}'
);
{FEEDS_SCHEMA}"""


def recorded_model(path: Path) -> tuple[str, int] | None:
    """The embedding model and dimension a store file records, read without changing the file.

    Returns:
        ``(model, dimension)``, or None when the file does not exist, cannot be
        read or records no model yet.
    """
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('model', 'dimension')").fetchall())
        finally:
            db.close()
    except sqlite3.Error:
        return None
    dimension = rows.get("dimension", "")
    return (rows["model"], int(dimension)) if "model" in rows and dimension.isdigit() else None
