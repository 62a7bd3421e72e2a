"""The SQLite store of articles, sentences and passages, with a BM25 (FTS5) lexical index.

The store is the source of truth: it keeps every sentence's embedding (as
float16), from which passage vectors are pooled, so the FAISS file can always
be rebuilt or reconciled from it without re-embedding.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TypeVar

import numpy as np

from newsdesk.index import sqlite
from newsdesk.index.bm25 import TEXT_WEIGHT, TITLE_WEIGHT
from newsdesk.index.store_schema import SCHEMA, SCHEMA_VERSION, recorded_model
from newsdesk.qa.errors import IndexStateError, ModelMismatchError
from newsdesk.qa.types import Article, ArticleSummary, Passage, StoredPassage

__all__ = ["ArticleStore", "fts_match", "recorded_model"]


def fts_match(terms: Sequence[str]) -> str:
    """An FTS5 OR-query of words, each quoted so that no character in them reads as an operator."""
    quoted = (t.replace('"', "") for t in terms)
    return " OR ".join(f'"{t}"' for t in quoted if t)


_T = TypeVar("_T")


class ArticleStore:
    """Articles, passages (with offsets and vectors) and the FTS5 index in one SQLite file.

    One connection guarded by a lock: SQLite calls here take milliseconds, and
    WAL mode lets other processes read while this one writes.
    """

    #: Values bound in one ``IN (...)`` list: well inside SQLite's limit on the
    #: parameters of a statement (999 before SQLite 3.32).
    IN_LIST_CHUNK = 500

    @classmethod
    def _in_chunks(cls, values: Sequence[_T]) -> Iterator[tuple[list[_T], str]]:
        """``values`` in chunks of :attr:`IN_LIST_CHUNK`, each with its ``?,?,...`` placeholders."""
        for i in range(0, len(values), cls.IN_LIST_CHUNK):
            chunk = list(values[i : i + cls.IN_LIST_CHUNK])
            yield chunk, ",".join("?" * len(chunk))

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._db = sqlite.connect(path)
        self._check_schema_version()
        with self.transaction():
            sqlite.apply_schema(self._db, SCHEMA)
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))

    def _check_schema_version(self) -> None:
        has_meta = self._db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
        row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() if has_meta else None
        if row is not None and row[0] != SCHEMA_VERSION:
            self._db.close()
            raise IndexStateError(
                f"{self.path} holds index format {row[0]}, this version reads format {SCHEMA_VERSION}; "
                "re-add the articles into a new data directory"
            )

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """Run statements atomically: all applied, or none (also across a crash)."""
        return sqlite.transaction(self._db, self._lock)

    # -- model identity -------------------------------------------------

    def check_model(self, model: str, dimension: int) -> None:
        """Record the embedding model on first use; refuse a different one later.

        Raises:
            ModelMismatchError: If the store was built with another model or dimension.
        """
        with self.transaction() as db:
            rows = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('model', 'dimension')").fetchall())
            if not rows:
                db.execute("INSERT INTO meta VALUES ('model', ?), ('dimension', ?)", (model, str(dimension)))
                return
        if rows.get("model") != model or rows.get("dimension") != str(dimension):
            raise ModelMismatchError(
                f"the index in {self.path.parent} was built with model {rows.get('model')!r} "
                f"(dimension {rows.get('dimension')}), not {model!r} (dimension {dimension}); "
                "use that model or a new data directory"
            )

    # -- writes ---------------------------------------------------------

    def replace_article(
        self,
        article: Article,
        sentences: Sequence[tuple[int, int]],
        sentence_vectors: np.ndarray,
        sentence_hashes: Sequence[str],
        passages: Sequence[Passage],
    ) -> tuple[list[int], list[int]]:
        """Store an article, its sentences (with vectors) and passages, replacing any article with the same id.

        Returns:
            The new passage ids and the ids of the passages it replaced.
        """
        with self.transaction() as db:
            removed = self._delete_article(db, article.id)
            db.execute(
                "INSERT INTO articles (id, title, text, url, published, source, content_hash) VALUES (?,?,?,?,?,?,?)",
                (article.id, article.title, article.text, article.url, article.published, article.source, article.content_hash),
            )
            db.executemany(
                "INSERT INTO sentences (article_id, ordinal, start, end, embed_hash, vector) VALUES (?,?,?,?,?,?)",
                [
                    (article.id, i, start, end, h, v.astype(np.float16).tobytes())
                    for i, ((start, end), v, h) in enumerate(zip(sentences, sentence_vectors, sentence_hashes))
                ],
            )
            added = []
            for passage in passages:
                cursor = db.execute(
                    "INSERT INTO passages (article_id, ordinal, start, end, text, first_sentence, last_sentence) VALUES (?,?,?,?,?,?,?)",
                    (article.id, passage.ordinal, passage.start, passage.end, passage.text, passage.first_sentence, passage.last_sentence),
                )
                passage_id = int(cursor.lastrowid or 0)
                db.execute("INSERT INTO passages_fts (rowid, title, text) VALUES (?,?,?)", (passage_id, article.title, passage.text))
                added.append(passage_id)
        return added, removed

    def remove_article(self, article_id: str) -> list[int] | None:
        """Delete an article; returns its passage ids, or None if it was not stored."""
        with self.transaction() as db:
            if db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is None:
                return None
            return self._delete_article(db, article_id)

    @staticmethod
    def _delete_article(db: sqlite3.Connection, article_id: str) -> list[int]:
        ids = [row[0] for row in db.execute("SELECT id FROM passages WHERE article_id = ?", (article_id,))]
        db.executemany("DELETE FROM passages_fts WHERE rowid = ?", [(i,) for i in ids])
        db.execute("DELETE FROM passages WHERE article_id = ?", (article_id,))
        db.execute("DELETE FROM sentences WHERE article_id = ?", (article_id,))
        db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        return ids

    # -- reads ----------------------------------------------------------

    def content_hash(self, article_id: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT content_hash FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def vectors_for_hashes(self, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored embeddings of sentences with these embedding-text hashes (a cache)."""
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(hashes))
        with self._lock:
            for chunk, marks in self._in_chunks(unique):
                for embed_hash, blob in self._db.execute(
                    f"SELECT embed_hash, vector FROM sentences WHERE embed_hash IN ({marks}) GROUP BY embed_hash", chunk
                ):
                    found[embed_hash] = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
        return found

    def get_article(self, article_id: str) -> Article | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id, title, text, url, published, source, content_hash FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
        return Article(*row) if row else None

    def list_articles(self, limit: int, offset: int = 0) -> list[ArticleSummary]:
        """Article metadata, newest first: by date, an undated article by the day it was added."""
        with self._lock:
            rows = self._db.execute(
                """SELECT a.id, a.title, a.url, a.published, a.source,
                          (SELECT COUNT(*) FROM passages p WHERE p.article_id = a.id), a.added_at
                   FROM articles a
                   ORDER BY COALESCE(a.published, substr(a.added_at, 1, 10)) DESC, a.added_at DESC, a.rowid DESC
                   LIMIT ? OFFSET ?""",
                (limit, offset),
            ).fetchall()
        return [ArticleSummary(*row) for row in rows]

    def counts(self) -> tuple[int, int]:
        """Return (articles, passages)."""
        with self._lock:
            articles = self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            passages = self._db.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
        return int(articles), int(passages)

    def passages(self, ids: Sequence[int]) -> dict[int, StoredPassage]:
        """Fetch passages with their article metadata, keyed by passage id."""
        found: dict[int, StoredPassage] = {}
        with self._lock:
            for chunk, marks in self._in_chunks(ids):
                for row in self._db.execute(
                    f"""SELECT p.id, p.article_id, p.ordinal, p.start, p.end, p.text,
                               p.first_sentence, p.last_sentence, a.title, a.url, a.published, a.source
                        FROM passages p JOIN articles a ON a.id = p.article_id WHERE p.id IN ({marks})""",
                    chunk,
                ):
                    passage = Passage(*row[1:8], id=row[0])
                    found[row[0]] = StoredPassage(passage, *row[8:12])
        return found

    def passage_ids(self) -> np.ndarray:
        with self._lock:
            rows = self._db.execute("SELECT id FROM passages ORDER BY id").fetchall()
        return np.array([r[0] for r in rows], dtype=np.int64)

    def passage_sentence_vectors(self, ids: Sequence[int] | None = None) -> list[tuple[int, np.ndarray]]:
        """The sentence vectors of each passage (all passages, or the given ones), by passage id."""
        query = """SELECT p.id, s.vector FROM passages p JOIN sentences s
                   ON s.article_id = p.article_id AND s.ordinal BETWEEN p.first_sentence AND p.last_sentence"""
        with self._lock:
            if ids is None:
                rows = self._db.execute(query + " ORDER BY p.id, s.ordinal").fetchall()
            else:
                rows = []
                wanted = [int(i) for i in ids]
                for chunk, marks in self._in_chunks(wanted):
                    rows += self._db.execute(query + f" WHERE p.id IN ({marks}) ORDER BY p.id, s.ordinal", chunk).fetchall()
        grouped: dict[int, list[bytes]] = {}
        for passage_id, blob in rows:
            grouped.setdefault(passage_id, []).append(blob)
        return [
            (pid, np.frombuffer(b"".join(blobs), dtype=np.float16).reshape(len(blobs), -1).astype(np.float32))
            for pid, blobs in grouped.items()
        ]

    def sentences_of_passages(self, ids: Sequence[int]) -> dict[int, list[tuple[int, int, np.ndarray]]]:
        """``(start, end, vector)`` of the sentences of many stored passages, in one query, by passage id.

        Passages are looked up by id, which is never reused: if an article was
        replaced since its passage was read, that passage gets no sentences
        rather than the new version's, whose offsets do not fit it.
        """
        found: dict[int, list[tuple[int, int, np.ndarray]]] = {}
        wanted = [int(i) for i in ids]
        with self._lock:
            for chunk, marks in self._in_chunks(wanted):
                rows = self._db.execute(
                    f"""SELECT p.id, s.start, s.end, s.vector FROM passages p JOIN sentences s
                        ON s.article_id = p.article_id AND s.ordinal BETWEEN p.first_sentence AND p.last_sentence
                        WHERE p.id IN ({marks}) ORDER BY p.id, s.ordinal""",
                    chunk,
                ).fetchall()
                for passage_id, start, end, blob in rows:
                    found.setdefault(passage_id, []).append((start, end, np.frombuffer(blob, dtype=np.float16).astype(np.float32)))
        return found

    def document_frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        """How many passages contain each term (after the FTS tokenizer's stemming)."""
        found: dict[str, int] = {}
        with self._lock:
            for term in terms:
                quoted = '"' + term.replace('"', "") + '"'
                if quoted == '""':
                    continue
                found[term] = int(
                    self._db.execute("SELECT COUNT(*) FROM passages_fts WHERE passages_fts MATCH ?", (quoted,)).fetchone()[0]
                )
        return found

    def lexical_search(self, match_query: str, k: int) -> list[tuple[int, float]]:
        """BM25 search of passage text and title; returns ``(passage_id, score)``, best first.

        Args:
            match_query: An FTS5 MATCH expression (see :func:`fts_match`).
            k: How many results to return.
        """
        if not match_query:
            return []
        bm25 = f"bm25(passages_fts, {float(TITLE_WEIGHT)!r}, {float(TEXT_WEIGHT)!r})"
        with self._lock:
            rows = self._db.execute(
                # bm25() is lower-is-better.
                f"SELECT rowid, -{bm25} FROM passages_fts WHERE passages_fts MATCH ? ORDER BY {bm25} LIMIT ?",
                (match_query, k),
            ).fetchall()
        return [(int(r[0]), float(r[1])) for r in rows]
