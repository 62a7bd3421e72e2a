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
from newsdesk.qa.reader.backends import READER_BACKENDS

if TYPE_CHECKING:
    from newsdesk.index.postgres.config import PostgresConfig
    from newsdesk.qa.feeds.config import FeedConfig
    from newsdesk.qa.reader.onnx_reader import OnnxReader
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


# PostgreSQL's numeric settings: (variable, field, parser).
_POSTGRES_NUMBERS: tuple[tuple[str, str, Callable[[str], float]], ...] = (
    ("NEWSDESK_PG_POOL_MAX", "pg_pool_max", int),
    ("NEWSDESK_PG_EF_SEARCH", "pg_ef_search", int),
    ("NEWSDESK_PG_CONNECT_TIMEOUT", "pg_connect_timeout", float),
    ("NEWSDESK_PG_POOL_TIMEOUT", "pg_pool_timeout", float),
    ("NEWSDESK_PG_HNSW_M", "pg_hnsw_m", int),
    ("NEWSDESK_PG_HNSW_EF_CONSTRUCTION", "pg_hnsw_ef_construction", int),
    ("NEWSDESK_PG_LEXICAL_SCAN_LIMIT", "pg_lexical_scan_limit", int),
    ("NEWSDESK_PG_POSTINGS_PER_TOKEN", "pg_postings_per_token", int),
    ("NEWSDESK_PG_POSTINGS_RESCORE", "pg_postings_rescore", int),
)

#: pgvector's ``hnsw.iterative_scan`` values.
ITERATIVE_SCANS = ("strict_order", "relaxed_order", "off")


