"""Request guards applied before any route runs: body size and content type."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["RequestLimits"]

DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024


class RequestLimits:
    """Refuse over-large bodies (413) and non-JSON bodies on writes (415).

    The size is checked against Content-Length when sent, and while the body
    streams in otherwise, so a client cannot get around it by chunking.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
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
        if length != "0" and content_type not in ("application/json", ""):
            await _refuse(send, 415, f"send JSON (Content-Type: application/json), not {content_type}")
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
