"""Sending a command to the server that holds the data directory, over its HTTP API.

When ``newsdesk serve`` runs on a data directory, it records its address in the
directory's lock file; ``ask``, ``chat``, ``add`` and ``remove`` then go to it
(its models are loaded: an answer takes a request, not a model load) instead of
running in this process. ``--no-server`` (or ``--model``, ``--backend``,
``--reader``, ``--reader-backend`` given on the command line, which the server may not use) keeps a
command in this process. The key sent is ``NEWSDESK_API_KEY``.

Nothing here imports torch, the models or the app: only httpx and the lock file.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsdesk.qa.errors import NewsdeskError
from newsdesk.settings import Settings

if TYPE_CHECKING:
    from newsdesk.qa.types import AddResult, ArticleDraft

__all__ = ["RemoteError", "Server", "ServerDesk", "server_desk", "server_for"]

# Options that choose how answers are made: a command given them runs in this process.
_MODEL_OPTIONS = ("model", "backend", "reader", "reader_backend")


class RemoteError(NewsdeskError):
    """The server refused the request or could not be reached (the message is one line)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def _detail(body: Any) -> str:
    """A response's ``detail`` on one line: a string, or each field error as ``field: message``."""
    detail = body.get("detail") if isinstance(body, Mapping) else body
    if isinstance(detail, list):
        parts = []
        for problem in detail:
            where = ".".join(str(p) for p in problem.get("loc", ())[1:]) if isinstance(problem, Mapping) else ""
            message = problem.get("msg", problem) if isinstance(problem, Mapping) else problem
            parts.append(f"{where}: {message}" if where else str(message))
        return "; ".join(parts)
    return str(detail)


@dataclass(frozen=True)
class Server:
    """A running newsdesk server, and the key to send it."""

    url: str
    api_key: str | None = None
    timeout_seconds: float = 600.0

    def request(self, method: str, path: str, body: object = None) -> Any:
        """Send one request; returns the decoded JSON body.

        Raises:
            RemoteError: The server answered with an error status (its ``detail``) or
                could not be reached.
        """
        import httpx

        headers = {"X-API-Key": self.api_key} if self.api_key else {}
        try:
            response = httpx.request(
                method, self.url + path, json=body, headers=headers, timeout=self.timeout_seconds
            )
        except httpx.HTTPError as exc:
            raise RemoteError(
                f"cannot reach the server at {self.url} ({exc}); use --no-server to run in this process"
            ) from exc
        try:
            decoded = response.json()
        except ValueError:
            decoded = {"detail": response.text.strip() or response.reason_phrase}
        if response.status_code >= 400:
            raise RemoteError(f"{_detail(decoded)} (server at {self.url})", response.status_code)
        return decoded


def server_for(args: argparse.Namespace, settings: Settings) -> Server | None:
    """The server to send this command to, or None to run it in this process."""
    if getattr(args, "no_server", False) or settings.database_url:
        return None
    if any(getattr(args, option, None) is not None for option in _MODEL_OPTIONS):
        return None
    from newsdesk.index.datadir import running_server

    address = running_server(settings.data_dir)
    return None if address is None else Server(address.url, settings.api_key)


class ServerDesk:
    """The part of :class:`~newsdesk.desk.Newsdesk` that ``add`` and ``remove`` use, done by a server.

    Each article is sent on its own (``POST /articles``), so one bad article is
    reported and the others still go in, as in this process.
    """

    def __init__(self, server: Server) -> None:
        self.server = server

    def add_batch(self, items: Sequence[tuple[ArticleDraft, str | None]]) -> list[AddResult | NewsdeskError]:
        """Send each article; returns its result or the error that kept it out (a 4xx).

        Raises:
            RemoteError: The server could not be reached or failed (5xx): nothing more is sent.
        """
        from newsdesk.qa.errors import ArticleError
        from newsdesk.qa.types import AddResult

        outcomes: list[AddResult | NewsdeskError] = []
        for draft, name in items:
            try:
                body = self.server.request("POST", "/articles", _article_body(draft, name))
            except RemoteError as exc:
                if exc.status is None or exc.status >= 500:
                    raise
                outcomes.append(ArticleError(str(exc).split(" (server at ")[0]))
                continue
            (added,) = body["articles"]
            outcomes.append(AddResult(added["id"], added["status"], added["passages"], added["title"]))
        return outcomes

    def remove_article(self, article_id: str) -> int:
        """Remove one article; returns how many passages went.

        Raises:
            NotFoundError: The server holds no such article.
            RemoteError: Any other refusal.
        """
        from urllib.parse import quote

        from newsdesk.qa.errors import NotFoundError

        try:
            body = self.server.request("DELETE", "/articles/" + quote(article_id, safe=""))
        except RemoteError as exc:
            if exc.status == 404:
                raise NotFoundError(str(exc).split(" (server at ")[0]) from exc
            raise
        return int(body["passages"])

    def close(self) -> None:
        """Nothing to close (the server keeps its index)."""


def _article_body(draft: ArticleDraft, name: str | None) -> dict[str, Any]:
    """The ``POST /articles`` body of a parsed article; a file stem becomes its id, as in this process."""
    from newsdesk.qa.ids import derive_article_id

    article_id = draft.id
    # A stem that makes a valid id gives the same id whatever the content; else the server hashes the content.
    if article_id is None and name and derive_article_id(name, "a", "a") == derive_article_id(name, "b", "b"):
        article_id = derive_article_id(name, "", "")
    body = {"title": draft.title, "text": draft.text, "url": draft.url, "published": draft.published,
            "source": draft.source, "id": article_id}
    return {key: value for key, value in body.items() if value is not None}


def server_desk(args: argparse.Namespace, settings: Settings) -> ServerDesk | None:
    """The server to send ``add`` or ``remove`` to, or None to run in this process."""
    server = server_for(args, settings)
    return None if server is None else ServerDesk(server)
