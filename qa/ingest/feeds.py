"""Reading RSS 2.0, RSS 1.0 and Atom feeds with feedparser: the feed's title and its entries.

An entry's key is its guid (Atom ``id``), else its link: the article id is made from
it, so reading a feed again finds the same articles. An entry's fingerprint changes
when anything it says changes, so a feed read again is only worked on where it changed.
An entry with full content (``content:encoded``, Atom ``content``) carries its text;
one with only a summary carries ``text=None``, and its page must be fetched.
"""

from __future__ import annotations

import calendar
import io
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from newsdesk.qa.dates import NEWS_DATES
from newsdesk.qa.errors import ArticleError
from newsdesk.qa.ids import content_hash
from newsdesk.qa.ingest.pages import web_article_id
from newsdesk.qa.types import ArticleDraft

__all__ = ["FEED_SUFFIXES", "FeedEntry", "ParsedFeed", "entry_draft", "fragment_text", "looks_like_feed", "parse_feed"]

#: Files read as feeds by ``newsdesk add``.
FEED_SUFFIXES = (".xml", ".rss", ".atom")
_FEED_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<(?:rss|feed|rdf:RDF)\b", re.DOTALL)
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")
_BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "br", "section", "article")


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed.

    Attributes:
        key: The entry's guid, else its link (what makes the article id).
        title: Its title ('' when it has none).
        link: The page it links to, if any.
        published: Its date, ``YYYY-MM-DD``, if any.
        text: Its full text, when the feed carries it; None when only a summary.
        fingerprint: Changes whenever the entry does.
    """

    key: str
    title: str
    link: str | None
    published: str | None
    text: str | None
    fingerprint: str

    @property
    def article_id(self) -> str:
        return web_article_id(self.key)


@dataclass(frozen=True)
class ParsedFeed:
    """A feed as read: its title and up to ``max_entries`` entries, and the entries it could not use."""

    title: str | None
    entries: tuple[FeedEntry, ...]
    problems: tuple[str, ...]
    total_entries: int


def looks_like_feed(content: bytes, content_type: str = "") -> bool:
    """Whether a response is a feed rather than a page: by its type, else by its first element."""
    kind = content_type.split(";")[0].strip().lower()
    if kind in ("application/rss+xml", "application/atom+xml", "application/rdf+xml"):
        return True
    return (kind in _FEED_TYPES or not kind or kind == "text/plain") and bool(_FEED_START.match(content[:4096]))


def fragment_text(html: str) -> str:
    """The text of an HTML fragment (an entry's content), one paragraph per block element."""
    import lxml.etree
    import lxml.html  # trafilatura's own dependency

    if "<" not in html:
        return html.strip()
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.LxmlError, ValueError) as exc:
        raise ArticleError(f"cannot read the entry's HTML ({type(exc).__name__})") from exc
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    for block in root.iter(*_BLOCKS):
        block.tail = "\n\n" + (block.tail or "")
    text = root.text_content()
    return "\n\n".join(p for p in (re.sub(r"[ \t\r\f\v]+", " ", b).strip() for b in re.split(r"\n\s*\n", text)) if p)


def _date(entry: Any) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        day = datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc).date()
    except (OverflowError, ValueError, OSError):
        return None
    return day.isoformat() if NEWS_DATES.contains(day) else None


def _entry(entry: Any, number: int, where: str) -> FeedEntry:
    link = (entry.get("link") or "").strip() or None
    key = (entry.get("id") or "").strip() or link
    if not key:
        raise ArticleError(f"{where} entry {number}: no guid and no link")
    title = re.sub(r"\s+", " ", fragment_text(entry.get("title") or "")).strip()
    contents = [c.get("value") or "" for c in entry.get("content") or [] if (c.get("value") or "").strip()]
    text = fragment_text("\n".join(contents)) if contents else None
    summary = entry.get("summary") or ""
    published = _date(entry)
    fingerprint = content_hash(key, title, link, published, text, summary, entry.get("updated"))[:20]
    return FeedEntry(key, title, link, published, text or None, fingerprint)


def parse_feed(content: bytes, where: str, *, max_entries: int, url: str | None = None) -> ParsedFeed:
    """Read a feed's title and entries (at most ``max_entries``, in the feed's order).

    Args:
        content: The feed's bytes (never a URL or path: feedparser would open those itself).
        where: The feed's URL or file name, for messages.
        max_entries: The most entries read; the rest are reported.
        url: The feed's URL, that relative links are read against.

    Raises:
        ArticleError: The content is not an RSS or Atom feed (an HTML page, broken XML, nothing).
    """
    import feedparser  # only when a feed is read

    headers = {"content-location": url} if url else {}
    parsed = feedparser.parse(io.BytesIO(content), response_headers=headers, sanitize_html=True)
    if not parsed.get("version") and not parsed.get("entries"):
        reason = parsed.get("bozo_exception")
        detail = f" ({type(reason).__name__}: {reason})" if reason else ""
        raise ArticleError(f"{where}: not an RSS or Atom feed{detail}")
    title = re.sub(r"\s+", " ", fragment_text(parsed.get("feed", {}).get("title") or "")).strip() or None
    entries: list[FeedEntry] = []
    problems: list[str] = []
    for number, raw in enumerate(parsed.entries[:max_entries], start=1):
        try:
            entries.append(_entry(raw, number, where))
        except ArticleError as exc:
            problems.append(str(exc))
    if len(parsed.entries) > max_entries:
        problems.append(f"{where}: {len(parsed.entries)} entries; only the first {max_entries} were read")
    return ParsedFeed(title, tuple(entries), tuple(problems), len(parsed.entries))


def entry_draft(entry: FeedEntry, text: str, source: str | None) -> ArticleDraft:
    """The article of an entry with its text (the feed's own, or its page's), under the entry's id."""
    return ArticleDraft(
        title=entry.title, text=text, url=entry.link, published=entry.published, source=source, id=entry.article_id
    )
