"""Settings read from the environment and the command line, in one place.

Library code never reads ``os.environ``; the CLI and the API build a
:class:`Settings` here and hand the core its config objects.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.qa.embedding import DEFAULT_MODEL, EmbedderConfig
from newsdesk.qa.errors import NewsdeskError

if TYPE_CHECKING:
    from newsdesk.qa.reader.reader import ExtractiveReader

__all__ = ["Settings", "SettingsError", "default_seed_dir"]


def default_seed_dir() -> Path | None:
    """The ``seeds/`` folder of a source checkout, if there is one."""
    candidate = Path(__file__).resolve().parent.parent / "seeds"
    return candidate if candidate.is_dir() else None


class SettingsError(NewsdeskError):
    """An environment variable holds a value newsdesk cannot use (the CLI prints it as one line)."""


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def _positive(env: Mapping[str, str], name: str, parse: Callable[[str], float]) -> float:
    """The positive, finite number an environment variable holds.

    Raises:
        SettingsError: The value is not such a number (``NEWSDESK_SNAPSHOT_SECONDS=abc``).
    """
    raw = env[name]
    try:
        value = parse(raw.strip())
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        kind = "a whole number" if parse is int else "a number"
        raise SettingsError(f"{name}={raw!r}: expected {kind} greater than 0")
    return value


@dataclass(frozen=True)
class Settings:
    """What a user can configure (environment variable in brackets).

    Attributes:
        data_dir: Where the index lives [NEWSDESK_DATA_DIR, default ./data].
        database_url: A ``postgresql://`` URL: keep articles, vectors and chat
            conversations in that PostgreSQL database (with pgvector), which any
            number of servers may share, instead of in ``data_dir``
            [NEWSDESK_DATABASE_URL; needs the ``postgres`` extra].
        read_database_url: A streaming replica of ``database_url`` that searches and
            reads go to, while writes and conversations go to ``database_url``
            [NEWSDESK_READ_DATABASE_URL].
        model: Embedding model name or path [NEWSDESK_MODEL].
        device: ``cpu`` or ``cuda`` [NEWSDESK_DEVICE]; unset picks CUDA when present.
        backend: ``torch`` or ``onnx-int8``, the faster int8 copy of the default
            model on the CPU [NEWSDESK_BACKEND, default torch].
        seed_dir: Articles indexed when the server starts on an empty index
            [NEWSDESK_SEED_DIR; ``none`` disables].
        api_key: Required on write endpoints when set [NEWSDESK_API_KEY].
        cors_origins: Allowed browser origins, comma separated [NEWSDESK_CORS_ORIGINS].
        snapshot_seconds: How often the server writes the FAISS snapshot when
            something changed [NEWSDESK_SNAPSHOT_SECONDS].
        max_body_bytes: Larger request bodies get 413 [NEWSDESK_MAX_BODY_BYTES].
        conversation_ttl_seconds: How long a chat conversation is kept after its
            last turn [NEWSDESK_CONVERSATION_TTL, seconds, default 7 days].
        reader: The reading model that picks answer spans: ``shipped`` (the model
            in the package), a folder written by ``newsdesk train-reader``, or
            ``none`` for sentence scoring by rules only [NEWSDESK_READER].
    """

    data_dir: Path = Path("data")
    model: str = DEFAULT_MODEL
    device: str | None = None
    backend: str = "torch"
    seed_dir: Path | None = field(default_factory=default_seed_dir)
    api_key: str | None = None
    cors_origins: tuple[str, ...] = ()
    snapshot_seconds: float = 30.0
    max_body_bytes: int = 20 * 1024 * 1024
    conversation_ttl_seconds: float = 7 * 24 * 3600.0
    reader: str = "shipped"
    database_url: str | None = None
    read_database_url: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from environment variables, then explicit overrides (CLI flags).

        Raises:
            SettingsError: A numeric variable holds something other than a positive number.
        """
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        if env.get("NEWSDESK_DATA_DIR"):
            values["data_dir"] = Path(env["NEWSDESK_DATA_DIR"])
        if env.get("NEWSDESK_DATABASE_URL", "").strip():
            values["database_url"] = env["NEWSDESK_DATABASE_URL"].strip()
        if env.get("NEWSDESK_READ_DATABASE_URL", "").strip():
            values["read_database_url"] = env["NEWSDESK_READ_DATABASE_URL"].strip()
        if env.get("NEWSDESK_MODEL"):
            values["model"] = env["NEWSDESK_MODEL"]
        if env.get("NEWSDESK_DEVICE"):
            values["device"] = env["NEWSDESK_DEVICE"]
        if env.get("NEWSDESK_BACKEND"):
            values["backend"] = env["NEWSDESK_BACKEND"].strip().lower()
        if "NEWSDESK_SEED_DIR" in env:
            seed = env["NEWSDESK_SEED_DIR"].strip()
            values["seed_dir"] = None if seed.lower() in ("", "none", "off") else Path(seed)
        if env.get("NEWSDESK_API_KEY"):
            values["api_key"] = env["NEWSDESK_API_KEY"]
        if env.get("NEWSDESK_CORS_ORIGINS"):
            values["cors_origins"] = tuple(o.strip() for o in env["NEWSDESK_CORS_ORIGINS"].split(",") if o.strip())
        if env.get("NEWSDESK_SNAPSHOT_SECONDS"):
            values["snapshot_seconds"] = _positive(env, "NEWSDESK_SNAPSHOT_SECONDS", float)
        if env.get("NEWSDESK_MAX_BODY_BYTES"):
            values["max_body_bytes"] = _positive(env, "NEWSDESK_MAX_BODY_BYTES", int)
        if env.get("NEWSDESK_CONVERSATION_TTL"):
            values["conversation_ttl_seconds"] = _positive(env, "NEWSDESK_CONVERSATION_TTL", float)
        if env.get("NEWSDESK_READER"):
            values["reader"] = env["NEWSDESK_READER"].strip()
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def embedder_config(self) -> EmbedderConfig:
        return EmbedderConfig(model=self.model, device=self.device, backend=self.backend)

    def load_reader(self) -> ExtractiveReader | None:
        """The reading model :attr:`reader` names, or None for rules only.

        Raises:
            IndexStateError: If the model cannot be loaded.
        """
        if self.reader.lower() in ("none", "off", "rules"):
            return None
        from newsdesk.qa.reader.reader import load_reader

        return load_reader(None if self.reader.lower() == "shipped" else Path(self.reader), device=self.device)


def eval_cache_dir() -> Path:
    """Where eval corpus indexes are cached: NEWSDESK_EVAL_CACHE, else the user's cache folder."""
    base = os.environ.get("NEWSDESK_EVAL_CACHE")
    if base:
        return Path(base)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsdesk" / "eval-indexes"
