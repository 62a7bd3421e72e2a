"""The newsdesk pipeline: one object that indexes articles and answers questions.

It composes the stages (cleaning, chunking, embedding, retrieval, answering)
over the two stores in a data directory: a SQLite file (the source of truth,
embeddings included) and a FAISS snapshot that is reconciled with it on open.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from index.store import ArticleStore, ArticleSummary
from index.vectors import APPROXIMATE_ABOVE, VectorIndex
from qa.answering import AnsweringConfig, answer_from_passages, score_sentences, term_weights
from qa.chunking import ChunkingConfig, split_into_passages
from qa.cleaning import clean_text, clean_title
from qa.embedding import Embedder, pool_mean
from qa.errors import ArticleError, IndexLockedError, NewsdeskError, NotFoundError, QueryError
from qa.ids import content_hash, derive_article_id, validate_article_id
from qa.reading import Reader, answer_by_reading
from qa.retrieval import RetrievalConfig, retrieve
from qa.filters import PassageFilter, as_date
from qa.sentences import split_sentences
from qa.text import STOPWORDS, tokens
from qa.timeframe import TimeWindow, window_in_question
from qa.types import Answer, Article, ArticleDraft, Passage

__all__ = ["AddResult", "Newsdesk", "PipelineConfig"]

log = logging.getLogger("newsdesk")

STORE_FILE = "newsdesk.sqlite3"
VECTORS_FILE = "vectors.faiss"
LOCK_FILE = "write.lock"


@dataclass(frozen=True)
class PipelineConfig:
    """Everything that shapes indexing and answering.

    Attributes:
        chunking: Passage sizes.
        retrieval: Candidate counts and fusion.
        answering: Sentence scoring and abstention.
        max_question_chars: Longer questions are refused.
        max_article_chars: Longer articles are refused.
        default_top_k: Quotes returned when a request does not say.
        max_top_k: The most quotes a request may ask for.
        approximate_above: Passages above which the vector index becomes approximate (IVF).
        nprobe: Inverted lists an approximate index searches per question.
    """

    chunking: ChunkingConfig = field(default_factory=ChunkingConfig)
    retrieval: RetrievalConfig = field(default_factory=RetrievalConfig)
    answering: AnsweringConfig = field(default_factory=AnsweringConfig)
    max_question_chars: int = 1000
    max_article_chars: int = 2_000_000
    default_top_k: int = 5
    max_top_k: int = 50
    approximate_above: int = APPROXIMATE_ABOVE
    nprobe: int = 48


@dataclass(frozen=True)
class AddResult:
    """What happened to one added article: ``added``, ``replaced`` or ``unchanged``."""

    id: str
    status: str
    passages: int
    title: str


class Newsdesk:
    """Indexes articles into a data directory and answers questions over them.

    Thread-safe: searches and writes may run from many threads. Embedding
    happens outside any lock; only applying a finished article to the store
    and the vector index is serialised, so questions keep being answered
    during a bulk ingest and never see half an article.
    """

    def __init__(
        self,
        data_dir: Path,
        embedder: Embedder,
        config: PipelineConfig = PipelineConfig(),
        writer: bool = True,
        reader: Reader | None = None,
    ) -> None:
        """Open (or create) the index in ``data_dir``.

        Args:
            data_dir: Folder holding the SQLite store and FAISS snapshot.
            embedder: The embedding model; must match the one the index was built with.
            config: Pipeline settings.
            writer: Take the data directory's write lock (needed to add or remove).
            reader: The reading model that picks answer spans; without one,
                answers come from sentence scoring alone.

        Raises:
            ModelMismatchError: The index was built with another model.
            IndexLockedError: ``writer`` and another process holds the lock.
        """
        self.data_dir = data_dir
        self.embedder = embedder
        self.config = config
        self.reader = reader
        data_dir.mkdir(parents=True, exist_ok=True)
        self._lock_handle = self._acquire_write_lock() if writer else None
        self._index_lock = threading.RLock()
        self._write_lock = threading.Lock()
        self._dirty = False
        # Document frequencies of question words; any write empties it.
        self._frequency_cache: dict[str, int] = {}
        self._passage_total: int | None = None
        try:
            self.store = ArticleStore(data_dir / STORE_FILE)
            try:
                self.store.check_model(embedder.name, embedder.dimension)
                self.vectors = self._open_vectors()
            except BaseException:
                self.store.close()
                raise
        except BaseException:
            self._release_write_lock()
            raise

    # -- lifecycle ------------------------------------------------------

    def _acquire_write_lock(self) -> int:
        handle = os.open(self.data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            os.close(handle)
            raise IndexLockedError(
                f"the index in {self.data_dir} is locked by another process (a running server?); "
                "add articles through its HTTP API or stop it first"
            ) from exc
        return handle

    def _open_vectors(self) -> VectorIndex:
        """Load the FAISS snapshot and bring it in line with the store."""
        path = self.data_dir / VECTORS_FILE
        dimension = self.embedder.dimension
        config = self.config
        index = None
        if path.exists():
            try:
                index = VectorIndex.load(path, dimension, nprobe=config.nprobe)
            except ValueError as exc:
                log.warning("rebuilding the vector index from the store: %s", exc)
        if index is None:
            ids, vectors = self._pooled_vectors(None)
            index = VectorIndex.build(dimension, ids, vectors, config.approximate_above, config.nprobe)
            if len(ids):
                log.warning("rebuilt the vector index from %d stored passages", len(ids))
            self._dirty = bool(len(ids))
            return index
        stored = self.store.passage_ids()
        present = index.ids()
        missing = np.setdiff1d(stored, present)
        extra = np.setdiff1d(present, stored)
        if len(missing) or len(extra):
            log.warning(
                "vector index was behind the store: adding %d and removing %d passages", len(missing), len(extra)
            )
            index.remove(extra)
            ids, vectors = self._pooled_vectors(missing.tolist())
            index.add(ids, vectors)
            self._dirty = True
        if not index.approximate and len(index) > config.approximate_above:
            log.warning("%d passages: switching to an approximate (IVF) vector index", len(index))
            ids, vectors = index.vectors()
            index = VectorIndex.build(dimension, ids, vectors, config.approximate_above, config.nprobe)
            self._dirty = True
        return index

    def _pooled_vectors(self, ids: list[int] | None) -> tuple[np.ndarray, np.ndarray]:
        """Passage vectors pooled from the stored sentence vectors."""
        rows = self.store.passage_sentence_vectors(ids)
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros((0, self.embedder.dimension), dtype=np.float32)
        return np.array([pid for pid, _ in rows], dtype=np.int64), np.vstack([pool_mean(m) for _, m in rows])

    def save(self) -> bool:
        """Write the FAISS snapshot if anything changed; returns whether it wrote."""
        if self._lock_handle is None:
            return False
        with self._index_lock:
            if not self._dirty:
                return False
            self.vectors.save(self.data_dir / VECTORS_FILE)
            self._dirty = False
        return True

    def close(self) -> None:
        """Save the snapshot, close the store and release the write lock."""
        self.save()
        self.store.close()
        self._release_write_lock()

    def _release_write_lock(self) -> None:
        if self._lock_handle is not None:
            os.close(self._lock_handle)
            self._lock_handle = None

    # -- writes ---------------------------------------------------------

    def check_article(self, draft: ArticleDraft, name: str | None = None) -> Article:
        """Clean and validate an article without storing it.

        Raises:
            ArticleError: It would be refused by :meth:`add_article`.
        """
        return self._prepare(draft, name)

    def _prepare(self, draft: ArticleDraft, name: str | None) -> Article:
        title = clean_title(draft.title)
        if not title:
            raise ArticleError("the article has no title")
        if len(draft.text) > self.config.max_article_chars:
            raise ArticleError(f"the article is longer than {self.config.max_article_chars} characters")
        text = clean_text(draft.text)
        if not text:
            raise ArticleError(f"the article {title[:60]!r} has no text")
        article_id = validate_article_id(draft.id) if draft.id else derive_article_id(name, title, text)
        digest = content_hash(title, text, draft.url, draft.published, draft.source)
        return Article(article_id, title, text, draft.url, draft.published, draft.source, digest)

    def _embed_sentences(self, texts: list[str]) -> tuple[np.ndarray, list[str]]:
        """Embed sentences, reusing stored vectors of identical ones (by content hash).

        Sentences rather than whole passages are embedded: short inputs cost
        less per word, the answer stage gets sentence vectors for free, and
        passage vectors are pooled from them.
        """
        hashes = [content_hash(self.embedder.name, t) for t in texts]
        cached = self.store.vectors_for_hashes(hashes)
        vectors = np.zeros((len(texts), self.embedder.dimension), dtype=np.float32)
        unique_new = list(dict.fromkeys(h for h in hashes if h not in cached))
        if unique_new:
            first_text = {h: t for t, h in zip(texts, hashes)}
            embedded = self.embedder.embed([first_text[h] for h in unique_new])
            cached.update(zip(unique_new, embedded))
        for i, h in enumerate(hashes):
            vectors[i] = cached[h]
        return vectors, hashes

    def add_article(self, draft: ArticleDraft, name: str | None = None) -> AddResult:
        """Clean, split, embed and store one article.

        Re-adding an identical article changes nothing; an article with an id
        already stored replaces it (old passages and vectors go).

        Args:
            draft: The article as read.
            name: A file stem to derive the id from when the draft has none.

        Raises:
            ArticleError: The article is empty, too long or has a bad id.
            IndexLockedError: This pipeline was opened read-only.
        """
        outcome = self.add_batch([(draft, name)])[0]
        if isinstance(outcome, NewsdeskError):
            raise outcome
        return outcome

    def add_articles(self, drafts: Iterable[ArticleDraft]) -> list[AddResult]:
        """Add several articles, raising the first article's error if any fails."""
        results = []
        for outcome in self.add_batch([(d, None) for d in drafts]):
            if isinstance(outcome, NewsdeskError):
                raise outcome
            results.append(outcome)
        return results

    def add_batch(self, items: Sequence[tuple[ArticleDraft, str | None]]) -> list[AddResult | NewsdeskError]:
        """Add articles, embedding all their new sentences in one call.

        One model call for many articles sorts and pads sentences together,
        which is far cheaper than a call per article. Each article is then
        applied on its own (one transaction, then the vector index), so
        searches run between them and never see half an article, and one bad
        article does not stop the others.

        Args:
            items: Articles, each with a file stem to derive its id from (or None).

        Returns:
            For each item, its result or the error that kept it out.

        Raises:
            IndexLockedError: This pipeline was opened read-only.
        """
        if self._lock_handle is None:
            raise IndexLockedError("this index was opened read-only")
        outcomes: list[AddResult | NewsdeskError] = []
        pending: list[tuple[int, Article, list[tuple[int, int]], list[Passage]]] = []
        for draft, name in items:
            try:
                article = self._prepare(draft, name)
            except ArticleError as exc:
                outcomes.append(exc)
                continue
            sentences = split_sentences(article.text)
            passages = split_into_passages(article.id, article.text, self.config.chunking, sentences)
            if self.store.content_hash(article.id) == article.content_hash:
                outcomes.append(AddResult(article.id, "unchanged", len(passages), article.title))
                continue
            pending.append((len(outcomes), article, sentences, passages))
            outcomes.append(AddResult(article.id, "added", len(passages), article.title))
        texts = [article.text[s:e] for _, article, sentences, _ in pending for s, e in sentences]
        all_vectors, all_hashes = self._embed_sentences(texts)
        offset = 0
        for slot, article, sentences, passages in pending:
            vectors = all_vectors[offset : offset + len(sentences)]
            hashes = all_hashes[offset : offset + len(sentences)]
            offset += len(sentences)
            replaced = self._apply(article, sentences, vectors, hashes, passages)
            if replaced:
                outcomes[slot] = AddResult(article.id, "replaced", len(passages), article.title)
        return outcomes

    def _apply(
        self,
        article: Article,
        sentences: list[tuple[int, int]],
        sentence_vectors: np.ndarray,
        hashes: list[str],
        passages: list[Passage],
    ) -> bool:
        """Store one embedded article and update the vector index; True if it replaced one."""
        passage_vectors = np.zeros((len(passages), self.embedder.dimension), dtype=np.float32)
        for i, p in enumerate(passages):
            passage_vectors[i] = pool_mean(sentence_vectors[p.first_sentence : p.last_sentence + 1])
        with self._write_lock:
            existed = self.store.content_hash(article.id) is not None
            added, removed = self.store.replace_article(article, sentences, sentence_vectors, hashes, passages)
            with self._index_lock:
                self.vectors.remove(np.array(removed, dtype=np.int64))
                self.vectors.add(np.array(added, dtype=np.int64), passage_vectors)
                self._dirty = True
                self._frequency_cache, self._passage_total = {}, None
        return existed

    def remove_article(self, article_id: str) -> int:
        """Remove an article, its passages and vectors; returns the passage count.

        Raises:
            NotFoundError: No article has that id.
        """
        if self._lock_handle is None:
            raise IndexLockedError("this index was opened read-only")
        with self._write_lock:
            removed = self.store.remove_article(article_id)
            if removed is None:
                raise NotFoundError(f"no article with id {article_id!r}")
            with self._index_lock:
                self.vectors.remove(np.array(removed, dtype=np.int64))
                self._dirty = True
                self._frequency_cache, self._passage_total = {}, None
        return len(removed)

    # -- reads ----------------------------------------------------------

    def _term_statistics(self, question: str) -> tuple[dict[str, float], frozenset[str]]:
        """Idf weights of the question's words and the words too common to search for.

        Document frequencies come from the lexical index and are cached until the next write.
        """
        words = [t for t in dict.fromkeys(tokens(question)) if t not in STOPWORDS]
        cache = self._frequency_cache
        missing = [w for w in words if w not in cache]
        if missing:
            cache.update(self.store.document_frequencies(missing))
        if self._passage_total is None:
            self._passage_total = self.store.counts()[1]
        total = self._passage_total
        # Only in large indexes: in a small one every word is cheap to search.
        limit = max(self.config.retrieval.common_share * total, 1000)
        common = frozenset(w for w in words if cache.get(w, 0) > limit)
        return term_weights(question, cache, total), common

    def get_article(self, article_id: str) -> Article:
        article = self.store.get_article(article_id)
        if article is None:
            raise NotFoundError(f"no article with id {article_id!r}")
        return article

    def list_articles(self, limit: int = 100, offset: int = 0) -> list[ArticleSummary]:
        return self.store.list_articles(limit, offset)

    def counts(self) -> tuple[int, int]:
        return self.store.counts()

    def _check_question(self, question: str, top_k: int | None) -> tuple[str, int]:
        text = question.strip()
        if not text:
            raise QueryError("the question is empty")
        if len(text) > self.config.max_question_chars:
            raise QueryError(f"the question is longer than {self.config.max_question_chars} characters")
        k = self.config.default_top_k if top_k is None else top_k
        if not 1 <= k <= self.config.max_top_k:
            raise QueryError(f"top_k must be between 1 and {self.config.max_top_k}")
        return text, k

    def ask(
        self,
        question: str,
        top_k: int | None = None,
        *,
        as_of: date | str | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
        source: str | None = None,
    ) -> Answer:
        """Answer a question with verbatim quotes, or abstain with the closest ones.

        Args:
            question: The question.
            top_k: Quotes to return (default 5).
            as_of: The date the question is asked on (default today); relative
                times in the question ("this week") are read against it, and
                when given, articles from around it are favoured.
            since: Only articles published on or after this date.
            until: Only articles published on or before this date.
            source: Only articles from this source.

        Raises:
            QueryError: The question is empty or too long, top_k is out of
                range, or a date is malformed.
        """
        text, k = self._check_question(question, top_k)
        filters = PassageFilter.build(since, until, source)
        day = as_date(as_of, "as_of") or date.today()
        window = window_in_question(text, day)
        if window is None and as_of is not None:
            window = TimeWindow(day - timedelta(days=7), day)
        started = time.perf_counter()
        vector = self.embedder.embed_query(text)
        embedded = time.perf_counter()
        retrieval = self.config.retrieval
        if filters.active:  # filtered-out passages must not crowd out the rest
            retrieval = replace(retrieval, dense_k=retrieval.dense_k * 8, lexical_k=retrieval.lexical_k * 8)
        weights, common = self._term_statistics(text)
        with self._index_lock:
            candidates = retrieve(text, vector, self.vectors, self.store, retrieval, common)
        wanted = max(self.config.answering.passages_considered, k)
        passages = self.store.passages([c.passage_id for c in candidates[: wanted * 8 if filters.active else wanted]])
        ranked = [(c, passages[c.passage_id]) for c in candidates if c.passage_id in passages]
        ranked = [pair for pair in ranked if filters.admits(pair[1])][:wanted]
        retrieved = time.perf_counter()
        # One query for every candidate passage's sentences; a passage replaced meanwhile has none.
        considered = [stored.passage.id for _, stored in ranked[: self.config.answering.passages_considered]]
        sentences = self.store.sentences_of_passages([i for i in considered if i is not None])
        sentences_of = lambda p: sentences.get(p.id or -1, [])  # noqa: E731
        answering = self.config.answering
        if self.reader is None:
            answer = answer_from_passages(text, vector, ranked, sentences_of, k, answering, window, weights)
        else:
            scored = score_sentences(text, vector, ranked, sentences_of, answering, window, weights)
            answer = answer_by_reading(
                text, scored, sentences_of, self.reader, k, answering.reading_budget, answering.reader_abstain_below,
                answering.reading_neighbours, answering.reading_evidence_weight,
            )
        finished = time.perf_counter()
        answer.timings_ms.update(
            embed=round((embedded - started) * 1000, 2),
            retrieve=round((retrieved - embedded) * 1000, 2),
            answer=round((finished - retrieved) * 1000, 2),
        )
        return answer

