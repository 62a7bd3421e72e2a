"""The ``newsdesk`` command: add, list, remove, ask, serve (and eval, chat)."""

from __future__ import annotations

import argparse
import errno
import json
import logging
import os
import socket
import sys
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsdesk.qa.embedding import BACKENDS
from newsdesk.qa.errors import IndexLockedError, NewsdeskError, NotFoundError
from newsdesk.qa.types import Answer
from newsdesk.settings import Settings

if TYPE_CHECKING:
    from newsdesk.qa.embedding.lazy import LazyEmbedder

__all__ = ["UsageError", "main"]


class UsageError(Exception):
    """A command was called with arguments that cannot work together."""

PROGRESS_THRESHOLD = 5
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
READY_CHECK = "Is the model loaded?"


def _lazy_embedder(settings: Settings) -> LazyEmbedder:
    """The configured embedding model, loaded only when something is embedded."""
    from newsdesk.index.datadir import STORE_FILE
    from newsdesk.index.store import recorded_model
    from newsdesk.qa.embedding.lazy import LazyEmbedder

    return LazyEmbedder(settings.embedder_config(), recorded_model(settings.data_dir / STORE_FILE))


def _open_desk(settings: Settings, writer: bool, reading: bool = False):  # -> Newsdesk; torch is slow to import
    """Open the index; ``reading`` also loads the reading model (only asking needs it).

    The embedding model loads only when something is embedded, so a command
    that lists, removes, or fails on a locked index or bad input answers at once.
    """
    from newsdesk.desk import Newsdesk

    reader = settings.load_reader() if reading else None
    return Newsdesk(settings.data_dir, _lazy_embedder(settings), writer=writer, reader=reader)


