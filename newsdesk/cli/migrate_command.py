"""``newsdesk migrate``: copy the embedded index of --data-dir into the PostgreSQL database of --database-url."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from newsdesk.cli.common import UsageError, settings_from

__all__ = ["register"]


def cmd_migrate(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if not settings.database_url:
        raise UsageError("migrate copies --data-dir into a database: give --database-url (or NEWSDESK_DATABASE_URL)")
    from newsdesk.index.datadir import recorded_model_in
    from newsdesk.index.factory import describe_storage, open_store
    from newsdesk.index.migrate import migrate_index
    from newsdesk.qa.errors import IndexStateError

    recorded = recorded_model_in(settings.data_dir)
    if recorded is None:
        raise IndexStateError(f"no newsdesk index with articles in {settings.data_dir}")
    store = open_store(recorded[1], settings.data_dir, settings.database_url, postgres=settings.postgres_config())
    where = describe_storage(settings.data_dir, settings.database_url)
    progress = None
    if sys.stderr.isatty():
        from tqdm import tqdm

        progress = tqdm(unit="article", file=sys.stderr)
    try:
        report = migrate_index(settings.data_dir, store, on_article=(lambda _: progress.update(1)) if progress else None)
    finally:
        if progress:
            progress.close()
        store.close()
    for article_id, error in report.failed:
        print(f"error: article {article_id}: {error}", file=sys.stderr)
    print(
        f"{report.copied} copied, {report.skipped} already there (skipped), {len(report.failed)} failed: "
        f"{report.total} articles from {settings.data_dir} are in {where}"
    )
    return 1 if report.failed else 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``migrate`` to the CLI."""
    parser = sub.add_parser(
        "migrate",
        parents=[common],
        help="copy the index of --data-dir into the database of --database-url",
        description="Copy every article of the embedded index in --data-dir (text, offsets, sentence vectors) into "
        "the PostgreSQL database of --database-url, without embedding anything again. Articles the database "
        "already holds unchanged are skipped, so a stopped copy can be run again; the embedded index is only read "
        "(a server may keep using it).",
    )
    parser.set_defaults(run=cmd_migrate)
