"""A fetched web page as an article: text and title by trafilatura, the date by htmldate where it finds none.

The page's canonical URL (``<link rel=canonical>`` or ``og:url``, else the URL it was
fetched from after redirects) is the article's link, and its id is made from that URL,
so fetching the same page again replaces the article rather than adding a copy.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from urllib.parse import urlsplit, urlunsplit

from newsdesk.qa.dates import NEWS_DATES, parse_date
from newsdesk.qa.errors import ArticleError
from newsdesk.qa.ingest.parsing import parse_text
from newsdesk.qa.types import ArticleDraft

__all__ = ["decode_html", "draft_from_page", "web_article_id"]

_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def web_article_id(key: str) -> str:
    """The article id of a web page or feed entry: its host, then a hash of its URL or guid.

    ``https://Example.com/a#top`` and ``https://example.com/a`` give one id; a guid
    that is not a URL (``tag:site,2026:42``) is hashed whole, after ``entry``.
    """
    key = key.strip()
    parts = urlsplit(key)
    if parts.scheme.lower() in ("http", "https") and parts.hostname:
        normal = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))
        host = re.sub(r"[^A-Za-z0-9.-]+", "-", parts.hostname).strip("-.") or "web"
        return f"{host[:80]}:{hashlib.sha256(normal.encode()).hexdigest()[:16]}"
    return f"entry:{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def decode_html(content: bytes, content_type: str) -> str:
    """A page's bytes as text: the charset the server or the page names, else UTF-8 (else Windows-1252)."""
    names = re.findall(r"charset=([A-Za-z0-9_.:-]+)", content_type or "", re.IGNORECASE)
    meta = _CHARSET.search(content[:4096])
    for name in [*names, *([meta.group(1).decode("ascii", "ignore")] if meta else []), "utf-8"]:
        try:
            return content.decode(name.strip("\"'"))
        except (LookupError, UnicodeDecodeError):
            continue
    return content.decode("cp1252", "replace")


def _canonical(found: str | None, fetched_url: str) -> str:
    if found:
        parts = urlsplit(found.strip())
        if parts.scheme.lower() in ("http", "https") and parts.hostname:
            return found.strip()
    return fetched_url


def _htmldate(html: str, url: str) -> str | None:
    from htmldate import find_date  # heavy import, only when a page has no date trafilatura found

    try:
        found = find_date(html, url=url, extensive_search=True, original_date=True)
    except (ValueError, TypeError):
        return None
    day = parse_date(found) if found else None
    return day.isoformat() if day and NEWS_DATES.contains(day) else None


def draft_from_page(html: str, url: str, *, source: str | None = None) -> ArticleDraft:
    """The article a page holds, with its canonical URL as link and id.

    Args:
        html: The page's decoded HTML.
        url: The URL it was fetched from (after redirects).
        source: The source to record (a feed's title); else the site's name or host.

    Raises:
        ArticleError: The page holds no article title or text (menus, an error page).
    """
    (draft,) = parse_text(html, ".html", url)
    link = _canonical(draft.url, url)
    published = draft.published or _htmldate(html, link)
    if not draft.title.strip():
        raise ArticleError(f"{url}: no article title found in the HTML")
    return replace(
        draft, url=link, published=published, source=source or draft.source or urlsplit(link).hostname,
        id=web_article_id(link),
    )  # fmt: skip
