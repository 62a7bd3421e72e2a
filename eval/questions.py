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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

_JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
_CSV_ANSWER_SEPARATOR = "|"
_Format = Literal["jsonl", "csv", "squad"]


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
    for line_no, where, record in _json_lines(path, _read_text(path)):
        turns = record.get("turns") if isinstance(record, dict) else None
        if not isinstance(turns, list) or not turns or not all(isinstance(t, dict) for t in turns):
            raise EvalSetError(f"{where}: expected an object with a non-empty 'turns' list of objects")
        conversation_id = _record_id(where, record.get("id"), f"c{line_no}")
        day = _as_of(where, record.get("date"))
        questions = []
        for n, turn in enumerate(turns, start=1):
            turn_where = f"{where} turns[{n - 1}]"
            answers = turn.get("answers")
            if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
                raise EvalSetError(f"{turn_where}: 'answers' must be a list of strings (use [] for unanswerable)")
            questions.append(
                EvalQuestion(
                    id=f"{conversation_id}/{n}",
                    question=_question_text(turn_where, turn.get("question")),
                    answers=_clean_answers(answers),
                    as_of=_as_of(turn_where, turn.get("date")) or day,
                )
            )
        conversations.append(EvalConversation(conversation_id, tuple(questions)))
    if not conversations:
        raise EvalSetError(f"{path.name}: no conversations found")
    _check_unique_ids(path, [q for c in conversations for q in c.turns])
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
    text = _read_text(path)
    if is_conversation_set(path):
        raise EvalSetError(
            f"{path.name}: a conversation set (records with 'turns'); load it with load_conversation_set"
        )
    file_format = _detect_format(path, text)
    if file_format == "squad":
        questions = _parse_squad_questions(path, _parse_json_document(path, text))
    elif file_format == "csv":
        questions = _parse_csv(path, text)
    else:
        questions = _parse_jsonl(path, text)
    if not questions:
        raise EvalSetError(f"{path.name}: no questions found")
    _check_unique_ids(path, questions)
    return questions


def load_squad_corpus(path: Path | str) -> list[dict[str, str]]:
    """Read the paragraphs of a SQuAD JSON file as articles, so it can be its own corpus.

    Args:
        path: A SQuAD v1.1 or v2.0 JSON file.

    Returns:
        One ``{"id": f"{title}-{i}", "title": title, "text": context}`` per
        paragraph, ``i`` counting paragraphs within an article from 0.

    Raises:
        EvalSetError: If the file is missing, not JSON, or not SQuAD-shaped.
    """
    path = Path(path)
    document = _parse_json_document(path, _read_text(path))
    articles: list[dict[str, str]] = []
    for title, i, where, paragraph in _squad_paragraphs(path, document):
        context = paragraph.get("context")
        if not isinstance(context, str):
            raise EvalSetError(f"{where}: missing 'context'")
        articles.append({"id": f"{title}-{i}", "title": title, "text": context})
    return articles


def _read_text(path: Path) -> str:
    try:
        # utf-8-sig: spreadsheet exports often start with a byte-order mark.
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise EvalSetError(f"{path}: file not found") from exc
    except UnicodeDecodeError as exc:
        raise EvalSetError(f"{path.name}: not UTF-8 text") from exc
    except OSError as exc:
        raise EvalSetError(f"{path.name}: cannot read file ({exc.strerror})") from exc


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


