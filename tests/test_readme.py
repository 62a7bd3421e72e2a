"""The README's test command is the one CI runs."""

from __future__ import annotations

from tests.conftest import ROOT


def test_ci_runs_the_readme_test_command_with_the_int8_and_postgres_extras() -> None:
    command = (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1]
    assert "pip install -e '.[test,int8,postgres]'" in command
    assert command in (ROOT / "README.md").read_text().splitlines()
