"""Fetching pages and feeds over HTTP, safely: schemes, addresses, redirects, time, size and robots.txt.

Fetching is a way in for attackers, so every request made here:

- names only ``http``/``https`` URLs, on every redirect hop too (at most ``max_redirects``);
- connects only to addresses on the public internet: the host is resolved when the
  connection is made, and when any address it resolves to is on a loopback, private,
  link-local or otherwise reserved network, the connection is refused (unless
  ``allow_private``), so a name that resolves elsewhere between a check and the
  connection cannot slip through;
- gives up after ``timeout_seconds`` without bytes and ``total_seconds`` in all, and
  refuses bodies over ``max_bytes`` (by ``Content-Length`` and while reading);
- names newsdesk in its ``User-Agent``; pages (not the feeds a user follows) are
  fetched only where the site's robots.txt allows it (read with ``protego``).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from newsdesk.qa.errors import FetchError

__all__ = ["FetchConfig", "Fetched", "Fetcher", "check_address", "check_url", "resolve_checked"]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class _RefusedAddress(FetchError):
    """The host resolves to an address that is not on the public internet."""


class _TooLarge(FetchError):
    """The body is larger than allowed."""


@dataclass(frozen=True)
class _Response:
    status: int
    headers: httpx.Headers
    body: bytes


@dataclass(frozen=True)
class FetchConfig:
    """How pages and feeds are fetched.

    Attributes:
        timeout_seconds: Longest wait to connect, or for the next bytes.
        total_seconds: Longest time one fetch (with its redirects) may take.
        max_bytes: Largest body read; a larger one is refused.
        max_redirects: Most redirects followed.
        user_agent: Sent with every request.
        robots_agent: The name robots.txt rules are matched against.
        allow_private: Allow loopback, private and link-local addresses (intranet feeds, tests).
        robots_max_bytes: Largest robots.txt read (a larger one is cut, as crawlers do).
    """

    timeout_seconds: float = 10.0
    total_seconds: float = 30.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = "newsdesk/0.1 (news question answering; feed reader)"
    robots_agent: str = "newsdesk"
    allow_private: bool = False
    robots_max_bytes: int = 512 * 1024


@dataclass(frozen=True)
class Fetched:
    """A fetched response: its body, or ``not_modified`` for a conditional GET answered 304."""

    url: str
    final_url: str
    content: bytes
    content_type: str
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


def check_url(url: str) -> str:
    """The URL, stripped, when it is an absolute ``http``/``https`` URL with a host.

    Raises:
        FetchError: Another scheme (``file:``, ``ftp:``, ...), no host, or credentials in it.
    """
    url = url.strip()
    try:
        httpx.URL(url)
        url.encode("utf-8")
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- a port that is not a number raises here
    except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
        raise FetchError(f"{url[:200]!r}: not a valid URL ({exc})") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(f"{url[:200]}: only http and https URLs are fetched, not {parts.scheme or 'a relative URL'}")
    if not parts.hostname:
        raise FetchError(f"{url[:200]}: the URL names no host")
    if parts.username or parts.password:
        raise FetchError(f"{url[:200]}: URLs with a user name or password are not fetched")
    return url


def _refused(address: str) -> str | None:
    """Why an address is refused, or None for one on the public internet."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for kind, flagged in (
        ("loopback", ip.is_loopback), ("unspecified", ip.is_unspecified), ("link-local", ip.is_link_local),
        ("private", ip.is_private), ("multicast", ip.is_multicast), ("reserved", ip.is_reserved),
    ):
        if flagged:
            return kind
    return None if ip.is_global else "non-public"


