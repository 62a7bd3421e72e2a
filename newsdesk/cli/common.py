"""What every command shares: settings from the options, opening the index, printing answers."""

from __future__ import annotations

import argparse
import json
import textwrap
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsdesk.qa.embedding import BACKENDS
from newsdesk.qa.reader.backends import READER_BACKENDS
from newsdesk.qa.types import Answer
from newsdesk.settings import ITERATIVE_SCANS, Settings

if TYPE_CHECKING:
    from newsdesk.desk import Newsdesk
    from newsdesk.qa.embedding.lazy import LazyEmbedder

__all__ = [
    "UsageError",
    "add_common_options",
    "answer_body",
    "iso_date",
    "lazy_embedder",
    "open_desk",
    "plural",
    "print_answer",
    "print_json",
    "settings_from",
]


class UsageError(Exception):
    """A command was called with arguments that cannot work together."""


def lazy_embedder(settings: Settings) -> LazyEmbedder:
    """The configured embedding model, loaded only when something is embedded."""
    from newsdesk.index.factory import recorded_model_of
    from newsdesk.qa.embedding.lazy import LazyEmbedder

    return LazyEmbedder(settings.embedder_config(), recorded_model_of(settings.data_dir, settings.database_url))


def open_desk(settings: Settings, writer: bool, reading: bool = False) -> Newsdesk:
    """Open the index; ``reading`` also loads the reading model (only asking needs it).

    The embedding model loads only when something is embedded, so a command
    that lists, removes, or fails on a locked index or bad input answers at once.
    """
    from newsdesk.desk import Newsdesk
    from newsdesk.index.factory import open_store

    reader = settings.load_reader() if reading else None
    embedder = lazy_embedder(settings)
    store = open_store(
        embedder.dimension, settings.data_dir, settings.database_url, writer=writer,
        read_database_url=settings.read_database_url,
        postgres=settings.postgres_config() if settings.database_url else None,
    )
    return Newsdesk.over(store, embedder, reader=reader, writer=writer)


def plural(number: int, noun: str) -> str:
    """ "1 passage", "2 passages"."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings.from_env(
        data_dir=args.data_dir,
        model=getattr(args, "model", None),
        backend=getattr(args, "backend", None),
        reader=getattr(args, "reader", None),
        reader_backend=getattr(args, "reader_backend", None),
        database_url=getattr(args, "database_url", None),
        read_database_url=getattr(args, "read_database_url", None),
        pg_pool_max=getattr(args, "pg_pool_max", None),
        pg_ef_search=getattr(args, "pg_ef_search", None),
        pg_iterative_scan=getattr(args, "pg_iterative_scan", None),
        pg_postings_per_token=getattr(args, "pg_postings_per_token", None),
        pg_postings_rescore=getattr(args, "pg_postings_rescore", None),
    )


def answer_body(answer: Answer) -> dict[str, Any]:
    """An answer as ``POST /ask`` returns it (JSON types): what both the in-process and the remote paths print."""
    from newsdesk.api.schemas import AskResponse

    body: dict[str, Any] = AskResponse.of(answer).model_dump(mode="json")
    return body


def print_json(body: Mapping[str, Any]) -> None:
    print(json.dumps(body, indent=2, ensure_ascii=False))


def print_answer(body: Mapping[str, Any]) -> None:
    """Print an answer given as ``POST /ask`` (or ``/chat``) returns it."""
    width = 100
    if body["answer"] is None:
        print(body.get("message") or "No supported answer.")
        if body["quotes"]:
            print("\nClosest passages:")
    else:
        print(textwrap.fill(body["answer"], width))
        if body.get("short_answer"):
            print(f"\nShort answer: {body['short_answer']['text']}")
        print(f"\nConfidence {body['confidence']:.2f}. Sources:")
    for number, quote in enumerate(body["quotes"], start=1):
        print(f"\n[{number}] {quote['title']} ({quote['published'] or 'undated'}) {quote['url'] or quote['article_id']}")
        print(textwrap.fill(f"\u201c{quote['text']}\u201d", width, initial_indent="    ", subsequent_indent="    "))
        print(f"    article {quote['article_id']}, characters {quote['start']}-{quote['end']}, score {quote['score']:.3f}")


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, not {text!r}") from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number greater than 0, not {text!r}")
    return value


def add_common_options(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument(
        "--data-dir", type=Path, default=default, help="index folder (env NEWSDESK_DATA_DIR, default ./data)"
    )
    parser.add_argument("--model", default=default, help="embedding model name or path (env NEWSDESK_MODEL)")
    parser.add_argument(
        "--backend",
        choices=BACKENDS,
        default=default,
        help="how the model runs: torch (default) or onnx-int8 (env NEWSDESK_BACKEND)",
    )
    parser.add_argument(
        "--reader",
        default=default,
        help="reading model: shipped (default), a trained model folder, or none for rules only (env NEWSDESK_READER)",
    )
    parser.add_argument(
        "--reader-backend",
        choices=READER_BACKENDS,
        default=default,
        help="how the reading model runs: torch, or onnx-int8 (CPU; the default there when onnxruntime is "
        "installed) (env NEWSDESK_READER_BACKEND)",
    )
    parser.add_argument(
        "--database-url",
        default=default,
        help="postgresql://... : keep the index in this PostgreSQL database instead of --data-dir "
        "(env NEWSDESK_DATABASE_URL; needs the postgres extra)",
    )
    parser.add_argument(
        "--pg-pool-max", type=_positive_int, default=default, metavar="N",
        help="with a database: the most connections this process opens (env NEWSDESK_PG_POOL_MAX, default 8)",
    )
    parser.add_argument(
        "--pg-ef-search", type=_positive_int, default=default, metavar="N",
        help="with a database: candidates the HNSW vector search keeps (env NEWSDESK_PG_EF_SEARCH, default 1000, the most pgvector takes)",
    )
    parser.add_argument(
        "--pg-iterative-scan", choices=ITERATIVE_SCANS, default=default,
        help="with a database: how a filtered vector search goes on until it has enough rows "
        "(env NEWSDESK_PG_ITERATIVE_SCAN, default strict_order)",
    )
    parser.add_argument(
        "--pg-postings-per-token", type=_positive_int, default=default, metavar="N",
        help="with a database: passages the lexical search reads from each word's postings "
        "(env NEWSDESK_PG_POSTINGS_PER_TOKEN, default 2000 or 0.5%% of the passages)",
    )
    parser.add_argument(
        "--pg-postings-rescore", type=_positive_int, default=default, metavar="N",
        help="with a database: of those, how many the lexical search scores exactly "
        "(env NEWSDESK_PG_POSTINGS_RESCORE, default 1000 or 0.2%% of the passages)",
    )
    parser.add_argument(
        "--no-server",
        action="store_true",
        default=default if default is argparse.SUPPRESS else False,
        help="run in this process even when a server holds --data-dir (ask, chat, add and remove are otherwise "
        "sent to it)",
    )
    parser.add_argument(
        "--read-database-url",
        default=default,
        help="postgresql://... : a streaming replica of --database-url that questions are answered from "
        "(env NEWSDESK_READ_DATABASE_URL)",
    )
