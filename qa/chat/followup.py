"""Follow-up questions in a conversation, rewritten to stand on their own.

The pipeline answers one self-contained question at a time, so a chat message
such as "Where did he serve before Washington?" is first rewritten from the
earlier turns into "Where did Alexander Darchiev serve before Washington?".
Rules, no model, no I/O:

- An elliptical message is merged into the previous question: "When?" or
  "Who else?" swaps its wh-word; "And in April?" or "What about Ukraine?"
  swaps a date, place or name of the same kind (a nationality becomes the new
  country's: "the Russian delegation" -> "the Ukrainian delegation"); "And the
  18th?" swaps the ordinal ("the 17th sanctions package" -> "the 18th sanctions
  package"); "And the second round?" swaps the phrase with the same head noun;
  anything else is appended ("..., and what about X?").
- Otherwise each reference word (he, they, it, there, that, that summit) is
  replaced by what the earlier turns point at (:mod:`newsdesk.qa.chat.references`).
- A message with nothing to resolve is returned exactly as typed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsdesk.qa.chat.mentions import AUXILIARIES, DATE, DEMONYMS, PLACE, Mention, find_mentions, noun_phrases
from newsdesk.qa.chat.references import Antecedents, possessive, replace_references
from newsdesk.qa.text import stem
from newsdesk.qa.types import Answer, ChatTurn

__all__ = ["ChatTurn", "resolve_followup", "turn_from_answer"]

_AUX = "|".join(sorted(AUXILIARIES))
_LEAD = re.compile(r"^(?:(?:and|but|so|also|then|ok|okay)\b[\s,]*)*(?:(?:what|how)\s+about\b\s*)?", re.I)
_BARE_WH = re.compile(
    r"^(?:(?:and|so|but|then)\s+)?(who|what|when|where|why|how(?:\s+(?:many|much|long|often))?)(\s+else)?"
    r"(?:\s+(?:exactly|then))?(?:\s+(?:is|was|were|did)\s+(?:that|this|it))?\s*[?.!]*$",
    re.I,
)
_WH_AUX = re.compile(
    rf"^(?:(?:in|on|at|from|to|for|by|with)\s+)?(who|whom|what|when|where|why|how)\s+(?=(?:{_AUX})\b)", re.I
)
_WH_SUBJECT = re.compile(rf"^(who|what)\s+(?!(?:{_AUX})\b)", re.I)
_FRAGMENT_FILLER = frozenset("in on at from to near since before after during by until the a an and else".split())
_PREPOSITION = re.compile(r"^(?:in|on|at|from|to|near|since|before|after|during|by|until|for|about)\b", re.I)
# Follow-ups point at the last few turns; reading only those keeps a turn of a 200-message
# conversation as quick as one of a short conversation (all of them made it quadratic).
RECENT_TURNS = 10
_ORDINAL = (
    r"(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
    r"|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth)"
)
_BARE_ORDINAL = re.compile(rf"(?:(?:on|in|for)\s+)?(?:the\s+)?({_ORDINAL})(?:\s+one)?", re.I)
_MONTH_BEFORE = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?:the\s+)?$", re.I)


def turn_from_answer(answer: Answer) -> ChatTurn:
    """The turn an answer makes (its ``question`` is the question as asked)."""
    short = answer.short_answer.text if answer.short_answer else None
    return ChatTurn(answer.question, answer.answer, short, tuple(dict.fromkeys(q.title for q in answer.quotes)))


def _merge_wh(message: str, previous: str, short_answer: str | None) -> str | None:
    """ "When?", "Who else?", "Where was that?": the previous question with its wh-word swapped."""
    bare = _BARE_WH.match(message)
    if bare is None:
        return None
    wh = bare.group(1).lower() + (" else" if bare.group(2) else "")
    core = previous.strip().rstrip("?.! ")
    asked = _WH_AUX.match(core)
    if asked and (wh.split()[0] in ("when", "where", "why", "how") or wh.split()[0] == asked.group(1).lower()):
        return f"{wh.capitalize()} {core[asked.end() :]}?"
    subject = _WH_SUBJECT.match(core)
    if subject and wh.split()[0] in ("who", "what"):
        return f"{wh.capitalize()} {core[subject.end() :]}?"
    if subject and short_answer and subject.group(1).lower() == "who":
        return f"{wh.capitalize()} was it that {short_answer} {core[subject.end() :]}?"
    return f"{core}, and {wh}?"


def _is_fragment(words: list[str], led: bool) -> bool:
    """No verb and no wh-word: a piece of a question ("In April?", "Ukraine?")."""
    if not words or words[0] in ("who", "whom", "what", "when", "where", "why", "how", "which", "whose"):
        return False
    if any(
        w in AUXILIARIES or (len(w) > 4 and w.endswith("ed") and i and words[i - 1] not in ("the", "a", "an"))
        for i, w in enumerate(words)
    ):
        return False
    return led or len(words) <= 4


def _swap(previous: str, old: Mention, new: Mention, fragment: str) -> str:
    """The previous question with one mention replaced by the fragment's, prepositions kept or swapped."""
    start, text = old.start, new.text
    if old.text in DEMONYMS.values() and new.kind == PLACE:
        text = DEMONYMS.get(new.text, new.text if new.text in DEMONYMS.values() else possessive(new.text))
        if text.endswith("'s") and previous[:start].lower().endswith("the "):
            start -= 4
    own_lead = re.search(
        r"\b(in|on|at|from|since|before|after|during|by|until)\s+(?:the\s+)?$", fragment[: new.start], re.I
    )
    old_lead = re.search(r"\b(in|on|at|from|since|before|after|during|by|until)\s+(?:the\s+)?$", previous[:start], re.I)
    if own_lead and old_lead:
        start, text = old_lead.start(), fragment[own_lead.start() : new.end]
    return previous[:start] + text + previous[old.end :]