def resolve_checked(host: str, port: int, allow_private: bool) -> list[str]:
    """The addresses ``host`` resolves to, when every one of them may be connected to.

    Raises:
        FetchError: The host does not resolve, or (unless ``allow_private``) one of its
            addresses is on a loopback, private, link-local or reserved network.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve the host {host}") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise FetchError(f"cannot resolve the host {host}")
    if not allow_private:
        for address in addresses:
            kind = _refused(address)
            if kind:
                raise _RefusedAddress(
                    f"refused: {host} resolves to {address} ({kind} address; fetching from private networks "
                    "is off, NEWSDESK_FETCH_ALLOW_PRIVATE=1 turns it on)"
                )
    return addresses


def check_address(url: str, allow_private: bool) -> str:
    """The URL, when it is an ``http``/``https`` URL whose host may be fetched from now (see :func:`resolve_checked`).

    Raises:
        FetchError: A refused scheme, host or address.
    """
    url = check_url(url)
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError as exc:
        raise FetchError(f"{url[:200]}: the port is not a number from 0 to 65535") from exc
    resolve_checked(parts.hostname or "", port, allow_private)
    return url


class _GuardedBackend(httpcore.SyncBackend):
    """Resolves a host itself, refuses it when any of its addresses is not public, and connects to a checked address."""

    def __init__(self, allow_private: bool) -> None:
        self._allow_private = allow_private

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:  # fmt: skip
        addresses = resolve_checked(host, port, self._allow_private)
        return super().connect_tcp(addresses[0], port, timeout, local_address, socket_options)


class Fetcher:
    """Fetches pages and feeds under :class:`FetchConfig`'s limits; thread-safe, reuses connections.

    Args:
        config: The limits, agent and address policy.
    """

    def __init__(self, config: FetchConfig = FetchConfig()) -> None:
        self.config = config
        timeout = httpx.Timeout(config.timeout_seconds)
        transport = httpx.HTTPTransport(retries=0)
        # httpx has no public hook for the connection step: the pool's network backend is the one
        # place where the address actually connected to is known, so the address check sits there.
        transport._pool._network_backend = _GuardedBackend(config.allow_private)  # type: ignore[attr-defined]
        self._client = httpx.Client(
            transport=transport, timeout=timeout, follow_redirects=False, trust_env=False,
            headers={"User-Agent": config.user_agent},
        )  # fmt: skip
        self._robots: dict[str, Any] = {}
        self._robots_lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None, obey_robots: bool = True
    ) -> Fetched:
        """GET a URL, following redirects, within the limits.

        Args:
            url: An ``http``/``https`` URL.
            etag: The ``ETag`` of an earlier response: a 304 answer comes back as ``not_modified``.
            last_modified: The ``Last-Modified`` of an earlier response, likewise.
            obey_robots: Check the site's robots.txt first (pages; not the feeds a user follows).

        Raises:
            FetchError: A refused URL or address, robots.txt, a time-out, a body over the
                limit, too many redirects, an error status, or a network failure.
        """
        start = time.monotonic()
        current = check_url(url)
        headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified)) if v}
        for _ in range(self.config.max_redirects + 1):
            if obey_robots and not self._robots_allow(current):
                raise FetchError(f"{current}: robots.txt does not allow newsdesk to fetch it")
            response = self._get(current, headers, start, self.config.max_bytes)
            if response.status in _REDIRECTS and response.headers.get("location"):
                current = check_url(urljoin(current, response.headers["location"]))
                continue
            if response.status == 304 and headers:
                return Fetched(url, current, b"", "", etag, last_modified, not_modified=True)
            if not 200 <= response.status < 300:
                raise FetchError(f"{current}: HTTP {response.status}")
            return Fetched(
                url, current, response.body, response.headers.get("content-type", ""),
                response.headers.get("etag"), response.headers.get("last-modified"),
            )  # fmt: skip
        raise FetchError(f"{url}: more than {self.config.max_redirects} redirects")

    def _get(self, url: str, headers: dict[str, str], start: float, max_bytes: int) -> _Response:
        """One request, its body read within the time and size limits (only a 2xx body is read)."""
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                if not 200 <= response.status_code < 300:
                    return _Response(response.status_code, response.headers, b"")
                length = response.headers.get("content-length", "")
                if length.isdigit() and int(length) > max_bytes:
                    raise _TooLarge(f"{url}: larger than {max_bytes} bytes ({length})")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > max_bytes:
                        raise _TooLarge(f"{url}: larger than {max_bytes} bytes")
                    if time.monotonic() - start > self.config.total_seconds:
                        raise FetchError(f"{url}: took longer than {self.config.total_seconds:g} s")
                return _Response(response.status_code, response.headers, bytes(body))
        except httpx.TimeoutException as exc:
            raise FetchError(f"{url}: timed out (no answer within {self.config.timeout_seconds:g} s)") from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from exc

    def _robots_allow(self, url: str) -> bool:
        """Whether the site's robots.txt lets newsdesk fetch ``url`` (RFC 9309: 4xx allows all, 5xx or none refuses)."""
        parts = urlsplit(url)
        site = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        with self._robots_lock:
            rules = self._robots.get(site)
        if rules is None:
            rules = self._read_robots(site)
            with self._robots_lock:
                self._robots[site] = rules
        return bool(rules is True or (rules is not False and rules.can_fetch(url, self.config.robots_agent)))

    def _read_robots(self, site: str) -> Any:
        """True (all allowed), False (none), or a parsed robots.txt."""
        from protego import Protego

        try:
            response = self._get(f"{site}/robots.txt", {}, time.monotonic(), self.config.robots_max_bytes)
        except _TooLarge:
            return True  # an absurd robots.txt is no reason to refuse every page
        except _RefusedAddress:
            raise
        except FetchError:
            return False
        if response.status >= 500:
            return False
        if response.status >= 300:  # 4xx, or a redirect (not followed for robots.txt): no rules
            return True
        return Protego.parse(response.body.decode("utf-8", "replace"))
