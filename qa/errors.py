"""The errors newsdesk raises, in one small hierarchy.

    NewsdeskError
    ├── ArticleError        an article (or file) cannot be parsed or indexed
    │   └── FetchError      a page or feed cannot be fetched (refused address, robots.txt, time-out, size, status)
    ├── QueryError          a question is empty, too long or otherwise unusable
    ├── NotFoundError       an article or conversation id that is not stored
    └── IndexStateError     the stored index cannot be used as asked
        ├── ModelMismatchError       the index was built with another embedding model
        ├── IndexLockedError         another process holds the index's write lock
        └── StorageUnavailableError  the database cannot be reached now (or gave no connection in time)

"No supported answer" is a normal result, never an exception.
"""

from __future__ import annotations

__all__ = [
    "ArticleError",
    "FetchError",
    "IndexLockedError",
    "IndexStateError",
    "ModelMismatchError",
    "NewsdeskError",
    "NotFoundError",
    "QueryError",
    "StorageUnavailableError",
]


class NewsdeskError(Exception):
    """Base class of every error newsdesk raises on purpose."""


class ArticleError(NewsdeskError):
    """An article cannot be parsed, cleaned or indexed."""


class FetchError(ArticleError):
    """A page or feed cannot be fetched: a refused scheme or address, robots.txt, a time-out, its size or status."""


class QueryError(NewsdeskError):
    """A question cannot be answered as asked (empty, too long, bad option)."""


class NotFoundError(NewsdeskError):
    """An id names nothing that is stored."""


class IndexStateError(NewsdeskError):
    """The stored index cannot be used as asked."""


class ModelMismatchError(IndexStateError):
    """The index was built with a different embedding model or dimension."""


class IndexLockedError(IndexStateError):
    """Another process holds the index's write lock."""


class StorageUnavailableError(IndexStateError):
    """The database holding the index cannot be reached now, or gave no connection in time.

    Unlike the other index errors this one passes: the same request may succeed
    once the database is back.
    """
