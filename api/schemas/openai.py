"""The OpenAI-compatible endpoints: chat-completion requests, completions and their stream chunks, models."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints, model_validator

from newsdesk.api.limits import BOUNDS
from newsdesk.api.schemas.common import STATES_NOT_BLANK, StrictRequest, WholeNumber

__all__ = [
    "MODEL_NAME",
    "NewsdeskExtensionOut",
    "OpenAIErrorBody",
    "OpenAIErrorOut",
    "ChatCompletionChunkOut",
    "ChatCompletionOut",
    "ChatCompletionRequest",
    "ChunkChoiceOut",
    "CompletionChoiceOut",
    "CompletionMessageOut",
    "ModelListOut",
    "ModelOut",
    "OpenAIMessage",
    "TextPartIn",
    "UsageOut",
]

_NAME = Annotated[str, StringConstraints(max_length=BOUNDS.max_name_chars)]
#: The one model name this server answers as (``GET /v1/models``).
MODEL_NAME = "newsdesk"


class TextPartIn(StrictRequest):
    """A text part of a message's content, as OpenAI clients send it."""

    type: Literal["text"]
    text: Annotated[str, StringConstraints(max_length=BOUNDS.max_chat_message_chars)]


class OpenAIMessage(StrictRequest):
    role: Literal["system", "developer", "user", "assistant"] = Field(
        description="system and developer messages are accepted and ignored."
    )
    content: (
        Annotated[str, StringConstraints(max_length=BOUNDS.max_chat_message_chars), STATES_NOT_BLANK]
        | Annotated[list[TextPartIn], Field(min_length=1, max_length=BOUNDS.max_content_parts)]
    ) = Field(description="A string, or a list of text parts whose texts are joined.")
    name: _NAME | None = None

    @property
    def text(self) -> str:
        """The content as one string."""
        return self.content if isinstance(self.content, str) else "\n".join(part.text for part in self.content)


class ChatCompletionRequest(StrictRequest):
    """An OpenAI chat-completions request; sampling options are accepted and ignored."""

    model: _NAME | None = Field(
        default=None,
        description=f"`{MODEL_NAME}` (the one model, `GET /v1/models`) or left out; another name is 404 "
        "`model_not_found`.",
        json_schema_extra={"enum": [MODEL_NAME]},
    )
    messages: list[OpenAIMessage] = Field(min_length=1, max_length=BOUNDS.max_chat_messages)
    stream: bool = False
    temperature: float | None = None
    top_p: float | None = None
    n: WholeNumber | None = None
    max_tokens: WholeNumber | None = None
    max_completion_tokens: WholeNumber | None = None
    stop: str | list[str] | None = None
    presence_penalty: float | None = None
    frequency_penalty: float | None = None
    logit_bias: dict[str, float] | None = None
    logprobs: bool | None = None
    top_logprobs: WholeNumber | None = None
    seed: WholeNumber | None = None
    user: str | None = None
    stream_options: dict[str, Any] | None = None
    response_format: dict[str, Any] | None = None
    metadata: dict[str, str] | None = None
    store: bool | None = None
    service_tier: str | None = None
    parallel_tool_calls: bool | None = None

    @model_validator(mode="after")
    def _check_turns(self) -> ChatCompletionRequest:
        longest, question_chars = BOUNDS.max_chat_message_chars, BOUNDS.max_question_chars
        for i, message in enumerate(self.messages):
            if not message.text.strip():
                raise ValueError(f"messages[{i}] has empty content")
            if len(message.text) > longest:
                raise ValueError(f"messages[{i}] is longer than {longest} characters")
        if self.messages[-1].role != "user":
            raise ValueError("the last message must be a user message (the question to answer)")
        if len(self.messages[-1].text) > question_chars:
            raise ValueError(f"the last user message is longer than {question_chars} characters")
        return self


class CompletionMessageOut(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class CompletionChoiceOut(BaseModel):
    index: int = 0
    message: CompletionMessageOut
    finish_reason: str = "stop"


class UsageOut(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0


class NewsdeskExtensionOut(BaseModel):
    """What newsdesk adds to OpenAI's shapes (clients that do not know the field ignore it)."""

    interpreted_question: str = Field(
        description="The self-contained question that was answered: the last user message read against the "
        "earlier ones (\"Where did he serve?\" -> \"Where did Alexander Darchiev serve?\")."
    )


class ChatCompletionOut(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[CompletionChoiceOut]
    usage: UsageOut
    newsdesk: NewsdeskExtensionOut


class ChunkChoiceOut(BaseModel):
    index: int = 0
    delta: dict[str, str]
    finish_reason: str | None = None


class ChatCompletionChunkOut(BaseModel):
    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str
    choices: list[ChunkChoiceOut]
    usage: UsageOut | None = Field(
        default=None, description='Only in the last chunk, when `stream_options` has `"include_usage": true`.'
    )
    newsdesk: NewsdeskExtensionOut | None = Field(default=None, description="Only in the first chunk.")


class ModelOut(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str


class ModelListOut(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelOut]


class OpenAIErrorBody(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | None = None


class OpenAIErrorOut(BaseModel):
    """An error as OpenAI's API shapes it (``error``), with newsdesk's ``detail`` beside it."""

    detail: str
    error: OpenAIErrorBody
