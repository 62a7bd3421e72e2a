"""Adding articles from files (on disk or uploaded): expand paths, parse, and add each article on its own."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from newsdesk.qa.errors import ArticleError, NewsdeskError
from newsdesk.qa.ingest.parsing import SUPPORTED_SUFFIXES, expand_paths, parse_bytes, parse_file
from newsdesk.qa.ingest.pdf import parse_pdf
from newsdesk.qa.types import AddResult, ArticleDraft

__all__ = ["UPLOAD_SUFFIXES", "ArticleSink", "FileOutcome", "add_paths", "add_uploads", "parse_upload"]

#: What an upload may be: the kinds ``newsdesk add`` reads, and PDF.
UPLOAD_SUFFIXES = (*SUPPORTED_SUFFIXES, ".pdf")


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
    return _add_files(desk, [(path, lambda path=path: parse_file(path)) for path in files], on_file, batch_articles)


def parse_upload(name: str, raw: bytes) -> list[ArticleDraft]:
    """Read an uploaded file's articles, by its name's suffix, with the checks ``newsdesk add`` makes.

    Raises:
        ArticleError: An unsupported suffix, not UTF-8, not a readable PDF, or content that cannot be parsed.
    """
    suffix = Path(name).suffix.lower()
    if suffix == ".pdf":
        return [parse_pdf(raw, name)]
    if suffix not in SUPPORTED_SUFFIXES:
        choices = ", ".join(UPLOAD_SUFFIXES)
        raise ArticleError(f"{name}: unsupported file type {suffix or '(none)'}; use one of {choices}")
    return parse_bytes(raw, suffix, name)


def add_uploads(desk: ArticleSink, uploads: Sequence[tuple[str, bytes]], batch_articles: int = 64) -> list[FileOutcome]:
    """Add the articles of uploaded files (name, bytes); a bad file does not stop the others.

    Names are reduced to their last part (``../../x.txt`` is ``x.txt``); a one-article
    file's id comes from its name, as with ``newsdesk add``.
    """
    named = [(Path(Path(name.replace("\\", "/")).name or "upload"), raw) for name, raw in uploads]
    return _add_files(desk, [(path, lambda path=path, raw=raw: parse_upload(path.name, raw)) for path, raw in named],
                      None, batch_articles)  # fmt: skip


def _add_files(
    desk: ArticleSink,
    files: Sequence[tuple[Path, Callable[[], list[ArticleDraft]]]],
    on_file: Callable[[FileOutcome], None] | None,
    batch_articles: int,
) -> list[FileOutcome]:
    """Parse each file and add its articles in batches; the outcomes in the order of ``files``."""
    outcomes: list[tuple[int, FileOutcome]] = []
    batch: list[tuple[int, Path, list[ArticleDraft]]] = []

    def done(number: int, outcome: FileOutcome) -> None:
        outcomes.append((number, outcome))
        if on_file:
            on_file(outcome)

    def flush() -> None:
        items = [(draft, path.stem if len(drafts) == 1 else None) for _, path, drafts in batch for draft in drafts]
        results = iter(desk.add_batch(items))
        for number, path, drafts in batch:
            finished = [next(results) for _ in drafts]
            errors = [r for r in finished if isinstance(r, NewsdeskError)]
            added = tuple(r for r in finished if isinstance(r, AddResult))
            done(number, FileOutcome(path, added, _located(path, errors[0]) if errors else None))
        batch.clear()

    for number, (path, parse) in enumerate(files):
        try:
            batch.append((number, path, parse()))
        except ArticleError as exc:
            done(number, FileOutcome(path, (), _located(path, exc)))
        if sum(len(d) for _, _, d in batch) >= batch_articles:
            flush()
    flush()
    return [outcome for _, outcome in sorted(outcomes, key=lambda pair: pair[0])]


def _located(path: Path, error: Exception) -> str:
    return str(error) if str(path) in str(error) else f"{path}: {error}"
