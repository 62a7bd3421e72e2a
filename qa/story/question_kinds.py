"""Which questions want a composed answer: a list, a summary, a "why", a comparison.

A factoid question ("Who led the talks?", "How many prisoners were swapped?")
is answered by one sentence and the short span inside it. Some questions want
more than one fact: every country that opposes a package, what happened at a
summit, why something happened, how two things compare. Those get an answer
composed of several cited sentences (:mod:`newsdesk.qa.story.compose`).

The rules are patterns on the question's opening words, kept narrow on
purpose: "Which country hosted..." (singular) stays a factoid question, while
"Which countries oppose..." asks for a list.
"""

from __future__ import annotations

import re
from enum import Enum

__all__ = ["INSTRUCTION_WORDS", "QuestionKind", "question_kind", "wants_composed_answer"]

#: Words that say what kind of answer is wanted, not what it is about ("summarise", "happened").
INSTRUCTION_WORDS = frozenset(
    """
    summarise summarize summary overview rundown happen happened happening tell give list name
    why compare compared comparison difference differences differ versus vs cause caused led reason
    unfold go went end came resulted please
    """.split()
)


class QuestionKind(str, Enum):
    """What a question asks for, as far as composing goes."""

    FACTOID = "factoid"
    LIST = "list"
    SUMMARY = "summary"
    WHY = "why"
    COMPARISON = "comparison"


_FLAGS = re.IGNORECASE
# Plural nouns a list question asks about ("which countries", "which EU leaders", "what measures"):
# an optional capitalised word, then a word with a plural ending that is not a verb or a singular
# ending in "s" ("what happens", "which crisis").
_NOT_PLURAL = (
    r"(?!(?:is|was|has|as|does|goes|happens|makes|means|remains|seems|matters|counts|news|series|species"
    r"|status|gas|kinds|types|sorts)\b)"
)
# After "what", a verb ending in "s" is followed by an article or a preposition ("what limits the", "what lies at").
_NOT_VERB = r"(?!\s+(?i:the|a|an|at|for|to|down|up|in|on|of|into|from|with|by|out|its|his|her|their|this|that)\b)"
_PLURAL = rf"(?:[A-Z][\w-]*\s+)?{_NOT_PLURAL}(?i:\w+(?:ies|[^suio\W]s|ves|men|people))\b"
# Kinds are checked in this order: the first pattern that matches decides.
_RULES: tuple[tuple[QuestionKind, re.Pattern[str]], ...] = (
    (
        QuestionKind.COMPARISON,
        re.compile(
            r"^\s*(?:how\s+(?:does|do|did|is|are|has|have|would|will)\s+.+\s+compare\b|compare\b"
            r"|how\s+(?:does|do|did)\s+.+\s+differ\b|what\s+(?:is|are|was|were)\s+the\s+differences?\b)"
            r"|\bdifferences?\s+between\b|\b(?:versus|vs\.?)\s",
            _FLAGS,
        ),
    ),
    (QuestionKind.WHY, re.compile(r"^\s*(?:why\b|what\s+(?:caused|led\s+to)\b|for\s+what\s+reason\b)", _FLAGS)),
    (
        QuestionKind.SUMMARY,
        re.compile(
            r"^\s*(?:(?:please\s+)?summari[sz]e\b|give\s+(?:me\s+)?(?:a\s+)?(?:summary|overview|rundown)\b"
            r"|(?:a\s+)?summary\s+of\b|overview\s+of\b|tell\s+me\s+about\b"
            r"|what\s+(?:happened|has\s+happened|went\s+on)\s+(?:at|with|in|during|on|after|between)\b"
            r"|what\s+(?:happened|has\s+happened)\s*\??\s*$"
            r"|what\s+(?:came|resulted)\s+(?:out\s+)?of\b|how\s+did\s+.+\s+(?:unfold|go|end)\s*\??\s*$)",
            _FLAGS,
        ),
    ),
    (
        QuestionKind.LIST,
        re.compile(
            rf"^\s*(?:(?i:which)\s+{_PLURAL}|(?i:what)\s+{_PLURAL}{_NOT_VERB}"
            r"|(?i:what\s+(?:are|were)\s+the|who\s+(?:are|were)\s+the|list)\b"
            rf"|(?i:name)\s+(?:(?i:all\s+)?(?i:the)\s+)?{_PLURAL})",
        ),
    ),
)
# "Which countries' leader..." asks about one thing of each: a possessive stays factoid.
_NOT_LIST = re.compile(r"^\s*(?:which|what)\s+\w+'", _FLAGS)


def question_kind(question: str) -> QuestionKind:
    """The kind of answer ``question`` asks for.

    Args:
        question: The question as asked.

    Returns:
        ``FACTOID`` unless the question asks for a list, a summary, a reason or a comparison.
    """
    for kind, pattern in _RULES:
        if pattern.search(question):
            if kind == QuestionKind.LIST and _NOT_LIST.search(question):
                continue
            return kind
    return QuestionKind.FACTOID


def wants_composed_answer(question: str) -> bool:
    """Whether ``question`` gets an answer composed of several cited sentences."""
    return question_kind(question) != QuestionKind.FACTOID
