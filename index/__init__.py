"""Storage behind the pipeline's :class:`~newsdesk.qa.pipeline.storage.Store` interface.

- :mod:`.embedded`: the default, one data directory: SQLite (:mod:`.store`) and FAISS (:mod:`.vectors`),
  kept in step by :mod:`.datadir` (write lock, snapshot, reconciliation on open);
- :mod:`.conversations`: chat conversations in SQLite.
"""
