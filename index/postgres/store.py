"""``PostgresStore``: the pipeline's :class:`~newsdesk.qa.pipeline.storage.Store` in one PostgreSQL database.

Any number of processes, on any number of machines, may open the same database
and write to it: every article is written or removed in one transaction (under
an advisory lock on its id, so two writers of one article take turns), and
every write transaction bumps the generation in ``newsdesk_state``, so each
process sees the others' writes at once. Nothing is held in memory, so
:meth:`PostgresStore.save` has nothing to do.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import psycopg

from newsdesk.index.postgres.connection import PostgresConfig, connect_once, open_pool, pooled
from newsdesk.index.postgres.frequencies import PhraseFrequencies
from newsdesk.index.postgres.lexemes import lexical_query, passage_lexemes, phrase_queries, register_tsvector
from newsdesk.index.postgres.lexical_plan import plan_lexical
from newsdesk.index.postgres.postings import DELETE_POSTINGS, INSERT_POSTINGS, create_postings, has_postings
from newsdesk.index.postgres.schema import ARTICLE_LOCKS, SCHEMA_LOCK_STATEMENT, prepare_database, record_or_check_model
from newsdesk.index.postgres.search import hybrid_query, ranked_passages
from newsdesk.index.postgres.url import redact
from newsdesk.qa.errors import IndexLockedError
from newsdesk.qa.pipeline.storage import ArticleWrite, SearchRequest, SentenceRows
from newsdesk.qa.retrieval.fusion import Candidate
from newsdesk.qa.types import Article, ArticleSummary, StoredPassage

__all__ = ["PostgresStore"]

_SENTENCES_OF_PASSAGES = """
SELECT p.id, s.start_char, s.end_char, s.vector
FROM newsdesk_passages p
JOIN newsdesk_sentences s ON s.article_id = p.article_id AND s.ordinal BETWEEN p.first_sentence AND p.last_sentence
WHERE p.id = ANY(%s)
ORDER BY p.id, s.ordinal"""

_LIST_ARTICLES = """
SELECT a.id, a.title, a.url, a.published, a.source,
       (SELECT count(*) FROM newsdesk_passages p WHERE p.article_id = a.id), a.added_at
