"""``newsdesk chat``: a conversation in the terminal, follow-ups read against the earlier turns."""

from __future__ import annotations

import argparse
from typing import Any

from newsdesk.cli.common import open_desk, print_answer, settings_from

__all__ = ["register"]

HELP = (
    "Ask about the indexed articles; follow-ups such as 'Where did he serve before?' are understood. "
    "/new starts over, /quit exits."
)


def cmd_chat(args: argparse.Namespace) -> int:
    from newsdesk.qa.errors import QueryError

    desk = open_desk(settings_from(args), writer=False, reading=True)
    conversation = desk.conversation()
    print(HELP)
    try:
        while True:
            try:
                message = input("\nyou> ").strip()
            except EOFError:
                print()
                break
            if message in ("/quit", "/exit"):
                break
            if message == "/new":
                conversation.restart()
                print("(new conversation)")
                continue
            if not message:
                continue
            question = conversation.interpret(message)
            if question != message:
                print(f"(read as: {question})")
            try:
                answer = desk.ask(question, args.top_k)
            except QueryError as exc:
                print(f"error: {exc}")
                continue
            print()
            print_answer(answer)
            conversation.record_answer(answer)
    finally:
        desk.close()
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``chat`` subcommand to the CLI."""
    parser = sub.add_parser("chat", parents=[common], help="chat in the terminal: questions and follow-ups")
    parser.add_argument("--top-k", type=int, default=3, help="quotes to show per answer (default 3)")
    parser.set_defaults(run=cmd_chat)
