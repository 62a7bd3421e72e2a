"""Mentions in a sentence: people, places, dates, other names, and noun phrases.

Rules, no model. Dates are month names, days and years; names are runs of
capitalised words. A name is a place when a short gazetteer knows it, when it
is a nationality word ("Russian") or when "in", "at", "near" or "from" stands
before it; a person when it follows a title ("President", "Minister") or has
two or more words and no organisation word ("Council", "Palace"); a single word
is a person when it is the surname of a person named elsewhere. Noun phrases
are the runs of words between function words, verbs and punctuation.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from newsdesk.qa.text import STOPWORDS

__all__ = ["DEMONYMS", "Mention", "find_mentions", "maybe_person", "noun_phrases"]

PERSON, PLACE, DATE, NAME = "person", "place", "date", "name"

DEMONYMS = {
    "Russia": "Russian",
    "Ukraine": "Ukrainian",
    "United States": "American",
    "US": "American",
    "America": "American",
    "China": "Chinese",
    "Turkey": "Turkish",
    "Britain": "British",
    "UK": "British",
    "France": "French",
    "Germany": "German",
    "Europe": "European",
    "EU": "European",
    "Israel": "Israeli",
    "Iran": "Iranian",
    "Saudi Arabia": "Saudi",
    "Canada": "Canadian",
    "India": "Indian",
    "Japan": "Japanese",
    "Poland": "Polish",
    "Italy": "Italian",
    "Spain": "Spanish",
    "Hungary": "Hungarian",
    "Slovakia": "Slovak",
    "Belarus": "Belarusian",
    "Syria": "Syrian",
    "Egypt": "Egyptian",
    "Qatar": "Qatari",
    "Georgia": "Georgian",
    "Netherlands": "Dutch",
    "Finland": "Finnish",
    "Sweden": "Swedish",
    "Norway": "Norwegian",
    "Greece": "Greek",
    "Mexico": "Mexican",
    "Brazil": "Brazilian",
    "Pakistan": "Pakistani",
    "Iraq": "Iraqi",
    "Korea": "Korean",
    "Belgium": "Belgian",
}
_NATIONALITIES = frozenset(DEMONYMS.values())
_PLACES = (
    frozenset(DEMONYMS)
    | frozenset(
        """Moscow Washington Kyiv Kiev Istanbul Ankara Riyadh Brussels London Paris Berlin Beijing Tokyo Delhi Tehran
    Jerusalem Gaza Sochi Minsk Warsaw Rome Madrid Geneva Vienna Doha Cairo Ottawa Crimea Donbas Kananaskis Alberta
    Hague Vatican Africa Asia Bratislava Budapest Kursk Kherson Odesa Kharkiv Zaporizhzhia""".split()
    )
    | {"The Hague", "Black Sea", "Middle East", "United Kingdom", "South Korea", "North Korea", "Saudi"}
)
_TITLES = frozenset(
    """President Prime Minister Foreign Defence Defense Secretary State Senator Chancellor Ambassador Spokesman
    Spokeswoman General King Queen Pope Prince Deputy Assistant Majority Minority Leader Commissioner Envoy Adviser
    Advisor Director Chairman Chairwoman Governor Mayor Republican Democratic Dr Mr Mrs Ms Sir Lord""".split()
)
_ORG_WORDS = frozenset(
    """Department Council Union Commission Ministry Service Senate Congress Parliament House Palace Summit Act
    Organization Organisation Group Bank Fund Agency Office Committee Party Court Forum Treaty Alliance Forces Army
    Navy Times Post News Network Social Consulate Embassy Hotel Fleet Package Kremlin Reuters AFP NATO Stream""".split()
)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = re.compile(
    rf"\b(?:(?:{_MONTHS})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+(?:19|20)\d{{2}})?"
    rf"|\d{{1,2}}\s+(?:{_MONTHS})(?:\s+(?:19|20)\d{{2}})?|(?:19|20)\d{{2}}"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
_CAPITALISED = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:(?:of|the|de|der|von|van|bin|al)\s+)*[A-Z][\w'’.-]*)*")
_PLACE_CUE = re.compile(r"\b(?:in|at|near|from|inside|outside)\s+(?:the\s+)?$", re.IGNORECASE)
_SENTENCE_START = re.compile(r"(?:^|[.?!:;]\s+|\n)[\"“‘']?$")
# Both cues end where a name starts: looking this far back finds them without searching the whole
# text before every name, which made a long text take quadratic time.
_CUE_REACH = 100
_LEADING_VERBS = frozenset("tell list name give show explain describe compare summarise summarize find".split())

AUXILIARIES = frozenset(
    "is are was were be been being am do does did has have had will would can could should might must shall".split()
)
_FUNCTION_WORDS = AUXILIARIES | frozenset(
    """who whom whose what when where why how which that this these those there it its he she him his her they them
    their we you i me us our your in on at to from with by for about during after before between over under into
    since than against without within across through near toward towards until per via and or but not also else
    if whether as so then just only still yet ever already many much""".split()
)
_VERBS = frozenset(
    """say says said tell tells told meet meets met lead leads led go goes went take takes took make makes made hold
    holds held win wins won give gives gave come comes came leave leaves left speak speaks spoke agree agrees mean
    means think thinks know knows want wants get gets got see sees saw become became begin began""".split()
)
_BARE_VERB_AUXILIARIES = frozenset("do does did will would can could should might must shall".split())
_WORD = re.compile(r"[\w][\w'’.-]*\w|\w|[^\w\s]")


@dataclass(frozen=True)
class Mention:
    """A name, place or date in a text: ``text[start:end]``, its kind, and whether a place cue stood before it."""

    text: str
    kind: str
    start: int
    end: int
    cued: bool = False


def _cue_before(cue: re.Pattern[str], text: str, at: int) -> bool:
    """Whether ``cue`` (anchored at its end) matches right before ``text[at]``."""
    return cue.search(text, max(0, at - _CUE_REACH), at) is not None


def _classify(words: list[str], place_cued: bool, surnames: frozenset[str]) -> tuple[str, int, int]:
    """The kind of a capitalised run, and the words (start, end) that name it: titles and "of ..." go."""
    span = " ".join(words)
    if span in _PLACES or span in _NATIONALITIES or place_cued:
        return PLACE, 0, len(words)
    name_start = len(words)
    while name_start > 0 and not ({words[name_start - 1]} & (_TITLES | _ORG_WORDS | _PLACES | _NATIONALITIES)):
        name_start -= 1
    name_end = words.index("of", name_start) if "of" in words[name_start:] else len(words)
    if 0 < name_start < name_end and words[name_start - 1] in _TITLES:
        return PERSON, name_start, name_end  # "President Vladimir Putin", "Senator Lindsey Graham of South Carolina"
    if any(w in _ORG_WORDS or w in _TITLES for w in words) or span.isupper():
        return NAME, 0, len(words)
    if name_start == 0 and name_end >= 2 or span in surnames:
        return PERSON, 0, name_end
    return NAME, 0, len(words)


def maybe_person(mention: Mention) -> bool:
    """A person, or a single unexplained name that may be one ("Darchiev" before his full name is known)."""
    if mention.kind == PERSON:
        return True
    word = mention.text
    return mention.kind == NAME and " " not in word and not word.isupper() and word not in _ORG_WORDS | _TITLES


def _overlaps(taken: list[tuple[int, int]], ends: list[int], start: int, end: int) -> bool:
    """Whether ``start..end`` overlaps one of ``taken``, spans in order that do not overlap (``ends``: their ends)."""
    after = bisect_right(ends, start)  # the first span that ends after start
    return after < len(taken) and taken[after][0] < end


def _capitalised_runs(text: str, taken: list[tuple[int, int]]) -> Iterable[tuple[int, list[str]]]:
    ends = [end for _, end in taken]
    for match in _CAPITALISED.finditer(text):
        start, words = match.start(), match.group().split()
        words[-1] = re.sub(r"(?:['’]s?|\.)$", "", words[-1])
        first = words[0].lower()
        opening = first in STOPWORDS or first in _LEADING_VERBS or (len(words) == 1 and first.endswith("ing"))
        if opening and _cue_before(_SENTENCE_START, text, start) and words[0] not in _PLACES:
            start += len(words[0]) + 1
            words = words[1:]
        words = [w for w in words if w]
        end = start + len(" ".join(words))
        if words and words != ["I"] and not _overlaps(taken, ends, start, end):
            yield start, words


def find_mentions(text: str, surnames: frozenset[str] = frozenset()) -> list[Mention]:
    """Dates, places, people and other names in ``text``, in order.

    Args:
        text: A question, answer sentence or title.
        surnames: Single words known to name a person (from elsewhere in a conversation).

    Returns:
        The mentions; a title before a person's name is left out of the mention.
    """
    mentions = [Mention(m.group(), DATE, m.start(), m.end()) for m in _DATE.finditer(text)]
    taken = [(m.start, m.end) for m in mentions]
    for start, words in _capitalised_runs(text, taken):
        kind, first, last = _classify(words, _cue_before(_PLACE_CUE, text, start), surnames)
        if first:
            start += len(" ".join(words[:first])) + 1
        words = words[first:last]
        end = start + len(" ".join(words))
        mentions.append(Mention(text[start:end], kind, start, end, _cue_before(_PLACE_CUE, text, start)))
    return sorted(mentions, key=lambda m: m.start)


def noun_phrases(text: str, join_of: bool = True) -> list[tuple[int, int]]:
    """Offsets of the noun phrases of a question or sentence, in order.

    A phrase is a run of words between function words, verbs and punctuation;
    "the", "a" and "an" open a new phrase and "of" joins two ("the third round
    of embassy talks") unless ``join_of`` is false. After "did", "would" and
    other auxiliaries that take a bare verb, the subject's last word is that
    verb ("did the EU adopt"), so it is left out, unless it ends in -s.
    """
    phrases: list[list[int]] = []
    current: list[int] | None = None
    subject = expect_subject = joined = False
    previous = ""

    def close(trim: bool = True) -> None:
        if current is None or not subject or not trim or " " not in text[current[0] : current[1]]:
            return
        last = text[current[0] : current[1]].split()[-1]
        if not last.endswith("s") or last.endswith("ss"):
            current[1] = text.rindex(" ", current[0], current[1])

    for match in _WORD.finditer(text):
        word, low = match.group(), match.group().lower()
        verb_like = (
            low in _VERBS
            or (len(low) > 4 and low.endswith("ed") and previous not in ("the", "a", "an"))
            or (low == "place" and previous in ("take", "takes", "took", "taken", "taking"))
        )
        previous = low
        if low == "of" and current is not None and join_of:
            joined = True
        elif low == "of" or not word[0].isalnum() or (low in _FUNCTION_WORDS and word != "US") or verb_like:
            close(trim=not verb_like)
            expect_subject = (subject and low in ("and", "or")) or low in _BARE_VERB_AUXILIARIES
            current, subject, joined = None, False, False
        elif current is None or (low in ("the", "a", "an") and not joined):
            close()
            current = [match.start(), match.end()]
            phrases.append(current)
            subject, expect_subject, joined = expect_subject, False, False
        else:
            current[1] = match.end()
            joined = False
    close()
    return [(start, end) for start, end in phrases]
