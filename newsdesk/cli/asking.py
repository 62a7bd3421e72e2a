"""``newsdesk ask``: one question from the command line."""

from __future__ import annotations

import argparse
from typing import Any

from newsdesk.cli.common import iso_date, open_desk, print_answer, settings_from

__all__ = ["register"]


def cmd_ask(args: argparse.Namespace) -> int:
    from newsdesk.api.schemas import AskResponse

    desk = open_desk(settings_from(args), writer=False, reading=True)
    try:
        answer = desk.ask(
            args.question, args.top_k, as_of=args.as_of, since=args.since, until=args.until, source=args.source
        )
    finally:
        desk.close()
    if args.json:
        print(AskResponse.of(answer).model_dump_json(indent=2))
    else:
        print_answer(answer)
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``ask`` to the CLI."""
    ask = sub.add_parser("ask", parents=[common], help="ask a question")
    ask.add_argument("question")
    ask.add_argument("--top-k", type=int, default=None, help="quotes to show (default 5)")
    ask.add_argument("--json", action="store_true", help="print the JSON the HTTP API returns")
    ask.add_argument(
        "--as-of", type=iso_date, help="the date the question is asked on, YYYY-MM-DD (default today); "
        "'this week' is read against it and articles from around it are favoured",
    )
    ask.add_argument("--since", type=iso_date, help="only articles published on or after this date")
    ask.add_argument("--until", type=iso_date, help="only articles published on or before this date")
    ask.add_argument("--source", help="only articles from this source")
    ask.set_defaults(run=cmd_ask)
