"""Reading windows: a candidate sentence with its neighbours, as verbatim text.

The reader never sees a whole article. The answering stage narrows a question
to a few candidate sentences; each is read with the sentences around it, which
keeps inputs under ~160 tokens (fast on a CPU) while giving the reader the
context a pronoun or a "the company" needs. Training builds its windows with
the same function, so the model reads at inference what it learnt on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["DATELINE", "Window", "window_around"]

# A news dateline opening an article ("ISTANBUL: ", "WASHINGTON/SOCHI: ", "KANANASKIS, Alberta: "):
# a place, not part of what the sentence says, and a tempting wrong answer to "where" questions.
DATELINE = re.compile(r"[A-Z][A-Z'’.\-]+(?:[ /][A-Z][A-Z'’.\-]+)*(?:, [A-Z][A-Za-z. ]{1,30})?(?: \([^)]{1,30}\))? ?[:—–] +")


@dataclass(frozen=True)
class Window:
    """Verbatim text ``document[start:end]`` around a centre sentence.

    Attributes:
        text: The window's text, exactly as it stands in the document.
        start: Offset of the window in the document.
        end: End offset in the document.
        centre: ``(start, end)`` of the candidate sentence, document offsets.
    """

    text: str
    start: int
    end: int
    centre: tuple[int, int]


def window_around(document: str, sentences: Sequence[tuple[int, int]], index: int, neighbours: int = 1) -> Window:
    """The sentence ``sentences[index]`` with up to ``neighbours`` sentences on each side.

    Args:
        document: The text the sentence offsets point into.
        sentences: ``(start, end)`` of the document's sentences, in order.
        index: The centre sentence.
        neighbours: Sentences taken before and after it.

    Returns:
        The window, whose ``text`` is ``document[start:end]``; a leading dateline is left out.
    """
    first = max(0, index - neighbours)
    last = min(len(sentences) - 1, index + neighbours)
    start, end = sentences[first][0], sentences[last][1]
    dateline = DATELINE.match(document, start, end)
    if dateline and dateline.end() < end:
        start = dateline.end()
    return Window(document[start:end], start, end, sentences[index])
