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


def test_the_database_search_and_index_settings_have_one_home() -> None:
    env = {
        "NEWSDESK_PG_EF_SEARCH": "400", "NEWSDESK_PG_ITERATIVE_SCAN": " Relaxed_Order ", "NEWSDESK_PG_HNSW_M": "24",
        "NEWSDESK_PG_HNSW_EF_CONSTRUCTION": "128", "NEWSDESK_PG_LEXICAL_SCAN_LIMIT": "5000",
        "NEWSDESK_PG_POSTINGS_PER_TOKEN": "3000", "NEWSDESK_PG_POSTINGS_RESCORE": "500",
    }
    config = Settings.from_env(env, pg_postings_rescore=700).postgres_config()
    assert (config.ef_search, config.iterative_scan, config.hnsw_m, config.hnsw_ef_construction) == (
        400, "relaxed_order", 24, 128
    )
    assert (config.lexical_scan_limit, config.postings_per_token, config.postings_rescore) == (5000, 3000, 700)
    with pytest.raises(SettingsError, match="NEWSDESK_PG_ITERATIVE_SCAN='sideways': expected one of strict_order"):
        Settings.from_env({"NEWSDESK_PG_ITERATIVE_SCAN": "sideways"})
    with pytest.raises(SettingsError, match="NEWSDESK_PG_POSTINGS_PER_TOKEN='0'"):
        Settings.from_env({"NEWSDESK_PG_POSTINGS_PER_TOKEN": "0"})
