"""``newsdesk ask``: one question from the command line, answered by the running server when there is one."""

from __future__ import annotations

import argparse
from typing import Any

from newsdesk.cli.common import answer_body, iso_date, open_desk, print_answer, print_json, settings_from
from newsdesk.cli.remote import server_for

__all__ = ["register"]


def _request(args: argparse.Namespace) -> dict[str, Any]:
    """The ``POST /ask`` body the options make (unset options left out)."""
    body: dict[str, Any] = {"question": args.question, "top_k": args.top_k, "source": args.source}
    for name in ("as_of", "since", "until"):
        value = getattr(args, name)
        body[name] = value.isoformat() if value else None
    return {key: value for key, value in body.items() if value is not None}


def cmd_ask(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    server = server_for(args, settings)
    if server is not None:
        body = server.request("POST", "/ask", _request(args))
    else:
        desk = open_desk(settings, writer=False, reading=True)
        try:
            answer = desk.ask(
                args.question, args.top_k, as_of=args.as_of, since=args.since, until=args.until, source=args.source
            )
        finally:
            desk.close()
        body = answer_body(answer)
    if args.json:
        print_json(body)
    else:
        print_answer(body)
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``ask`` to the CLI."""
    ask = sub.add_parser(
        "ask",
        parents=[common],
        help="ask a question",
        description="Ask a question. When a server holds --data-dir, the question goes to it (NEWSDESK_API_KEY is "
        "sent as its key) and the answer is the same as in this process; --no-server answers here.",
    )
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
