"""Following feeds: conditional checks, backoff, one failing feed among good ones, leases, and the stored registry."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk.desk import Newsdesk
from newsdesk.index.feeds import SqliteFeedRegistry
from newsdesk.index.store import ArticleStore
from newsdesk.qa.errors import QueryError
from newsdesk.qa.feeds.config import FeedConfig, parse_every
from newsdesk.qa.feeds.polling import FeedPoller
from newsdesk.qa.feeds.registry import FeedState
from newsdesk.qa.ingest.fetching import FetchConfig, Fetcher
from tests.conftest import HashingEmbedder
from tests.ingest_web.site import Site

CONFIG = FeedConfig(fetch=FetchConfig(allow_private=True, timeout_seconds=2.0), min_every_seconds=1.0)
TEXT = "<p>The harbour of Port Ellis reopened on Tuesday after a three-week closure caused by the storm.</p>"


class Clock:
    """Unix time the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _entry(site: Site, number: int) -> dict:
    return {"title": f"Harbour story {number}", "link": site.url(f"/s{number}"), "guid": f"g{number}",
            "date": "2026-03-03", "content": TEXT.replace("Tuesday", f"day {number}")}  # fmt: skip


@pytest.fixture
def site() -> Iterator[Site]:
    with Site() as running:
        yield running


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Newsdesk]:
    opened = Newsdesk(tmp_path / "data", HashingEmbedder())
    yield opened
    opened.close()


@pytest.fixture
def registry(desk: Newsdesk, tmp_path: Path) -> Iterator[SqliteFeedRegistry]:
    opened = SqliteFeedRegistry(tmp_path / "data" / "newsdesk.sqlite3")
    yield opened
    opened.close()


def test_a_followed_feed_is_checked_conditionally_and_only_changes_are_added(
    site: Site, desk: Newsdesk, registry: SqliteFeedRegistry
) -> None:
    clock = Clock()
    url = site.feed("/rss", "Harbour Times", [_entry(site, 1), _entry(site, 2)])
    feed, created = registry.add_feed(url, 60.0, clock())
    assert created and registry.add_feed(url, 120.0, clock()) == (registry.get_feed(feed.id), False)
    with Fetcher(CONFIG.fetch) as fetcher:
        poller = FeedPoller(registry, desk, fetcher, CONFIG, clock=clock)
        assert poller.run_once() == 1
        checked = registry.get_feed(feed.id)
        assert (checked.title, checked.last_error, checked.failures) == ("Harbour Times", None, 0)
        assert checked.last_new_entry_at == clock.now and checked.next_check_at == clock.now + 120.0
        assert desk.counts()[0] == 2
        assert poller.run_once() == 0  # not due yet
        clock.now += 121
        assert poller.run_once() == 1
        assert site.not_modified["/rss"] == 1  # the unchanged feed answered 304
        site.feed("/rss", "Harbour Times", [_entry(site, 1), _entry(site, 2), _entry(site, 3)])
        clock.now += 121
        assert poller.run_once() == 1
    assert desk.counts()[0] == 3
    assert registry.get_feed(feed.id).last_new_entry_at == clock.now


def test_a_failing_feed_backs_off_and_does_not_stop_the_others(
    site: Site, desk: Newsdesk, registry: SqliteFeedRegistry
) -> None:
    clock = Clock()
    good = registry.add_feed(site.feed("/good", "Good News", [_entry(site, 1)]), 60.0, clock())[0]
    bad = registry.add_feed(site.route("/bad", "<h1>Server error</h1>", status=500), 60.0, clock())[0]
    html = registry.add_feed(site.route("/html", "<html><body><p>Not a feed</p></body></html>"), 60.0, clock())[0]
    with Fetcher(CONFIG.fetch) as fetcher:
        poller = FeedPoller(registry, desk, fetcher, CONFIG, clock=clock)
        assert poller.run_once() == 3
        failed = registry.get_feed(bad.id)
        assert failed.failures == 1 and "HTTP 500" in failed.last_error
        assert failed.next_check_at == clock.now + 120.0  # doubled
        assert "not an RSS or Atom feed" in registry.get_feed(html.id).last_error
        assert registry.get_feed(good.id).failures == 0 and desk.counts()[0] == 1
        clock.now += 121
        poller.run_once()
        assert registry.get_feed(bad.id).failures == 2 and registry.get_feed(bad.id).next_check_at == clock.now + 240.0
        site.feed("/bad", "Back Again", [_entry(site, 2)])
        clock.now += 241
        poller.run_once()
    healed = registry.get_feed(bad.id)
    assert (healed.failures, healed.last_error, healed.title) == (0, None, "Back Again")
    assert desk.counts()[0] == 2


