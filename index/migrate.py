"""Copying an embedded index into another backend, without embedding anything again.

The SQLite store keeps every sentence's vector, so each article can be handed
to any :class:`~newsdesk.qa.pipeline.storage.Store` as the very write that made
it: same text, offsets, sentence vectors and pooled passage vectors.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsdesk.index.datadir import STORE_FILE, recorded_model_in
from newsdesk.qa.embedding.base import pool_mean
from newsdesk.qa.errors import IndexStateError, NewsdeskError, StorageUnavailableError
from newsdesk.qa.pipeline.storage import ArticleWrite, Store
from newsdesk.qa.types import Article, Passage

__all__ = ["MigrationReport", "copy_index", "migrate_index", "stored_writes"]


def stored_writes(data_dir: Path) -> Iterator[ArticleWrite]:
    """Every article of the embedded index in ``data_dir``, as the write that would store it again.

    Reads a consistent snapshot (one read transaction), so a server may keep writing meanwhile.

    Raises:
        IndexStateError: There is no index in ``data_dir``.
    """
    path = data_dir / STORE_FILE
    if not path.is_file():
        raise IndexStateError(f"no newsdesk index in {data_dir}")
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        db.execute("BEGIN")
        ids = [row[0] for row in db.execute("SELECT id FROM articles ORDER BY rowid")]
        for article_id in ids:
            row = db.execute(
                "SELECT id, title, text, url, published, source, content_hash FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
            sentences = db.execute(
                "SELECT start, end, embed_hash, vector FROM sentences WHERE article_id = ? ORDER BY ordinal", (article_id,)
            ).fetchall()
            passages = [
                Passage(article_id, *p)
                for p in db.execute(
                    """SELECT ordinal, start, end, text, first_sentence, last_sentence FROM passages
                       WHERE article_id = ? ORDER BY ordinal""",
                    (article_id,),
                )
            ]
            vectors = np.vstack([np.frombuffer(s[3], dtype=np.float16).astype(np.float32) for s in sentences])
            pooled = np.vstack([pool_mean(vectors[p.first_sentence : p.last_sentence + 1]) for p in passages])
            yield ArticleWrite(
                Article(*row), [(s[0], s[1]) for s in sentences], vectors, [s[2] for s in sentences], passages, pooled
            )
    finally:
        db.close()


@dataclass(frozen=True)
class MigrationReport:
    """What a copy did: articles written, articles the target already held unchanged, articles refused."""

    copied: int = 0
    skipped: int = 0
    failed: tuple[tuple[str, str], ...] = ()

    @property
    def total(self) -> int:
        """Articles the target now holds from the copy (copied or already there)."""
        return self.copied + self.skipped


def migrate_index(data_dir: Path, target: Store, on_article: Callable[[str], None] | None = None) -> MigrationReport:
    """Write every article of the embedded index in ``data_dir`` into ``target``, counting what happened.

    ``target`` records (or must already record) the model the index was built
    with. Articles it already holds unchanged (same content hash) are skipped,
    so a copy that was stopped can be run again. An article the target refuses
    is counted as failed, with its error, and the copy goes on.

    Raises:
        IndexStateError: ``data_dir`` holds no index, or one without articles.
        ModelMismatchError: ``target`` was built with another model.
        StorageUnavailableError: The target went away (the copy stops; run it again).
    """
    recorded = recorded_model_in(data_dir)
    if recorded is None:
        raise IndexStateError(f"no newsdesk index with articles in {data_dir}")
    target.check_model(*recorded)
    copied = skipped = 0
    failed: list[tuple[str, str]] = []
    for write in stored_writes(data_dir):
        if target.content_hash(write.article.id) == write.article.content_hash:
            skipped += 1
        else:
            try:
                target.write_article(write)
                copied += 1
            except StorageUnavailableError:
                raise
            except NewsdeskError as exc:
                failed.append((write.article.id, str(exc)))
        if on_article:
            on_article(write.article.id)
    return MigrationReport(copied, skipped, tuple(failed))


def copy_index(data_dir: Path, target: Store, on_article: Callable[[str], None] | None = None) -> int:
    """Write every article of the embedded index in ``data_dir`` into ``target``; returns how many it now holds.

    See :func:`migrate_index`, which also says how many were copied, skipped and refused.

    Raises:
        IndexStateError: ``data_dir`` holds no index, or one without articles.
        ModelMismatchError: ``target`` was built with another model.
    """
    return migrate_index(data_dir, target, on_article).total