def _feed_values(env: Mapping[str, str]) -> dict[str, object]:
    """The fetching and feed settings an environment holds.

    Raises:
        SettingsError: An interval that is not one (``NEWSDESK_FEED_EVERY=soon``).
    """
    from newsdesk.qa.feeds.config import parse_every

    values: dict[str, object] = {}
    if env.get("NEWSDESK_FETCH_ALLOW_PRIVATE"):
        values["fetch_allow_private"] = _flag(env["NEWSDESK_FETCH_ALLOW_PRIVATE"])
    for name, key in (("NEWSDESK_FEED_EVERY", "feed_every_seconds"), ("NEWSDESK_FEED_MIN_EVERY", "feed_min_every_seconds")):
        if env.get(name, "").strip():
            try:
                values[key] = parse_every(env[name])
            except NewsdeskError as exc:
                raise SettingsError(f"{name}={env[name]!r}: expected an interval such as 15m, 1h or 90s") from exc
    return values


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
        api_key: One write key: required on write endpoints when set [NEWSDESK_API_KEY].
        api_keys: More keys, each with a role, as ``name:role:key`` separated by commas
            (role ``read`` or ``write``) [NEWSDESK_API_KEYS].
        api_keys_file: A file of keys stored hashed, one ``name role sha256-hex`` a line
            [NEWSDESK_API_KEYS_FILE]; see :mod:`newsdesk.api.auth`.
        protect_reads: Require a key (any role) for reads too: asking, chat, listing and
            reading articles [NEWSDESK_PROTECT_READS=1, or ``serve --protect-reads``].
        pg_pool_max: The most PostgreSQL connections one process opens [NEWSDESK_PG_POOL_MAX].
        pg_ef_search: Candidates pgvector's HNSW search keeps [NEWSDESK_PG_EF_SEARCH].
        pg_iterative_scan: How a filtered HNSW search goes on past ``ef_search`` until it
            has enough rows: ``strict_order``, ``relaxed_order`` or ``off`` [NEWSDESK_PG_ITERATIVE_SCAN].
        pg_hnsw_m, pg_hnsw_ef_construction: The HNSW index's links per node and build
            candidates, for a database newsdesk creates [NEWSDESK_PG_HNSW_M, NEWSDESK_PG_HNSW_EF_CONSTRUCTION].
        pg_lexical_scan_limit: The most passages a filtered lexical search scores
            [NEWSDESK_PG_LEXICAL_SCAN_LIMIT].
        pg_postings_per_token, pg_postings_rescore: Passages the lexical search reads from
            each word's postings, and how many of them it scores exactly
            [NEWSDESK_PG_POSTINGS_PER_TOKEN, NEWSDESK_PG_POSTINGS_RESCORE].
        pg_connect_timeout: Seconds to wait for the database server to accept a connection;
            a database that is down answers 503 after it [NEWSDESK_PG_CONNECT_TIMEOUT].
        pg_pool_timeout: Seconds a request waits for a pooled connection while the database
            is up but every connection is busy [NEWSDESK_PG_POOL_TIMEOUT].
        cors_origins: Allowed browser origins, comma separated [NEWSDESK_CORS_ORIGINS].
        snapshot_seconds: How often the server writes the FAISS snapshot when
            something changed [NEWSDESK_SNAPSHOT_SECONDS].
        max_body_bytes: Larger request bodies get 413 [NEWSDESK_MAX_BODY_BYTES].
        conversation_ttl_seconds: How long a chat conversation is kept after its
            last turn [NEWSDESK_CONVERSATION_TTL, seconds, default 7 days].
        reader: The reading model that picks answer spans: ``shipped`` (the model
            in the package), a folder written by ``newsdesk train-reader``, or
            ``none`` for sentence scoring by rules only [NEWSDESK_READER].
        reader_backend: How the reader runs: ``torch``, or ``onnx-int8`` (its int8 ONNX copy, CPU
            only, built into ~/.cache/newsdesk/reader-onnx on first use) [NEWSDESK_READER_BACKEND;
            unset: torch].
        fetch_allow_private: Let pages and feeds be fetched from loopback, private and
            link-local addresses (intranet feeds, tests) [NEWSDESK_FETCH_ALLOW_PRIVATE=1].
        feed_every_seconds: How often a followed feed is checked when not told
            [NEWSDESK_FEED_EVERY: ``15m``, ``1h``, or seconds; default 15 minutes].
        feed_min_every_seconds: The most often any feed is checked [NEWSDESK_FEED_MIN_EVERY, default 1m].
    """

    data_dir: Path = Path("data")
    model: str = DEFAULT_MODEL
    device: str | None = None
    backend: str = "torch"
    seed_dir: Path | None = field(default_factory=default_seed_dir)
    api_key: str | None = None
    api_keys: str | None = None
    api_keys_file: Path | None = None
    protect_reads: bool = False
    pg_pool_max: int = 8
    pg_ef_search: int = 1000
    pg_connect_timeout: float = 1.5
    pg_pool_timeout: float = 30.0
    pg_iterative_scan: str = "strict_order"
    pg_hnsw_m: int = 16
    pg_hnsw_ef_construction: int = 64
    pg_lexical_scan_limit: int = 20_000
    pg_postings_per_token: int = 2_000
    pg_postings_rescore: int = 1_000
    cors_origins: tuple[str, ...] = ()
    snapshot_seconds: float = 30.0
    max_body_bytes: int = 20 * 1024 * 1024
    conversation_ttl_seconds: float = 7 * 24 * 3600.0
    reader: str = "shipped"
    reader_backend: str | None = None
    database_url: str | None = None
    read_database_url: str | None = None
    fetch_allow_private: bool = False
    feed_every_seconds: float = 900.0
    feed_min_every_seconds: float = 60.0

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
        if env.get("NEWSDESK_API_KEYS", "").strip():
            values["api_keys"] = env["NEWSDESK_API_KEYS"].strip()
        if env.get("NEWSDESK_API_KEYS_FILE", "").strip():
            values["api_keys_file"] = Path(env["NEWSDESK_API_KEYS_FILE"].strip())
        if env.get("NEWSDESK_PROTECT_READS"):
            values["protect_reads"] = _flag(env["NEWSDESK_PROTECT_READS"])
        for name, key, parse in _POSTGRES_NUMBERS:
            if env.get(name):
                values[key] = _positive(env, name, parse)
        if env.get("NEWSDESK_PG_ITERATIVE_SCAN"):
            values["pg_iterative_scan"] = env["NEWSDESK_PG_ITERATIVE_SCAN"].strip().lower()
            if values["pg_iterative_scan"] not in ITERATIVE_SCANS:
                raise SettingsError(f"NEWSDESK_PG_ITERATIVE_SCAN={env['NEWSDESK_PG_ITERATIVE_SCAN']!r}: expected one of "
                                    f"{', '.join(ITERATIVE_SCANS)}")
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
        if env.get("NEWSDESK_READER_BACKEND"):
            values["reader_backend"] = env["NEWSDESK_READER_BACKEND"].strip().lower()
            if values["reader_backend"] not in READER_BACKENDS:
                raise SettingsError(f"NEWSDESK_READER_BACKEND={env['NEWSDESK_READER_BACKEND']!r}: expected one of "
                                    f"{', '.join(READER_BACKENDS)}")
        values.update(_feed_values(env))
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def postgres_config(self) -> PostgresConfig:
        """The PostgreSQL backend's pool and search settings."""
        from newsdesk.index.postgres.config import PostgresConfig

        return PostgresConfig(
            pool_max=self.pg_pool_max,
            ef_search=self.pg_ef_search,
            connect_timeout=self.pg_connect_timeout,
            pool_timeout=self.pg_pool_timeout,
            iterative_scan=self.pg_iterative_scan,
            hnsw_m=self.pg_hnsw_m,
            hnsw_ef_construction=self.pg_hnsw_ef_construction,
            lexical_scan_limit=self.pg_lexical_scan_limit,
            postings_per_token=self.pg_postings_per_token,
            postings_rescore=self.pg_postings_rescore,
        )

    def feed_config(self) -> FeedConfig:
        """How pages and feeds are fetched and feeds followed."""
        from newsdesk.qa.feeds.config import FeedConfig
        from newsdesk.qa.ingest.fetching import FetchConfig

        return FeedConfig(
            every_seconds=max(self.feed_every_seconds, self.feed_min_every_seconds),
            min_every_seconds=self.feed_min_every_seconds,
            fetch=FetchConfig(allow_private=self.fetch_allow_private),
        )

    def embedder_config(self) -> EmbedderConfig:
        return EmbedderConfig(model=self.model, device=self.device, backend=self.backend)

    def load_reader(self) -> ExtractiveReader | OnnxReader | None:
        """The reading model :attr:`reader` names, or None for rules only.

        Raises:
            IndexStateError: If the model cannot be loaded.
        """
        if self.reader.lower() in ("none", "off", "rules"):
            return None
        from newsdesk.qa.reader.backends import load_reader_backend

        directory = None if self.reader.lower() == "shipped" else Path(self.reader)
        return load_reader_backend(self.reader_backend, directory, device=self.device)


def eval_cache_dir() -> Path:
    """Where eval corpus indexes are cached: NEWSDESK_EVAL_CACHE, else the user's cache folder."""
    base = os.environ.get("NEWSDESK_EVAL_CACHE")
    if base:
        return Path(base)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsdesk" / "eval-indexes"
