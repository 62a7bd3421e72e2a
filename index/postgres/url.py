"""Database URLs in messages: never with their password."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

__all__ = ["redact", "with_database"]


def redact(url: str) -> str:
    """The connection URL without its password, fit for error messages and logs."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def with_database(url: str, database: str) -> str:
    """The ``postgresql://`` URL of another database on the same server (user, host and options kept)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + database))