FROM newsdesk_articles a
ORDER BY a.sort_day DESC, a.added_at DESC, a.seq DESC
LIMIT %s OFFSET %s"""


class PostgresStore:
    """Articles, sentences, passages, their vectors and lexical index in PostgreSQL with pgvector.

    Thread-safe: each call takes a connection from a pool. Call :meth:`check_model`
    before anything else (it creates the tables on first use).

    Reads may go to a streaming replica (``read_url``) while writes go to ``url``;
    a store whose ``url`` is itself a replica (a server in recovery) is read-only.
    """

    def __init__(self, url: str, config: PostgresConfig | None = None, read_url: str | None = None) -> None:
        """Connect, create the pgvector extension if needed and check the schema version.

        Args:
            url: A ``postgresql://`` URL (libpq keywords work too): the primary, or a
                replica for a read-only store.
            config: Pool sizes, search and index settings (default :class:`PostgresConfig`).
            read_url: A streaming replica of ``url`` that searches and reads go to
                (they may lag the primary by the replication delay).

        Raises:
            IndexStateError: The server cannot be reached, lacks pgvector, or holds
                another schema version.
        """
        self.url = url
        self.config = config = config or PostgresConfig()
        with connect_once(url, config.connect_timeout) as conn:
            self.writable = not prepare_database(conn)
        if read_url:
            with connect_once(read_url, config.connect_timeout) as conn:
                prepare_database(conn)
        self._pool = open_pool(url, config, vectors=True)
        self._reads = open_pool(read_url, config, vectors=True) if read_url else self._pool
        self._frequencies = PhraseFrequencies()
        # Known once check_model has run: the primary keeps postings, the reads have them.
        self._writes_postings = False
        self._postings = False

    def __repr__(self) -> str:
        return f"PostgresStore({redact(self.url)!r})"

    def check_model(self, model: str, dimension: int) -> None:
        """Create the tables on first use and record the model; refuse another model later.

        Raises:
            ModelMismatchError: The database was built with another model or dimension.
        """
        config = self.config
        with pooled(self._pool) as conn:
            record_or_check_model(
                conn, model, dimension, m=config.hnsw_m,
                ef_construction=config.hnsw_ef_construction, read_only=not self.writable,
            )
            self._writes_postings = self.writable and create_postings(conn, SCHEMA_LOCK_STATEMENT)
        with pooled(self._reads) as conn:
            # A replica may not have replayed the table yet: its searches scan until it has.
            self._postings = has_postings(conn)

    # -- writes --------------------------------------------------------------

    def content_hash(self, article_id: str) -> str | None:
        with pooled(self._pool) as conn:
            row = conn.execute("SELECT content_hash FROM newsdesk_articles WHERE id = %s", (article_id,)).fetchone()
        return row[0] if row else None

    def vectors_for_hashes(self, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored sentence vectors by embedding-text hash (any one row per hash)."""
        unique = list(dict.fromkeys(hashes))
        if not unique:
            return {}
        with pooled(self._pool) as conn:
            rows = conn.execute(
                "SELECT DISTINCT ON (embed_hash) embed_hash, vector FROM newsdesk_sentences WHERE embed_hash = ANY(%s)",
                (unique,),
                binary=True,
            ).fetchall()
        return {embed_hash: vector for embed_hash, vector in rows}

    def write_article(self, write: ArticleWrite) -> bool:
        """Store an article, its sentences and passages in one transaction, replacing any with its id.

        Returns:
            True when an article with this id was replaced.
        """
        self._check_writable()
        article = write.article
        lexemes = passage_lexemes(article.title, [passage.text for passage in write.passages])
        with pooled(self._pool) as conn, conn.transaction():
            self._lock_article(conn, article.id)
            removed = self._delete(conn, article.id, self._writes_postings)
            conn.execute(
                "INSERT INTO newsdesk_articles (id, title, text, url, published, source, content_hash) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                (article.id, article.title, article.text, article.url, article.published, article.source,
                 article.content_hash),
            )
            with conn.cursor(binary=True) as cursor:
                register_tsvector(cursor)
                with cursor.copy(
                    "COPY newsdesk_sentences (article_id, ordinal, start_char, end_char, embed_hash, vector) "
                    "FROM STDIN (FORMAT BINARY)"
                ) as copy:
                    copy.set_types(["text", "int4", "int4", "int4", "text", "halfvec"])
                    for i, ((start, end), vector, embed_hash) in enumerate(
                        zip(write.sentences, write.sentence_vectors, write.sentence_hashes)
                    ):
                        copy.write_row((article.id, i, start, end, embed_hash, vector))
                with cursor.copy(
                    "COPY newsdesk_passages (article_id, ordinal, start_char, end_char, text, first_sentence, "
                    "last_sentence, title, published, source_key, embedding, lexemes, tokens) FROM STDIN (FORMAT BINARY)"
                ) as copy:
                    copy.set_types(
                        ["text", "int4", "int4", "int4", "text", "int4", "int4", "text", "text", "text", "halfvec",
                         "tsvector", "int4"]
                    )
                    source_key = article.source.lower() if article.source else None
                    for passage, vector, lexical in zip(write.passages, write.passage_vectors, lexemes):
                        copy.write_row((
                            article.id, passage.ordinal, passage.start, passage.end, passage.text,
                            passage.first_sentence, passage.last_sentence, article.title, article.published,
                            source_key, vector, lexical, lexical.tokens,
                        ))
            if self._writes_postings:
                conn.execute(INSERT_POSTINGS, (article.id,))
            # Last, so the row lock every writer needs is held only until the commit.
            removed_passages, removed_tokens = removed or (0, 0)
            self._bump(
                conn, 0 if removed is not None else 1, len(write.passages) - removed_passages,
                sum(lexical.tokens for lexical in lexemes) - removed_tokens,
            )
        return removed is not None

    def remove_article(self, article_id: str) -> int | None:
        """Remove an article (its sentences and passages go with it) in one transaction.

        Returns:
            Its passage count, or None when it was not stored.
        """
        self._check_writable()
        with pooled(self._pool) as conn, conn.transaction():
            self._lock_article(conn, article_id)
            removed = self._delete(conn, article_id, self._writes_postings)
            if removed is not None:
                self._bump(conn, -1, -removed[0], -removed[1])
        return None if removed is None else removed[0]

    def _check_writable(self) -> None:
        if not self.writable:
            raise IndexLockedError(
                f"{redact(self.url)} is a read-only replica; add and remove articles through the primary"
            )

    @staticmethod
    def _lock_article(conn: psycopg.Connection, article_id: str) -> None:
        """Make concurrent writers of one article id take turns (until this transaction ends)."""
        conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (ARTICLE_LOCKS, article_id))

    @staticmethod
    def _delete(conn: psycopg.Connection, article_id: str, postings: bool) -> tuple[int, int] | None:
        """Delete an article (its sentences and passages cascade, its postings are deleted first).

        Returns:
            Its passage count and their tokens, or None when it was not stored.
        """
        passages = conn.execute(
            "SELECT count(*), COALESCE(sum(tokens), 0) FROM newsdesk_passages WHERE article_id = %s", (article_id,)
        ).fetchone()
        if postings and passages and passages[0]:
            conn.execute(DELETE_POSTINGS, (article_id,))
        deleted = conn.execute("DELETE FROM newsdesk_articles WHERE id = %s", (article_id,)).rowcount
        return (int(passages[0]), int(passages[1])) if deleted and passages else None

    @staticmethod
    def _bump(conn: psycopg.Connection, articles: int, passages: int, tokens: int) -> None:
        conn.execute(
            "UPDATE newsdesk_state SET generation = generation + 1, articles = articles + %s, passages = passages + %s, "
            "tokens = tokens + %s",
            (articles, passages, tokens),
        )

    def generation(self) -> int:
        """The write counter every process bumps, read from the database."""
        with pooled(self._pool) as conn:
            row = conn.execute("SELECT generation FROM newsdesk_state").fetchone()
        return int(row[0]) if row else 0

    # -- reads ---------------------------------------------------------------

    def search(self, request: SearchRequest) -> list[tuple[Candidate, StoredPassage]]:
        """Dense (HNSW) and lexical (full-text) candidates, filtered and fused in one query; best first."""
        config = self.config
        words = lexical_query(request.terms) if request.retrieval.lexical_k > 0 else None
        ef_search = max(config.ef_search, request.retrieval.dense_k)
        with pooled(self._reads) as conn, conn.transaction():
            # One snapshot for the phrase counts, the passage total and the search that uses them.
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            conn.execute("SELECT set_config('hnsw.ef_search', %s, true)", (str(min(ef_search, 1000)),))
            plan, postings = None, None
            if words:
                passages, frequencies = self._frequencies.read(conn, words.phrase_keys, self._postings)
                plan = plan_lexical(frequencies, passages, config.lexical_scan_limit)
                if self._postings and not request.filters.active and sum(frequencies) > config.postings_above:
                    postings = config.postings_limits(passages)
            query, params = hybrid_query(request, words, plan, config.lexical_scan_limit, postings)
            # Never a prepared statement: a generic plan cannot see how many passages the words match.
            rows = conn.execute(query, params, binary=True, prepare=False).fetchall()
        return ranked_passages(rows)

    def sentences_of_passages(self, ids: Sequence[int]) -> dict[int, SentenceRows]:
        """``(start, end, vector)`` of each passage's sentences; a passage replaced meanwhile has none."""
        found: dict[int, SentenceRows] = {}
        wanted = [int(i) for i in ids]
        if not wanted:
            return found
        with pooled(self._reads) as conn:
            rows = conn.execute(_SENTENCES_OF_PASSAGES, (wanted,), binary=True).fetchall()
        for passage_id, start, end, vector in rows:
            found.setdefault(int(passage_id), []).append((start, end, vector))
        return found

    def document_frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        """How many passages hold each term, tokenised as FTS5 tokenises it (as the embedded store counts)."""
        words = [term for term in terms if term.replace('"', "")]
        queries = dict(zip(words, phrase_queries(words)))
        found = {term: 0 for term, query in queries.items() if query is None}  # no token: FTS5 matches nothing
        asked = {term: query for term, query in queries.items() if query is not None}
        if asked:
            with pooled(self._reads) as conn:
                _, counts = self._frequencies.read(conn, list(asked.values()), self._postings)
            found.update(zip(asked, counts))
        return found

    def get_article(self, article_id: str) -> Article | None:
        with pooled(self._reads) as conn:
            row = conn.execute(
                "SELECT id, title, text, url, published, source, content_hash FROM newsdesk_articles WHERE id = %s",
                (article_id,),
            ).fetchone()
        return Article(*row) if row else None

    def list_articles(self, limit: int, offset: int) -> list[ArticleSummary]:
        """Article metadata, newest first: by date, an undated article by the day it was added."""
        with pooled(self._reads) as conn:
            rows = conn.execute(_LIST_ARTICLES, (limit, offset)).fetchall()
        return [ArticleSummary(*row[:5], int(row[5]), row[6]) for row in rows]

    def counts(self) -> tuple[int, int]:
        """``(articles, passages)``, kept in ``newsdesk_state`` by every write (no table scan)."""
        with pooled(self._reads) as conn:
            row = conn.execute("SELECT articles, passages FROM newsdesk_state").fetchone()
        return (int(row[0]), int(row[1])) if row else (0, 0)

    def vector_count(self) -> int:
        """Every passage row holds its vector, so this is the passage count."""
        return self.counts()[1]

    # -- lifecycle -----------------------------------------------------------

    def save(self) -> bool:
        """Nothing is held in memory: every write is committed when it returns. Always False."""
        return False

    def close(self) -> None:
        """Close the pools' connections."""
        if self._reads is not self._pool:
            self._reads.close()
        self._pool.close()
