"""Loading evaluation sets (questions with gold answers) from disk.

Three formats are understood, told apart by extension and, failing that, content:

- JSONL, one object a line: ``{"id"?, "question", "answers": [...], "date"?}``;
- CSV with a header naming ``question`` and ``answer`` (or ``answers``) columns,
  optional ``id`` and ``date``; several answers in a cell are separated by ``|``;
- SQuAD v1.1 / v2.0 JSON (``{"data": [{"paragraphs": [{"qas": [...]}]}]}``).

Conversation sets are JSONL too, one conversation a line, each turn scored like a
question: ``{"id"?, "date"?, "turns": [{"question", "answers": [...], "date"?}, ...]}``
(:func:`load_conversation_set`; :func:`is_conversation_set` tells them apart).

A question with no gold answers (``[]``, an empty cell, SQuAD's ``is_impossible``)
is unanswerable: the system is expected to abstain. Any problem with the file is
raised as :class:`EvalSetError`, naming the file and the line or JSON location.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Literal

from newsdesk.eval.records import (
    EvalConversation,
    EvalQuestion,
    EvalSetError,
    as_of_date,
    check_unique_ids,
    clean_answers,
    json_lines,
    parse_json_document,
    question_text,
    read_text,
    record_id,
)
from newsdesk.eval.squad import load_squad_corpus, parse_squad_questions

__all__ = [
    "EvalConversation",
    "EvalQuestion",
    "EvalSetError",
    "is_conversation_set",
    "load_conversation_set",
    "load_eval_set",
    "load_squad_corpus",
]

_JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
_CSV_ANSWER_SEPARATOR = "|"
_Format = Literal["jsonl", "csv", "squad"]


def is_conversation_set(path: Path | str) -> bool:
    """Whether a file is a conversation set (JSONL whose first record has ``turns``)."""
    try:
        with Path(path).open(encoding="utf-8-sig") as handle:
            first = next((line for line in handle if line.strip()), "")
        record = json.loads(first)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(record, dict) and "turns" in record


def load_conversation_set(path: Path | str) -> list[EvalConversation]:
    """Load a conversation set: JSONL, one ``{"id"?, "date"?, "turns": [...]}`` a line.

    Each turn is ``{"question", "answers": [...], "date"?}`` like a JSONL
    question; its id is ``CONVERSATION_ID/N`` (N from 1), its date defaults to
    the conversation's.

    Raises:
        EvalSetError: If the file is missing or unreadable, a record is
            malformed, ids repeat, or it holds no conversations.
    """
    path = Path(path)
    conversations: list[EvalConversation] = []
    for line_no, where, record in json_lines(path, read_text(path)):
        turns = record.get("turns") if isinstance(record, dict) else None
        if not isinstance(turns, list) or not turns or not all(isinstance(t, dict) for t in turns):
            raise EvalSetError(f"{where}: expected an object with a non-empty 'turns' list of objects")
        conversation_id = record_id(where, record.get("id"), f"c{line_no}")
        day = as_of_date(where, record.get("date"))
        questions = []
        for n, turn in enumerate(turns, start=1):
            turn_where = f"{where} turns[{n - 1}]"
            answers = turn.get("answers")
            if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
                raise EvalSetError(f"{turn_where}: 'answers' must be a list of strings (use [] for unanswerable)")
            questions.append(
                EvalQuestion(
                    id=f"{conversation_id}/{n}",
                    question=question_text(turn_where, turn.get("question")),
                    answers=clean_answers(answers),
                    as_of=as_of_date(turn_where, turn.get("date")) or day,
                )
            )
        conversations.append(EvalConversation(conversation_id, tuple(questions)))
    if not conversations:
        raise EvalSetError(f"{path.name}: no conversations found")
    check_unique_ids(path, [q for c in conversations for q in c.turns])
    return conversations


def load_eval_set(path: Path | str) -> list[EvalQuestion]:
    """Load an evaluation set from a JSONL, CSV or SQuAD JSON file.

    Args:
        path: The file to read.

    Returns:
        The questions in file order, gold answers stripped and deduplicated.

    Raises:
        EvalSetError: If the file is missing or unreadable, its format is unknown,
            a record is malformed, ids repeat, or it holds no questions.
    """
    path = Path(path)
    text = read_text(path)
    if is_conversation_set(path):
        raise EvalSetError(
            f"{path.name}: a conversation set (records with 'turns'); load it with load_conversation_set"
        )
    file_format = _detect_format(path, text)
    if file_format == "squad":
        questions = parse_squad_questions(path, parse_json_document(path, text))
    elif file_format == "csv":
        questions = _parse_csv(path, text)
    else:
        questions = _parse_jsonl(path, text)
    if not questions:
        raise EvalSetError(f"{path.name}: no questions found")
    check_unique_ids(path, questions)
    return questions


def _detect_format(path: Path, text: str) -> _Format:
    suffix = path.suffix.lower()
    if suffix in _JSONL_SUFFIXES:
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    stripped = text.lstrip()
    if suffix == ".json" or stripped.startswith("{"):
        try:
            document = json.loads(text)
        except json.JSONDecodeError:
            # Several objects, one per line, fail as a whole document; let the
            # JSONL parser report the first bad line. Otherwise the SQuAD path
            # reports where the document breaks.
            return "jsonl" if _every_line_is_object(text) else "squad"
        if isinstance(document, dict):
            return "squad" if "data" in document else "jsonl"
    else:
        header = stripped.partition("\n")[0].lower()
        if "question" in {cell.strip() for cell in next(csv.reader([header]), [])}:
            return "csv"
    raise EvalSetError(
        f"{path.name}: unknown eval set format (expected JSONL, CSV with a 'question' column, "
        "or SQuAD JSON)"
    )


def _every_line_is_object(text: str) -> bool:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return len(lines) > 1 and all(line.startswith("{") for line in lines)


def _parse_jsonl(path: Path, text: str) -> list[EvalQuestion]:
    questions: list[EvalQuestion] = []
    for line_no, where, record in json_lines(path, text):
        if not isinstance(record, dict):
            raise EvalSetError(f"{where}: expected a JSON object")
        question = question_text(where, record.get("question"))
        if "answers" not in record:
            raise EvalSetError(f"{where}: missing 'answers' (use [] for unanswerable)")
        answers = record["answers"]
        if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
            raise EvalSetError(f"{where}: 'answers' must be a list of strings")
        questions.append(
            EvalQuestion(
                id=record_id(where, record.get("id"), f"q{line_no}"),
                question=question,
                answers=clean_answers(answers),
                as_of=as_of_date(where, record.get("date")),
            )
        )
    return questions


def _parse_csv(path: Path, text: str) -> list[EvalQuestion]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = [cell.strip().lower() for cell in next(reader, [])]
        if "question" not in header:
            raise EvalSetError(f"{path.name} line 1: no 'question' column in CSV header")
        answer_column = next((name for name in ("answers", "answer") if name in header), None)
        if answer_column is None:
            raise EvalSetError(f"{path.name} line 1: no 'answer' or 'answers' column in CSV header")
        questions: list[EvalQuestion] = []
        previous_end = reader.line_num
        for row in reader:
            # A quoted cell may span lines; report the line the record starts on.
            line_no, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            where = f"{path.name} line {line_no}"
            cells = dict(zip(header, row))
            answer_cell = cells.get(answer_column, "")
            questions.append(
                EvalQuestion(
                    id=record_id(where, cells.get("id", "").strip() or None, f"q{line_no}"),
                    question=question_text(where, cells.get("question", "")),
                    answers=clean_answers(answer_cell.split(_CSV_ANSWER_SEPARATOR)),
                    as_of=as_of_date(where, cells.get("date")),
                )
            )
    except csv.Error as exc:
        raise EvalSetError(f"{path.name} line {reader.line_num}: invalid CSV ({exc})") from exc
    return questions
