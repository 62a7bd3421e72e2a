"""The CLI beside a running server: ask, chat, add and remove go to it over HTTP and print what they print in-process."""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from newsdesk import cli
from newsdesk.api.main import create_app
from newsdesk.cli import asking, chat_command, common
from newsdesk.index.datadir import ServerAddress, forget_server, record_server, running_server
from newsdesk.qa.embedding import SentenceTransformerEmbedder
from newsdesk.settings import Settings

AMBASSADOR = "Who is Russia's new ambassador to the United States?"
KEY = "remote-test-key"
ARTICLE = """Harbour ferries resume after the storm
2025-06-26

Ferries between the two harbours resumed on Thursday after three days of storm warnings.
The operator said every crossing would run on the summer timetable from Friday.
"""


@pytest.fixture
def served(
    writable_seed_dir: Path, embedder: SentenceTransformerEmbedder, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A live uvicorn server over a copy of the seed index (rules-only answers), recorded in the data directory."""
    monkeypatch.setenv("NEWSDESK_READER", "none")
    monkeypatch.setenv("NEWSDESK_API_KEY", KEY)
    monkeypatch.delenv("NEWSDESK_DATABASE_URL", raising=False)
    settings = Settings(data_dir=writable_seed_dir, seed_dir=None, reader="none", api_key=KEY)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(settings, embedder=embedder), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        assert thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    record_server(writable_seed_dir, ServerAddress("127.0.0.1", sock.getsockname()[1], os.getpid()))
    yield writable_seed_dir
    server.should_exit = True
    thread.join(timeout=30)
    sock.close()


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _in_process_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the command ran in-process although a server holds the data directory")

    for module in (asking, chat_command, common):
        monkeypatch.setattr(module, "open_desk", refuse)
    monkeypatch.setattr("newsdesk.cli.articles.open_desk", refuse)


def test_the_lock_records_the_server_and_forgets_it(served: Path) -> None:
    address = running_server(served)
    assert address is not None and address.pid == os.getpid() and address.url.startswith("http://127.0.0.1:")
    forget_server(served)
    assert running_server(served) is None


def test_a_stale_record_without_a_lock_holder_is_ignored(tmp_path: Path) -> None:
    record_server(tmp_path, ServerAddress("127.0.0.1", 9, os.getpid()))  # nothing holds the lock
    assert running_server(tmp_path) is None
    assert ServerAddress("0.0.0.0", 8000, 1).url == "http://127.0.0.1:8000"
    assert ServerAddress("::", 8000, 1).url == "http://[::1]:8000"


@pytest.mark.parametrize("options", [[], ["--json"], ["--top-k", "2", "--as-of", "2025-06-30"]])
def test_ask_prints_the_same_through_the_server_and_in_process(
    served: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, options: list[str]
) -> None:
    local = _run(capsys, "ask", AMBASSADOR, "--data-dir", str(served), "--no-server", *options)
    with monkeypatch.context() as patched:
        _in_process_forbidden(patched)
        remote = _run(capsys, "ask", AMBASSADOR, "--data-dir", str(served), *options)
    assert remote == local
    assert local[0] == 0 and "Darchiev" in local[1]


def test_chat_prints_the_same_through_the_server_and_in_process(
    served: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    script = f"{AMBASSADOR}\nWhere did he serve before Washington?\n/new\nWhen?\n/quit\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(script))
    local = _run(capsys, "chat", "--data-dir", str(served), "--no-server")
    with monkeypatch.context() as patched:
        _in_process_forbidden(patched)
        patched.setattr(sys, "stdin", io.StringIO(script))
        remote = _run(capsys, "chat", "--data-dir", str(served))
    assert remote == local
    assert "(read as: Where did Alexander Darchiev serve before Washington?)" in local[1]


def test_add_and_remove_print_the_same_through_the_server_and_in_process(
    served: Path, seed_index_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = tmp_path / "articles"
    files.mkdir()
    (files / "harbour-ferries.txt").write_text(ARTICLE)
    (files / "empty.txt").write_text("")
    alone = tmp_path / "alone"  # the same index with no server: in-process
    shutil.copytree(seed_index_dir, alone, ignore=shutil.ignore_patterns("write.lock"))
    sequence = [["add", str(files)], ["add", str(files / "harbour-ferries.txt")], ["remove", "harbour-ferries", "nope"]]
    local = [_run(capsys, *command, "--data-dir", str(alone)) for command in sequence]
    with monkeypatch.context() as patched:
        _in_process_forbidden(patched)
        remote = [_run(capsys, *command, "--data-dir", str(served)) for command in sequence]
    assert remote == local
    assert local[0][1].splitlines()[-1] == "1 added, 0 replaced, 0 unchanged, 1 file failed"
    assert local[1][1].startswith("unchanged harbour-ferries  (")
    assert local[2][1].startswith("removed harbour-ferries (")


def test_without_the_key_the_server_refuses_a_write_in_one_line(
    served: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEWSDESK_API_KEY")
    code, out, err = _run(capsys, "remove", "some-id", "--data-dir", str(served))
    assert code == 2 and out == ""
    assert err.startswith("error: a valid API key is required") and err.count("\n") == 1


@pytest.mark.slow
def test_newsdesk_ask_beside_a_real_server_imports_no_model(writable_seed_dir: Path, tmp_path: Path) -> None:
    """`newsdesk serve --port 0` records its address; `newsdesk ask` in another process asks it without torch."""
    env = {**os.environ, "NEWSDESK_READER": "none", "NEWSDESK_SEED_DIR": "none"}
    env.pop("NEWSDESK_API_KEY", None)
    env.pop("NEWSDESK_DATABASE_URL", None)
    serve = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "serve", "--port", "0", "--data-dir", str(writable_seed_dir)],
        env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )
    try:
        assert serve.stderr is not None
        for line in serve.stderr:
            if "ready to answer" in line:
                break
        else:
            pytest.fail("the server stopped before it was ready")
        assert running_server(writable_seed_dir) is not None
        script = (
            "import sys\n"
            "from newsdesk.cli.main import main\n"
            f"code = main(['ask', {AMBASSADOR!r}, '--data-dir', {str(writable_seed_dir)!r}])\n"
            "heavy = sorted(m for m in ('torch', 'sentence_transformers', 'transformers', 'faiss') if m in sys.modules)\n"
            "print('exit', code, 'loaded:', heavy)\n"
        )
        asked = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
        assert asked.stdout.splitlines()[-1] == "exit 0 loaded: []", asked.stdout + asked.stderr
        assert "Darchiev" in asked.stdout
    finally:
        serve.terminate()
        serve.wait(timeout=60)
