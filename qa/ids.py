"""Article ids: given, derived from a file name, or from the content."""

from __future__ import annotations

import hashlib
import re

from newsdesk.qa.errors import ArticleError

__all__ = ["ARTICLE_ID_PATTERN", "content_hash", "derive_article_id", "validate_article_id"]

ARTICLE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"
_VALID = re.compile(ARTICLE_ID_PATTERN)
_UNSAFE = re.compile(r"[^A-Za-z0-9._:-]+")


def content_hash(*parts: str | None) -> str:
    """A stable SHA-256 hex digest of the parts (None and '' differ from each other)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(b"\x00" if part is None else b"\x01" + part.encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest()


def validate_article_id(article_id: str) -> str:
    """Return the id if it is 1-128 URL-safe characters, else raise ArticleError."""
    if not _VALID.match(article_id):
        raise ArticleError(
            f"invalid article id {article_id[:60]!r}: use 1-128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit"
        )
    return article_id


def derive_article_id(name: str | None, title: str, text: str) -> str:
    """An id from a file stem when one is given, else from the article's content."""
    if name:
        candidate = _UNSAFE.sub("-", name).strip("-._:")[:128]
        if candidate and _VALID.match(candidate):
            return candidate
    return content_hash(title, text)[:16]
