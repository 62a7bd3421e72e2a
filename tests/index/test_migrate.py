"""Copying an embedded index into another backend answers the same, with nothing embedded again."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.desk import Newsdesk
from newsdesk.index.embedded import EmbeddedStore
from newsdesk.index.migrate import copy_index
from newsdesk.qa.errors import IndexStateError, ModelMismatchError
from newsdesk.qa.types import ArticleDraft

ARTICLES = [
    ArticleDraft(title="Harbour budget", text="The council approved the harbour budget on Monday. Work on the pier starts in March.",
                 id="harbour", published="2025-03-01", source="Gazette"),
    ArticleDraft(title="School opens", text="A new primary school opened in Riverside on Friday. It has 300 pupils.",
                 id="school", published="2025-03-04", source="Herald"),
]
QUESTIONS = ["When does work on the pier start?", "How many pupils does the new school have?"]


def test_a_copy_answers_like_the_original_without_embedding(tmp_path: Path, hashing_embedder) -> None:
    original = Newsdesk(tmp_path / "a", hashing_embedder)
    original.add_articles(ARTICLES)
    expected = [original.ask(q, as_of="2025-03-05") for q in QUESTIONS]
    original.close()
    calls = hashing_embedder.calls
    target = EmbeddedStore(tmp_path / "b", hashing_embedder.dimension)
    assert copy_index(tmp_path / "a", target) == 2
    assert copy_index(tmp_path / "a", target) == 2  # again: nothing changes
    copy = Newsdesk.over(target, hashing_embedder)
    answers = [copy.ask(q, as_of="2025-03-05") for q in QUESTIONS]
    assert [(a.answer, a.quotes) for a in answers] == [(e.answer, e.quotes) for e in expected]
    assert copy.counts() == (2, 2)
    assert hashing_embedder.calls == calls + len(QUESTIONS)  # only the questions were embedded
    copy.close()


def test_copying_needs_an_index_and_the_same_model(tmp_path: Path, hashing_embedder) -> None:
    target = EmbeddedStore(tmp_path / "b", hashing_embedder.dimension)
    with pytest.raises(IndexStateError):
        copy_index(tmp_path / "nothing", target)
    original = Newsdesk(tmp_path / "a", hashing_embedder)
    original.add_articles(ARTICLES)
    original.close()
    target.check_model("another-model", hashing_embedder.dimension)
    with pytest.raises(ModelMismatchError):
        copy_index(tmp_path / "a", target)
    target.close()
