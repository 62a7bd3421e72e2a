"""What the reader reads: windows of text around the best candidate sentences.

Two ways to spend a reading budget (``AnsweringConfig.reading_unit``):

- ``"passage"``: the best whole passages (4-5 sentences each), ranked by their
  best-scored sentence, so the date prior and retrieval evidence still decide
  what is read; one window covers a passage, with no sentence read twice
  within it.
- ``"sentence"``: each of the best-scored sentences with one neighbour on each
  side (what the reader was trained on; neighbouring candidates overlap).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsdesk.qa.answering.scoring import ScoredSentence, SentenceLookup
from newsdesk.qa.reader.windows import Window, window_around
from newsdesk.qa.types import Passage

__all__ = ["ReadWindow", "SentenceLookup", "passage_windows", "sentence_windows", "windows_to_read"]


@dataclass(frozen=True)
class ReadWindow:
    """One window to read, in article offsets.

    Attributes:
        candidate: The best-scored sentence the window was chosen for.
        window: The text read (``window.start``/``end`` are article offsets).
        spans: The sentence spans of the candidate's passage (article offsets), to map a span to its sentence.
    """

    candidate: ScoredSentence
    window: Window
    spans: list[tuple[int, int]]


def _passage_spans(candidate: ScoredSentence, sentences_of: SentenceLookup) -> tuple[list[tuple[int, int]], int]:
    """The passage's sentence spans (article offsets) and the candidate's index among them."""
    passage = candidate.source.passage
    spans = [(start, end) for start, end, _ in sentences_of(passage)] or [(candidate.start, candidate.end)]
    index = next((i for i, (s, _) in enumerate(spans) if s == candidate.start), None)
    if index is None:  # the passage changed since it was scored: read the sentence alone
        return [(candidate.start, candidate.end)], 0
    return spans, index


def _shifted(window: Window, passage: Passage, centre: tuple[int, int]) -> Window:
    return Window(window.text, window.start + passage.start, window.end + passage.start, centre)


def sentence_windows(candidates: Sequence[ScoredSentence], sentences_of: SentenceLookup, neighbours: int, budget: int) -> list[ReadWindow]:
    """Each of the ``budget`` best candidates with ``neighbours`` sentences on each side."""
    windows = []
    for candidate in candidates[:budget]:
        spans, index = _passage_spans(candidate, sentences_of)
        passage = candidate.source.passage
        local = [(s - passage.start, e - passage.start) for s, e in spans]
        window = window_around(passage.text, local, index, neighbours)
        windows.append(ReadWindow(candidate, _shifted(window, passage, (candidate.start, candidate.end)), spans))
    return windows


def passage_windows(candidates: Sequence[ScoredSentence], sentences_of: SentenceLookup, budget: int) -> list[ReadWindow]:
    """The whole passages of the best candidates, best first, ``budget`` passages at most."""
    windows: list[ReadWindow] = []
    seen: set[int | tuple[str, int]] = set()
    for candidate in candidates:
        if len(windows) == budget:
            break
        passage = candidate.source.passage
        key = passage.id if passage.id is not None else (passage.article_id, passage.ordinal)
        if key in seen:
            continue
        seen.add(key)
        spans, index = _passage_spans(candidate, sentences_of)
        local = [(s - passage.start, e - passage.start) for s, e in spans]
        window = window_around(passage.text, local, index, len(local))
        windows.append(ReadWindow(candidate, _shifted(window, passage, (candidate.start, candidate.end)), spans))
    return windows


def windows_to_read(
    candidates: Sequence[ScoredSentence], sentences_of: SentenceLookup, unit: str, budget: int, neighbours: int
) -> list[ReadWindow]:
    """The windows a reading budget buys (see the module docstring)."""
    if unit == "passage":
        return passage_windows(candidates, sentences_of, budget)
    return sentence_windows(candidates, sentences_of, neighbours, budget)
