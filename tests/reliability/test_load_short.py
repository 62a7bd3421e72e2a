"""A short run of ``python -m loadtest.run --start-server`` over the seed index: no 5xx, nothing lost, counts that add up.

It checks what was answered, never how many requests fit in the run: a loaded machine fits fewer.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_short_load_run_serves_every_kind_without_errors_or_losses(writable_seed_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    command = [sys.executable, "-m", "loadtest.run", "--start-server", "--data-dir", str(writable_seed_dir),
               "--clients", "3", "--seconds", "5", "--seed", "7", "--startup-timeout", "300", "--out", str(out)]
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert finished.returncode == 0, finished.stdout + finished.stderr

    summary = json.loads(out.read_text())
    assert summary["server_errors"] == 0
    assert summary["connection_errors"] == 0
    assert summary["lost_articles"] == 0
    assert summary["server_still_running"] is True
    kinds = summary["kinds"]
    assert summary["requests"] == sum(row["requests"] for row in kinds.values()) > 0
    # Every request of every kind that ran was answered correctly, however few a busy machine fitted in.
    for kind, row in kinds.items():
        assert row["requests"] == row["ok"], f"{kind}: {row}"
        if row["ok"]:
            assert 0 < row["p50_ms"] <= row["p95_ms"]
    assert summary["acknowledged_articles"] == kinds.get("add", {}).get("ok", 0)
    assert "5xx responses: 0" in finished.stdout
