"""What every command shares: settings from the options, opening the index, printing answers."""

from __future__ import annotations

import argparse
import textwrap
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsdesk.qa.embedding import BACKENDS
from newsdesk.qa.types import Answer
from newsdesk.settings import Settings

if TYPE_CHECKING:
    from newsdesk.desk import Newsdesk
    from newsdesk.qa.embedding.lazy import LazyEmbedder

__all__ = [
    "UsageError",
    "add_common_options",
    "iso_date",
    "lazy_embedder",
    "open_desk",
    "plural",
    "print_answer",
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
        database_url=getattr(args, "database_url", None),
        read_database_url=getattr(args, "read_database_url", None),
    )


def print_answer(answer: Answer) -> None:
    width = 100
    if answer.answer is None:
        print(answer.message or "No supported answer.")
        if answer.quotes:
            print("\nClosest passages:")
    else:
        print(textwrap.fill(answer.answer, width))
        if answer.short_answer:
            print(f"\nShort answer: {answer.short_answer.text}")
        print(f"\nConfidence {answer.confidence:.2f}. Sources:")
    for number, quote in enumerate(answer.quotes, start=1):
        print(f"\n[{number}] {quote.title} ({quote.published or 'undated'}) {quote.url or quote.article_id}")
        print(textwrap.fill(f"\u201c{quote.text}\u201d", width, initial_indent="    ", subsequent_indent="    "))
        print(f"    article {quote.article_id}, characters {quote.start}-{quote.end}, score {quote.score:.3f}")


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, not {text!r}") from None


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
        "--database-url",
        default=default,
        help="postgresql://... : keep the index in this PostgreSQL database instead of --data-dir "
        "(env NEWSDESK_DATABASE_URL; needs the postgres extra)",
    )
    parser.add_argument(
        "--read-database-url",
        default=default,
        help="postgresql://... : a streaming replica of --database-url that questions are answered from "
        "(env NEWSDESK_READ_DATABASE_URL)",
    )
