"""``newsdesk serve``: the HTTP API and the chat page, with the port taken before anything slow."""

from __future__ import annotations

import argparse
import errno
import os
import socket
import sys
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from newsdesk.cli.common import UsageError, lazy_embedder, settings_from
from newsdesk.qa.errors import IndexLockedError
from newsdesk.settings import Settings

if TYPE_CHECKING:
    from newsdesk.api.auth import KeyRing

__all__ = ["register"]

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
READY_CHECK = "Is the model loaded?"


def _listen(host: str, port: int) -> socket.socket:
    """Take the port before anything slow happens; connections wait in the backlog until the app is ready.

    Raises:
        UsageError: If the address is in use or cannot be bound.
    """
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, protocol)
    except (OSError, UnicodeError) as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc}") from exc
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        in_use = exc.errno == errno.EADDRINUSE
        reason = "the port is in use (another newsdesk serve?); choose another --port" if in_use else exc.strerror
        raise UsageError(f"cannot listen on {host}:{port}: {reason}") from exc
    return sock


def _check_keys(settings: Settings, host: str) -> KeyRing:
    """The keys, checked before anything loads; another host than loopback needs a write key.

    Raises:
        UsageError: Another host is asked for without any write key.
        SettingsError: A key setting cannot be read.
    """
    from newsdesk.api.auth import keyring_from

    keyring = keyring_from(settings)
    if host not in LOOPBACK_HOSTS and not any(key.role == "write" for key in keyring.keys):
        raise UsageError(
            f"refusing to listen on {host} without a write key; set NEWSDESK_API_KEY (or NEWSDESK_API_KEYS) "
            "or use --host 127.0.0.1"
        )
    return keyring


def _say_who_may_connect(keyring: KeyRing, host: str) -> None:
    where = "loopback only" if host in LOOPBACK_HOSTS else f"{host}"
    if not keyring.keys:
        print(f"newsdesk: no API key set: listening on {where}, anyone there may read and write", file=sys.stderr)
    elif keyring.protect_reads:
        print(f"newsdesk: listening on {where}; reads and writes need a key", file=sys.stderr)
    else:
        print(f"newsdesk: listening on {where}; writes need a key, reads are open (--protect-reads)", file=sys.stderr)


def cmd_serve(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    settings = settings_from(args)
    if args.protect_reads:
        settings = replace(settings, protect_reads=True)
    keyring = _check_keys(settings, args.host)
    sock = _listen(args.host, args.port)
    print(
        f"newsdesk: listening on http://{args.host}:{args.port}; requests wait until the index and models are ready",
        file=sys.stderr,
    )
    try:
        embedder = lazy_embedder(settings)
        # Open the index once now, so that a locked, foreign or unreadable one is a one-line error
        # before any model loads (the app opens it again at start-up).
        from newsdesk.desk import Newsdesk
        from newsdesk.index.factory import open_store

        try:
            Newsdesk.over(open_store(
                embedder.dimension, settings.data_dir, settings.database_url,
                read_database_url=settings.read_database_url,
            ), embedder).close()
        except IndexLockedError as exc:
            raise IndexLockedError(
                f"the index in {settings.data_dir} is locked by another process (another newsdesk serve?); "
                "stop it, or serve another --data-dir"
            ) from exc
        # One model after the other: importing transformers from two threads at once fails.
        embedder.embed([READY_CHECK])  # the first call pays torch's one-time set-up: here, not in the first answer
        reader = settings.load_reader()

        import uvicorn

        from newsdesk.api.main import create_app
        from newsdesk.index.datadir import ServerAddress, forget_server, record_server

        recorded = not settings.database_url  # the CLI finds a server by its data directory's lock

        class Server(uvicorn.Server):
            async def startup(self, sockets: list[socket.socket] | None = None) -> None:
                await super().startup(sockets)
                if self.started:
                    if recorded:  # the CLI's ask, chat, add and remove now come here
                        record_server(settings.data_dir, ServerAddress(args.host, sock.getsockname()[1], os.getpid()))
                    ready = time.perf_counter() - started
                    print(f"newsdesk: ready to answer, {ready:.1f} s after start", file=sys.stderr)

        _say_who_may_connect(keyring, args.host)
        server = Server(uvicorn.Config(create_app(settings, embedder, reader), log_level=args.log_level))
        try:
            server.run(sockets=[sock])
        finally:
            if recorded and server.started:
                forget_server(settings.data_dir)
    finally:
        sock.close()
    return 0 if server.started else 2


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``serve`` to the CLI."""
    serve = sub.add_parser(
        "serve",
        parents=[common],
        help="start the HTTP API and the chat page",
        description="Start the HTTP API, with the chat page at / and the API docs at /docs. "
        "It listens on 127.0.0.1 unless --host says otherwise; another host needs a write key. "
        "Keys (X-API-Key or Authorization: Bearer): NEWSDESK_API_KEY (a write key), NEWSDESK_API_KEYS "
        "(name:role:key,... with role read or write), NEWSDESK_API_KEYS_FILE (hashed keys); writes need a write key, "
        "reads need a key only with --protect-reads. The index is seeded from seeds/ when empty "
        "(NEWSDESK_SEED_DIR); while the server runs, the CLI's ask, chat, add and remove on its --data-dir are "
        "sent to it.",
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; any other needs a write key)"
    )
    serve.add_argument(
        "--protect-reads", action="store_true",
        help="require a key (read or write) for asking, chat and reading articles too (env NEWSDESK_PROTECT_READS=1)",
    )
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.add_argument(
        "--log-level", default="info", choices=("critical", "error", "warning", "info", "debug", "trace"),
        help="server log level (default info)",
    )
    serve.set_defaults(run=cmd_serve)
