"""Database URLs in messages: never with their password."""

from __future__ import annotations

import re

__all__ = ["redact"]


def redact(url: str) -> str:
    """The connection URL without its password, fit for error messages and logs."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)
