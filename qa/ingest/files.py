"""Adding articles from files: expand paths, parse, and add each article on its own."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from newsdesk.qa.errors import ArticleError, NewsdeskError
from newsdesk.qa.ingest.parsing import expand_paths, parse_file
from newsdesk.qa.types import AddResult, ArticleDraft

__all__ = ["ArticleSink", "FileOutcome", "add_paths"]


class ArticleSink(Protocol):
    """Where parsed articles go (a :class:`newsdesk.desk.Newsdesk`)."""

    def add_batch(self, items: Sequence[tuple[ArticleDraft, str | None]]) -> list[AddResult | NewsdeskError]: ...


@dataclass(frozen=True)
class FileOutcome:
    """What adding one file did: its results, or the error that stopped it."""

    path: Path
    results: tuple[AddResult, ...]
    error: str | None = None


def add_paths(
    desk: ArticleSink,
    arguments: Iterable[str],
    on_file: Callable[[FileOutcome], None] | None = None,
    batch_articles: int = 64,
) -> list[FileOutcome]:
    """Add the articles in files, folders and globs; a bad file does not stop the others.

    Args:
        desk: The pipeline to add to.
        arguments: Paths, folders or glob patterns.
        on_file: Called after each file, e.g. to advance a progress bar.
        batch_articles: Articles embedded together in one model call.

    Raises:
        ArticleError: An argument matches no file.
    """
    files = list(expand_paths(arguments))
    outcomes: list[FileOutcome] = []
    batch: list[tuple[Path, list[ArticleDraft]]] = []

    def flush() -> None:
        items = [(draft, path.stem if len(drafts) == 1 else None) for path, drafts in batch for draft in drafts]
        results = iter(desk.add_batch(items))
        for path, drafts in batch:
            done = [next(results) for _ in drafts]
            errors = [r for r in done if isinstance(r, NewsdeskError)]
            added = tuple(r for r in done if isinstance(r, AddResult))
            outcome = FileOutcome(path, added, _located(path, errors[0]) if errors else None)
            outcomes.append(outcome)
            if on_file:
                on_file(outcome)
        batch.clear()

    for path in files:
        try:
            batch.append((path, parse_file(path)))
        except ArticleError as exc:
            outcome = FileOutcome(path, (), _located(path, exc))
            outcomes.append(outcome)
            if on_file:
                on_file(outcome)
        if sum(len(d) for _, d in batch) >= batch_articles:
            flush()
    flush()
    return outcomes


def _located(path: Path, error: Exception) -> str:
    return str(error) if str(path) in str(error) else f"{path}: {error}"
