"""The int8 ONNX reader: built from the shipped weights, it reads as the torch reader does.

Exporting takes tens of seconds, so the file is built once per module into a
temporary cache; tests that need onnxruntime skip when the ``int8`` extra is
absent, and the missing-package errors are checked everywhere.
"""

from __future__ import annotations

import shutil
import sys
from itertools import groupby
from pathlib import Path

import numpy as np
import pytest

from newsdesk import cli
from newsdesk.qa.errors import IndexStateError
from newsdesk.qa.reader import onnx_export, onnx_reader
from newsdesk.qa.reader.config import TrainingConfig
from newsdesk.qa.reader.examples import news_examples
from newsdesk.qa.reader.reader import SHIPPED_READER, ExtractiveReader, load_reader
from newsdesk.settings import Settings, SettingsError

NEWS = Path(__file__).resolve().parents[3] / "shared" / "data" / "reader-train" / "realtimeqa.jsonl"
# Margins (span minus "not here", in logits) of the two readers differ by about 0.06 at the median
# and 0.5 at most on held-out windows; 1.0 leaves room for other machines' arithmetic.
MARGIN_TOLERANCE = 1.0

WRITTEN: list[tuple[str, list[str]]] = [
    ("Who won the cup final?", [
        "The striker scored twice in the second half as Arsenal came back to beat Chelsea 3-2 in the cup final.",
        "Storms closed the harbour on Tuesday, and ferries to the islands were cancelled.",
        "Tickets for the final sold out within an hour, the football association said.",
        "The central bank raised interest rates by a quarter of a percentage point.",
        "Ok.",
    ]),
    ("When did the harbour reopen?", [
        "The harbour reopened on 14 March after three weeks of repairs to the sea wall.",
        "Storms closed the harbour on Tuesday, and ferries to the islands were cancelled.",
        "Fishermen said the closure had cost them more than a month of income.",
        "The mayor, Anna Berg, promised compensation for the lost weeks.",
        "A new vaccine trial enrolled twelve thousand volunteers across four countries last spring.",
    ]),
    ("How much did the company pay for the startup?", [
        "Northwind agreed to buy the robotics startup Kestrel for $1.2 billion in cash, the companies said on Monday.",
        "Kestrel, founded in 2019 in Lyon, makes arms for warehouse robots.",
        "Shares of Northwind fell 3% after the announcement.",
        "Regulators in Brussels are expected to review the deal before the end of the year.",
        "The weather was mild for the time of year.",
    ]),
    ("Where did the diplomats meet?", [
        "Russian and American diplomats met in Istanbul on Thursday to discuss the work of their embassies.",
        "The talks lasted six hours, according to a statement from the foreign ministry.",
        "Neither side said when the next round would take place.",
        "ISTANBUL: Police closed several streets around the consulate before the meeting.",
        "The striker scored twice in the second half.",
    ]),
]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache holding the shipped reader's int8 file, exported once for the module."""
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    pytest.importorskip("onnx_ir")
    folder = tmp_path_factory.mktemp("reader-onnx")
    onnx_export.cached_int8_model(SHIPPED_READER, folder)
    return folder


@pytest.fixture(scope="module")
def int8(cache_dir: Path) -> onnx_reader.OnnxReader:
    return onnx_reader.load_onnx_reader(cache_dir=cache_dir)


@pytest.fixture(scope="module")
def torch_cpu() -> ExtractiveReader:
    """The torch reader in float32 on the CPU, the reference the int8 copy is held to."""
    return load_reader(device="cpu")


def _agreement(calls: list[tuple[str, list[str]]], first: object, second: object) -> tuple[float, np.ndarray, int]:
    """Share of windows with the same best span, the margin gaps, and the windows read."""
    same, gaps = [], []
    for question, windows in calls:
        for a, b in zip(first.read(question, windows), second.read(question, windows), strict=True):  # type: ignore[attr-defined]
            same.append((a.start, a.end) == (b.start, b.end))
            gaps.append(abs(a.margin - b.margin))
    return float(np.mean(same)), np.array(gaps), len(same)


@pytest.mark.slow
def test_the_export_is_cached_whole_and_reused(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = onnx_export.cached_int8_model(SHIPPED_READER, cache_dir)
    assert path.parent.parent == cache_dir and path.name == "reader-int8.onnx"
    assert path.parent.name.endswith(f"-ort{__import__('onnxruntime').__version__}")
    assert [p.name for p in path.parent.iterdir()] == ["reader-int8.onnx"]  # no temporary files left
    assert path.stat().st_size < 80_000_000  # int8 weights (the fp32 export is about 90 MB)

    def no_export(*args: object) -> None:
        raise AssertionError("exported again although a file is cached")

    monkeypatch.setattr(onnx_export, "export_int8", no_export)
    assert onnx_export.cached_int8_model(SHIPPED_READER, cache_dir) == path


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["partial", "garbage"])
def test_a_damaged_cached_file_is_exported_again(cache_dir: Path, tmp_path: Path, damage: str) -> None:
    own = tmp_path / "cache"
    shutil.copytree(cache_dir, own)
    path = onnx_export.cached_int8_model(SHIPPED_READER, own)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2] if damage == "partial" else b"not an onnx file" * 100)

    reader = onnx_reader.load_onnx_reader(cache_dir=own)

    assert path.stat().st_size == len(whole)
    spans = reader.read(*WRITTEN[0])
    assert WRITTEN[0][1][0][spans[0].start : spans[0].end] in ("Arsenal", "Arsenal came back to beat Chelsea")


