"""``POST /v1/chat/completions`` and ``GET /v1/models``: the OpenAI API over newsdesk, so OpenAI clients can ask.

Stateless: the conversation is the request's ``messages``. Earlier user and
assistant turns feed follow-up resolution; the last user message is answered,
and the reply lists its sources with verbatim quotes. Nothing is stored.
``usage`` counts tokens as words and punctuation marks (there is no generating
model whose tokenizer would count them).
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterator, Sequence
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, StreamingResponse

from newsdesk.api.auth import require_read
from newsdesk.api.deps import get_desk
from newsdesk.api.errors import JSON_BODY_ERRORS, READ_KEY_ERRORS, STORAGE_ERRORS, error_responses
from newsdesk.api.schemas import (
    ChatCompletionChunkOut,
    ChatCompletionOut,
    ChatCompletionRequest,
    ChunkChoiceOut,
    CompletionChoiceOut,
    CompletionMessageOut,
    ModelListOut,
    ModelOut,
    OpenAIMessage,
    UsageOut,
)
from newsdesk.api.schemas.openai import MODEL_NAME, NewsdeskExtensionOut, OpenAIErrorOut
from newsdesk.desk import Newsdesk
from newsdesk.qa.chat.conversation import Conversation
from newsdesk.qa.chat.followup import RECENT_TURNS
from newsdesk.qa.types import Answer, ChatTurn

router = APIRouter(
    prefix="/v1", tags=["openai"], dependencies=[Depends(require_read)], responses=error_responses(*READ_KEY_ERRORS)
)

# When this server's model came to be: the process start, as good a date as any for rules over an index.
_CREATED = int(time.time())
_SOURCES = re.compile(r"\n\n(?:Closest s|S)ources:\n")
_TOKEN = re.compile(r"\w+|[^\w\s]")


# An unknown model, answered as OpenAI answers it (clients read ``error``), with ``detail`` as everywhere else.
_MODEL_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": OpenAIErrorOut, "description": "No model of that name (`error.code` is `model_not_found`); "
          "`GET /v1/models` lists the one there is."}
}


def model_not_found(model: str) -> JSONResponse:
    """OpenAI's 404 for a model it does not have: ``{"error": {"message", "type", "param", "code"}}``."""
    message = f"The model '{model}' does not exist; this server answers as '{MODEL_NAME}' (see GET /v1/models)"
    error = {"message": message, "type": "invalid_request_error", "param": "model", "code": "model_not_found"}
    return JSONResponse({"detail": message, "error": error}, status_code=404)


def count_tokens(text: str) -> int:
    """Tokens as ``usage`` counts them: words and punctuation marks."""
    return len(_TOKEN.findall(text))


def _usage(messages: Sequence[OpenAIMessage], content: str) -> UsageOut:
    prompt, completion = sum(count_tokens(m.text) for m in messages), count_tokens(content)
    return UsageOut(prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion)


@router.get("/models", response_model=ModelListOut)
def list_models() -> ModelListOut:
    """The one model this server answers with (OpenAI clients and chat UIs ask for the list first)."""
    return ModelListOut(data=[ModelOut(id=MODEL_NAME, created=_CREATED, owned_by=MODEL_NAME)])


@router.get("/models/{model}", response_model=ModelOut, responses=_MODEL_NOT_FOUND)
def get_model(model: str) -> ModelOut | JSONResponse:
    """The model named ``newsdesk``; any other name is 404 `model_not_found`, as OpenAI answers it."""
    if model != MODEL_NAME:
        return model_not_found(model)
    return ModelOut(id=MODEL_NAME, created=_CREATED, owned_by=MODEL_NAME)


def _pieces(content: str) -> list[str]:
    """The content's deltas: a composed answer sentence by sentence (each with its ``[n]``), then line by line."""
    answer, newline, rest = content.partition("\n")
    sentences = re.split(r"(?<=\] )(?=\S)", answer)
    return [*sentences[:-1], sentences[-1] + newline, *re.split(r"(?<=\n)", rest)]


