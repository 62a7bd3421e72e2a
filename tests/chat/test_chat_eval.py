"""The conversation eval: the seed_chat set, its loader, and scoring with and without follow-up resolution."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.cli.main import main
from newsdesk.desk import Newsdesk
from newsdesk.eval.questions import EvalSetError, is_conversation_set, load_conversation_set, load_eval_set
from newsdesk.eval.runner import InProcessTarget, run_conversation_eval
from tests.conftest import ROOT, SEEDS

CHAT_SET = ROOT / "eval" / "sets" / "seed_chat.jsonl"


@pytest.fixture(scope="module")
def both_runs(seed_desk: Newsdesk) -> tuple[dict, dict]:
    conversations = load_conversation_set(CHAT_SET)
    target = InProcessTarget(seed_desk)
    return run_conversation_eval(conversations, target, {}), run_conversation_eval(conversations, target, {}, False)


def test_the_set_has_multi_turn_conversations_with_verbatim_answers() -> None:
    conversations = load_conversation_set(CHAT_SET)
    assert len(conversations) >= 12
    assert all(2 <= len(c.turns) <= 3 for c in conversations)
    texts = [path.read_text(encoding="utf-8") for path in SEEDS.glob("*.txt")]
    for conversation in conversations:
        for turn in conversation.turns:
            assert turn.answers, turn.id
            assert all(any(answer in text for text in texts) for answer in turn.answers), turn.id
    assert conversations[0].turns[1].id == "chat-01/2"


def test_conversation_sets_are_told_apart_from_question_sets(tmp_path: Path) -> None:
    assert is_conversation_set(CHAT_SET)
    assert not is_conversation_set(ROOT / "eval" / "sets" / "seed.jsonl")
    with pytest.raises(EvalSetError, match="conversation set"):
        load_eval_set(CHAT_SET)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "c", "turns": []}', "non-empty 'turns'"),
        ('{"id": "c", "turns": [{"question": "Who?"}]}', "'answers' must be a list"),
        ('{"id": "c", "turns": [{"answers": ["x"]}]}', "missing 'question'"),
        ('{"id": "c", "turns": ["Who?"]}', "list of objects"),
        (
            '{"id": "c", "turns": [{"question": "Who?", "answers": []}]}\n'
            '{"id": "c", "turns": [{"question": "Who?", "answers": []}]}',
            "duplicate question id 'c/1'",
        ),
        ('{"turns": [{"question": "Who?", "answers": []}]}\nnot json', "line 2: invalid JSON"),
    ],
)
def test_malformed_conversation_sets_name_the_problem(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(EvalSetError, match=message):
        load_conversation_set(path)


def test_follow_up_resolution_answers_more_follow_ups(both_runs: tuple[dict, dict]) -> None:
    resolved, literal = both_runs
    first = next(r for r in resolved["questions"] if r["id"] == "chat-01/2")
    assert first["question"] == "When did he arrive in Washington?"
    assert first["interpreted_question"] == "When did Alexander Darchiev arrive in Washington?"
    assert first["conversation"] == "chat-01" and first["turn"] == 2
    unresolved = next(r for r in literal["questions"] if r["id"] == "chat-01/2")
    assert unresolved["interpreted_question"] == unresolved["question"]
    assert resolved["settings"]["resolve_followups"] is True and literal["settings"]["resolve_followups"] is False
    metrics, baseline = resolved["metrics"], literal["metrics"]
    assert metrics["conversations"] == baseline["conversations"] >= 12
    assert metrics["questions"] == metrics["followup_turns"] + metrics["conversations"]
    assert metrics["first_turn_answer_hit"] == baseline["first_turn_answer_hit"]  # first turns are asked as written
    assert metrics["followup_answer_hit"] > baseline["followup_answer_hit"]
    assert metrics["quote_recall@5"] > baseline["quote_recall@5"]
    assert metrics["quotes_verbatim"] == 1.0


def test_cli_detects_a_conversation_set(
    seed_index_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results.json"
    args = ["eval", str(CHAT_SET), "--data-dir", str(seed_index_dir), "--limit", "2", "--out", str(out)]
    assert main(args + ["--no-followups"]) == 0
    printed = capsys.readouterr().out
    assert "2 conversations, 5 turns, without follow-up resolution" in printed
    assert "followup_answer_hit" in printed
    results = json.loads(out.read_text())
    assert results["metrics"]["conversations"] == 2
    assert results["settings"]["resolve_followups"] is False


def test_no_followups_needs_a_conversation_set(seed_index_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["eval", str(ROOT / "eval" / "sets" / "seed.jsonl"), "--data-dir", str(seed_index_dir), "--no-followups"]
    assert main(args) == 2
    assert "--no-followups applies to conversation sets" in capsys.readouterr().err
