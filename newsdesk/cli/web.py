"""What ``newsdesk add`` and ``newsdesk watch`` share for the web: telling URLs and feed files apart, and reporting items."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from newsdesk.cli.common import plural
from newsdesk.qa.feeds.sources import ItemOutcome
from newsdesk.qa.ingest.feeds import FEED_SUFFIXES
from newsdesk.qa.ingest.files import ArticleSink
from newsdesk.qa.types import AddResult
from newsdesk.settings import Settings

__all__ = ["add_web_sources", "is_url", "report_result", "split_sources"]


def is_url(argument: str) -> bool:
    """Whether an argument names a web address rather than a file (``http://``, ``https://``)."""
    return argument.strip().lower().startswith(("http://", "https://"))


def split_sources(arguments: Sequence[str]) -> tuple[list[str], list[Path], list[str]]:
    """``(urls, feed files, other paths)`` of ``newsdesk add``'s arguments, each in the order given."""
    urls = [a for a in arguments if is_url(a)]
    feeds = [Path(a) for a in arguments if not is_url(a) and Path(a).suffix.lower() in FEED_SUFFIXES and Path(a).is_file()]
    named = {str(f) for f in feeds}
    rest = [a for a in arguments if not is_url(a) and a not in named]
    return urls, feeds, rest


def report_result(result: AddResult, say: Callable[..., None]) -> None:
    say(f"{result.status:9} {result.id}  ({plural(result.passages, 'passage')})  {result.title}")


def add_web_sources(
    desk: ArticleSink, settings: Settings, urls: Iterable[str], feed_files: Iterable[Path], say: Callable[..., Any]
) -> tuple[list[AddResult], int]:
    """Fetch URLs (pages, PDFs, feeds) and read feed files into the desk (or a running server), printing each item.

    Returns:
        The results of the items added, replaced or unchanged, and how many items failed.
    """
    from newsdesk.qa.feeds.sources import add_feed_file, add_url
    from newsdesk.qa.ingest.fetching import Fetcher

    config = settings.feed_config()
    results: list[AddResult] = []
    failed = 0
    with Fetcher(config.fetch) as fetcher:
        outcomes: list[ItemOutcome] = []
        for path in feed_files:
            outcomes += add_feed_file(desk, fetcher, path, config)
        for url in urls:
            outcomes += add_url(desk, fetcher, url, config)
    for outcome in outcomes:
        if outcome.result is not None:
            results.append(outcome.result)
            report_result(outcome.result, say)
        else:
            failed += 1
            say(f"error: {outcome.error}", file=sys.stderr)
    return results, failed
