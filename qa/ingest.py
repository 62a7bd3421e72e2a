"""Adding articles from files: expand paths, parse, and add each article on its own."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from qa.errors import ArticleError
from qa.parsing import expand_paths, parse_file
from qa.pipeline import AddResult, Newsdesk

__all__ = ["FileOutcome", "add_paths"]


@dataclass(frozen=True)
class FileOutcome:
    """What adding one file did: its results, or the error that stopped it."""

    path: Path
    results: tuple[AddResult, ...]
    error: str | None = None


def add_paths(
    desk: Newsdesk, arguments: Iterable[str], on_file: Callable[[FileOutcome], None] | None = None
) -> list[FileOutcome]:
    """Add the articles in files, folders and globs; a bad file does not stop the others.

    Args:
        desk: The pipeline to add to.
        arguments: Paths, folders or glob patterns.
        on_file: Called after each file, e.g. to advance a progress bar.

    Raises:
        ArticleError: An argument matches no file.
    """
    outcomes = []
    files = list(expand_paths(arguments))
    for path in files:
        results: list[AddResult] = []
        error = None
        try:
            drafts = parse_file(path)
            # A file of one article is named after the file, so re-adding an edited file replaces it.
            name = path.stem if len(drafts) == 1 else None
            for draft in drafts:
                results.append(desk.add_article(draft, name=name))
        except ArticleError as exc:
            error = str(exc) if str(path) in str(exc) else f"{path}: {exc}"
        outcome = FileOutcome(path, tuple(results), error)
        outcomes.append(outcome)
        if on_file:
            on_file(outcome)
    return outcomes