def _merge_fragment(message: str, previous: str, context: Antecedents) -> str | None:
    """ "And in April?", "What about Ukraine?": the fragment's mentions swapped into the previous question."""
    lead = _LEAD.match(message)
    fragment = message[lead.end() if lead else 0 :].strip(" ?!.")
    words = re.findall(r"[\w'’-]+", fragment.lower())
    if not _is_fragment(words, bool(lead and lead.group().strip())):
        return None
    ordinal = _swap_ordinal(previous.strip(), fragment)
    if ordinal:
        return ordinal
    fragment = replace_references(fragment, context)
    new_mentions = find_mentions(fragment, context.surnames)
    simple = all(w in _FRAGMENT_FILLER for w in re.findall(r"[\w'’-]+", _blank(fragment, new_mentions).lower()))
    merged, used = previous.strip(), 0
    for new in reversed(new_mentions) if simple else []:
        same = [m for m in find_mentions(merged, context.surnames) if _same_kind(m, new)]
        same.sort(key=lambda m: m.cued != new.cued)
        if same:
            merged, used = _swap(merged, same[0], new, fragment), used + 1
    if simple and used == len(new_mentions) and used:
        return merged
    swapped = _swap_phrase(previous.strip(), fragment)
    if swapped:
        return swapped
    core = previous.strip().rstrip("?.! ")
    return f"{core} {fragment}?" if _PREPOSITION.match(fragment) else f"{core}, and what about {fragment}?"


def _swap_ordinal(previous: str, fragment: str) -> str | None:
    """ "And the 18th?": the previous question's ordinal swapped (a number for a number, not a day, first)."""
    asked = _BARE_ORDINAL.fullmatch(fragment)
    if asked is None:
        return None
    new = asked.group(1)
    def is_day(m: re.Match[str]) -> bool:
        return bool(_MONTH_BEFORE.search(previous[: m.start()]) or re.match(r"\s+of\s+[A-Z]", previous[m.end() :]))

    found = sorted(
        re.finditer(rf"\b{_ORDINAL}\b", previous, re.I),
        key=lambda m: (m.group()[0].isdigit() != new[0].isdigit(), is_day(m)),
    )
    if not found:
        return None
    old = found[0]
    return previous[: old.start()] + new.lower() + previous[old.end() :]


def _swap_phrase(previous: str, fragment: str) -> str | None:
    """ "And the second round?": the previous question's phrase with the same head noun replaced."""
    if not re.match(r"^(?:the|a|an)\s", fragment, re.I) and not fragment.split()[-1].islower():
        return None
    head = stem(fragment.split()[-1].lower())
    for s, e in noun_phrases(previous, join_of=False):
        if stem(previous[s:e].split()[-1].lower()) == head:
            lead = re.search(r"\b(?:the|a|an|its|their|his|her)\s+$", previous[:s], re.I)
            return previous[: lead.start() if lead else s] + fragment + previous[e:]
    return None


def _blank(text: str, mentions: list[Mention]) -> str:
    for m in reversed(mentions):
        text = text[: m.start] + " " + text[m.end :]
    return text


def _same_kind(old: Mention, new: Mention) -> bool:
    if DATE in (old.kind, new.kind) or PLACE in (old.kind, new.kind):
        return old.kind == new.kind
    return True  # people and other names stand in for each other ("What about Lavrov?")


def resolve_followup(history: Sequence[ChatTurn], message: str, max_chars: int | None = None) -> str:
    """Rewrite a chat message into a question that stands on its own.

    Args:
        history: The earlier turns, oldest first.
        message: What the user typed.
        max_chars: A rewrite longer than this is given up.

    Returns:
        The self-contained question; ``message`` itself, unchanged, when it
        refers to nothing earlier (or there is no earlier turn).
    """
    text = message.strip()
    if not history or not text:
        return message
    context = Antecedents(history[-RECENT_TURNS:])
    previous = history[-1]
    rewritten = (
        _merge_wh(text, previous.question, previous.short_answer)
        or _merge_fragment(text, previous.question, context)
        or replace_references(text, context)
    )
    if rewritten == text or (max_chars is not None and len(rewritten) > max_chars):
        return message
    return rewritten
