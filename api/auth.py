"""API keys with roles, and the dependencies that check them on each route.

Every route is one of three kinds (``tests/api/test_auth_roles.py`` checks each
route of the app is exactly one):

- **write** (``Depends(require_write)``): adding and removing articles, forgetting a
  conversation. Needs a ``write`` key whenever any key is configured; a ``read`` key
  gets 403.
- **read** (``Depends(require_read)``): asking, chat, the OpenAI endpoint, listing and
  reading articles. Open unless reads are protected (``NEWSDESK_PROTECT_READS=1`` or
  ``serve --protect-reads``); then any valid key (``read`` or ``write``) is needed.
- **public**: the page and its files, the API docs, ``/health``.

A key is sent as ``X-API-Key: KEY`` or ``Authorization: Bearer KEY`` (what OpenAI
clients send). Keys come from three places, all at once:

- ``NEWSDESK_API_KEY=KEY``: one write key (named ``default``);
- ``NEWSDESK_API_KEYS=name:role:key,name:role:key``: keys with a role each;
- ``NEWSDESK_API_KEYS_FILE=PATH``: keys stored hashed, one a line,
  ``name role sha256-hex`` (``#`` starts a comment), the hex being
  ``printf %s KEY | sha256sum``.

Only SHA-256 digests are kept in memory, compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from fastapi import HTTPException, Request, status

from newsdesk.settings import Settings, SettingsError

__all__ = [
    "ROLES",
    "ApiKey",
    "KeyRing",
    "Role",
    "hash_key",
    "keyring_from",
    "presented_key",
    "require_read",
    "require_write",
]

Role = Literal["read", "write"]
ROLES: tuple[Role, ...] = ("read", "write")
_HEX_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_MISSING = "a valid API key is required (X-API-Key header or Authorization: Bearer)"


def hash_key(key: str) -> str:
    """The SHA-256 hex digest a keys file stores for ``key``."""
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class ApiKey:
    """One key: its name (for logs), its role and its SHA-256 digest."""

    name: str
    role: Role
    digest: str


@dataclass(frozen=True)
class KeyRing:
    """The configured keys, and whether reads need one too."""

    keys: tuple[ApiKey, ...] = ()
    protect_reads: bool = False

    def role_of(self, key: str | None) -> Role | None:
        """The role of ``key``, or None when it is missing or matches no configured key."""
        if not key:
            return None
        digest = hash_key(key)
        found: Role | None = None
        for candidate in self.keys:  # every digest is compared, so timing says nothing about which matched
            if hmac.compare_digest(digest, candidate.digest):
                found = candidate.role if found != "write" else found
        return found


def _role(text: str, where: str) -> Role:
    role = text.strip().lower()
    if role not in ROLES:
        raise SettingsError(f"{where}: the role must be read or write, not {text.strip()!r}")
    return role  # type: ignore[return-value]


def _keys_from_spec(spec: str) -> list[ApiKey]:
    keys = []
    for number, entry in enumerate((e.strip() for e in spec.split(",")), start=1):
        if not entry:
            continue
        name, role, key = (entry.split(":", 2) + ["", ""])[:3]
        if not name.strip() or not key:
            raise SettingsError(f"NEWSDESK_API_KEYS entry {number}: expected name:role:key")
        keys.append(ApiKey(name.strip(), _role(role, f"NEWSDESK_API_KEYS entry {number}"), hash_key(key)))
    return keys


def _keys_from_file(path: Path) -> list[ApiKey]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"NEWSDESK_API_KEYS_FILE: cannot read {path}: {exc}") from exc
    keys = []
    for number, line in enumerate(lines, start=1):
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        where = f"{path} line {number}"
        if len(fields) != 3 or not _HEX_DIGEST.match(fields[2].lower()):
            raise SettingsError(f"{where}: expected 'name role sha256-hex' (printf %s KEY | sha256sum)")
        keys.append(ApiKey(fields[0], _role(fields[1], where), fields[2].lower()))
    return keys


def keyring_from(settings: Settings) -> KeyRing:
    """The keys ``settings`` configure.

    Raises:
        SettingsError: A key entry or the keys file cannot be read, or reads are
            protected while no key is configured (nobody could read).
    """
    keys = [ApiKey("default", "write", hash_key(settings.api_key))] if settings.api_key else []
    if settings.api_keys:
        keys += _keys_from_spec(settings.api_keys)
    if settings.api_keys_file is not None:
        keys += _keys_from_file(settings.api_keys_file)
    if settings.protect_reads and not keys:
        raise SettingsError(
            "reads are protected (NEWSDESK_PROTECT_READS / --protect-reads) but no key is configured: "
            "set NEWSDESK_API_KEY, NEWSDESK_API_KEYS or NEWSDESK_API_KEYS_FILE"
        )
    return KeyRing(tuple(keys), settings.protect_reads)


def presented_key(request: Request) -> str | None:
    """The key a request carries: ``X-API-Key``, else an ``Authorization: Bearer`` token."""
    key = request.headers.get("x-api-key")
    if key is None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            key = token.strip()
    return key


def _keyring(request: Request) -> KeyRing:
    keyring: KeyRing = request.app.state.keyring
    return keyring


def require_write(request: Request) -> None:
    """Guard a write route: a ``write`` key when any key is configured (401 without one, 403 for a read key)."""
    keyring = _keyring(request)
    if not keyring.keys:
        return
    role = keyring.role_of(presented_key(request))
    if role is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, _MISSING, headers={"WWW-Authenticate": "Bearer"})
    if role != "write":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this API key may only read; writing needs a write key")


def require_read(request: Request) -> None:
    """Guard a read route: when reads are protected, any valid key (401 without one)."""
    keyring = _keyring(request)
    if keyring.protect_reads and keyring.role_of(presented_key(request)) is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, _MISSING, headers={"WWW-Authenticate": "Bearer"})
