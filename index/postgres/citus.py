"""The key changes a newsdesk database needs before Citus can distribute it by article.

Citus requires the distribution column (``article_id``) in every primary key of a
distributed table. ``newsdesk_passages`` is keyed by ``id`` alone, so its key becomes
``(article_id, id)``, with a plain index on ``id`` for the lookups by id (fetching
search results and their sentences). ``newsdesk_postings`` holds no article id:
distribute it by ``passage_id`` (its join with the passages then runs as a
repartition join) or drop it and set ``postings_above`` above any document count.
These statements are plain PostgreSQL, so they are tested here without Citus
(``tests/postgres/test_citus_keys.py``); the ``create_distributed_table`` calls that
follow them are in the README.
"""

from __future__ import annotations

__all__ = ["DISTRIBUTION_KEYS"]

#: Run once, in one transaction, on a database newsdesk made (with every writer stopped).
DISTRIBUTION_KEYS = [
    "ALTER TABLE newsdesk_passages DROP CONSTRAINT newsdesk_passages_pkey",
    "ALTER TABLE newsdesk_passages ADD PRIMARY KEY (article_id, id)",
    "CREATE INDEX newsdesk_passages_by_id ON newsdesk_passages (id)",
]
