"""Storage behind the pipeline's :class:`~newsdesk.qa.pipeline.storage.Store` interface.

- :mod:`.embedded`: the default, one data directory: SQLite (:mod:`.store`) and FAISS (:mod:`.vectors`),
  kept in step by :mod:`.datadir` (write lock, snapshot, reconciliation on open);
- :mod:`.bm25`: BM25 as FTS5 computes it (its tokenizer and constants), for backends that rank alike;
- :mod:`.conversations`: chat conversations in SQLite.
"""
