"""One conversation's running state: each message read against the earlier turns.

The ``/chat`` routes, the OpenAI endpoint, ``newsdesk chat`` and the eval
runner all go through this, so a follow-up means the same thing everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable

from newsdesk.qa.chat.followup import resolve_followup, turn_from_answer
from newsdesk.qa.types import Answer, ChatTurn

__all__ = ["Conversation"]


class Conversation:
    """The turns so far, and the rule that turns a new message into a standalone question."""

    def __init__(self, history: Iterable[ChatTurn] = (), max_question_chars: int | None = None) -> None:
        """Args:
        history: The earlier turns, oldest first.
        max_question_chars: A rewrite longer than this is given up (the message is asked as written).
        """
        self.turns: list[ChatTurn] = list(history)
        self._max_chars = max_question_chars

    def interpret(self, message: str) -> str:
        """The self-contained question ``message`` asks, given the turns so far (stripped)."""
        return resolve_followup(self.turns, message, self._max_chars).strip()

    def record(self, turn: ChatTurn) -> None:
        """Add an answered turn, as the next message's resolution will see it."""
        self.turns.append(turn)

    def record_answer(self, answer: Answer) -> None:
        """Add the turn an answer makes."""
        self.record(turn_from_answer(answer))

    def restart(self) -> None:
        """Forget every turn."""
        self.turns.clear()
