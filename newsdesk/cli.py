"""The ``newsdesk`` command: add, list, remove, ask, serve (and eval, chat)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

from newsdesk.settings import Settings
from qa.embedding import BACKENDS
from qa.errors import NewsdeskError
from qa.types import Answer

__all__ = ["UsageError", "main"]


class UsageError(Exception):
    """A command was called with arguments that cannot work together."""

PROGRESS_THRESHOLD = 5


def _open_desk(settings: Settings, writer: bool):  # -> Newsdesk, imported late: torch is slow to import
    from qa.embedding import load_embedder
    from qa.pipeline import Newsdesk

    return Newsdesk(settings.data_dir, load_embedder(settings.embedder_config()), writer=writer)


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(
        data_dir=args.data_dir, model=getattr(args, "model", None), backend=getattr(args, "backend", None)
    )


def cmd_add(args: argparse.Namespace) -> int:
    from qa.ingest import FileOutcome, add_paths
    from qa.parsing import expand_paths

    files = [str(p) for p in expand_paths(args.paths)]
    desk = _open_desk(_settings(args), writer=True)
    failures = 0
    progress = None
    if len(files) > PROGRESS_THRESHOLD:
        from tqdm import tqdm

        progress = tqdm(total=len(files), unit="file", file=sys.stderr)

    def report(outcome: FileOutcome) -> None:
        nonlocal failures
        say = progress.write if progress else print
        if outcome.error:
            failures += 1
            print(f"error: {outcome.error}", file=sys.stderr)
        elif not progress or args.verbose:
            for r in outcome.results:
                say(f"{r.status:9} {r.id}  ({r.passages} passages)  {r.title}")
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
        + (f", {failures} file(s) failed" if failures else "")
    )
    return 1 if failures else 0


def cmd_list(args: argparse.Namespace) -> int:
    desk = _open_desk(_settings(args), writer=False)
    try:
        articles = desk.list_articles(limit=args.limit, offset=args.offset)
        total = desk.counts()[0]
    finally:
        desk.close()
    if args.json:
        print(json.dumps([asdict(a) for a in articles], indent=2, ensure_ascii=False))
        return 0
    for a in articles:
        print(f"{a.id:28} {a.published or '----------'}  {a.passages:4} passages  {a.title}")
    print(f"{len(articles)} of {total} articles")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    desk = _open_desk(_settings(args), writer=True)
    try:
        for article_id in args.ids:
            passages = desk.remove_article(article_id)
            print(f"removed {article_id} ({passages} passages)")
    finally:
        desk.close()
    return 0


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
    from api.schemas import AskResponse

    desk = _open_desk(_settings(args), writer=False)
    try:
        answer = desk.ask(args.question, args.top_k)
    finally:
        desk.close()
    if args.json:
        print(AskResponse.of(answer).model_dump_json(indent=2))
    else:
        _print_answer(answer)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.main import create_app

    settings = _settings(args)
    if not settings.api_key and args.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"error: refusing to listen on {args.host} without an API key; set NEWSDESK_API_KEY or use --host 127.0.0.1",
            file=sys.stderr,
        )
        return 2
    if not settings.api_key:
        print("newsdesk: no API key set, listening on loopback only", file=sys.stderr)
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level=args.log_level)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsdesk", description="Question answering over news articles, with quotes.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, help="index folder (env NEWSDESK_DATA_DIR, default ./data)")
    common.add_argument("--model", help="embedding model name or path (env NEWSDESK_MODEL)")
    common.add_argument(
        "--backend", choices=BACKENDS, help="how the model runs: torch (default) or onnx-int8 (env NEWSDESK_BACKEND)"
    )
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
    ask.set_defaults(run=cmd_ask)

    serve = sub.add_parser("serve", parents=[common], help="start the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--log-level", default="info")
    serve.set_defaults(run=cmd_serve)

    for register in _EXTRA_COMMANDS:
        register(sub, common)
    return parser


def _register_eval(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    from newsdesk.eval_command import register

    register(sub, common)


def _register_chat(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    from newsdesk.chat_command import register

    register(sub, common)


_EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction, argparse.ArgumentParser], None]] = [
    _register_eval,
    _register_chat,
]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 ok, 1 partly failed, 2 error)."""
    logging.basicConfig(level=logging.WARNING, format="newsdesk: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except (NewsdeskError, UsageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
