"""``newsdesk serve``: the HTTP API and the chat page, with the port taken before anything slow."""

from __future__ import annotations

import argparse
import errno
import socket
import sys
import time
from typing import Any

from newsdesk.cli.common import UsageError, lazy_embedder, settings_from
from newsdesk.qa.errors import IndexLockedError

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


def cmd_serve(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    settings = settings_from(args)
    if not settings.api_key and args.host not in LOOPBACK_HOSTS:
        raise UsageError(
            f"refusing to listen on {args.host} without an API key; set NEWSDESK_API_KEY or use --host 127.0.0.1"
        )
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

        class Server(uvicorn.Server):
            async def startup(self, sockets: list[socket.socket] | None = None) -> None:
                await super().startup(sockets)
                if self.started:
                    ready = time.perf_counter() - started
                    print(f"newsdesk: ready to answer, {ready:.1f} s after start", file=sys.stderr)

        if not settings.api_key:
            print("newsdesk: no API key set, listening on loopback only", file=sys.stderr)
        server = Server(uvicorn.Config(create_app(settings, embedder, reader), log_level=args.log_level))
        server.run(sockets=[sock])
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
        "Set NEWSDESK_API_KEY to require a key (X-API-Key or Authorization: Bearer) on writes; "
        "without one, only a loopback --host is allowed. The index is seeded from seeds/ when empty "
        "(NEWSDESK_SEED_DIR); while the server runs, the CLI cannot write to its --data-dir.",
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; any other needs NEWSDESK_API_KEY)"
    )
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.add_argument(
        "--log-level", default="info", choices=("critical", "error", "warning", "info", "debug", "trace"),
        help="server log level (default info)",
    )
    serve.set_defaults(run=cmd_serve)
