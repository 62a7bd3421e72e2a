"""``newsdesk chat``: a conversation in the terminal, follow-ups read against the earlier turns.

With a server holding --data-dir, each message goes to its ``POST /chat`` (the
conversation is kept there); otherwise it is answered in this process.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from newsdesk.cli.common import answer_body, open_desk, print_answer, settings_from
from newsdesk.cli.remote import RemoteError, Server, server_for

__all__ = ["register"]

HELP = (
    "Ask about the indexed articles; follow-ups such as 'Where did he serve before?' are understood. "
    "/new starts over, /quit exits."
)

# Answers one message: (the question it was read as, the answer as POST /chat returns it).
Turn = Callable[[str], tuple[str, dict[str, Any]]]


def _loop(answer: Turn, restart: Callable[[], None]) -> None:
    print(HELP)
    while True:
        try:
            message = input("\nyou> ").strip()
        except EOFError:
            print()
            return
        if message in ("/quit", "/exit"):
            return
        if message == "/new":
            restart()
            print("(new conversation)")
            continue
        if not message:
            continue
        try:
            question, body = answer(message)
        except _TurnError as exc:
            print(f"error: {exc}")
            continue
        if question != message:
            print(f"(read as: {question})")
        print()
        print_answer(body)


class _TurnError(Exception):
    """A message that cannot be asked (empty after reading, too long): reported, and the chat goes on."""


def _remote_chat(server: Server, top_k: int) -> None:
    conversation: dict[str, str | None] = {"id": None}

    def answer(message: str) -> tuple[str, dict[str, Any]]:
        request: dict[str, Any] = {"message": message, "top_k": top_k}
        if conversation["id"]:
            request["conversation_id"] = conversation["id"]
        try:
            body = server.request("POST", "/chat", request)
        except RemoteError as exc:
            if exc.status == 422:
                raise _TurnError(str(exc).split(" (server at ")[0]) from exc
            raise
        conversation["id"] = body["conversation_id"]
        return body["interpreted_question"], body

    _loop(answer, lambda: conversation.update(id=None))


def _local_chat(args: argparse.Namespace) -> None:
    from newsdesk.qa.errors import QueryError

    desk = open_desk(settings_from(args), writer=False, reading=True)
    conversation = desk.conversation()

    def answer(message: str) -> tuple[str, dict[str, Any]]:
        question = conversation.interpret(message)
        try:
            result = desk.ask(question, args.top_k)
        except QueryError as exc:
            raise _TurnError(str(exc)) from exc
        conversation.record_answer(result)
        return question, answer_body(result)

    try:
        _loop(answer, conversation.restart)
    finally:
        desk.close()


def cmd_chat(args: argparse.Namespace) -> int:
    server = server_for(args, settings_from(args))
    if server is not None:
        _remote_chat(server, args.top_k)
    else:
        _local_chat(args)
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``chat`` subcommand to the CLI."""
    parser = sub.add_parser(
        "chat",
        parents=[common],
        help="chat in the terminal: questions and follow-ups",
        description="Chat in the terminal. When a server holds --data-dir, messages go to its POST /chat "
        "(NEWSDESK_API_KEY is sent as its key); --no-server answers here.",
    )
    parser.add_argument("--top-k", type=int, default=3, help="quotes to show per answer (default 3)")
    parser.set_defaults(run=cmd_chat)