def completion_text(answer: Answer) -> str:
    """The answer, then its numbered sources: ``[1] Title (date) url — “quote”``."""
    lines = [answer.answer if answer.answer is not None else answer.message or "No supported answer."]
    if answer.quotes:
        lines.append("\nSources:" if answer.answer is not None else "\nClosest sources:")
    for number, quote in enumerate(answer.quotes, start=1):
        where = " ".join(part for part in (f"({quote.published or 'undated'})", quote.url) if part)
        lines.append(f"[{number}] {quote.title} {where} \u2014 \u201c{quote.text}\u201d")
    return "\n".join(lines)


def question_in(messages: Sequence[OpenAIMessage], conversation: Conversation) -> str:
    """The last user message, read against the earlier user and assistant turns.

    Only the messages of the last ``2 * RECENT_TURNS`` turns are read: resolution looks back
    ``RECENT_TURNS`` turns, and resolving every message of a long request costs seconds each.
    """
    asked: str | None = None
    for message in messages[:-1][-4 * RECENT_TURNS :]:
        if message.role == "user":
            if asked is not None:
                conversation.record(ChatTurn(asked))
            asked = conversation.interpret(message.text)
        elif message.role == "assistant" and asked is not None:
            answer = _SOURCES.split(message.text, maxsplit=1)[0].strip()
            conversation.record(ChatTurn(asked, None if answer.startswith("No supported answer") else answer))
            asked = None
    if asked is not None:
        conversation.record(ChatTurn(asked))
    return conversation.interpret(messages[-1].text)


def _chunks(
    completion_id: str, created: int, model: str, content: str, usage: UsageOut | None, extension: NewsdeskExtensionOut
) -> Iterator[str]:
    def chunk(
        choices: list[ChunkChoiceOut], usage: UsageOut | None = None, newsdesk: NewsdeskExtensionOut | None = None
    ) -> str:
        body = ChatCompletionChunkOut(
            id=completion_id, created=created, model=model, choices=choices, usage=usage, newsdesk=newsdesk
        )
        # The extension rides on the first chunk only; the others keep OpenAI's exact shape.
        return f"data: {body.model_dump_json(exclude=None if newsdesk else {'newsdesk'})}\n\n"

    yield chunk([ChunkChoiceOut(delta={"role": "assistant"})], newsdesk=extension)
    for piece in _pieces(content):
        if piece:
            yield chunk([ChunkChoiceOut(delta={"content": piece})])
    yield chunk([ChunkChoiceOut(delta={}, finish_reason="stop")])
    if usage is not None:  # as OpenAI sends it: one more chunk, without choices
        yield chunk([], usage)
    yield "data: [DONE]\n\n"


@router.post(
    "/chat/completions",
    response_model=ChatCompletionOut,
    responses={
        200: {"content": {"text/event-stream": {}}},
        **error_responses(*JSON_BODY_ERRORS, *STORAGE_ERRORS),
        **_MODEL_NOT_FOUND,
    },
)
def chat_completions(
    request: ChatCompletionRequest, desk: Newsdesk = Depends(get_desk)
) -> ChatCompletionOut | StreamingResponse | JSONResponse:
    """Answer the last user message the way OpenAI's chat completions API does.

    The reply's content is the answer (or a note that the articles do not
    support one) followed by numbered sources with verbatim quotes. With
    `"stream": true` it comes as `chat.completion.chunk` events and `[DONE]`.
    """
    if request.model not in (None, MODEL_NAME):
        return model_not_found(request.model)
    question = question_in(request.messages, desk.conversation())
    extension = NewsdeskExtensionOut(interpreted_question=question)
    content = completion_text(desk.ask(question))
    completion_id, created, model = (
        f"chatcmpl-{secrets.token_urlsafe(18)}",
        int(time.time()),
        request.model or MODEL_NAME,
    )
    usage = _usage(request.messages, content)
    if request.stream:
        wants_usage = bool((request.stream_options or {}).get("include_usage"))
        return StreamingResponse(
            _chunks(completion_id, created, model, content, usage if wants_usage else None, extension),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache"},
        )
    return ChatCompletionOut(
        id=completion_id,
        created=created,
        model=model,
        choices=[CompletionChoiceOut(message=CompletionMessageOut(content=content))],
        usage=usage,
        newsdesk=extension,
    )
