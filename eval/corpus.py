"""Eval corpora: reading them, and indexing each once into a cached private index.

An eval with ``--corpus`` never touches the user's own index. The index it
builds is kept under a key made of the corpus content and every setting
that shapes the index, so re-running on the same corpus re-embeds nothing.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from newsdesk.desk import Newsdesk
from newsdesk.qa.embedding import Embedder
from newsdesk.qa.errors import ArticleError
from newsdesk.qa.ingest.parsing import draft_from_mapping, expand_paths, parse_file
from newsdesk.qa.pipeline.config import PipelineConfig
from newsdesk.qa.types import ArticleDraft

from .questions import load_squad_corpus

__all__ = ["INDEX_FORMAT", "cached_corpus_index", "corpus_key", "read_corpus"]

# Bump when the way passages are cut or embedded changes, so old caches are not reused.
INDEX_FORMAT = "2"
_COMPLETE = "complete.json"
_BATCH = 64  # articles embedded per model call


def read_corpus(path: Path) -> list[ArticleDraft]:
    """Read articles from a JSONL file, a SQuAD JSON file, or a folder of article files.

    Raises:
        ArticleError: The corpus cannot be read.
    """
    if path.is_dir():
        drafts = []
        for file in expand_paths([str(path)]):
            parsed = parse_file(file)
            drafts += [d if d.id or len(parsed) > 1 else _with_id(d, file.stem) for d in parsed]
        return drafts
    if path.suffix.lower() == ".json":
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ArticleError(f"{path}: cannot read the corpus ({exc})") from exc
        if isinstance(document, dict) and "data" in document:
            return [draft_from_mapping(r, f"{path} paragraph {r['id']}") for r in load_squad_corpus(path)]
    return parse_file(path)


def _with_id(draft: ArticleDraft, stem: str) -> ArticleDraft:
    from dataclasses import replace

    from newsdesk.qa.ids import derive_article_id

    return replace(draft, id=derive_article_id(stem, draft.title, draft.text))


def corpus_key(path: Path, model: str, config: PipelineConfig) -> str:
    """A digest of the corpus files' bytes and the settings that shape the index."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        digest.update(str(file.relative_to(path) if path.is_dir() else file.name).encode())
        with open(file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    shape = {"model": model, "format": INDEX_FORMAT, "chunking": asdict(config.chunking)}
    digest.update(json.dumps(shape, sort_keys=True).encode())
    return digest.hexdigest()[:24]


def cached_corpus_index(
    path: Path,
    cache_dir: Path,
    embedder: Embedder,
    config: PipelineConfig,
    on_progress: Callable[[int, int], None] | None = None,
) -> tuple[Path, bool]:
    """Return a data directory holding ``path`` indexed, building it unless cached.

    Building happens in a temporary folder renamed into place when complete,
    so an interrupted build is never mistaken for a finished one.

    Returns:
        The data directory and whether it came from the cache.
    """
    target = cache_dir / corpus_key(path, embedder.name, config)
    if (target / _COMPLETE).exists():
        return target, True
    cache_dir.mkdir(parents=True, exist_ok=True)
    drafts = read_corpus(path)
    building = Path(tempfile.mkdtemp(prefix=".building-", dir=cache_dir))
    try:
        desk = Newsdesk(building, embedder, config)
        try:
            for start in range(0, len(drafts), _BATCH):
                chunk = drafts[start : start + _BATCH]
                for outcome in desk.add_batch([(d, None) for d in chunk]):
                    if isinstance(outcome, Exception):
                        raise outcome
                if on_progress:
                    on_progress(start + len(chunk), len(drafts))
        finally:
            desk.close()
        (building / _COMPLETE).write_text(json.dumps({"corpus": str(path), "articles": len(drafts)}))
        shutil.rmtree(target, ignore_errors=True)
        building.rename(target)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return target, False
