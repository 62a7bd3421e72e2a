"""The SQLite article store's schema, and what a store file records, read without opening it as a store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from newsdesk.index.bm25 import TOKENIZER

__all__ = ["SCHEMA", "SCHEMA_VERSION", "recorded_model"]

SCHEMA_VERSION = "2"
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
"""


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
