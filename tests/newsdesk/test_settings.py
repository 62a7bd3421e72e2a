"""Settings from the environment: numbers are checked, and a bad one is a one-line error, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk.qa.errors import NewsdeskError
from newsdesk.settings import Settings, SettingsError


def test_numeric_variables_are_read() -> None:
    env = {"NEWSDESK_SNAPSHOT_SECONDS": " 2.5 ", "NEWSDESK_MAX_BODY_BYTES": "4096", "NEWSDESK_CONVERSATION_TTL": "60"}
    settings = Settings.from_env(env)
    assert (settings.snapshot_seconds, settings.max_body_bytes, settings.conversation_ttl_seconds) == (2.5, 4096, 60.0)
    assert isinstance(settings.max_body_bytes, int)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("NEWSDESK_SNAPSHOT_SECONDS", "abc", "NEWSDESK_SNAPSHOT_SECONDS='abc': expected a number greater than 0"),
        ("NEWSDESK_SNAPSHOT_SECONDS", "0", "NEWSDESK_SNAPSHOT_SECONDS='0': expected a number greater than 0"),
        ("NEWSDESK_SNAPSHOT_SECONDS", "nan", "NEWSDESK_SNAPSHOT_SECONDS='nan': expected a number greater than 0"),
        ("NEWSDESK_CONVERSATION_TTL", "-5", "NEWSDESK_CONVERSATION_TTL='-5': expected a number greater than 0"),
        ("NEWSDESK_CONVERSATION_TTL", "inf", "NEWSDESK_CONVERSATION_TTL='inf': expected a number greater than 0"),
        ("NEWSDESK_MAX_BODY_BYTES", "20MB", "NEWSDESK_MAX_BODY_BYTES='20MB': expected a whole number greater than 0"),
        ("NEWSDESK_MAX_BODY_BYTES", "1.5", "NEWSDESK_MAX_BODY_BYTES='1.5': expected a whole number greater than 0"),
    ],
)
def test_a_bad_number_names_the_variable_and_the_value(name: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({name: value})
    assert str(caught.value) == message
    assert isinstance(caught.value, NewsdeskError)  # the CLI prints these as one line


@pytest.mark.parametrize("command", [["list"], ["serve", "--port", "0"]])
def test_the_cli_reports_a_bad_variable_in_one_line(command: list[str], tmp_path: Path) -> None:
    env = {**os.environ, "NEWSDESK_SNAPSHOT_SECONDS": "abc", "NEWSDESK_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk", *command], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 2
    assert result.stderr == "error: NEWSDESK_SNAPSHOT_SECONDS='abc': expected a number greater than 0\n"
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "data").exists()
