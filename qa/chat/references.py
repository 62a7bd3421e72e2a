"""Reference words in a chat message, replaced by what the earlier turns say they point at.

The antecedents come from :class:`newsdesk.qa.chat.antecedents.Antecedents`. A
reference the message explains itself ("Did the EU say it would...", "Which
country said it...") or that is no reference ("was there a ceasefire", "said
that Trump...") is left alone.
"""

from __future__ import annotations

import re

from newsdesk.qa.chat.antecedents import NATIONALITIES, PERSON_NOUNS, Antecedents, is_plural
from newsdesk.qa.chat.mentions import AUXILIARIES, NAME, PLACE, find_mentions, maybe_person, noun_phrases

__all__ = ["Antecedents", "possessive", "replace_references"]

_AUX = "|".join(sorted(AUXILIARIES))
_REFERENCE = re.compile(r"\b(he|she|him|his|her|they|them|their|it|its|there|that|this|those|these)\b", re.I)
_WH_PHRASE = re.compile(rf"^\W*(?:\w+\s+)?(?:which|what|whose|how\s+many|how\s+much)\b.*?\b(?:{_AUX})\b", re.I)
_PREPOSITION = re.compile(r"^(?:in|on|at|from|to|near|since|before|after|during|by|until|for|about)\b", re.I)
_SPEECH_VERBS = frozenset(
    "say says said tell tells told claim claimed mention mentioned announce announced write wrote".split()
)
_TIME_NOUNS = frozenset("day date week month year time".split())


def possessive(phrase: str) -> str:
    """ "Darchiev's", "the delegations'"."""
    return phrase + ("'" if phrase.endswith("s") and not phrase[0].isupper() else "'s")


def _explained_before(word: str, before: str, context: Antecedents) -> bool:
    """Whether the message itself names what the reference word points at ("Did the EU say it...")."""
    mentions = find_mentions(before, context.surnames)
    if word in ("he", "she", "him", "his", "her"):
        return any(maybe_person(m) for m in mentions) or bool(PERSON_NOUNS & set(before.lower().split()))
    if word == "there":
        return any(m.kind == PLACE and m.text not in NATIONALITIES for m in mentions)
    subject = re.match(r"^\s*(?:which|what)\s+", before, re.I)
    if subject and not _REFERENCE.search(before):  # "Which country said it ...": the asked-for thing is the antecedent
        tail = before[subject.end() :]
        phrases = noun_phrases(tail)
        if phrases and phrases[0][0] == 0:
            following = tail[phrases[0][1] :].split()
            if following and following[0].lower() not in AUXILIARIES:
                return tail[: phrases[0][1]].split()[-1].lower() not in PERSON_NOUNS
    stripped = _WH_PHRASE.sub("", before)
    if any(m.kind in (NAME, PLACE) and m.text not in NATIONALITIES for m in find_mentions(stripped, context.surnames)):
        return True
    return any(
        (is_plural(p) or re.match(r"(?:the|a|an)\s", p, re.I)) and p.split()[-1].lower() not in PERSON_NOUNS
        for p in (stripped[s:e] for s, e in noun_phrases(stripped))
    )


def _replace_reference(word: str, before: str, after: str, context: Antecedents) -> tuple[int, str] | None:
    """What replaces the reference word: (characters of ``after`` it also covers, text), or None."""
    following = re.match(r"\s*([\w'’-]+)", after)
    next_word = following.group(1).lower() if following else ""
    ends_clause = re.match(r"\s*(?:[?.!,;]|$)", after) is not None or bool(_PREPOSITION.match(next_word))
    previous_word = (before.split() or [""])[-1].lower()
    if word in ("that", "this", "those", "these") and next_word and not ends_clause and next_word not in AUXILIARIES:
        if following is None or not next_word.isalpha() or not following.group(1).islower():
            return None  # "said that Trump would...": a clause, not a reference
        if next_word in _TIME_NOUNS and (day := context.date()):
            lead = "" if _PREPOSITION.match(previous_word) else ("on " if re.search(r"\d|day$", day) else "in ")
            return following.end(), lead + day
        phrase = context.phrase_with_head(following.group(1))
        if phrase or previous_word not in AUXILIARIES:
            return (following.end(), phrase) if phrase else None
        # "Why did that matter?": no earlier "... matter", so "that" stands for the earlier topic
    if _explained_before(word, before, context):
        return None
    if word in ("he", "she", "him", "his", "her"):
        owner = word == "his" or (
            word == "her" and bool(next_word) and not ends_clause and next_word not in AUXILIARIES
        )
        person = context.person(last=word in ("him", "her") and not owner)
        if person is None:
            return None
        return 0, possessive(person) if owner else person
    if word in ("they", "them", "their"):
        group = context.group(last=word == "them")
        return (0, possessive(group) if word == "their" else group) if group else None
    if word == "there":
        verb = previous_word if previous_word.isalpha() and previous_word not in AUXILIARIES else None
        place = context.place(verb)
        if not ends_clause or place is None:
            return None  # "was there a ceasefire?"
        return 0, place if _PREPOSITION.match(previous_word) else f"in {place}"
    if word in ("that", "this") and previous_word in _SPEECH_VERBS:
        return None  # "said that": what was said, which the person already pins down
    if word in ("that", "this", "it", "its") and (ends_clause or previous_word in AUXILIARIES or word in ("it", "its")):
        topic = context.topic()
        if topic is None:
            return None
        return 0, possessive(topic) if word == "its" else topic
    return None


def replace_references(message: str, context: Antecedents) -> str:
    """The message with each reference word it does not explain itself replaced."""
    out, position = [], 0
    for match in _REFERENCE.finditer(message):
        if match.start() < position:
            continue
        found = _replace_reference(match.group(1).lower(), message[: match.start()], message[match.end() :], context)
        if found is None:
            continue
        covered, text = found
        if re.search(r"(?:^|[.?!]\s+)$", message[: match.start()]):
            text = text[0].upper() + text[1:]
        out += [message[position : match.start()], text]
        position = match.end() + covered
    return "".join(out) + message[position:]
