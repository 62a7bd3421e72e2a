"""Chat: questions in a conversation, follow-ups read against the earlier turns.

``POST /chat`` answers one message, ``POST /chat/stream`` sends the same as
server-sent events, ``GET /chat/{id}`` lists the turns, ``DELETE /chat/{id}``
forgets the conversation.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse

from newsdesk.api.auth import require_read, require_write
from newsdesk.api.deps import get_conversations, get_desk
from newsdesk.api.errors import (
    JSON_BODY_ERRORS,
    READ_KEY_ERRORS,
    STORAGE_ERRORS,
    WRITE_KEY_ERRORS,
    error_responses,
    status_for,
)
from newsdesk.api.schemas import ChatRequest, ChatResponse, ChatTurnOut, ConversationOut, DeletedConversation
from newsdesk.desk import Newsdesk
from newsdesk.index.conversations import ConversationStorage, StoredTurn
from newsdesk.qa.errors import NewsdeskError, QueryError
from newsdesk.qa.types import Answer, ChatTurn

router = APIRouter(
    prefix="/chat",
    tags=["chat"],
    dependencies=[Depends(require_read)],
    responses=error_responses(*READ_KEY_ERRORS, *STORAGE_ERRORS),
)
log = logging.getLogger("newsdesk")

# What the `answer` event carries: the answer's fields less the quotes, which follow one event each.
_ANSWER_EVENT_FIELDS = {
    "answer", "confidence", "short_answer", "message", "answer_kind", "citations", "changes", "disagreements"
}
_ERRORS = error_responses(*JSON_BODY_ERRORS, 404)


def history_of(turns: list[StoredTurn]) -> list[ChatTurn]:
    """Stored turns as follow-up resolution reads them."""
    return [
        ChatTurn(t.interpreted_question, t.answer, t.short_answer, tuple(dict.fromkeys(q.title for q in t.quotes)))
        for t in turns
    ]


@dataclass(frozen=True)
class _Turn:
    """A message read against its conversation, ready to be answered and stored."""

    conversation_id: str
    new: bool
    question: str

    def answer(self, request: ChatRequest, desk: Newsdesk, conversations: ConversationStorage) -> Answer:
        answer = desk.ask(self.question, request.top_k, as_of=request.as_of)
        conversations.add_turn(self.conversation_id, request.message, answer, create=self.new)
        return answer


def _read(request: ChatRequest, desk: Newsdesk, conversations: ConversationStorage) -> _Turn:
    """Check the message, load the conversation (404 if gone) and resolve the follow-up."""
    if not request.message.strip():
        raise QueryError("the message is empty")
    if request.conversation_id is None:
        return _Turn(conversations.new_id(), True, request.message.strip())
    history = history_of(conversations.turns(request.conversation_id))
    return _Turn(request.conversation_id, False, desk.conversation(history).interpret(request.message))


@router.post("", response_model=ChatResponse, responses=_ERRORS)
def chat(
    request: ChatRequest,
    desk: Newsdesk = Depends(get_desk),
    conversations: ConversationStorage = Depends(get_conversations),
) -> ChatResponse:
    """Answer a message in a conversation (a new one when no `conversation_id` is given).

    `interpreted_question` is the self-contained question that was answered:
    "Where did he serve before Washington?" after a question about Alexander
    Darchiev becomes "Where did Alexander Darchiev serve before Washington?".
    """
    turn = _read(request, desk, conversations)
    return ChatResponse.of(turn.conversation_id, turn.answer(request, desk, conversations))


def _event(name: str, data: object) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.post(
    "/stream", response_class=StreamingResponse, responses={200: {"content": {"text/event-stream": {}}}, **_ERRORS}
)
def chat_stream(
    request: ChatRequest,
    desk: Newsdesk = Depends(get_desk),
    conversations: ConversationStorage = Depends(get_conversations),
) -> StreamingResponse:
    """The same as `POST /chat`, as server-sent events.

    Events, in order: `interpretation` {conversation_id, interpreted_question};
    for a composed answer, one `sentence` {number, text, quote} per cited
    sentence, `text` being `quote.text` and `[number]` its mark in the answer;
    `answer` {answer, confidence, short_answer, message, answer_kind, citations,
    changes, disagreements}, one `quote` per quote
    (the quote objects of `/ask`), then `done` {conversation_id}. An unknown
    conversation or a bad message is refused before the stream starts; a
    failure after it started ends it with an `error` event {detail, status}
    (the status a plain request would have got) instead of `done`.
    """
    turn = _read(request, desk, conversations)

    def events() -> Iterator[str]:
        yield _event("interpretation", {"conversation_id": turn.conversation_id, "interpreted_question": turn.question})
        try:
            body = ChatResponse.of(turn.conversation_id, turn.answer(request, desk, conversations))
        except NewsdeskError as exc:
            yield _event("error", {"detail": str(exc), "status": status_for(exc)})
            return
        except Exception:  # the 200 is sent: a well-formed last event beats a broken chunk
            log.exception("chat stream failed after it started")
            yield _event("error", {"detail": "internal error", "status": 500})
            return
        # A composed answer goes out a sentence at a time, each with its quote, before the whole.
        for number, citation in enumerate(body.citations, start=1):
            quote = body.quotes[citation.quote]
            yield _event("sentence", {"number": number, "text": quote.text, "quote": quote.model_dump()})
        yield _event("answer", body.model_dump(include=_ANSWER_EVENT_FIELDS))
        for quote in body.quotes:
            yield _event("quote", quote.model_dump())
        yield _event("done", {"conversation_id": turn.conversation_id})

    return StreamingResponse(
        events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    )


@router.get("/{conversation_id}", response_model=ConversationOut, responses=error_responses(404))
def get_conversation(
    conversation_id: str, conversations: ConversationStorage = Depends(get_conversations)
) -> ConversationOut:
    """The turns of a conversation, oldest first."""
    turns = conversations.turns(conversation_id)
    return ConversationOut(conversation_id=conversation_id, turns=[ChatTurnOut.of(t) for t in turns])


@router.delete(
    "/{conversation_id}",
    response_model=DeletedConversation,
    dependencies=[Depends(require_write)],
    responses=error_responses(*WRITE_KEY_ERRORS, 404),
)
def delete_conversation(
    conversation_id: str, conversations: ConversationStorage = Depends(get_conversations)
) -> DeletedConversation:
    """Forget a conversation and its turns."""
    conversations.delete(conversation_id)
    return DeletedConversation(conversation_id=conversation_id, deleted=True)
