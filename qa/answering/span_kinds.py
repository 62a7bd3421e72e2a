"""Does a reader's span answer the kind of question asked? And its unit and currency kept whole.

The reader picks the likeliest span, but a *when* question answered by
"Washington on Wednesday evening", or a *how much* question answered by
"Russian crude", is of the wrong kind. These rules say which kind a span is
(:mod:`newsdesk.qa.answering.short_answer`'s dates, numbers and names),
narrow a span to the part of the asked-for kind it holds, and widen a number
to its currency and unit ("$45" -> "$45 a barrel", "$2 billion" -> "C$2 billion").
"""

from __future__ import annotations

import re

from newsdesk.qa.answering.short_answer import CALENDAR_WORDS as _CALENDAR_WORDS
from newsdesk.qa.answering.short_answer import DATE_PATTERN as _DATE
from newsdesk.qa.answering.short_answer import DEMONYM_PATTERN as _DEMONYM
from newsdesk.qa.answering.short_answer import NUMBER_PATTERN as _NUMBER
from newsdesk.qa.answering.short_answer import AnswerType

__all__ = ["fitting_part", "is_yes_no", "span_fits", "wants_sentence", "widen_number"]

# Days and times relative to the article's date: dates for a *when* question.
_RELATIVE_DAY = re.compile(
    r"\b(?:(?:last|this|next|early|late)\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|"
    r"tonight|tomorrow|week|month|year|weekend|january|february|march|april|may|june|july|august|september|october|"
    r"november|december)(?:\s+(?:morning|afternoon|evening|night))?\b",
    re.IGNORECASE,
)
_DIGIT_OR_NUMBER_WORD = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|"
    r"thousand|million|billion|dozen|half)\b",
    re.IGNORECASE,
)
# What may follow a number as its unit: "a barrel", "per cent", "a day", "tonnes".
_UNIT_AFTER = re.compile(
    r"(?:\s?(?:%|percent|per cent|percentage points?))?(?:\s(?:million|billion|trillion|thousand))?"
    r"(?:\s(?:a|per)\s(?:barrel|day|year|month|week|hour|person|share|ton|tonne|litre|liter|gallon|kilo|kilogram|"
    r"head|seat|vote|megawatt-hour|kilowatt-hour|ounce|pound))?",
    re.IGNORECASE,
)
# Currency prefixes a reader tends to cut: the "C" of "C$", the "US" of "US$".
_CURRENCY_BEFORE = re.compile(r"(?:[A-Z]{1,2}\$|[$€£¥]|R\$)\s?$")
_PERSON_WORDS = re.compile(r"\b[A-Z][a-z'’.-]+")


def span_fits(expected: str, text: str) -> bool:
    """True if ``text`` can answer a question asking for ``expected`` (an :class:`AnswerType`)."""
    if expected == AnswerType.NUMBER:
        return bool(_DIGIT_OR_NUMBER_WORD.search(text))
    if expected == AnswerType.DATE:
        return bool(_DATE.search(text) or _RELATIVE_DAY.search(text))
    if expected == AnswerType.PERSON:
        names = _PERSON_WORDS.findall(text)
        if not names or any(c.isdigit() for c in text):
            return False
        return not (len(names) == 1 and _DEMONYM.match(names[0]) and text.strip() == names[0])
    if expected == AnswerType.PLACE:
        words = [w for w in _PERSON_WORDS.findall(text) if w.lower() not in _CALENDAR_WORDS]
        return bool(words) and not any(c.isdigit() for c in text)
    return True


def fitting_part(expected: str, text: str) -> tuple[int, int] | None:
    """The part of ``text`` of the asked-for kind, when the span holds more ("Washington on Wednesday evening").

    Returns:
        ``(start, end)`` inside ``text``, or None when the whole span is to be kept.
    """
    if expected == AnswerType.DATE:
        match = _DATE.search(text) or _RELATIVE_DAY.search(text)
    elif expected == AnswerType.NUMBER:
        match = _NUMBER.search(text)
        if match and not _DIGIT_OR_NUMBER_WORD.search(match.group()):
            match = None
    else:
        return None
    if match is None or (match.start() == 0 and match.end() >= len(text.rstrip(" .,"))):
        return None
    start, end = match.start(), len(match.group().rstrip()) + match.start()
    return (start, end) if end > start else None


def widen_number(sentence: str, start: int, end: int) -> tuple[int, int]:
    """Widen a number span in ``sentence`` to its currency prefix and unit ("$45" -> "$45 a barrel")."""
    if not _DIGIT_OR_NUMBER_WORD.search(sentence[start:end]):
        return start, end
    before = _CURRENCY_BEFORE.search(sentence, max(0, start - 4), start)
    if before and before.end() == start:
        start = before.start()
    elif start > 0 and sentence[start - 1].isalpha() and sentence[start - 1].isupper() and sentence[start] == "$":
        start -= 1
    after = _UNIT_AFTER.match(sentence, end)
    if after and after.end() > end:
        end = after.end()
    return start, end


# Questions a span cannot answer: reasons, manners, what someone said, yes or no.
_SENTENCE_QUESTION = re.compile(
    r"^(?:why\b|how come\b|how (?:did|does|do|is|are|was|were|will|would|can|could|has|have|had|should|might|may)\b"
    r"|what (?:did|does|do|has|have|had|will|would) .{1,60}\b(?:say|said|think|respond|react|warn|tell|mean|do about)\b"
    r"|(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|may|might)\s)",
    re.IGNORECASE,
)


_YES_NO = re.compile(r"^(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|may|might)\s", re.IGNORECASE)


def wants_sentence(question: str) -> bool:
    """True for *why*, *how did/is/will...* (not *how many/strong/long*), *what did X say* and yes/no questions."""
    return bool(_SENTENCE_QUESTION.match(question.strip()))


def is_yes_no(question: str) -> bool:
    """True for a question answered by yes or no ("Did the G7 issue a joint statement?")."""
    return bool(_YES_NO.match(question.strip()))
