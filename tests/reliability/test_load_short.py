"""A five-second run of ``python -m loadtest.run --start-server`` over the seed index: no 5xx, nothing lost."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_short_load_run_serves_every_kind_without_errors_or_losses(writable_seed_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    command = [sys.executable, "-m", "loadtest.run", "--start-server", "--data-dir", str(writable_seed_dir),
               "--clients", "3", "--seconds", "5", "--seed", "7", "--startup-timeout", "120", "--out", str(out)]
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stdout + finished.stderr

    summary = json.loads(out.read_text())
    assert summary["server_errors"] == 0
    assert summary["connection_errors"] == 0
    assert summary["lost_articles"] == 0
    assert summary["server_still_running"] is True
    assert summary["acknowledged_articles"] == summary["kinds"]["add"]["ok"] > 0
    for kind in ("ask", "chat", "add", "list"):
        row = summary["kinds"][kind]
        assert row["requests"] == row["ok"] > 0, f"{kind}: {row}"
        assert 0 < row["p50_ms"] <= row["p95_ms"]
    assert "5xx responses: 0" in finished.stdout