def _count(number: int, noun: str) -> str:
    """ "1 passage", "2 passages"."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(
        data_dir=args.data_dir,
        model=getattr(args, "model", None),
        backend=getattr(args, "backend", None),
        reader=getattr(args, "reader", None),
    )


def cmd_add(args: argparse.Namespace) -> int:
    from newsdesk.qa.ingest.files import FileOutcome, add_paths
    from newsdesk.qa.ingest.parsing import expand_paths

    files = [str(p) for p in expand_paths(args.paths)]
    desk = _open_desk(_settings(args), writer=True)
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
                say(f"{r.status:9} {r.id}  ({_count(r.passages, 'passage')})  {r.title}")
        if progress:
            progress.update(1)

    try:
        outcomes = add_paths(desk, files, on_file=report)
    finally:
        if progress:
            progress.close()
        desk.close()
    results = [r for o in outcomes for r in o.results]
    counts = {s: sum(r.status == s for r in results) for s in ("added", "replaced", "unchanged")}
    print(
        f"{counts['added']} added, {counts['replaced']} replaced, {counts['unchanged']} unchanged"
        + (f", {_count(failures, 'file')} failed" if failures else "")
    )
    return 1 if failures else 0


def cmd_list(args: argparse.Namespace) -> int:
    # The store alone: listing needs neither the vectors nor the model, and a missing index is empty.
    from newsdesk.index.datadir import STORE_FILE
    from newsdesk.index.store import ArticleStore

    articles, total = [], 0
    path = _settings(args).data_dir / STORE_FILE
    if path.is_file():
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
    print(f"{len(articles)} of {_count(total, 'article')}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from newsdesk.index.datadir import STORE_FILE
    from newsdesk.index.store import recorded_model

    settings = _settings(args)
    # An index that records no model has never held an article: nothing to remove, no model to load.
    desk = _open_desk(settings, writer=True) if recorded_model(settings.data_dir / STORE_FILE) else None
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
            print(f"removed {article_id} ({_count(passages, 'passage')})")
    finally:
        if desk is not None:
            desk.close()
    failed = len(args.ids) - removed
    if failed:
        print(f"{removed} removed, {failed} not found")
    return 1 if failed else 0


def _print_answer(answer: Answer) -> None:
    width = 100
    if answer.answer is None:
        print(answer.message or "No supported answer.")
        if answer.quotes:
            print("\nClosest passages:")
    else:
        print(textwrap.fill(answer.answer, width))
        if answer.short_answer:
            print(f"\nShort answer: {answer.short_answer.text}")
        print(f"\nConfidence {answer.confidence:.2f}. Sources:")
    for number, quote in enumerate(answer.quotes, start=1):
        print(f"\n[{number}] {quote.title} ({quote.published or 'undated'}) {quote.url or quote.article_id}")
        print(textwrap.fill(f"\u201c{quote.text}\u201d", width, initial_indent="    ", subsequent_indent="    "))
        print(f"    article {quote.article_id}, characters {quote.start}-{quote.end}, score {quote.score:.3f}")


def cmd_ask(args: argparse.Namespace) -> int:
    from newsdesk.api.schemas import AskResponse

    desk = _open_desk(_settings(args), writer=False, reading=True)
    try:
        answer = desk.ask(
            args.question, args.top_k, as_of=args.as_of, since=args.since, until=args.until, source=args.source
        )
    finally:
        desk.close()
    if args.json:
        print(AskResponse.of(answer).model_dump_json(indent=2))
    else:
        _print_answer(answer)
    return 0


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
    settings = _settings(args)
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
        embedder = _lazy_embedder(settings)
        # Open the index once now, so that a locked, foreign or unreadable one is a one-line error
        # before any model loads (the app opens it again at start-up).
        from newsdesk.desk import Newsdesk

        try:
            Newsdesk(settings.data_dir, embedder).close()
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


def _add_common_options(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument(
        "--data-dir", type=Path, default=default, help="index folder (env NEWSDESK_DATA_DIR, default ./data)"
    )
    parser.add_argument("--model", default=default, help="embedding model name or path (env NEWSDESK_MODEL)")
    parser.add_argument(
        "--backend",
        choices=BACKENDS,
        default=default,
        help="how the model runs: torch (default) or onnx-int8 (env NEWSDESK_BACKEND)",
    )
    parser.add_argument(
        "--reader",
        default=default,
        help="reading model: shipped (default), a trained model folder, or none for rules only (env NEWSDESK_READER)",
    )


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, not {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsdesk", description="Question answering over news articles, with quotes.")
    # The common options go before or after the command: the command's copy leaves unset ones alone.
    _add_common_options(parser, default=None)
    common = argparse.ArgumentParser(add_help=False)
    _add_common_options(common, default=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)

    add = sub.add_parser("add", parents=[common], help="add articles from files, folders and globs")
    add.add_argument("paths", nargs="+")
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

    ask = sub.add_parser("ask", parents=[common], help="ask a question")
    ask.add_argument("question")
    ask.add_argument("--top-k", type=int, default=None, help="quotes to show (default 5)")
    ask.add_argument("--json", action="store_true", help="print the JSON the HTTP API returns")
    ask.add_argument(
        "--as-of", type=_iso_date, help="the date the question is asked on, YYYY-MM-DD (default today); "
        "'this week' is read against it and articles from around it are favoured",
    )
    ask.add_argument("--since", type=_iso_date, help="only articles published on or after this date")
    ask.add_argument("--until", type=_iso_date, help="only articles published on or before this date")
    ask.add_argument("--source", help="only articles from this source")
    ask.set_defaults(run=cmd_ask)

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

    for register in _EXTRA_COMMANDS:
        register(sub, common)
    return parser


def _register_eval(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    from newsdesk.cli.eval_command import register

    register(sub, common)


def _register_chat(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    from newsdesk.cli.chat_command import register

    register(sub, common)


def _register_train(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    from newsdesk.cli.train_command import register

    register(sub, common)


_EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction, argparse.ArgumentParser], None]] = [
    _register_eval,
    _register_chat,
    _register_train,
]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 ok, 1 partly failed, 2 error)."""
    logging.basicConfig(level=logging.WARNING, format="newsdesk: %(message)s")
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["train-reader"]:  # its own parser: every option after it is the trainer's
        from newsdesk.cli.train_command import run_trainer

        return run_trainer(arguments[1:])
    args = build_parser().parse_args(arguments)
    try:
        return int(args.run(args))
    except (NewsdeskError, UsageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `newsdesk list | head`: the reader left, which is not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (Python flushes stdout again at exit)
        return 0


if __name__ == "__main__":
    sys.exit(main())
