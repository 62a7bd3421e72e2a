"""``/chat``: a message in a conversation, the answer to what it was read as, and stored conversations."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from newsdesk.api.limits import BOUNDS
from newsdesk.api.schemas.ask import AnswerOut, QuoteOut
from newsdesk.api.schemas.common import QUOTE_COUNT_HELP, STATES_NOT_BLANK, NewsDate, QuoteCount, StrictRequest
from newsdesk.index.conversations import StoredTurn
from newsdesk.qa.types import Answer

__all__ = [
    "CONVERSATION_ID_PATTERN",
    "ChatRequest",
    "ChatResponse",
    "ChatTurnOut",
    "ConversationOut",
    "DeletedConversation",
]

CONVERSATION_ID_PATTERN = rf"^[A-Za-z0-9_-]{{1,{BOUNDS.max_conversation_id_chars}}}$"


class ChatRequest(StrictRequest):
    conversation_id: Annotated[str, StringConstraints(pattern=CONVERSATION_ID_PATTERN)] | None = Field(
        default=None, description="Continue this conversation; leave out to start a new one."
    )
    message: Annotated[
        str, StringConstraints(min_length=1, max_length=BOUNDS.max_question_chars), STATES_NOT_BLANK
    ] = Field(
        description="The question as typed; follow-ups such as 'Where did he serve before?' are read against the "
        "conversation's earlier turns."
    )
    top_k: QuoteCount | None = Field(default=None, description=QUOTE_COUNT_HELP)
    as_of: NewsDate | None = Field(default=None, description="The date the question is asked on (default today).")


class ChatResponse(AnswerOut):
    conversation_id: str
    interpreted_question: str = Field(description="The self-contained question that was answered.")

    @classmethod
    def of(cls, conversation_id: str, answer: Answer) -> ChatResponse:
        return cls(conversation_id=conversation_id, interpreted_question=answer.question, **cls.fields_of(answer))


class ChatTurnOut(BaseModel):
    message: str
    interpreted_question: str
    answer: str | None
    confidence: float
    quotes: list[QuoteOut]
    created_at: str

    @classmethod
    def of(cls, turn: StoredTurn) -> ChatTurnOut:
        return cls(
            message=turn.message,
            interpreted_question=turn.interpreted_question,
            answer=turn.answer,
            confidence=turn.confidence,
            quotes=[QuoteOut.of(q) for q in turn.quotes],
            created_at=datetime.fromtimestamp(turn.created_at, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )


class ConversationOut(BaseModel):
    conversation_id: str
    turns: list[ChatTurnOut]


class DeletedConversation(BaseModel):
    conversation_id: str
    deleted: bool
