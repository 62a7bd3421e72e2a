"""The eval runner end to end: the seed set over seeds/, corpus caching, CLI exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.cli.main import main
from newsdesk.desk import Newsdesk
from newsdesk.eval.questions import EvalQuestion, load_eval_set
from newsdesk.eval.runner import InProcessTarget, run_eval
from tests.conftest import ROOT, SEEDS

SEED_SET = ROOT / "eval" / "sets" / "seed.jsonl"


@pytest.fixture(scope="module")
def seed_results(seed_desk: Newsdesk) -> dict:
    return run_eval(load_eval_set(SEED_SET), InProcessTarget(seed_desk), {"set": str(SEED_SET)})


def test_seed_set_has_the_questions_the_issue_asks_for() -> None:
    questions = load_eval_set(SEED_SET)
    assert len(questions) >= 25
    assert sum(1 for q in questions if not q.answers) >= 5


def test_seed_set_scores_above_its_floor(seed_results: dict) -> None:
    metrics = seed_results["metrics"]
    # With the shipped reader: answer_hit 0.736, f1 0.633, recall@5 0.887, 5 of 9 abstained, 3.8% of
    # answerable questions abstained on (rules alone: 0.604, 0.426, 0.830, 2 of 9, 1.9%).
    assert metrics["quotes_verbatim"] == 1.0
    assert metrics["answer_hit"] >= 0.68
    assert metrics["f1"] >= 0.55
    assert metrics["quote_recall@5"] >= 0.8
    assert metrics["abstain_recall"] >= 0.4
    assert metrics["abstain_rate_answerable"] <= 0.1


def test_each_question_has_a_full_record(seed_results: dict) -> None:
    records = seed_results["questions"]
    assert len(records) == seed_results["metrics"]["questions"]
    first = records[0]
    assert set(first) >= {"id", "question", "gold", "answer", "quotes", "answer_hit", "exact_match", "f1", "hit_rank", "latency_ms"}
    hits = [r for r in records if r["answer_hit"]]
    assert all(r["answer"] and any(g.lower() in r["answer"].lower() for g in r["gold"]) for r in hits)


def test_runner_scores_a_known_outcome(seed_desk: Newsdesk) -> None:
    questions = [
        EvalQuestion("a", "Who is Russia's new ambassador to the United States?", ("Alexander Darchiev",)),
        EvalQuestion("b", "Who is Russia's new ambassador to the United States?", ("Sergei Kislyak",)),
    ]
    metrics = run_eval(questions, InProcessTarget(seed_desk), {})["metrics"]
    assert metrics["answer_hit"] == 0.5
    assert metrics["quote_recall@1"] == 0.5
    assert metrics["questions"] == 2


def test_cli_eval_with_corpus_caches_the_index(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    small_set = tmp_path / "set.jsonl"
    small_set.write_text(
        json.dumps({"question": "Which publication interviewed Marco Rubio at the NATO summit?", "answers": ["Politico"]}) + "\n"
        + json.dumps({"question": "Who won the 1998 football World Cup final?", "answers": []}) + "\n"
    )
    cache = tmp_path / "cache"
    out = tmp_path / "results.json"
    args = ["eval", str(small_set), "--corpus", str(SEEDS), "--cache-dir", str(cache), "--out", str(out), "--data-dir", str(tmp_path / "user")]
    assert main(args) == 0
    first = capsys.readouterr()
    assert "corpus index built" in first.err
    assert "answer_hit" in first.out
    assert not (tmp_path / "user" / "newsdesk.sqlite3").exists()  # the user's index is untouched
    results = json.loads(out.read_text())
    assert results["metrics"]["questions"] == 2
    assert results["settings"]["corpus_cached"] is False
    # The corpus index is the data directory asked: named once.
    assert Path(results["settings"]["corpus_index"]).parent == cache and "data_dir" not in results["settings"]

    assert main(args + ["--compare", str(out)]) == 0
    second = capsys.readouterr()
    assert "reused from cache" in second.err
    assert "before" in second.out
    assert json.loads(out.read_text())["settings"]["corpus_cached"] is True

    assert main(args + ["--fail-under", "answer_hit=1.01"]) == 1
    assert "FAILED: answer_hit" in capsys.readouterr().err
    assert main(args + ["--fail-under", "no_such_metric=0.5"]) == 2
    assert main(args + ["--fail-under", "answer_hit"]) == 2


def test_cli_eval_refuses_a_bad_set(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"answers": []}\n')
    assert main(["eval", str(bad)]) == 2
    assert "missing 'question'" in capsys.readouterr().err
