"""``newsdesk chat``: a terminal conversation fed from stdin."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from newsdesk.cli.main import main


def run_chat(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], data_dir: Path, typed: str) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    assert main(["chat", "--data-dir", str(data_dir), "--top-k", "2"]) == 0
    return capsys.readouterr().out


def test_follow_ups_are_read_against_the_conversation_until_new(
    seed_index_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed = (
        "Who is Russia's new ambassador to the United States?\n"
        "\n"
        "Who signed the decree appointing him?\n"
        "/new\n"
        "Who signed the decree appointing him?\n"
    )
    out = run_chat(monkeypatch, capsys, seed_index_dir, typed)
    assert "/new starts over" in out
    assert "Short answer: Alexander Darchiev" in out
    assert out.count("(read as: ") == 1  # the first question and the one after /new are asked as typed
    assert "(read as: Who signed the decree appointing Alexander Darchiev?)" in out
    assert "Putin signed the decree appointing Darchiev on March 6." in out
    assert "(new conversation)" in out
    assert out.count("[1] ") == 3 and out.count("[2] ") == 3  # numbered quotes for each answer
    assert out.index("(read as:") < out.index("(new conversation)")


def test_quit_stops_reading_and_errors_do_not_end_the_chat(
    seed_index_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed = "x" * 1001 + "\n/quit\nWho is Russia's new ambassador to the United States?\n"
    out = run_chat(monkeypatch, capsys, seed_index_dir, typed)
    assert "error: the question is longer than 1000 characters" in out
    assert "Darchiev" not in out  # nothing after /quit was asked
