"""The PostgreSQL + pgvector backend: one database that any number of newsdesk processes share.

- :mod:`.connection`: settings, a thread-safe connection pool and pgvector's `halfvec` as numpy;
- :mod:`.url`: database URLs without their password;
- :mod:`.schema`: the tables, created and versioned on first connect;
- :mod:`.lexemes`: FTS5's tokens as tsvector and tsquery values, so the database ranks by the same BM25;
- :mod:`.search`: hybrid search (HNSW and BM25 full text, fused by rank) in one SQL query;
- :mod:`.store`: :class:`PostgresStore`, the pipeline's :class:`~newsdesk.qa.pipeline.storage.Store`;
- :mod:`.conversations`: chat conversations in the same database.
"""
