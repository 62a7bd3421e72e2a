"""``newsdesk timeline``: how a story unfolded, day by day, from the running server when there is one."""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from newsdesk.cli.common import UsageError, iso_date, open_desk, print_json, settings_from
from newsdesk.cli.remote import server_for

__all__ = ["register"]


def _query(args: argparse.Namespace) -> dict[str, str]:
    """The ``GET /timeline`` parameters the options make (unset options left out)."""
    params = {"q": args.query, "source": args.source, "limit": args.limit}
    for name in ("since", "until"):
        value = getattr(args, name)
        params[name] = value.isoformat() if value else None
    return {key: str(value) for key, value in params.items() if value is not None}


def print_timeline(body: Mapping[str, Any]) -> None:
    """Print a timeline as ``GET /timeline`` returns it: each day, then its entries with their sources."""
    if not body["days"]:
        print(f"Nothing dated is about {body['query']!r}.")
        return
    for day in body["days"]:
        print(day["date"])
        for entry in day["entries"]:
            print(textwrap.fill(f"\u201c{entry['text']}\u201d", 100, initial_indent="  ", subsequent_indent="    "))
            also = f"; also reported by {', '.join(entry['also_reported_by'])}" if entry["also_reported_by"] else ""
            where = " ".join(p for p in (entry["source"], entry["url"]) if p)
            print(f"    \u2014 {entry['title']}{f' ({where})' if where else ''}{also}")


def cmd_timeline(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 1:
        raise UsageError("--limit must be 1 or more")
    settings = settings_from(args)
    server = server_for(args, settings)
    if server is not None:
        body = server.request("GET", "/timeline?" + urlencode(_query(args)))
    else:
        from newsdesk.api.schemas import TimelineResponse

        desk = open_desk(settings, writer=False)
        try:
            timeline = desk.timeline(args.query, since=args.since, until=args.until, source=args.source, limit=args.limit)
        finally:
            desk.close()
        body = TimelineResponse.of(timeline).model_dump(mode="json")
    if args.json:
        print_json(body)
    else:
        print_timeline(body)
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``timeline`` to the CLI."""
    timeline = sub.add_parser(
        "timeline",
        parents=[common],
        help="how a story unfolded: its dated quotes, day by day",
        description="The dated quotes most about a query (an entity or a story), one per event, syndicated copies "
        "collapsed, grouped by day in date order. Goes to the running server when one holds --data-dir.",
    )
    timeline.add_argument("query", help="what the timeline is about, e.g. 'the Istanbul talks'")
    timeline.add_argument("--since", type=iso_date, help="only articles published on or after this date")
    timeline.add_argument("--until", type=iso_date, help="only articles published on or before this date")
    timeline.add_argument("--source", help="only articles from this source")
    timeline.add_argument("--limit", type=int, default=None, help="entries at most (default 20)")
    timeline.add_argument("--json", action="store_true", help="print the JSON the HTTP API returns")
    timeline.set_defaults(run=cmd_timeline)
