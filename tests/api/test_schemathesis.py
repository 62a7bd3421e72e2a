"""An outside fuzzer against a live server: schemathesis, every check on, must find nothing.

The command is the one the README gives for a run by hand, against the real app
served by uvicorn on loopback, with an API key and a private copy of the seed
index. ``schemathesis.toml`` at the repository root is the only place a check is
relaxed for an operation (each with its reason). A fixed seed and no stored
examples keep runs alike; a failing case fails the suite with schemathesis'
report, which includes a curl command that reproduces it.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from loadtest.server import free_port
from newsdesk.api.main import create_app
from newsdesk.settings import Settings

# Minutes, not seconds: left out of the quick loop, pytest -m "not slow".
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
API_KEY = "schemathesis-key"
SEED = 20260115
# Enough for every operation's coverage cases and a fuzzing and stateful run each, in under a minute on two cores.
MAX_EXAMPLES = 25


@pytest.fixture
def live_server(writable_seed_dir: Path, embedder) -> Iterator[str]:
    """The real app on a free loopback port, in a thread of this process (so it shares the loaded model)."""
    settings = Settings(data_dir=writable_seed_dir, seed_dir=None, api_key=API_KEY)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, embedder=embedder), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def test_schemathesis_finds_no_failure(live_server: str, tmp_path: Path) -> None:
    command = [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(ROOT / "schemathesis.toml"),
        "run", f"{live_server}/openapi.json",
        "-H", f"X-API-Key: {API_KEY}",
        "--checks", "all",
        "--max-examples", str(MAX_EXAMPLES),
        "--seed", str(SEED),
        "--generation-database", "none",
        "--no-color",
    ]  # fmt: skip
    # Run from a scratch folder: schemathesis keeps a cache of past failures in .schemathesis/ of the working directory.
    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False)
    report = run.stdout + run.stderr
    assert run.returncode == 0, report[-12000:]
    assert "No issues found" in report, report[-12000:]
