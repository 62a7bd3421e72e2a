"""The write path: clean, split and embed articles, then hand each to the store in one step."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from newsdesk.qa.embedding.base import Embedder, pool_mean
from newsdesk.qa.errors import ArticleError, NewsdeskError, NotFoundError
from newsdesk.qa.ids import content_hash, derive_article_id, validate_article_id
from newsdesk.qa.ingest.chunking import split_into_passages
from newsdesk.qa.ingest.cleaning import clean_text, clean_title
from newsdesk.qa.ingest.input_checks import check_prose
from newsdesk.qa.ingest.sentences import split_sentences
from newsdesk.qa.pipeline.config import PipelineConfig
from newsdesk.qa.pipeline.storage import ArticleWrite, Store
from newsdesk.qa.types import AddResult, Article, ArticleDraft, Passage

__all__ = ["ArticleWriter"]


class ArticleWriter:
    """Adds, replaces and removes articles in a store.

    Embedding happens outside any lock: only the store's own write step is
    serialised, so questions keep being answered during a bulk ingest.
    """

    def __init__(self, store: Store, embedder: Embedder, config: PipelineConfig) -> None:
        self._store = store
        self._embedder = embedder
        self._config = config

    def prepare(self, draft: ArticleDraft, name: str | None = None) -> Article:
        """Clean and validate an article without storing it.

        Raises:
            ArticleError: It has no title or text, is too long, or has a bad id.
        """
        title = clean_title(draft.title)
        if not title:
            raise ArticleError("the article has no title")
        limit = self._config.max_article_chars
        if len(draft.text) > limit:
            raise ArticleError(f"the article is longer than {limit} characters")
        check_prose(draft.text)
        text = clean_text(draft.text)
        if not text:
            raise ArticleError(f"the article {title[:60]!r} has no text")
        article_id = validate_article_id(draft.id) if draft.id else derive_article_id(name, title, text)
        digest = content_hash(title, text, draft.url, draft.published, draft.source)
        return Article(article_id, title, text, draft.url, draft.published, draft.source, digest)

    def add_batch(self, items: Sequence[tuple[ArticleDraft, str | None]]) -> list[AddResult | NewsdeskError]:
        """Add articles, embedding all their new sentences in one model call.

        One call for many articles sorts and pads sentences together, far
        cheaper than a call per article. Each article is then stored on its
        own, so searches run between them, and one bad article does not stop
        the others. When the same id comes twice, the later version is the one
        stored and the earlier reports what the later did.

        Returns:
            For each item, its result or the error that kept it out.
        """
        outcomes: list[AddResult | NewsdeskError] = []
        pending: dict[str, tuple[list[int], Article, list[tuple[int, int]], list[Passage]]] = {}
        for draft, name in items:
            try:
                article = self.prepare(draft, name)
            except ArticleError as exc:
                outcomes.append(exc)
                continue
            sentences = split_sentences(article.text)
            passages = split_into_passages(article.id, article.text, self._config.chunking, sentences)
            slots = pending.pop(article.id, ([], article, sentences, passages))[0] + [len(outcomes)]
            outcomes.append(AddResult(article.id, "added", len(passages), article.title))
            if self._store.content_hash(article.id) == article.content_hash:
                for slot in slots:
                    outcomes[slot] = AddResult(article.id, "unchanged", len(passages), article.title)
            else:
                pending[article.id] = (slots, article, sentences, passages)
        writes = list(pending.values())
        texts = [article.text[s:e] for _, article, sentences, _ in writes for s, e in sentences]
        all_vectors, all_hashes = self._embed_sentences(texts)
        offset = 0
        for slots, article, sentences, passages in writes:
            end = offset + len(sentences)
            status = self._store_one(article, sentences, all_vectors[offset:end], all_hashes[offset:end], passages)
            offset = end
            for slot in slots:
                outcomes[slot] = AddResult(article.id, status, len(passages), article.title)
        return outcomes

    def _embed_sentences(self, texts: list[str]) -> tuple[np.ndarray, list[str]]:
        """Embed sentences, reusing stored vectors of identical ones (by content hash).

        Sentences rather than whole passages are embedded: short inputs cost
        less per word, answering gets sentence vectors for free, and passage
        vectors are pooled from them.
        """
        hashes = [content_hash(self._embedder.name, t) for t in texts]
        cached = self._store.vectors_for_hashes(hashes) if hashes else {}
        vectors = np.zeros((len(texts), self._embedder.dimension), dtype=np.float32)
        unique_new = list(dict.fromkeys(h for h in hashes if h not in cached))
        if unique_new:
            first_text = {h: t for t, h in zip(texts, hashes)}
            embedded = self._embedder.embed([first_text[h] for h in unique_new])
            cached.update(zip(unique_new, embedded))
        for i, h in enumerate(hashes):
            vectors[i] = cached[h]
        return vectors, hashes

    def _store_one(
        self,
        article: Article,
        sentences: list[tuple[int, int]],
        sentence_vectors: np.ndarray,
        hashes: list[str],
        passages: list[Passage],
    ) -> str:
        """Store one embedded article; its status, ``added`` or ``replaced``."""
        passage_vectors = np.zeros((len(passages), self._embedder.dimension), dtype=np.float32)
        for i, p in enumerate(passages):
            passage_vectors[i] = pool_mean(sentence_vectors[p.first_sentence : p.last_sentence + 1])
        write = ArticleWrite(article, sentences, sentence_vectors, hashes, passages, passage_vectors)
        return "replaced" if self._store.write_article(write) else "added"

    def remove(self, article_id: str) -> int:
        """Remove an article, its passages and vectors; returns the passage count.

        Raises:
            NotFoundError: No article has that id.
        """
        removed = self._store.remove_article(article_id)
        if removed is None:
            raise NotFoundError(f"no article with id {article_id!r}")
        return removed