@pytest.mark.slow
def test_written_windows_read_alike(int8: onnx_reader.OnnxReader, torch_cpu: ExtractiveReader) -> None:
    share, gaps, count = _agreement(WRITTEN, torch_cpu, int8)
    assert count == 20
    assert share >= 0.95  # at most one of 20 windows may differ
    assert gaps.max() < MARGIN_TOLERANCE
    answers = int8.read(*WRITTEN[1])
    assert WRITTEN[1][1][0][answers[0].start : answers[0].end] == "14 March"
    assert answers[0].margin > 0 > answers[4].margin
    assert answers[0].alternatives and int8.config == torch_cpu.config
    assert int8.confidence(answers[0].margin) == pytest.approx(torch_cpu.confidence(answers[0].margin))


@pytest.mark.slow
@pytest.mark.skipif(not NEWS.is_file(), reason="needs ../shared/data/reader-train/realtimeqa.jsonl")
def test_held_out_windows_read_alike(int8: onnx_reader.OnnxReader, torch_cpu: ExtractiveReader) -> None:
    held_out = news_examples(NEWS, TrainingConfig()).held_out  # weeks the reader never trained on
    calls = []
    for _, group in groupby(held_out, key=lambda e: e.question_id):
        examples = list(group)
        calls.append((examples[0].question, [e.text for e in examples]))
        if sum(len(w) for _, w in calls) >= 240:
            break

    share, gaps, count = _agreement(calls, torch_cpu, int8)

    assert count >= 200
    # Measured 0.971 with the shipped reader (0.9875 with the one before it): under the 98% that would
    # make int8 the default, which is why torch reads unless onnx-int8 is asked for. The bar here
    # guards the export against breaking, not the default.
    assert share >= 0.96
    assert float(np.median(gaps)) < 0.2 and gaps.max() < MARGIN_TOLERANCE


def test_without_onnxruntime_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    with pytest.raises(IndexStateError, match=r"needs onnxruntime .*pip install -e '\.\[int8\]'"):
        onnx_export.cached_int8_model(SHIPPED_READER, tmp_path)
    with pytest.raises(IndexStateError, match="needs onnxruntime"):
        onnx_reader.load_onnx_reader(cache_dir=tmp_path)
    assert onnx_reader.onnx_available() is False
    assert list(tmp_path.iterdir()) == []


def test_without_onnx_the_export_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pytest.importorskip("onnxruntime")
    monkeypatch.setitem(sys.modules, "onnx", None)
    with pytest.raises(IndexStateError, match=r"needs onnxruntime, onnx and onnx-ir \(onnx is missing\)"):
        onnx_export.cached_int8_model(SHIPPED_READER, tmp_path)
    assert not any(p.suffix == ".onnx" for p in tmp_path.rglob("*"))


def test_a_folder_without_a_reader_is_a_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("onnxruntime")
    with pytest.raises(IndexStateError, match="no reading model"):
        onnx_reader.load_onnx_reader(tmp_path / "empty", cache_dir=tmp_path)


@pytest.mark.parametrize(
    ("env", "flag", "expected"),
    [({}, None, None), ({"NEWSDESK_READER_BACKEND": " ONNX-int8 "}, None, "onnx-int8"),
     ({"NEWSDESK_READER_BACKEND": "onnx-int8"}, "torch", "torch")],
)
def test_the_backend_setting(env: dict[str, str], flag: str | None, expected: str | None) -> None:
    assert Settings.from_env(env, reader_backend=flag).reader_backend == expected


def test_an_unknown_backend_is_refused_in_one_line(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SettingsError, match="NEWSDESK_READER_BACKEND='fast': expected one of torch, onnx-int8"):
        Settings.from_env({"NEWSDESK_READER_BACKEND": "fast"})
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["ask", "--reader-backend", "fast", "Who won?"])
    assert exit_info.value.code != 0
    assert "invalid choice: 'fast'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("backend", "device", "available", "expected"),
    # unset reads with torch: the int8 copy of the shipped reader agrees on under 98% of windows
    [("torch", None, True, "torch"), ("onnx-int8", None, True, "onnx"), (None, "cpu", True, "torch"),
     (None, "cpu", False, "torch"), (None, "cuda", True, "torch")],
)
def test_settings_pick_the_backend(
    monkeypatch: pytest.MonkeyPatch, backend: str | None, device: str | None, available: bool, expected: str
) -> None:
    from newsdesk.qa.reader import reader as torch_module

    calls: list[tuple[str, object]] = []
    monkeypatch.setattr(torch_module, "load_reader", lambda d, c, dev: calls.append(("torch", dev)) or "torch")
    monkeypatch.setattr(onnx_reader, "load_onnx_reader", lambda d, c: calls.append(("onnx", d)) or "onnx")
    monkeypatch.setattr(onnx_reader, "onnx_available", lambda: available)

    assert Settings(reader_backend=backend, device=device).load_reader() == expected
    assert Settings(reader_backend=backend, device=device, reader="none").load_reader() is None
    assert [name for name, _ in calls] == [expected]


def test_onnx_int8_on_a_gpu_is_refused() -> None:
    with pytest.raises(IndexStateError, match="runs on the CPU only, not 'cuda'"):
        Settings(reader_backend="onnx-int8", device="cuda").load_reader()
