from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsdesk.eval.questions import EvalQuestion, EvalSetError, load_eval_set, load_squad_corpus

SQUAD_V1: dict[str, Any] = {
    "version": "1.1",
    "data": [
        {
            "title": "Paris",
            "paragraphs": [
                {
                    "context": "Paris is the capital of France.",
                    "qas": [
                        {
                            "id": "p1",
                            "question": "What is the capital of France?",
                            "answers": [
                                {"text": "Paris", "answer_start": 0},
                                {"text": "Paris", "answer_start": 0},
                                {"text": "Paris ", "answer_start": 0},
                                {"text": "the city of Paris", "answer_start": 0},
                            ],
                        }
                    ],
                },
                {"context": "The Seine flows through it.", "qas": []},
            ],
        },
        {
            "title": "Rome",
            "paragraphs": [
                {
                    "context": "Rome has seven hills.",
                    "qas": [
                        {
                            "id": "r1",
                            "question": "How many hills does Rome have?",
                            "answers": [{"text": "seven", "answer_start": 9}],
                        }
                    ],
                }
            ],
        },
    ],
}

SQUAD_V2: dict[str, Any] = {
    "version": "v2.0",
    "data": [
        {
            "title": "Oslo",
            "paragraphs": [
                {
                    "context": "Oslo is the capital of Norway.",
                    "qas": [
                        {
                            "id": "o1",
                            "question": "What is the capital of Norway?",
                            "answers": [{"text": "Oslo", "answer_start": 0}],
                            "is_impossible": False,
                        },
                        {
                            "id": "o2",
                            "question": "What is the capital of Sweden?",
                            "answers": [],
                            "plausible_answers": [{"text": "Oslo", "answer_start": 0}],
                            "is_impossible": True,
                        },
                        {
                            # Some converted sets keep answers on impossible questions.
                            "id": "o3",
                            "question": "What is the capital of Denmark?",
                            "answers": [{"text": "Oslo", "answer_start": 0}],
                            "is_impossible": True,
                        },
                    ],
                }
            ],
        }
    ],
}

SQUAD_MINI: dict[str, Any] = {
    "data": [
        {
            "title": "T",
            "paragraphs": [
                {
                    "context": "c",
                    "qas": [
                        {"id": "q1", "question": "Q1?", "answers": [{"text": "x"}]},
                        {"id": "q2", "question": "Q2?", "answers": [], "is_impossible": True},
                    ],
                }
            ],
        }
    ]
}


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_load_jsonl(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "seed.jsonl",
        '{"id": "a", "question": " Who won? ", "answers": ["Alice", " Alice ", "Bob", "Alice"]}\n'
        "\n"
        '{"question": "When?", "answers": ["2024"], "date": "2024-05-01"}\n'
        '{"id": 7, "question": "Unknowable?", "answers": []}\n',
    )

    assert load_eval_set(path) == [
        EvalQuestion(id="a", question="Who won?", answers=("Alice", "Bob")),
        EvalQuestion(id="q3", question="When?", answers=("2024",), as_of="2024-05-01"),
        EvalQuestion(id="7", question="Unknowable?", answers=()),
    ]


def test_load_csv(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "seed.csv",
        "\ufeffID,Question,Answers,Date\n"
        "a,Who won?,Alice| Bob |Alice,2024-05-01\n"
        ',"A question\nover two lines?",42,\n'
        "c,Unknowable?,,\n",
    )

    assert load_eval_set(path) == [
        EvalQuestion(id="a", question="Who won?", answers=("Alice", "Bob"), as_of="2024-05-01"),
        EvalQuestion(id="q3", question="A question\nover two lines?", answers=("42",)),
        EvalQuestion(id="c", question="Unknowable?", answers=()),
    ]


def test_load_csv_with_singular_answer_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "seed.csv", "question,answer\nWho won?,Alice\n")

    assert load_eval_set(path) == [EvalQuestion(id="q2", question="Who won?", answers=("Alice",))]


def test_load_squad_v1(tmp_path: Path) -> None:
    path = _write(tmp_path, "squad.json", json.dumps(SQUAD_V1, indent=2))

    assert load_eval_set(path) == [
        EvalQuestion(
            id="p1",
            question="What is the capital of France?",
            answers=("Paris", "the city of Paris"),
        ),
        EvalQuestion(id="r1", question="How many hills does Rome have?", answers=("seven",)),
    ]


def test_load_squad_v2_impossible_questions_are_unanswerable(tmp_path: Path) -> None:
    path = _write(tmp_path, "squad2.json", json.dumps(SQUAD_V2))

    assert load_eval_set(path) == [
        EvalQuestion(id="o1", question="What is the capital of Norway?", answers=("Oslo",)),
        EvalQuestion(id="o2", question="What is the capital of Sweden?", answers=()),
        EvalQuestion(id="o3", question="What is the capital of Denmark?", answers=()),
    ]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "questions.json",
            '{"question": "Q1?", "answers": ["x"]}\n{"question": "Q2?", "answers": []}\n',
        ),
        ("questions.txt", "question,answer\nQ1?,x\nQ2?,\n"),
        ("questions", json.dumps(SQUAD_MINI)),
    ],
)
def test_format_is_detected_from_content(tmp_path: Path, name: str, content: str) -> None:
    questions = load_eval_set(_write(tmp_path, name, content))

    assert [(q.question, q.answers) for q in questions] == [("Q1?", ("x",)), ("Q2?", ())]


