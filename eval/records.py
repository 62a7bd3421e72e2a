"""What every eval set format shares: the question types, the error, and reading and checking a record's fields.

The loaders (:mod:`newsdesk.eval.questions`, :mod:`newsdesk.eval.squad`) build on these; every
problem is an :class:`EvalSetError` naming the file and the line or JSON location.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "EvalConversation",
    "EvalQuestion",
    "EvalSetError",
    "as_of_date",
    "check_unique_ids",
    "clean_answers",
    "json_lines",
    "parse_json_document",
    "question_text",
    "read_text",
    "record_id",
]


class EvalSetError(ValueError):
    """An evaluation set or SQuAD corpus file is missing or malformed."""


@dataclass(frozen=True)
class EvalQuestion:
    """One evaluation question; ``answers == ()`` means it is not answerable."""

    id: str
    question: str
    answers: tuple[str, ...]
    as_of: str | None = None

    @property
    def answerable(self) -> bool:
        """Whether the question has at least one gold answer."""
        return bool(self.answers)


@dataclass(frozen=True)
class EvalConversation:
    """A conversation to score: its turns, in order; later ones lean on the earlier ones."""

    id: str
    turns: tuple[EvalQuestion, ...]


def read_text(path: Path) -> str:
    """The file's text; a missing, unreadable or non-UTF-8 file is an :class:`EvalSetError`."""
    try:
        # utf-8-sig: spreadsheet exports often start with a byte-order mark.
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise EvalSetError(f"{path}: file not found") from exc
    except UnicodeDecodeError as exc:
        raise EvalSetError(f"{path.name}: not UTF-8 text") from exc
    except OSError as exc:
        raise EvalSetError(f"{path.name}: cannot read file ({exc.strerror})") from exc


def parse_json_document(path: Path, text: str) -> Any:
    """The file's text as one JSON document; invalid JSON is an :class:`EvalSetError` naming the line."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise EvalSetError(f"{path.name} line {exc.lineno}: invalid JSON ({exc.msg})") from exc


def json_lines(path: Path, text: str) -> Iterator[tuple[int, str, Any]]:
    """Each non-blank line's number, its ``FILE line N`` label for errors, and its parsed JSON.

    Raises:
        EvalSetError: If a line is not valid JSON.
    """
    # split("\n"), not splitlines(): U+2028 and friends may sit unescaped inside JSON strings.
    for line_no, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path.name} line {line_no}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalSetError(f"{where}: invalid JSON ({exc.msg})") from exc
        yield line_no, where, record


def question_text(where: str, value: Any) -> str:
    """A record's question, stripped; missing or blank is an error at ``where``."""
    if not isinstance(value, str) or not value.strip():
        raise EvalSetError(f"{where}: missing 'question'")
    return value.strip()


def record_id(where: str, value: Any, default: str) -> str:
    """A record's id (a string or integer), or ``default`` when it has none."""
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
        raise EvalSetError(f"{where}: 'id' must be a non-empty string or integer")
    return str(value).strip()


def as_of_date(where: str, value: Any) -> str | None:
    """A record's ``date`` (the day the question is asked on), or None."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise EvalSetError(f"{where}: 'date' must be a string")
    return value.strip() or None


def clean_answers(answers: Iterable[str]) -> tuple[str, ...]:
    """Gold answers stripped, blanks dropped, each once, in order."""
    # dict.fromkeys keeps the first occurrence, so order is preserved.
    return tuple(dict.fromkeys(answer.strip() for answer in answers if answer.strip()))


def check_unique_ids(path: Path, questions: list[EvalQuestion]) -> None:
    """Raise :class:`EvalSetError` on the first question id seen twice."""
    seen: set[str] = set()
    for question in questions:
        if question.id in seen:
            raise EvalSetError(f"{path.name}: duplicate question id {question.id!r}")
        seen.add(question.id)
