"""Followed feeds in PostgreSQL: shared by servers, one server checking a feed at a time, kept across reconnects."""

from __future__ import annotations

import threading

from newsdesk.index.postgres.feeds import PostgresFeedRegistry
from newsdesk.qa.feeds.registry import FeedState


def test_feeds_are_shared_and_claimed_by_one_server_at_a_time(postgres_url: str) -> None:
    one, two = PostgresFeedRegistry(postgres_url), PostgresFeedRegistry(postgres_url)
    try:
        now = 1_800_000_000.0
        feed, created = one.add_feed("https://news.example/feed", 60.0, now)
        assert created and two.add_feed("https://news.example/feed", 120.0, now) == (two.get_feed(feed.id), False)
        assert [f.id for f in two.list_feeds()] == [feed.id] and one.get_feed(feed.id).every_seconds == 120.0
        assert [f.id for f in one.claim_due("server-a", now, 300.0, 5)] == [feed.id]
        assert two.claim_due("server-b", now, 300.0, 5) == []
        state = FeedState(now, now + 120.0, title="Harbour Times", etag='"abc"', new_entries=2, seen={"g1": "f1"})
        assert not two.record_check(feed.id, "server-b", state)
        assert one.record_check(feed.id, "server-a", state)
        kept = two.get_feed(feed.id)
        assert (kept.title, kept.etag, kept.last_new_entry_at, kept.seen, kept.next_check_at) == (
            "Harbour Times", '"abc"', now, {"g1": "f1"}, now + 120.0
        )
        assert two.next_due() == now + 120.0
        assert two.remove_feed(feed.id) and not one.remove_feed(feed.id) and one.list_feeds() == []
    finally:
        one.close()
        two.close()


def test_many_servers_claiming_at_once_never_share_a_feed(postgres_url: str) -> None:
    registries = [PostgresFeedRegistry(postgres_url) for _ in range(4)]
    try:
        now = 1_800_000_000.0
        ids = {registries[0].add_feed(f"https://news.example/feed/{n}", 60.0, now)[0].id for n in range(20)}
        claimed: dict[str, list[str]] = {}
        start = threading.Barrier(len(registries))

        def claim(number: int) -> None:
            start.wait()
            mine = []
            while batch := registries[number].claim_due(f"server-{number}", now, 300.0, 2):
                mine += [f.id for f in batch]
            claimed[f"server-{number}"] = mine

        threads = [threading.Thread(target=claim, args=(n,)) for n in range(len(registries))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        every = [feed_id for mine in claimed.values() for feed_id in mine]
        assert sorted(every) == sorted(ids)  # each feed claimed exactly once
    finally:
        for registry in registries:
            registry.close()
