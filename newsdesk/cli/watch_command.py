"""``newsdesk watch URL... [--every 15m]``: follow feeds from the command line, adding new entries as they come."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from newsdesk.cli.common import open_desk, settings_from

__all__ = ["register"]


def cmd_watch(args: argparse.Namespace) -> int:
    from newsdesk.cli.remote import server_for
    from newsdesk.cli.web import report_result
    from newsdesk.index.factory import open_feeds
    from newsdesk.qa.feeds.config import parse_every
    from newsdesk.qa.feeds.polling import FeedPoller
    from newsdesk.qa.feeds.registry import Feed, FeedState
    from newsdesk.qa.feeds.sources import FeedRead
    from newsdesk.qa.ingest.fetching import Fetcher, check_url

    settings = settings_from(args)
    config = settings.feed_config()
    every = config.clamp_every(parse_every(args.every) if args.every else None)
    urls = [check_url(u) for u in args.urls]
    server = server_for(args, settings)
    if server is not None:  # the server holding the index follows them, in the background
        for url in urls:
            feed = server.request("POST", "/feeds", {"url": url, "every": f"{int(every)}s"})
            print(f"following {feed['url']} on the server at {server.url} ({feed['id']}, every {feed['every_seconds']:g} s)")
        return 0
    desk = open_desk(settings, writer=True)
    failed = 0

    def report(feed: Feed, state: FeedState, read: FeedRead | None) -> None:
        nonlocal failed
        for item in read.items if read else ():
            if item.result is not None:
                report_result(item.result, print)
            else:
                print(f"error: {item.error}", file=sys.stderr)
        if state.failures:
            failed += 1
            print(f"error: {state.error}", file=sys.stderr)
        name = state.title or feed.url
        when = time.strftime("%H:%M:%S", time.localtime(state.next_check_at))
        print(f"checked {name}: {state.new_entries} new or changed; next check at {when}", flush=True)

    try:
        registry = open_feeds(settings.data_dir, settings.database_url)
    except BaseException:
        desk.close()
        raise
    try:
        now = time.time()
        ids = [registry.add_feed(url, every, now)[0].id for url in urls]
        with Fetcher(config.fetch) as fetcher:
            poller = FeedPoller(registry, desk, fetcher, config, only=ids, on_check=report)
            if args.once:
                poller.run_once()
            else:
                print(f"watching {len(ids)} feed{'s' if len(ids) != 1 else ''} every {every:g} s (Ctrl-C stops)", flush=True)
                try:
                    poller.run()
                except KeyboardInterrupt:
                    pass
    finally:
        registry.close()
        desk.close()
    return 1 if failed else 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``watch`` to the CLI."""
    watch = sub.add_parser(
        "watch", parents=[common],
        help="follow feeds: check them now and every --every, adding new and changed entries (remembered in the index)",
    )  # fmt: skip
    watch.add_argument("urls", nargs="+", metavar="URL", help="feed URLs (RSS 2.0, RSS 1.0, Atom)")
    watch.add_argument("--every", help="how often to check: 15m, 1h, 1d or seconds (env NEWSDESK_FEED_EVERY; default 15m)")
    watch.add_argument("--once", action="store_true", help="check each feed once and exit (for cron)")
    watch.set_defaults(run=cmd_watch)