def test_load_squad_corpus(tmp_path: Path) -> None:
    path = _write(tmp_path, "squad.json", json.dumps(SQUAD_V1))

    assert load_squad_corpus(path) == [
        {"id": "Paris-0", "title": "Paris", "text": "Paris is the capital of France."},
        {"id": "Paris-1", "title": "Paris", "text": "The Seine flows through it."},
        {"id": "Rome-0", "title": "Rome", "text": "Rome has seven hills."},
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "seed.jsonl",
            '{"question": "Q1?", "answers": []}\n{"question": "Q2?", "answers": [}\n',
            "seed.jsonl line 2: invalid JSON",
        ),
        (
            "seed.jsonl",
            '{"question": "Q1?", "answers": []}\n\n{"answers": ["x"]}\n',
            "seed.jsonl line 3: missing 'question'",
        ),
        (
            "seed.jsonl",
            '{"question": "  ", "answers": ["x"]}\n',
            "seed.jsonl line 1: missing 'question'",
        ),
        (
            "seed.jsonl",
            '{"question": "Q?", "answers": "Paris"}\n',
            "seed.jsonl line 1: 'answers' must be a list of strings",
        ),
        (
            "seed.jsonl",
            '{"question": "Q?", "answers": ["Paris", 3]}\n',
            "seed.jsonl line 1: 'answers' must be a list of strings",
        ),
        ("seed.jsonl", '{"question": "Q?"}\n', "seed.jsonl line 1: missing 'answers'"),
        ("seed.jsonl", '["Q?", ["x"]]\n', "seed.jsonl line 1: expected a JSON object"),
        (
            "seed.jsonl",
            '{"question": "Q?", "answers": [], "date": 20240501}\n',
            "seed.jsonl line 1: 'date' must be a string",
        ),
        ("seed.jsonl", "\n\n", "seed.jsonl: no questions found"),
        ("seed.csv", "query,answer\nQ?,x\n", "seed.csv line 1: no 'question' column"),
        ("seed.csv", "question,notes\nQ?,x\n", "seed.csv line 1: no 'answer' or 'answers' column"),
        ("seed.csv", "question,answer\nQ1?,x\n,y\n", "seed.csv line 3: missing 'question'"),
        ("seed.csv", "question,answer\n", "seed.csv: no questions found"),
        ("notes.txt", "just some prose\n", "notes.txt: unknown eval set format"),
        ("list.json", '[{"question": "Q?", "answers": []}]', "list.json: unknown eval set format"),
        ("squad.json", '{\n  "data": [\n    {,\n  ]\n}\n', "squad.json line 3: invalid JSON"),
        ("squad.json", '{"data": {}}', "squad.json: not a SQuAD file"),
        ("squad.json", '{"data": [{"title": "T"}]}', "squad.json data[0]: missing 'paragraphs'"),
        (
            "squad.json",
            '{"data": [{"paragraphs": [{"qas": [{"id": "x", "answers": []}]}]}]}',
            "squad.json data[0].paragraphs[0].qas[0]: missing 'question'",
        ),
        (
            "squad.json",
            '{"data": [{"paragraphs": [{"qas": [{"question": "Q?", "answers": ["x"]}]}]}]}',
            "squad.json data[0].paragraphs[0].qas[0]: each answer must be an object",
        ),
        (
            "dupes.jsonl",
            '{"id": "a", "question": "Q1?", "answers": []}\n'
            '{"id": "a", "question": "Q2?", "answers": []}\n',
            "dupes.jsonl: duplicate question id 'a'",
        ),
        ("latin1.jsonl", b'{"question": "Caf\xe9?", "answers": []}\n', "latin1.jsonl: not UTF-8"),
    ],
)
def test_load_eval_set_errors_name_file_and_line(
    tmp_path: Path, name: str, content: str | bytes, message: str
) -> None:
    path = _write(tmp_path, name, content)

    with pytest.raises(EvalSetError) as excinfo:
        load_eval_set(path)

    assert str(excinfo.value).startswith(message)


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "absent.jsonl"

    with pytest.raises(EvalSetError, match="absent.jsonl: file not found"):
        load_eval_set(path)


def test_eval_set_error_is_a_value_error() -> None:
    assert issubclass(EvalSetError, ValueError)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"version": "1.1"}', "squad.json: not a SQuAD file"),
        (
            '{"data": [{"title": "T", "paragraphs": [{"qas": []}]}]}',
            "squad.json data[0].paragraphs[0]: missing 'context'",
        ),
    ],
)
def test_load_squad_corpus_errors(tmp_path: Path, content: str, message: str) -> None:
    path = _write(tmp_path, "squad.json", content)

    with pytest.raises(EvalSetError) as excinfo:
        load_squad_corpus(path)

    assert str(excinfo.value).startswith(message)