def _parse_json_document(path: Path, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise EvalSetError(f"{path.name} line {exc.lineno}: invalid JSON ({exc.msg})") from exc


def _json_lines(path: Path, text: str) -> Iterator[tuple[int, str, Any]]:
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


def _parse_jsonl(path: Path, text: str) -> list[EvalQuestion]:
    questions: list[EvalQuestion] = []
    for line_no, where, record in _json_lines(path, text):
        if not isinstance(record, dict):
            raise EvalSetError(f"{where}: expected a JSON object")
        question = _question_text(where, record.get("question"))
        if "answers" not in record:
            raise EvalSetError(f"{where}: missing 'answers' (use [] for unanswerable)")
        answers = record["answers"]
        if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
            raise EvalSetError(f"{where}: 'answers' must be a list of strings")
        questions.append(
            EvalQuestion(
                id=_record_id(where, record.get("id"), f"q{line_no}"),
                question=question,
                answers=_clean_answers(answers),
                as_of=_as_of(where, record.get("date")),
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
                    id=_record_id(where, cells.get("id", "").strip() or None, f"q{line_no}"),
                    question=_question_text(where, cells.get("question", "")),
                    answers=_clean_answers(answer_cell.split(_CSV_ANSWER_SEPARATOR)),
                    as_of=_as_of(where, cells.get("date")),
                )
            )
    except csv.Error as exc:
        raise EvalSetError(f"{path.name} line {reader.line_num}: invalid CSV ({exc})") from exc
    return questions


def _parse_squad_questions(path: Path, document: Any) -> list[EvalQuestion]:
    questions: list[EvalQuestion] = []
    for _, _, where, paragraph in _squad_paragraphs(path, document):
        qas = paragraph.get("qas", [])
        if not isinstance(qas, list):
            raise EvalSetError(f"{where}: 'qas' must be a list")
        for k, qa in enumerate(qas):
            qa_where = f"{where}.qas[{k}]"
            if not isinstance(qa, dict):
                raise EvalSetError(f"{qa_where}: expected a JSON object")
            answers: tuple[str, ...] = ()
            if not qa.get("is_impossible", False):
                answers = _clean_answers(_squad_answer_texts(qa_where, qa.get("answers", [])))
            questions.append(
                EvalQuestion(
                    id=_record_id(qa_where, qa.get("id"), f"q{len(questions) + 1}"),
                    question=_question_text(qa_where, qa.get("question")),
                    answers=answers,
                )
            )
    return questions


def _squad_paragraphs(path: Path, document: Any) -> Iterator[tuple[str, int, str, dict[str, Any]]]:
    """Yield (article title, index within article, location, paragraph) per paragraph."""
    data = document.get("data") if isinstance(document, dict) else None
    if not isinstance(data, list):
        raise EvalSetError(f"{path.name}: not a SQuAD file (no 'data' list)")
    for j, article in enumerate(data):
        paragraphs = article.get("paragraphs") if isinstance(article, dict) else None
        if not isinstance(paragraphs, list):
            raise EvalSetError(f"{path.name} data[{j}]: missing 'paragraphs' list")
        title = article.get("title")
        if not isinstance(title, str) or not title.strip():
            title = f"data[{j}]"
        for i, paragraph in enumerate(paragraphs):
            where = f"{path.name} data[{j}].paragraphs[{i}]"
            if not isinstance(paragraph, dict):
                raise EvalSetError(f"{where}: expected a JSON object")
            yield title, i, where, paragraph


def _squad_answer_texts(where: str, answers: Any) -> list[str]:
    if not isinstance(answers, list):
        raise EvalSetError(f"{where}: 'answers' must be a list")
    texts: list[str] = []
    for answer in answers:
        text = answer.get("text") if isinstance(answer, dict) else None
        if not isinstance(text, str):
            raise EvalSetError(f"{where}: each answer must be an object with a 'text' string")
        texts.append(text)
    return texts


def _question_text(where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise EvalSetError(f"{where}: missing 'question'")
    return value.strip()


def _record_id(where: str, value: Any, default: str) -> str:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
        raise EvalSetError(f"{where}: 'id' must be a non-empty string or integer")
    return str(value).strip()


def _as_of(where: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise EvalSetError(f"{where}: 'date' must be a string")
    return value.strip() or None


def _clean_answers(answers: Iterable[str]) -> tuple[str, ...]:
    # dict.fromkeys keeps the first occurrence, so order is preserved.
    return tuple(dict.fromkeys(answer.strip() for answer in answers if answer.strip()))


def _check_unique_ids(path: Path, questions: list[EvalQuestion]) -> None:
    seen: set[str] = set()
    for question in questions:
        if question.id in seen:
            raise EvalSetError(f"{path.name}: duplicate question id {question.id!r}")
        seen.add(question.id)
