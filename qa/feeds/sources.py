"""Adding the articles of a URL (a page, a PDF or a feed), a feed file, or a feed's content.

Each item (a page, a feed entry) is reported on its own: added, replaced, unchanged,
or skipped with a one-line reason. An entry with only a summary gets its linked page
fetched; when the page cannot be fetched or holds no article, the entry is skipped,
never stored as a stub. Nothing here raises for one bad item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from newsdesk.qa.errors import ArticleError, NewsdeskError
from newsdesk.qa.feeds.config import FeedConfig
from newsdesk.qa.ingest.feeds import FeedEntry, entry_draft, looks_like_feed, parse_feed
from newsdesk.qa.ingest.fetching import Fetched, Fetcher
from newsdesk.qa.ingest.files import ArticleSink
from newsdesk.qa.ingest.pages import decode_html, draft_from_page
from newsdesk.qa.ingest.pdf import parse_pdf
from newsdesk.qa.types import AddResult, ArticleDraft

__all__ = ["FeedRead", "ItemOutcome", "add_feed_content", "add_feed_file", "add_fetched", "add_url"]


@dataclass(frozen=True)
class ItemOutcome:
    """One page or feed entry: what adding it did, or why it was skipped."""

    where: str
    result: AddResult | None = None
    error: str | None = None


@dataclass(frozen=True)
class FeedRead:
    """What reading a feed did.

    Attributes:
        title: The feed's title.
        items: One outcome per entry worked on (unchanged entries of a followed feed are not).
        seen: Entry key -> fingerprint of every entry now stored.
        problems: Feed-level reports (entries without a key, entries over the cap).
    """

    title: str | None
    items: tuple[ItemOutcome, ...] = ()
    seen: dict[str, str] = field(default_factory=dict)
    problems: tuple[str, ...] = ()

    @property
    def new_entries(self) -> int:
        return sum(1 for i in self.items if i.result is not None and i.result.status in ("added", "replaced"))


def _entry_text(entry: FeedEntry, fetcher: Fetcher, source: str | None) -> ArticleDraft:
    """An entry's article: its own text, else its linked page's (``ArticleError`` when neither can be had)."""
    if entry.text is not None and entry.title:
        return entry_draft(entry, entry.text, source)
    if not entry.link:
        raise ArticleError("the entry has only a summary and no link to read the article from")
    fetched = fetcher.fetch(entry.link)
    page = draft_from_page(decode_html(fetched.content, fetched.content_type), fetched.final_url, source=source)
    text = entry.text if entry.text is not None else page.text
    return replace(entry_draft(entry, text, source), title=entry.title or page.title, published=entry.published or page.published)


def _add(sink: ArticleSink, items: Sequence[tuple[str, ArticleDraft]], batch: int) -> list[ItemOutcome]:
    outcomes: list[ItemOutcome] = []
    for start in range(0, len(items), batch):
        chunk = items[start : start + batch]
        for (where, _), result in zip(chunk, sink.add_batch([(draft, None) for _, draft in chunk])):
            error = f"{where}: {result}" if isinstance(result, NewsdeskError) else None
            outcomes.append(ItemOutcome(where, None if error else result, error))  # type: ignore[arg-type]
    return outcomes


def add_feed_content(
    sink: ArticleSink,
    fetcher: Fetcher,
    content: bytes,
    where: str,
    config: FeedConfig,
    *,
    url: str | None = None,
    seen: Mapping[str, str] | None = None,
) -> FeedRead:
    """Add a feed's new and changed entries.

    Args:
        sink: Where articles go.
        fetcher: Fetches the pages of summary-only entries.
        content: The feed's bytes.
        where: Its URL or file name, for messages.
        config: Entry cap, page workers, batch size.
        url: The feed's URL (relative links are read against it).
        seen: Fingerprints of entries already stored: those unchanged are left alone.

    Raises:
        ArticleError: The content is not a feed.
    """
    parsed = parse_feed(content, where, max_entries=config.max_entries, url=url)
    seen = dict(seen or {})
    kept = {e.key: seen[e.key] for e in parsed.entries if seen.get(e.key) == e.fingerprint}
    todo = [e for e in parsed.entries if e.key not in kept]

    def prepare(entry: FeedEntry) -> ArticleDraft | str:
        try:
            return _entry_text(entry, fetcher, parsed.title)
        except ArticleError as exc:
            return str(exc)

    with ThreadPoolExecutor(max(1, config.page_workers)) as pool:
        prepared = list(pool.map(prepare, todo))
    slots: list[ItemOutcome | None] = []
    ready: list[tuple[str, ArticleDraft]] = []
    positions: list[tuple[int, FeedEntry]] = []
    for entry, draft in zip(todo, prepared):
        label = f"{where} entry {entry.link or entry.key}"
        if isinstance(draft, str):
            reason = draft if (entry.link or entry.key) in draft else f"{entry.link or entry.key}: {draft}"
            slots.append(ItemOutcome(label, error=f"{where}: entry skipped: {reason}"))
        else:
            ready.append((label, draft))
            positions.append((len(slots), entry))
            slots.append(None)
    for (slot, entry), outcome in zip(positions, _add(sink, ready, config.batch_articles)):
        slots[slot] = outcome
        if outcome.result is not None:
            kept[entry.key] = entry.fingerprint
    items = [s for s in slots if s is not None]
    return FeedRead(parsed.title, tuple(items), kept, parsed.problems)


def add_fetched(sink: ArticleSink, fetcher: Fetcher, fetched: Fetched, config: FeedConfig) -> list[ItemOutcome]:
    """Add what a fetched URL holds: a feed's entries, a PDF, or a page's article."""
    where = fetched.url
    try:
        kind = fetched.content_type.split(";")[0].strip().lower()
        if looks_like_feed(fetched.content, fetched.content_type):
            read = add_feed_content(sink, fetcher, fetched.content, where, config, url=fetched.final_url)
            return [*read.items, *(ItemOutcome(where, error=p) for p in read.problems)] or [
                ItemOutcome(where, error=f"{where}: the feed has no entries")
            ]
        if kind == "application/pdf" or fetched.content.startswith(b"%PDF-"):
            draft = replace(parse_pdf(fetched.content, where), url=fetched.final_url)
        elif kind in ("text/html", "application/xhtml+xml", "") or kind.startswith("text/"):
            draft = draft_from_page(decode_html(fetched.content, fetched.content_type), fetched.final_url)
        else:
            raise ArticleError(f"{where}: not a page, PDF or feed (content type {kind})")
    except ArticleError as exc:
        return [ItemOutcome(where, error=str(exc))]
    return _add(sink, [(where, draft)], 1)


def add_url(sink: ArticleSink, fetcher: Fetcher, url: str, config: FeedConfig) -> list[ItemOutcome]:
    """Fetch a URL and add what it holds; a URL that cannot be fetched is one failed item."""
    try:
        fetched = fetcher.fetch(url)
    except ArticleError as exc:
        return [ItemOutcome(url, error=str(exc) if url in str(exc) else f"{url}: {exc}")]
    return add_fetched(sink, fetcher, fetched, config)


def add_feed_file(sink: ArticleSink, fetcher: Fetcher, path: Path, config: FeedConfig) -> list[ItemOutcome]:
    """Add the entries of a feed file (``.xml``, ``.rss``, ``.atom``)."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        return [ItemOutcome(str(path), error=f"{path}: cannot read ({exc.strerror})")]
    try:
        read = add_feed_content(sink, fetcher, content, str(path), config)
    except ArticleError as exc:
        return [ItemOutcome(str(path), error=str(exc))]
    return [*read.items, *(ItemOutcome(str(path), error=p) for p in read.problems)]
