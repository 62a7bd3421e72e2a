"""The CLI: no model unless something is embedded, one-line errors, options, listing and removing."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from newsdesk import cli
from newsdesk.desk import Newsdesk
from newsdesk.qa.embedding import DEFAULT_MODEL
from newsdesk.qa.types import ArticleDraft
from tests.conftest import HashingEmbedder

BODY = "The harbour at Skerry Point reopened on Monday after the storm. Ferries run again from Tuesday."


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if any command loads an embedding model."""

    def refuse(config: object) -> None:
        raise AssertionError("the embedding model was loaded")

    monkeypatch.setattr("newsdesk.qa.embedding.factory.load_embedder", refuse)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An index that records the default model's name (built with a fast stand-in model)."""
    directory = tmp_path / "data"
    desk = Newsdesk(directory, HashingEmbedder(name=DEFAULT_MODEL))
    desk.add_articles(
        [
            ArticleDraft(title="Harbour reopens", text=BODY, id="harbour", published="2025-03-01"),
            ArticleDraft(title="Storm closes roads", text="Roads closed on Sunday as the storm hit.", id="roads"),
            ArticleDraft(
                title="A long id", text="The council met on Friday.", id="a-very-long-article-id-of-forty-chars-x"
            ),
        ]
    )
    desk.close()
    return directory


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_list_prints_aligned_columns_and_counts_in_words(
    data_dir: Path, no_model: None, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(["list", "--data-dir", str(data_dir)], capsys)
    lines = out.splitlines()
    assert (status, err) == (0, "")
    # Newest first; the undated ones by when they were added, so they come before the 2025 one.
    assert [line.split()[0] for line in lines[:-1]] == ["a-very-long-article-id-of-forty-chars-x", "roads", "harbour"]
    assert len({line.index(" 1 passage ") for line in lines[:-1]}) == 1  # the columns line up after long ids
    assert lines[0].split("  ")[1] == "----------"
    assert lines[-1] == "3 of 3 articles"


def test_list_json_carries_the_total(data_dir: Path, no_model: None, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["list", "--data-dir", str(data_dir), "--json", "--limit", "1"], capsys)
    listing = json.loads(out)
    assert status == 0
    assert (listing["total"], listing["limit"], listing["offset"]) == (3, 1, 0)
    assert [a["id"] for a in listing["articles"]] == ["a-very-long-article-id-of-forty-chars-x"]
    assert listing["articles"][0]["passages"] == 1


def test_list_of_a_missing_index_is_empty_and_creates_nothing(
    tmp_path: Path, no_model: None, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(["list", "--data-dir", str(tmp_path / "none")], capsys)
    assert (status, out) == (0, "0 of 0 articles\n")
    assert not (tmp_path / "none").exists()


def test_remove_reports_each_missing_id_and_carries_on(
    data_dir: Path, no_model: None, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(["remove", "--data-dir", str(data_dir), "harbour", "missing", "roads"], capsys)
    assert status == 1
    assert out == "removed harbour (1 passage)\nremoved roads (1 passage)\n2 removed, 1 not found\n"
    assert err == "error: no article with id 'missing'\n"
    assert run(["list", "--data-dir", str(data_dir)], capsys)[1].endswith("1 of 1 article\n")


def test_remove_from_an_empty_index_loads_no_model(
    tmp_path: Path, no_model: None, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(["remove", "--data-dir", str(tmp_path), "a"], capsys)
    assert (status, out, err) == (1, "0 removed, 1 not found\n", "error: no article with id 'a'\n")


def test_common_options_go_before_or_after_the_command(
    data_dir: Path, no_model: None, capsys: pytest.CaptureFixture[str]
) -> None:
    before = run(["--data-dir", str(data_dir), "list"], capsys)
    after = run(["list", "--data-dir", str(data_dir)], capsys)
    assert before == after
    assert before[1].endswith("3 of 3 articles\n")
    # Given in both places, the one after the command wins.
    both = run(["--data-dir", str(data_dir), "list", "--data-dir", str(data_dir / "x")], capsys)
    assert both[1] == "0 of 0 articles\n"


def test_add_refuses_bad_files_without_loading_the_model(
    data_dir: Path, tmp_path: Path, no_model: None, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    broken = tmp_path / "broken.json"
    broken.write_text('{"title": "x", "text')
    status, out, err = run(["add", "--data-dir", str(data_dir), str(empty), str(broken)], capsys)
    assert status == 1
    assert out == "0 added, 0 replaced, 0 unchanged, 2 files failed\n"
    assert err.splitlines() == [
        f"error: {empty}: the file is empty",
        f"error: {broken}: invalid JSON: Unterminated string starting at line 1, column 16",
    ]


def test_add_on_a_locked_index_is_one_line_without_loading_the_model(
    data_dir: Path, tmp_path: Path, no_model: None, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "news.txt"
    article.write_text(f"Harbour news\n\n{BODY}\n")
    holder = Newsdesk(data_dir, HashingEmbedder(name=DEFAULT_MODEL))
    try:
        status, out, err = run(["add", "--data-dir", str(data_dir), str(article)], capsys)
    finally:
        holder.close()
    assert (status, out) == (2, "")
    assert len(err.splitlines()) == 1 and err.startswith("error: ") and "locked by another process" in err


def test_add_loads_the_model_once_something_must_be_embedded(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    loaded: list[object] = []

    def load(config: object) -> HashingEmbedder:
        loaded.append(config)
        return HashingEmbedder(name=DEFAULT_MODEL)

    monkeypatch.setattr("newsdesk.qa.embedding.factory.load_embedder", load)
    article = tmp_path / "ferries.txt"
    article.write_text("Ferries return\n\nFerries returned to Skerry Point on Tuesday, after the harbour reopened.\n")
    status, out, _ = run(["add", "--data-dir", str(data_dir), str(article)], capsys)
    assert status == 0
    assert out == "added     ferries  (1 passage)  Ferries return\n1 added, 0 replaced, 0 unchanged\n"
    assert len(loaded) == 1


def test_errors_during_a_progress_bar_stay_on_their_own_lines(
    data_dir: Path, tmp_path: Path, no_model: None, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = []
    for number in range(7):
        path = tmp_path / f"empty{number}.txt"
        path.write_text("")
        paths.append(str(path))
    status, _, err = run(["add", "--data-dir", str(data_dir), *paths], capsys)
    assert status == 1
    errors = [line for line in err.replace("\r", "\n").splitlines() if "error:" in line]
    assert errors == [f"error: {path}: the file is empty" for path in paths]


def test_ask_takes_the_date_and_source_filters(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("newsdesk.qa.embedding.factory.load_embedder", lambda config: HashingEmbedder(name=DEFAULT_MODEL))
    asked: dict[str, object] = {}
    real_ask = Newsdesk.ask

    def ask(self: Newsdesk, question: str, top_k: int | None = None, **filters: object) -> object:
        asked.update(filters)
        return real_ask(self, question, top_k, **filters)

    monkeypatch.setattr(Newsdesk, "ask", ask)
    argv = ["ask", "--data-dir", str(data_dir), "--reader", "none", "When did the harbour reopen?", "--json"]
    status, out, _ = run([*argv, "--since", "2025-03-02", "--source", "Gazette"], capsys)
    assert status == 0
    assert json.loads(out)["quotes"] == []  # the only dated article is older, and none is from that source
    assert run([*argv, "--as-of", "2025-03-03", "--until", "2025-03-01"], capsys)[0] == 0
    assert asked == {"as_of": date(2025, 3, 3), "since": None, "until": date(2025, 3, 1), "source": None}


def test_ask_refuses_a_malformed_date(capsys: pytest.CaptureFixture[str], no_model: None) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["ask", "--since", "March 3", "Who?"])
    assert exit_info.value.code == 2
    assert "expected a date as YYYY-MM-DD, not 'March 3'" in capsys.readouterr().err


def test_serve_on_a_port_in_use_fails_before_loading_anything(
    tmp_path: Path, no_model: None, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status, out, err = run(["serve", "--data-dir", str(tmp_path / "data"), "--port", str(port)], capsys)
    assert (status, out) == (2, "")
    assert err == (
        f"error: cannot listen on 127.0.0.1:{port}: "
        "the port is in use (another newsdesk serve?); choose another --port\n"
    )
    assert not (tmp_path / "data").exists()


def test_serve_on_a_locked_index_is_one_line_with_a_hint_for_serve(
    data_dir: Path, no_model: None, capsys: pytest.CaptureFixture[str]
) -> None:
    holder = Newsdesk(data_dir, HashingEmbedder(name=DEFAULT_MODEL))
    try:
        status, out, err = run(["serve", "--data-dir", str(data_dir), "--port", "0"], capsys)
    finally:
        holder.close()
    assert (status, out) == (2, "")
    lines = err.splitlines()
    assert lines[-1] == (
        f"error: the index in {data_dir} is locked by another process (another newsdesk serve?); "
        "stop it, or serve another --data-dir"
    )
    assert all(line.startswith("newsdesk: ") for line in lines[:-1])


def test_serve_help_describes_host_port_and_the_api_key(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["serve", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--host HOST address to listen on (default 127.0.0.1; any other needs a write key)" in text
    assert "--port PORT port to listen on (default 8000)" in text
    assert "It listens on 127.0.0.1 unless --host says otherwise; another host needs a write key." in text
    assert "--protect-reads require a key (read or write) for asking, chat and reading articles too" in text


def test_listing_and_removing_never_import_torch(data_dir: Path, tmp_path: Path) -> None:
    """In a fresh interpreter: the commands that embed nothing leave torch and sentence-transformers unimported."""
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    script = (
        "import sys\n"
        "from newsdesk.cli.main import main\n"
        f"codes = [main(['list', '--data-dir', {str(data_dir)!r}]),\n"
        f"         main(['remove', '--data-dir', {str(data_dir)!r}, 'roads', 'missing']),\n"
        f"         main(['add', '--data-dir', {str(data_dir)!r}, {str(empty)!r}])]\n"
        "assert codes == [0, 1, 1], codes\n"
        "heavy = sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules)\n"
        "print('loaded:', heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "loaded: []"
