"""Sentence-aware passage splitting with character offsets."""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.qa.ingest.sentences import split_sentences
from newsdesk.qa.types import Passage

__all__ = ["ChunkingConfig", "split_into_passages"]


@dataclass(frozen=True)
class ChunkingConfig:
    """How articles are cut into passages.

    Attributes:
        target_words: A passage closes once it holds at least this many words.
        max_words: A sentence that would push a passage past this starts a new one.
        overlap_sentences: Sentences repeated at the start of the next passage, so
            a fact split across a boundary is still seen whole by one passage. A
            passage always adds at least one sentence the previous one lacked.
    """

    target_words: int = 70
    max_words: int = 120
    overlap_sentences: int = 1


def split_into_passages(
    article_id: str,
    text: str,
    config: ChunkingConfig = ChunkingConfig(),
    sentences: list[tuple[int, int]] | None = None,
) -> list[Passage]:
    """Cut ``text`` into passages of whole sentences.

    A sentence is never cut: one longer than ``max_words`` becomes a passage of
    its own. Each passage records its offsets, ``text[start:end] == passage.text``.

    Args:
        article_id: The id of the article the text belongs to.
        text: The cleaned article text.
        config: Passage sizes.
        sentences: The text's sentence spans, when the caller already has them.

    Returns:
        The passages in article order, numbered from 0.
    """
    if sentences is None:
        sentences = split_sentences(text)
    words = [len(text[s:e].split()) for s, e in sentences]
    passages: list[Passage] = []
    first = 0
    previous_last = -1
    while first < len(sentences):
        last = first
        count = words[first]
        # A passage that starts inside the previous one (the overlap) must reach past
        # it, or it would only repeat that passage's tail.
        while (count < config.target_words or last <= previous_last) and last + 1 < len(sentences):
            if count + words[last + 1] > config.max_words:
                break
            last += 1
            count += words[last]
        # If max_words kept it from reaching past, it is dropped and the next
        # passage starts without overlap.
        if last > previous_last:
            start, end = sentences[first][0], sentences[last][1]
            passages.append(Passage(article_id, len(passages), start, end, text[start:end], first, last))
            previous_last = last
        if last + 1 >= len(sentences):
            break
        # Step back for overlap, but always move forward by at least one sentence.
        first = max(first + 1, last + 1 - config.overlap_sentences)
    return passages
