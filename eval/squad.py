"""SQuAD v1.1 / v2.0 JSON (``{"data": [{"paragraphs": [{"context", "qas": [...]}]}]}``): its questions, and its
paragraphs as a corpus of articles. A question marked ``is_impossible`` is unanswerable.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsdesk.eval.records import (
    EvalQuestion,
    EvalSetError,
    clean_answers,
    parse_json_document,
    question_text,
    read_text,
    record_id,
)

__all__ = ["load_squad_corpus", "parse_squad_questions"]


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
    document = parse_json_document(path, read_text(path))
    articles: list[dict[str, str]] = []
    for title, i, where, paragraph in _squad_paragraphs(path, document):
        context = paragraph.get("context")
        if not isinstance(context, str):
            raise EvalSetError(f"{where}: missing 'context'")
        articles.append({"id": f"{title}-{i}", "title": title, "text": context})
    return articles


def parse_squad_questions(path: Path, document: Any) -> list[EvalQuestion]:
    """The questions of a parsed SQuAD document, in order; ``is_impossible`` ones have no answers."""
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
                answers = clean_answers(_squad_answer_texts(qa_where, qa.get("answers", [])))
            questions.append(
                EvalQuestion(
                    id=record_id(qa_where, qa.get("id"), f"q{len(questions) + 1}"),
                    question=question_text(qa_where, qa.get("question")),
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
