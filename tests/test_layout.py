"""The package's shape: one installed name, imports that point down, a light core."""

from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Repository folder -> installed package (pyproject.toml's package-dir).
PACKAGE_DIRS = {"newsdesk": "newsdesk", "qa": "newsdesk.qa", "index": "newsdesk.index", "api": "newsdesk.api", "eval": "newsdesk.eval"}
# Lower numbers are lower layers; a module may import its own layer and those below.
LAYERS = (
    ("newsdesk.qa.types", 0), ("newsdesk.qa.errors", 0), ("newsdesk.qa.ids", 0), ("newsdesk.qa.text", 0),
    ("newsdesk.qa.dates", 0), ("newsdesk.qa.pipeline", 2), ("newsdesk.qa", 1), ("newsdesk.index", 3),
    ("newsdesk.desk", 4), ("newsdesk.settings", 4), ("newsdesk.api", 5), ("newsdesk.eval", 5), ("newsdesk.cli", 6),
    ("newsdesk.__main__", 6), ("newsdesk", 0),
)


def _modules() -> dict[str, Path]:
    found = {}
    for folder, package in PACKAGE_DIRS.items():
        for path in (ROOT / folder).rglob("*.py"):
            parts = list(path.relative_to(ROOT / folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join([package, *parts])] = path
    return found


def _imports(path: Path, name: str, modules: dict[str, Path]) -> set[str]:
    """Every newsdesk module ``path`` imports, at the top or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                targets.add(full if full in modules else base)
    return {t for t in targets if t in modules and t != name}


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path, name, modules) for name, path in modules.items()}


def _layer(module: str) -> int:
    return next(layer for prefix, layer in LAYERS if module == prefix or module.startswith(prefix + "."))


def test_every_import_points_down_the_layers(graph: dict[str, set[str]]) -> None:
    upward = [
        f"{m} ({_layer(m)}) imports {t} ({_layer(t)})"
        for m, targets in graph.items() for t in targets if _layer(t) > _layer(m) and t != "newsdesk"
    ]
    assert upward == []


def test_no_module_imports_itself_back(graph: dict[str, set[str]]) -> None:
    def reaches(start: str) -> set[str]:
        seen, todo = set(), list(graph[start])
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(graph[current])
        return seen

    cycles = sorted(m for m in graph if m in reaches(m))
    assert cycles == []


def test_edges_do_not_reach_into_each_other(graph: dict[str, set[str]]) -> None:
    crossings = [
        f"{m} imports {t}"
        for m, targets in graph.items() for t in targets
        for edge, other in (("newsdesk.api", "newsdesk.eval"), ("newsdesk.eval", "newsdesk.api"))
        if m.startswith(edge) and t.startswith(other)
    ]
    assert crossings == []


def test_modules_stay_small() -> None:
    long = {str(p.relative_to(ROOT)): n for p in _modules().values() if (n := len(p.read_text().splitlines())) > 320}
    assert long == {}


def test_the_core_imports_without_torch_faiss_or_fastapi() -> None:
    code = (
        "import sys\n"
        "import newsdesk.qa.types, newsdesk.qa.errors, newsdesk.qa.ids, newsdesk.qa.text, newsdesk.qa.dates\n"
        "import newsdesk.qa.pipeline.storage, newsdesk.qa.embedding\n"
        "print(sorted(m for m in ('torch', 'faiss', 'fastapi', 'transformers') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="/")
    assert loaded.stdout.strip() == "[]"


def test_a_wheel_installs_only_newsdesk(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("newsdesk-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"newsdesk", wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1] + ".dist-info"}
    for needed in (
        "newsdesk/cli/main.py", "newsdesk/qa/pipeline/asking.py", "newsdesk/index/embedded.py", "newsdesk/api/static/index.html",
        "newsdesk/qa/reader/model/reader.safetensors", "newsdesk/py.typed",
    ):
        assert needed in names
    assert not [n for n in names if n.startswith(("newsdesk/bench", "newsdesk/loadtest", "newsdesk/tests"))]
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "newsdesk = newsdesk.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    # Every package folder of the repository is in the wheel (pyproject.toml lists them by hand).
    packages = {str(p.parent.relative_to(ROOT)) for folder in PACKAGE_DIRS for p in (ROOT / folder).rglob("__init__.py")}
    for package in packages:
        head, _, rest = package.partition("/")
        installed = PACKAGE_DIRS[head].replace(".", "/") + (f"/{rest}" if rest else "")
        assert f"{installed}/__init__.py" in names, package


def test_python_dash_m_newsdesk_runs() -> None:
    ran = subprocess.run([sys.executable, "-m", "newsdesk", "--help"], capture_output=True, text=True, cwd="/", timeout=120)
    assert ran.returncode == 0 and "usage: newsdesk" in ran.stdout


def test_test_files_have_unique_names() -> None:
    # tests/ folders are not packages: two test files of one name cannot both be collected.
    names = [p.name for p in (ROOT / "tests").rglob("test_*.py")]
    assert sorted({n for n in names if names.count(n) > 1}) == []
