"""The bounds requests must keep to, and the guards applied before any route runs (body size, content type)."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk.qa.dates import NEWS_DATES, NewsDates
from newsdesk.qa.pipeline.config import PipelineConfig
from newsdesk.qa.story.timeline import TimelineConfig

__all__ = ["BOUNDS", "MULTIPART_PATHS", "RequestBounds", "RequestLimits"]

_PIPELINE = PipelineConfig()
_TIMELINE = TimelineConfig()


@dataclass(frozen=True)
class RequestBounds:
    """Every bound a request's fields keep to, in one place: the request schemas read them from here.

    Bounds the pipeline enforces itself (question and article length, quotes
    per answer) are the pipeline's defaults, so the schema and the pipeline
    cannot disagree. The largest body is a server setting
    (:attr:`newsdesk.settings.Settings.max_body_bytes`).

    Attributes:
        max_question_chars: Longest question or chat message.
        max_article_chars: Longest article text.
        default_top_k: Quotes returned when a request does not say.
        max_top_k: Most quotes a request may ask for.
        max_title_chars: Longest article title.
        max_url_chars: Longest article URL.
        max_source_chars: Longest source name (of an article, or asked for).
        max_articles_per_request: Most articles in one ``POST /articles``.
        default_page_size: ``limit`` of ``GET /articles`` when the request does not say.
        max_page_size: Largest ``limit`` of ``GET /articles``.
        max_offset: Largest ``offset`` of ``GET /articles`` (far past any real
            collection, and inside SQLite's 64-bit integers).
        max_conversation_id_chars: Longest conversation id (the server makes 16-character ones).
        max_chat_messages: Most messages in an OpenAI chat request.
        max_chat_message_chars: Longest earlier message of an OpenAI chat request.
        max_content_parts: Most text parts in one OpenAI message's content.
        max_name_chars: Longest ``model`` or message ``name`` of an OpenAI chat request.
        max_urls_per_fetch: Most URLs in one ``POST /articles/fetch``.
        max_files_per_upload: Most files in one ``POST /articles/upload``.
        default_timeline_entries: ``limit`` of ``GET /timeline`` when the request does not say.
        max_timeline_entries: Largest ``limit`` of ``GET /timeline``.
        news_dates: The dates a request may name (``as_of``, ``since``, ``until``, ``published``).
    """

    max_question_chars: int = _PIPELINE.max_question_chars
    max_article_chars: int = _PIPELINE.max_article_chars
    default_top_k: int = _PIPELINE.default_top_k
    max_top_k: int = _PIPELINE.max_top_k
    max_title_chars: int = 1000
    max_url_chars: int = 2000
    max_source_chars: int = 200
    max_articles_per_request: int = 100
    default_page_size: int = 100
    max_page_size: int = 1000
    max_offset: int = 1_000_000_000
    max_conversation_id_chars: int = 64
    max_chat_messages: int = 200
    max_chat_message_chars: int = 20_000
    max_content_parts: int = 100
    max_name_chars: int = 200
    max_urls_per_fetch: int = 20
    max_files_per_upload: int = 100
    default_timeline_entries: int = _TIMELINE.default_limit
    max_timeline_entries: int = _TIMELINE.max_limit
    news_dates: NewsDates = field(default=NEWS_DATES)


BOUNDS = RequestBounds()


#: The operations whose body is a multipart form (file uploads) rather than JSON.
MULTIPART_PATHS = frozenset({"/articles/upload"})


class RequestLimits:
    """Refuse over-large bodies (413) and non-JSON bodies on writes (415; uploads are multipart forms).

    The size is checked against Content-Length when sent, and while the body
    streams in otherwise, so a client cannot get around it by chunking.

    Args:
        app: The app guarded.
        max_body_bytes: The largest body accepted (the server's ``Settings.max_body_bytes``).
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body_bytes):
            await _refuse(send, 413, f"request body larger than {self.max_body_bytes} bytes")
            return
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        multipart = content_type == "multipart/form-data" and scope["path"] in MULTIPART_PATHS
        if length != "0" and content_type not in ("application/json", "") and not multipart:
            wanted = "multipart/form-data" if scope["path"] in MULTIPART_PATHS else "JSON (Content-Type: application/json)"
            await _refuse(send, 415, f"send {wanted}, not {content_type}")
            return
        received = 0
        too_large = False

        async def limited_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    too_large = True
                    return {"type": "http.disconnect"}
            return message

        sent_start = False

        async def guarded_send(message: Message) -> None:
            nonlocal sent_start
            if too_large and not sent_start:
                sent_start = True
                await _refuse(send, 413, f"request body larger than {self.max_body_bytes} bytes")
                return
            if too_large:
                return
            sent_start = sent_start or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, limited_receive, guarded_send)


async def _refuse(send: Send, status: int, detail: str) -> None:
    import json

    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
