"""``newsdesk add``, ``list`` and ``remove``: the articles in the index."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import Any

from newsdesk.cli.common import open_desk, plural, settings_from
from newsdesk.cli.remote import server_desk
from newsdesk.qa.errors import NotFoundError

__all__ = ["register"]

PROGRESS_THRESHOLD = 5


def cmd_add(args: argparse.Namespace) -> int:
    from newsdesk.cli.web import add_web_sources, split_sources
    from newsdesk.qa.ingest.files import FileOutcome, add_paths
    from newsdesk.qa.ingest.parsing import expand_paths

    urls, feed_files, paths = split_sources(args.paths)
    files = [str(p) for p in expand_paths(paths)]
    settings = settings_from(args)
    # Sent to the server holding --data-dir when there is one (page URLs and feeds are fetched here,
    # their articles sent to it).
    desk = server_desk(args, settings) or open_desk(settings, writer=True)
    failures = 0
    progress = None
    if len(files) > PROGRESS_THRESHOLD:
        from tqdm import tqdm

        progress = tqdm(total=len(files), unit="file", file=sys.stderr)

    def say(line: str, file: Any = None) -> None:
        # Through the bar while it is drawn, so a line never lands in the middle of it.
        (progress.write if progress else print)(line, file=file or sys.stdout)

    def report(outcome: FileOutcome) -> None:
        nonlocal failures
        if outcome.error:
            failures += 1
            say(f"error: {outcome.error}", file=sys.stderr)
        elif not progress or args.verbose:
            for r in outcome.results:
                say(f"{r.status:9} {r.id}  ({plural(r.passages, 'passage')})  {r.title}")
        if progress:
            progress.update(1)

    try:
        outcomes = add_paths(desk, files, on_file=report)
        if progress:
            progress.close()
            progress = None
        web_results, web_failures = add_web_sources(desk, settings, urls, feed_files, say)
        failures += web_failures
    finally:
        if progress:
            progress.close()
        desk.close()
    results = [r for o in outcomes for r in o.results] + web_results
    counts = {s: sum(r.status == s for r in results) for s in ("added", "replaced", "unchanged")}
    print(
        f"{counts['added']} added, {counts['replaced']} replaced, {counts['unchanged']} unchanged"
        + (f", {plural(failures, 'file' if not (urls or feed_files) else 'item')} failed" if failures else "")
    )
    return 1 if failures else 0


def cmd_list(args: argparse.Namespace) -> int:
    # The store alone: listing needs neither the vectors nor the model, and a missing index is empty.
    from newsdesk.index.datadir import STORE_FILE
    from newsdesk.index.factory import recorded_model_of
    from newsdesk.index.store import ArticleStore

    articles, total = [], 0
    settings = settings_from(args)
    path = settings.data_dir / STORE_FILE
    if settings.database_url:
        if recorded_model_of(settings.data_dir, settings.database_url) is not None:
            from newsdesk.index.postgres.store import PostgresStore

            database = PostgresStore(settings.database_url)
            try:
                articles = database.list_articles(limit=args.limit, offset=args.offset)
                total = database.counts()[0]
            finally:
                database.close()
    elif path.is_file():
        store = ArticleStore(path)
        try:
            articles = store.list_articles(limit=args.limit, offset=args.offset)
            total = store.counts()[0]
        finally:
            store.close()
    if args.json:
        listing = {
            "articles": [asdict(a) for a in articles], "total": total, "limit": args.limit, "offset": args.offset
        }
        print(json.dumps(listing, indent=2, ensure_ascii=False))
        return 0
    width = max((len(a.id) for a in articles), default=0)
    for a in articles:
        passages = f"{a.passages:4} {'passage ' if a.passages == 1 else 'passages'}"
        print(f"{a.id:{width}}  {a.published or '----------'}  {passages}  {a.title}")
    print(f"{len(articles)} of {plural(total, 'article')}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from newsdesk.index.factory import recorded_model_of

    settings = settings_from(args)
    # An index that records no model has never held an article: nothing to remove, no model to load.
    recorded = recorded_model_of(settings.data_dir, settings.database_url)
    desk = server_desk(args, settings) or (open_desk(settings, writer=True) if recorded else None)
    removed = 0
    try:
        for article_id in args.ids:
            try:
                if desk is None:
                    raise NotFoundError(f"no article with id {article_id!r}")
                passages = desk.remove_article(article_id)
            except NotFoundError as exc:
                print(f"error: {exc}", file=sys.stderr)
                continue
            removed += 1
            print(f"removed {article_id} ({plural(passages, 'passage')})")
    finally:
        if desk is not None:
            desk.close()
    failed = len(args.ids) - removed
    if failed:
        print(f"{removed} removed, {failed} not found")
    return 1 if failed else 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``add``, ``list`` and ``remove`` to the CLI."""
    add = sub.add_parser(
        "add", parents=[common],
        help="add articles from files, folders, globs, page URLs, and feeds (.xml/.rss/.atom files or URLs)",
    )  # fmt: skip
    add.add_argument("paths", nargs="+", metavar="PATH_OR_URL")
    add.add_argument("-v", "--verbose", action="store_true", help="print each article even with a progress bar")
    add.set_defaults(run=cmd_add)

    lst = sub.add_parser("list", parents=[common], help="list stored articles")
    lst.add_argument("--limit", type=int, default=1000)
    lst.add_argument("--offset", type=int, default=0)
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(run=cmd_list)

    rm = sub.add_parser("remove", parents=[common], help="remove articles by id")
    rm.add_argument("ids", nargs="+", metavar="ARTICLE_ID")
    rm.set_defaults(run=cmd_remove)
