"""Following feeds: one check of one feed, and the poller that checks every due feed in the background.

A check sends the ``ETag`` and ``Last-Modified`` of the last answer (a 304 costs
nothing), reads only new or changed entries, and records when it ran, when it last
found something new and what went wrong. A failed check doubles the wait before the
next one, up to a cap. One feed's failure is recorded against that feed only: the
poller goes on with the others, and never stops the process it runs in.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable, Collection

from newsdesk.qa.errors import ArticleError, NewsdeskError
from newsdesk.qa.feeds.config import FeedConfig
from newsdesk.qa.feeds.registry import Feed, FeedRegistry, FeedState
from newsdesk.qa.feeds.sources import FeedRead, add_feed_content
from newsdesk.qa.ingest.fetching import Fetcher
from newsdesk.qa.ingest.files import ArticleSink

__all__ = ["FeedPoller", "check_feed", "poller_owner"]

log = logging.getLogger("newsdesk")


def poller_owner() -> str:
    """A name for this process's poller, unique among servers sharing a database."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"


def _summary(read: FeedRead) -> str | None:
    """The entries a check skipped, as one line (None when none was)."""
    problems = [i.error for i in read.items if i.error] + list(read.problems)
    if not problems:
        return None
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{problems[0]}{more}"


def check_feed(
    feed: Feed, sink: ArticleSink, fetcher: Fetcher, config: FeedConfig, now: float
) -> tuple[FeedState, FeedRead | None]:
    """Check one feed: fetch it (conditionally), add its new and changed entries.

    Returns:
        The state to record, and what was read (None when the feed was unchanged or failed).
    """
    try:
        fetched = fetcher.fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified, obey_robots=False)
        if fetched.not_modified:
            state = FeedState(now, now + config.next_delay(feed.every_seconds, 0), title=feed.title,
                              etag=feed.etag, last_modified=feed.last_modified, seen=feed.seen)  # fmt: skip
            return state, None
        read = add_feed_content(sink, fetcher, fetched.content, feed.url, config, url=fetched.final_url, seen=feed.seen)
    except ArticleError as exc:
        failures = feed.failures + 1
        error = str(exc) if feed.url in str(exc) else f"{feed.url}: {exc}"
        state = FeedState(now, now + config.next_delay(feed.every_seconds, failures), failures, error, feed.title,
                          feed.etag, feed.last_modified, seen=feed.seen)  # fmt: skip
        return state, None
    state = FeedState(
        now, now + config.next_delay(feed.every_seconds, 0), 0, _summary(read), read.title or feed.title,
        fetched.etag, fetched.last_modified, read.new_entries, read.seen,
    )  # fmt: skip
    return state, read


class FeedPoller:
    """Checks due feeds in a background thread until stopped.

    Args:
        registry: The followed feeds.
        sink: Where new articles go (a :class:`~newsdesk.desk.Newsdesk`).
        fetcher: Fetches feeds and pages.
        config: Intervals, backoff, caps and the lease.
        only: Check only these feed ids (``newsdesk watch``); None checks every feed.
        on_check: Called after each check with the feed, its new state and what was read.
        clock: Unix time (tests pass another).
    """

    def __init__(
        self,
        registry: FeedRegistry,
        sink: ArticleSink,
        fetcher: Fetcher,
        config: FeedConfig,
        *,
        only: Collection[str] | None = None,
        on_check: Callable[[Feed, FeedState, FeedRead | None], None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.owner = poller_owner()
        self._registry = registry
        self._sink = sink
        self._fetcher = fetcher
        self._config = config
        self._only = set(only) if only is not None else None
        self._on_check = on_check
        self._clock = clock
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> int:
        """Check every feed due now (claimed one at a time); returns how many were checked."""
        checked = 0
        while not self._stop.is_set():
            now = self._clock()
            claimed = self._registry.claim_due(self.owner, now, self._config.lease_seconds, 1, only=self._only)
            if not claimed:
                return checked
            for feed in claimed:
                self._check(feed)
                checked += 1

    def _check(self, feed: Feed) -> None:
        try:
            state, read = check_feed(feed, self._sink, self._fetcher, self._config, self._clock())
        except Exception as exc:  # noqa: BLE001 -- the store failed, or a bug met odd content: this feed only
            if not isinstance(exc, NewsdeskError):
                log.exception("feed %s: the check failed", feed.url)
            now = self._clock()
            failures = feed.failures + 1
            state, read = FeedState(now, now + self._config.next_delay(feed.every_seconds, failures), failures,
                                    f"{feed.url}: {exc}", feed.title, feed.etag, feed.last_modified, seen=feed.seen), None  # fmt: skip
        self._registry.record_check(feed.id, self.owner, state)
        if state.error:
            log.warning("feed %s: %s", feed.url, state.error)
        if self._on_check:
            self._on_check(feed, state, read)

    def wake(self) -> None:
        """Look for due feeds now (a feed was just added)."""
        self._wake.set()

    def start(self) -> None:
        """Check feeds in a background thread (see :meth:`run`)."""
        self._thread = threading.Thread(target=self.run, name="newsdesk-feeds", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run(self) -> None:
        """Check due feeds, sleep until the next is due (or :meth:`wake`), again, until :meth:`stop`."""
        while not self._stop.is_set():
            try:
                self.run_once()
                due = self._registry.next_due()
            except Exception:  # noqa: BLE001 -- the poller outlives any one failure; it is logged and retried
                log.exception("feed poller: checking feeds failed; retrying")
                due = None
            wait = self._config.idle_seconds if due is None else due - self._clock()
            self._wake.wait(min(max(wait, 0.05), self._config.idle_seconds))
            self._wake.clear()