def test_only_one_poller_holds_a_feed_at_a_time(registry: SqliteFeedRegistry) -> None:
    clock = Clock()
    feed = registry.add_feed("https://news.example/feed", 60.0, clock())[0]
    assert [f.id for f in registry.claim_due("server-a", clock(), 300.0, 5)] == [feed.id]
    assert registry.claim_due("server-b", clock(), 300.0, 5) == []  # under a's lease
    state = FeedState(clock(), clock() + 60.0)
    assert not registry.record_check(feed.id, "server-b", state)  # b never held it
    assert registry.record_check(feed.id, "server-a", state)
    clock.now += 61
    assert [f.id for f in registry.claim_due("server-b", clock(), 300.0, 5)] == [feed.id]
    clock.now += 301  # b died mid-check: its lease runs out and a takes over
    assert [f.id for f in registry.claim_due("server-a", clock(), 300.0, 5)] == [feed.id]
    assert not registry.record_check(feed.id, "server-b", state)


def test_feeds_are_removed_and_their_articles_stay(site: Site, desk: Newsdesk, registry: SqliteFeedRegistry) -> None:
    clock = Clock()
    feed = registry.add_feed(site.feed("/rss", "Harbour Times", [_entry(site, 1)]), 60.0, clock())[0]
    with Fetcher(CONFIG.fetch) as fetcher:
        FeedPoller(registry, desk, fetcher, CONFIG, clock=clock).run_once()
    assert registry.remove_feed(feed.id) and not registry.remove_feed(feed.id)
    assert registry.list_feeds() == [] and registry.next_due() is None
    assert desk.counts()[0] == 1


def test_a_store_made_before_feeds_gets_the_table_and_keeps_its_articles(tmp_path: Path) -> None:
    path = tmp_path / "newsdesk.sqlite3"
    store = ArticleStore(path)
    store.close()
    with sqlite3.connect(path) as db:  # as a store from before feeds: no feeds table
        db.execute("DROP TABLE feeds")
        db.execute("INSERT INTO articles (id, title, text, content_hash) VALUES ('old', 'Old story', 'Kept.', 'h')")
    reopened = ArticleStore(path)
    try:
        assert reopened.get_article("old").title == "Old story"
    finally:
        reopened.close()
    registry = SqliteFeedRegistry(path)
    try:
        feed = registry.add_feed("https://news.example/feed", 900.0, 1.0)[0]
        assert registry.list_feeds() == [feed]
    finally:
        registry.close()


@pytest.mark.parametrize(("text", "seconds"), [("15m", 900.0), ("1h", 3600.0), ("90s", 90.0), ("1d", 86400.0), ("45", 45.0)])
def test_intervals_are_read(text: str, seconds: float) -> None:
    assert parse_every(text) == seconds


@pytest.mark.parametrize("text", ["", "0", "soon", "15 minutes", "-5m", "1w"])
def test_bad_intervals_are_refused(text: str) -> None:
    with pytest.raises(QueryError, match="cannot read the interval"):
        parse_every(text)


def test_intervals_are_kept_within_bounds() -> None:
    config = FeedConfig()
    assert (config.clamp_every(5.0), config.clamp_every(None), config.clamp_every(10**9)) == (60.0, 900.0, 7 * 86400.0)
    assert config.next_delay(900.0, 0) == 900.0 and config.next_delay(900.0, 30) == config.max_backoff_seconds
