from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.qa.ingest.chunking import ChunkingConfig, split_into_passages
from newsdesk.qa.ingest.cleaning import clean_text
from newsdesk.qa.ingest.parsing import parse_file
from newsdesk.qa.ingest.sentences import split_sentences
from newsdesk.qa.types import Passage

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def sentence(n_words: int, word: str = "word") -> str:
    """A sentence of exactly ``n_words`` words that the splitter cannot join to the next."""
    return " ".join(["Alpha"] + [word] * (n_words - 1)) + "."


def article(*lengths: int) -> str:
    return " ".join(sentence(n, f"w{i}") for i, n in enumerate(lengths))


def sentence_indexes(text: str, passages: list[Passage]) -> list[tuple[int, int]]:
    """Each passage as (first, last) sentence index; fails if it does not sit on boundaries."""
    spans = split_sentences(text)
    starts = [s for s, _ in spans]
    ends = [e for _, e in spans]
    return [(starts.index(p.start), ends.index(p.end)) for p in passages]


def assert_passage_invariants(text: str, passages: list[Passage], config: ChunkingConfig) -> None:
    spans = split_sentences(text)
    starts = {s for s, _ in spans}
    ends = {e for _, e in spans}
    assert [p.ordinal for p in passages] == list(range(len(passages)))
    for passage in passages:
        assert passage.article_id == "art"
        assert text[passage.start : passage.end] == passage.text
        assert passage.start in starts and passage.end in ends
        n_sentences = sum(1 for s, e in spans if passage.start <= s and e <= passage.end)
        assert n_sentences >= 1
        if n_sentences > 1:
            assert len(passage.text.split()) <= config.max_words
    for previous, current in zip(passages, passages[1:]):
        assert previous.start < current.start and previous.end < current.end
        shared = sum(1 for s, e in spans if current.start <= s and e <= previous.end)
        assert shared <= config.overlap_sentences
        if config.overlap_sentences == 0:
            assert current.start > previous.end
    # Every sentence is in some passage.
    for s, e in spans:
        assert any(p.start <= s and e <= p.end for p in passages)


@pytest.mark.parametrize(
    ("lengths", "config", "expected"),
    [
        # Sentences are gathered until target_words, then the last one is repeated.
        ((5, 5, 5, 5), ChunkingConfig(target_words=10, max_words=20, overlap_sentences=1), [(0, 1), (1, 2), (2, 3)]),
        ((5, 5, 5, 5), ChunkingConfig(target_words=10, max_words=20, overlap_sentences=0), [(0, 1), (2, 3)]),
        (
            (5, 5, 5, 5, 5, 5),
            ChunkingConfig(target_words=15, max_words=20, overlap_sentences=2),
            [(0, 2), (1, 3), (2, 4), (3, 5)],
        ),
        ((5, 5, 5), ChunkingConfig(target_words=100, max_words=200, overlap_sentences=1), [(0, 2)]),
        # A sentence that would pass max_words starts a new passage.
        ((8, 8, 8), ChunkingConfig(target_words=20, max_words=10, overlap_sentences=0), [(0, 0), (1, 1), (2, 2)]),
        ((4, 4, 8), ChunkingConfig(target_words=20, max_words=10, overlap_sentences=0), [(0, 1), (2, 2)]),
        # A very long sentence is a passage of its own, however long.
        ((3, 500, 3), ChunkingConfig(target_words=10, max_words=20, overlap_sentences=0), [(0, 0), (1, 1), (2, 2)]),
        ((500,), ChunkingConfig(), [(0, 0)]),
        # A repeated sentence that alone reaches target_words still gets a new one after it.
        ((3, 12, 3, 3), ChunkingConfig(target_words=10, max_words=20, overlap_sentences=1), [(0, 1), (1, 2), (2, 3)]),
        ((3, 12, 3, 3), ChunkingConfig(target_words=10, max_words=20, overlap_sentences=0), [(0, 1), (2, 3)]),
        # With overlap, a passage that could not get past the repeated sentence would
        # only repeat the previous passage's tail, so it is not made.
        ((3, 3, 40), ChunkingConfig(target_words=10, max_words=12, overlap_sentences=1), [(0, 1), (2, 2)]),
        ((3, 3, 40, 3), ChunkingConfig(target_words=10, max_words=12, overlap_sentences=1), [(0, 1), (2, 2), (3, 3)]),
        # overlap never stalls progress, even when it is as large as the passage.
        ((5, 5, 5, 5), ChunkingConfig(target_words=10, max_words=20, overlap_sentences=5), [(0, 1), (1, 2), (2, 3)]),
    ],
)
def test_split_into_passages_sentence_ranges(
    lengths: tuple[int, ...], config: ChunkingConfig, expected: list[tuple[int, int]]
) -> None:
    text = article(*lengths)
    assert len(split_sentences(text)) == len(lengths)
    passages = split_into_passages("art", text, config)
    assert sentence_indexes(text, passages) == expected
    assert_passage_invariants(text, passages, config)


@pytest.mark.parametrize("text", ["", "   ", "\n\n\n"])
def test_split_into_passages_empty(text: str) -> None:
    assert split_into_passages("art", text) == []


def test_split_into_passages_offsets_exact() -> None:
    text = "  First one here.\n\nSecond one.  "
    passages = split_into_passages("art", text, ChunkingConfig(target_words=100, max_words=200))
    assert passages == [Passage("art", 0, 2, 30, "First one here.\n\nSecond one.", first_sentence=0, last_sentence=1)]


@pytest.mark.parametrize("overlap", [0, 1, 2])
@pytest.mark.parametrize(("target", "maximum"), [(20, 40), (70, 120), (5, 8)])
def test_split_into_passages_on_seeds(overlap: int, target: int, maximum: int) -> None:
    config = ChunkingConfig(target_words=target, max_words=maximum, overlap_sentences=overlap)
    for path in sorted(SEEDS.glob("*.txt")):
        text = clean_text(parse_file(path)[0].text)
        passages = split_into_passages("art", text, config)
        assert passages
        assert_passage_invariants(text, passages, config)
        words = [len(text[s:e].split()) for s, e in split_sentences(text)]
        ranges = sentence_indexes(text, passages)
        for (prev_first, prev_last), (first, last) in zip(ranges, ranges[1:]):
            shared = prev_last - first + 1
            # Each passage adds at least one sentence the previous one lacked.
            assert last > prev_last and 0 <= shared <= overlap
            if overlap == 1:
                # Exactly one sentence is repeated unless the previous passage is that one
                # sentence, or the repeated sentence and the next would pass max_words.
                fits = words[prev_last] + words[prev_last + 1] <= maximum
                assert shared == (1 if prev_first < prev_last and fits else 0)


_TEXT = st.one_of(
    st.text(),
    st.lists(
        st.sampled_from(
            ["Mr. ", "Word ", "word. ", "Yes! ", "\n\n", "\n", "“Q?” ", "😀 ", "שלום. ", " ", "\x00", "3.5 "]
        )
    ).map("".join),
)


@settings(max_examples=200, deadline=None)
@given(
    _TEXT,
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=20),
    st.integers(min_value=0, max_value=3),
)
def test_split_into_passages_offsets_on_any_text(text: str, target: int, maximum: int, overlap: int) -> None:
    config = ChunkingConfig(target_words=target, max_words=maximum, overlap_sentences=overlap)
    passages = split_into_passages("art", text, config)
    assert_passage_invariants(text, passages, config)
    if not text.strip():
        assert passages == []
