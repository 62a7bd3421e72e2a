"""What the earlier turns of a chat say a reference word points at.

The antecedent of each kind of reference is picked by rules from the mentions and
noun phrases of the earlier turns (:mod:`newsdesk.qa.chat.mentions`), newest turn first:

- he/she/his: the answer to a "who" question, else the person the question
  named (the last one named for him/her as objects);
- there: where the message's verb happened in an earlier question or answer
  ("arrive there" after "arrived in Washington"), else the answer to a "where"
  question unless its answer sentence names it only in passing beside another
  place after "in"/"at", else a place after "in"/"at";
- they/their: "Russia and Ukraine", a plural phrase, two people, a name;
  them: the last plural phrase first ("Who hosted them?" means the talks);
- it/its/this/that: the previous question's topic, its first noun phrase that
  is not the asked-for thing, a person, a date or a place; "that summit" is the
  earlier phrase ending in "summit", "that day" the earlier date.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsdesk.qa.answering.short_answer import AnswerType, answer_type
from newsdesk.qa.chat.mentions import (
    DATE,
    DEMONYMS,
    NAME,
    PERSON,
    PLACE,
    Mention,
    find_mentions,
    maybe_person,
    noun_phrases,
)
from newsdesk.qa.text import stem
from newsdesk.qa.types import ChatTurn

__all__ = ["NATIONALITIES", "PERSON_NOUNS", "Antecedents", "is_plural"]

# Nouns that stand for a person ("the ambassador"): "which adviser" asks for a person, "the minister" is no "it".
PERSON_NOUNS = frozenset(
    """president minister ambassador aide spokesman spokeswoman leader chancellor senator envoy official secretary
    diplomat man woman king queen pope adviser advisor chief head premier""".split()
)
# "Russian", "French": capitalised like places, but never where "there" is.
NATIONALITIES = frozenset(DEMONYMS.values())


def _verb_root(word: str) -> str:
    """ "arrive", "arrived", "arrives" -> "arriv"."""
    return stem(word.lower()).rstrip("e")


def is_plural(phrase: str) -> bool:
    """Whether a noun phrase is plural ("the delegations"; "the third round of embassy talks" is one round)."""
    last = phrase.split(" of ")[0].split()[-1]
    return last.islower() and len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "'s", "’s"))


def _asks_for(question: str) -> str:
    """The answer type of a question; "which adviser ..." asks for a person too."""
    if re.match(rf"^\W*(?:which|what)\s+(?:[\w'’-]+\s+){{0,2}}?(?:{'|'.join(PERSON_NOUNS)})\b", question, re.I):
        return AnswerType.PERSON
    return answer_type(question)


@dataclass(frozen=True)
class _ReadTurn:
    """An earlier turn with its mentions: of the question, short answer, answer sentence and titles."""

    turn: ChatTurn
    asked: str
    question: list[Mention]
    short: list[Mention]
    answer: list[Mention]
    titles: list[Mention]


class Antecedents:
    """What the earlier turns mention (newest first), and the antecedent each kind of reference picks from it."""

    def __init__(self, history: Sequence[ChatTurn]) -> None:
        texts = [
            t for turn in history for t in (turn.question, turn.answer or "", turn.short_answer or "", *turn.titles)
        ]
        people = [m.text for text in texts for m in find_mentions(text) if m.kind == PERSON]
        self.surnames = frozenset(name.split()[-1] for name in people)
        self.full_names = {name.split()[-1]: name for name in people if " " in name}
        find = lambda text: find_mentions(text or "", self.surnames)  # noqa: E731
        self.turns = [
            _ReadTurn(
                t,
                _asks_for(t.question),
                find(t.question),
                find(t.short_answer),
                find(t.answer),
                [m for title in t.titles for m in find(title)],
            )
            for t in reversed(history)
        ]

    def person(self, last: bool = False) -> str | None:
        """The answer to a "who" question, else the person the question named (the last one for him/her)."""
        for read in self.turns:
            named = [m for m in read.question if maybe_person(m)][:: -1 if last else 1]
            answered = [m for m in read.short if m.kind == PERSON]
            found = answered + named if read.asked == AnswerType.PERSON else named + answered
            found += [m for m in read.answer + read.titles if m.kind == PERSON]
            if found:
                return self.full_names.get(found[0].text, found[0].text)
        return None

    def place(self, verb: str | None = None) -> str | None:
        """The place "there" means, from the questions and answers, newest first.

        Where ``verb`` happened ("arrive there": "arrived in Washington"), else the
        answer to a "where" question, else a place named after "in"/"at", else any
        place. A "where" answer that its own answer sentence names only in passing
        ("ambassador to the United States, arrived in Washington") is likely wrong,
        and the place after "in"/"at" is taken instead.
        """
        if verb:
            root = _verb_root(verb)
            for read in self.turns:
                for text, mentions in ((read.turn.question, read.question), (read.turn.answer or "", read.answer)):
                    for m in mentions:
                        lead = re.search(r"([\w'’-]+)\s+(?:in|at|to|into|near|from)\s+(?:the\s+)?$", text[: m.start])
                        happened_there = lead is not None and _verb_root(lead.group(1)) == root
                        if happened_there and m.kind == PLACE and m.text not in NATIONALITIES:
                            return m.text
        for read in self.turns:
            answered = read.short if read.asked == AnswerType.PLACE else []
            if answered and any(m.text == answered[0].text and not m.cued for m in read.answer):
                if any(m.cued and m.kind == PLACE and m.text != answered[0].text for m in read.answer):
                    answered = []
            places = (
                answered
                + [m for m in read.question + read.answer if m.cued]
                + read.question
                + read.answer
                + read.titles
            )
            places = [m for m in places if m.kind == PLACE and m.text not in NATIONALITIES]
            if places:
                return places[0].text
        return None

    def group(self, last: bool = False) -> str | None:
        """ "Russia and Ukraine", a plural phrase (the last one for "them"), two people, or an organisation."""
        for read in self.turns:
            text, named = read.turn.question, read.question
            joined = [
                text[a.start : b.end]
                for a, b in zip(named, named[1:], strict=False)
                if text[a.end : b.start] in (" and ", ", and ") and DATE not in (a.kind, b.kind)
            ]
            plural = [text[s:e] for s, e in noun_phrases(text) if is_plural(text[s:e])][:: -1 if last else 1]
            people = [m.text for m in named + read.short if m.kind == PERSON]
            names = [m.text for m in named if m.kind in (NAME, PLACE) and not m.cued and m.text not in NATIONALITIES]
            candidates = (plural + joined if last else joined + plural) + (
                [" and ".join(people[:2])] if len(people) > 1 else []
            )
            if candidates or names:
                return (candidates + names)[0]
        return None

    def topic(self) -> str | None:
        """What "it" or "that" means: a named answer to "which ...", else the previous question's first noun
        phrase that could be an "it" (not plural, not a person, a date or a place after "in", not the asked-for
        thing), else the asked-for thing ("the defence spending target")."""
        for read in self.turns:
            if read.asked in (AnswerType.NAME, AnswerType.OTHER) and [m.text for m in read.short] == [
                read.turn.short_answer
            ]:
                if read.short[0].kind == NAME:
                    return read.short[0].text
            text = read.turn.question
            plain = {m.text for m in read.question if m.kind in (PERSON, DATE) or m.cued or m.text in NATIONALITIES}
            asked_about = []
            for s, e in noun_phrases(text):
                phrase = text[s:e]
                if (
                    phrase in plain
                    or phrase.isupper()
                    or is_plural(phrase)
                    or phrase.split()[-1].lower() in PERSON_NOUNS
                ):
                    continue
                if re.search(r"\b(?:which|what|whose|many|much)\s+$", text[:s], re.I):
                    asked_about.append(f"the {phrase}")
                elif not re.search(r"\b(?:its|their|his|her)\s+$", text[:s], re.I):
                    return phrase
            if asked_about:
                return asked_about[0]
        return None

    def phrase_with_head(self, head: str) -> str | None:
        """An earlier noun phrase of two or more words ending in ``head`` ("the NATO summit" for "summit")."""
        for read in self.turns:
            for text in (read.turn.question, read.turn.answer or ""):
                for s, e in noun_phrases(text, join_of=False):
                    words = text[s:e].split()
                    if len(words) > 1 and stem(words[-1].lower()) == stem(head.lower()):
                        return re.sub(r"^(?:a|an)\s", "the ", text[s:e], flags=re.I)
        return None

    def date(self) -> str | None:
        for read in self.turns:
            dates = [m.text for m in read.short + read.question + read.answer if m.kind == DATE]
            if dates:
                return dates[0]
        return None
