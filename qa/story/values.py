"""Values an answer can give, read from a span or a sentence and normalised so they compare.

A value is a number with its unit ("8,500", "8.5k" and "eight thousand five hundred" are one
value; "$45 a barrel" is 45 US dollars per barrel; "41 million" is 41,000,000), a date ("October
9", "9 Oct 2025", "2025-10-09"), or a name or other text. Counted nouns after a number ("27
dead", "27 people") are kept in the surface but are not a unit: both are the count 27.
Pure functions, no model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdesk.qa.text import STOPWORDS, tokens

__all__ = ["APPROXIMATE_SHARE", "COUNTED_PEOPLE", "Value", "mentions", "parse_number", "parse_value", "value_at", "values_in"]

_MONTH_NAMES = "january february march april may june july august september october november december".split()
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATE = re.compile(
    rf"\b(?:(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
    rf"|(?P<md>{_MONTH})\s+(?P<mdd>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<mdy>\d{{4}}))?"
    rf"|(?P<dd>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dm>{_MONTH})(?:,?\s+(?P<dmy>\d{{4}}))?"
    rf"|(?P<my>{_MONTH})\s+(?P<myy>\d{{4}}))(?!\w)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:1[89]|20)\d{2}\b")

_WORD_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"dozen": 12, "hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SUFFIXES = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9, "tn": 1e12}
_NUMBER_WORD = "|".join(sorted([*_WORD_UNITS, *_SCALES], key=len, reverse=True))
_CURRENCIES = {"$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "€": "EUR", "eur": "EUR",
               "euro": "EUR", "euros": "EUR", "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP",
               "¥": "JPY", "yen": "JPY", "a$": "AUD", "c$": "CAD"}
_UNITS = {"%": "%", "percent": "%", "per cent": "%", "percentage point": "pp", "percentage points": "pp",
          "km": "km", "kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km",
          "mile": "mi", "miles": "mi", "mph": "mph", "kg": "kg", "kilogram": "kg", "kilograms": "kg",
          "ton": "t", "tons": "t", "tonne": "t", "tonnes": "t", "foot": "ft", "feet": "ft", "ft": "ft",
          "metre": "m", "metres": "m", "meter": "m", "meters": "m", "degree": "deg", "degrees": "deg",
          "year": "yr", "years": "yr", "month": "mo", "months": "mo", "week": "wk", "weeks": "wk",
          "day": "d", "days": "d", "hour": "h", "hours": "h", "inch": "in", "inches": "in"}
_PER = r"(?:\s+(?:a|an|per)\s+(?P<per>barrel|gallon|share|hour|day|week|month|year|ounce|litre|liter|person|head|kilo|kg|tonne|ton))?"
_UNIT_ALTERNATIVES = "|".join(re.escape(u) for u in sorted([*_UNITS, *(c for c in _CURRENCIES if c.isalpha())], key=len, reverse=True))
_NUMBER = re.compile(
    r"(?P<cur>US\$|A\$|C\$|[$€£¥]|\b(?:USD|EUR|GBP)\s?)?\s?"
    rf"(?:(?<![\w.-])(?P<digits>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<suffix>k|mn|mln|bn|m|b|tn)?\b"
    rf"|\b(?P<words>(?:an?\s+)?(?:{_NUMBER_WORD})(?:(?:\s+and\s+|[\s-])(?:{_NUMBER_WORD}))*)\b)"
    rf"(?:[\s-]?(?P<scale>hundred|thousand|million|billion|trillion)\b)?"
    rf"(?:\s?(?P<unit>%|(?:{_UNIT_ALTERNATIVES})\b))?{_PER}",
    re.IGNORECASE,
)
# "more than 170" is no other figure than "171"; "at least 12" still differs from "27".
APPROXIMATE_SHARE = 0.05
_APPROXIMATE = re.compile(
    r"(?:more than|over|at least|about|around|nearly|almost|roughly|approximately|some|close to|upwards? of|"
    r"fewer than|less than|under|up to|an estimated)\s*$",
    re.IGNORECASE,
)
_NOUN = re.compile(r"\s+([a-z][a-z-]{2,})\b")
# Words after a number that say what was counted ("27 dead"); other plurals ending in -s count too.
# These all count people, so "27 dead" and "12 people" may be one figure; "viewers" and "likes" not.
COUNTED_PEOPLE = frozenset(
    "dead killed died injured wounded hurt missing evacuated displaced arrested detained people "
    "children staff crew police".split()
)


@dataclass(frozen=True)
class Value:
    """One value and where it was read.

    Attributes:
        kind: ``number``, ``money``, ``date``, ``name`` (capitalised) or ``text``.
        amount: The number (numbers and money), else None.
        text: The normalised text: ISO-like date (``2025-10-09``, ``--10-09`` without a year,
            ``2025-10`` for a month), lower-cased name or text; None for numbers.
        unit: Currency code (``USD``), unit (``%``, ``km``...) with ``/barrel`` for a rate; None for a count.
        surface: The words as written, counted noun included ("27 dead").
        start: Offset of ``surface`` in the text it was read from.
        end: End offset of ``surface``.
        noun: The counted noun after a number ("dead", "viewers"), if any.
        approximate: The number follows "more than", "about", "nearly"...: it agrees with
            numbers within :data:`APPROXIMATE_SHARE` of it.
    """

    kind: str
    amount: float | None
    text: str | None
    unit: str | None
    surface: str
    start: int
    end: int
    noun: str | None = None
    approximate: bool = False

    @property
    def key(self) -> tuple[str, str, str]:
        """What two equal values share: kind, unit and the normalised amount or text."""
        if self.amount is not None:
            return (self.kind, self.unit or "", f"{self.amount:.6g}")
        return (self.kind, self.unit or "", self.text or "")

    def matches(self, other: Value) -> bool:
        """The same value: equal keys, an approximate number close to the other, a date with and
        without its year, or a name and its last words."""
        if self.key == other.key:
            return True
        if self.amount is not None and other.amount is not None and (self.approximate or other.approximate):
            close = abs(self.amount - other.amount) <= APPROXIMATE_SHARE * max(abs(self.amount), abs(other.amount))
            return (self.kind, self.unit) == (other.kind, other.unit) and close
        if self.kind != other.kind or self.amount is not None or not self.text or not other.text:
            return False
        if self.kind == "date":
            short, full = sorted((self.text, other.text), key=len)
            return short.startswith("--") and full.endswith(short[1:])
        mine, theirs = self.text.split(), other.text.split()
        shorter, longer = sorted((mine, theirs), key=len)
        return bool(shorter) and longer[-len(shorter) :] == shorter


def _words_amount(words: str) -> float | None:
    total, current = 0.0, 0.0
    for word in re.split(r"[\s-]+", words.lower()):
        if word in ("and", ""):
            continue
        if word in ("a", "an"):
            current = max(current, 1.0)
        elif word in _WORD_UNITS:
            current += _WORD_UNITS[word]
        elif word in ("dozen", "hundred"):
            current = max(current, 1.0) * _SCALES[word]
        elif word in _SCALES:
            total += max(current, 1.0) * _SCALES[word]
            current = 0.0
        else:
            return None
    return total + current


def parse_number(text: str) -> float | None:
    """The number ``text`` spells ("8,500", "8.5k", "eight thousand five hundred", "41 million"), or None."""
    match = _NUMBER.fullmatch(text.strip())
    return _amount(match) if match else None


def _amount(match: re.Match[str]) -> float | None:
    if match.group("digits"):
        amount = float(match.group("digits").replace(",", ""))
        suffix = (match.group("suffix") or "").lower()
        amount *= _SUFFIXES.get(suffix, 1.0)
    else:
        words = _words_amount(match.group("words"))
        if words is None:
            return None
        amount = words
    if match.group("scale"):
        amount *= _SCALES[match.group("scale").lower()]
    return round(amount, 6)


def _is_counted(word: str) -> bool:
    return word in COUNTED_PEOPLE or (word.endswith("s") and not word.endswith("ss") and word not in STOPWORDS)


def _number_value(match: re.Match[str], text: str, offset: int) -> Value | None:
    amount = _amount(match)
    if amount is None or (match.group("words") and match.group("words").lower() in ("a", "an")):
        return None
    currency = _CURRENCIES.get((match.group("cur") or "").strip().lower())
    unit_word = (match.group("unit") or "").lower()
    if unit_word in _CURRENCIES:
        currency = _CURRENCIES[unit_word]
    unit = currency or _UNITS.get(unit_word)
    if match.group("per"):
        unit = f"{unit or ''}/{match.group('per').lower()}"
    start, end = match.start() + (len(match.group()) - len(match.group().lstrip())), match.end()
    noun = _NOUN.match(text, end)
    counted = noun.group(1) if unit is None and noun and _is_counted(noun.group(1)) else None
    if counted:
        end = noun.end()  # type: ignore[union-attr]
    approximate = bool(_APPROXIMATE.search(text[max(0, start - 20) : start]))
    kind = "money" if currency else "number"
    return Value(kind, amount, None, unit, text[start:end], start + offset, end + offset, counted, approximate)


def _date_value(match: re.Match[str], offset: int) -> Value:
    def month(name: str) -> int:
        return next(i for i, full in enumerate(_MONTH_NAMES, 1) if full.startswith(name.lower().rstrip(".")[:3]))

    if match.group("iso"):
        text = match.group("iso")
    elif match.group("md"):
        year = match.group("mdy") or "-"
        text = f"{year}-{month(match.group('md')):02d}-{int(match.group('mdd')):02d}"
    elif match.group("dm"):
        year = match.group("dmy") or "-"
        text = f"{year}-{month(match.group('dm')):02d}-{int(match.group('dd')):02d}"
    else:
        text = f"{match.group('myy')}-{month(match.group('my')):02d}"
    return Value("date", None, text, None, match.group(), match.start() + offset, match.end() + offset)


def values_in(text: str, offset: int = 0) -> list[Value]:
    """The dates, years and numbers of a text, in order; offsets shifted by ``offset``."""
    found = [_date_value(m, offset) for m in _DATE.finditer(text)]
    taken = [(v.start - offset, v.end - offset) for v in found]
    for match in _YEAR.finditer(text):
        if all(match.end() <= a or match.start() >= b for a, b in taken) and not re.match(r"\s*(?:%|[a-z]*illion)", text[match.end():]):
            found.append(Value("date", None, match.group(), None, match.group(), match.start() + offset, match.end() + offset))
            taken.append((match.start(), match.end()))
    for match in _NUMBER.finditer(text):
        if all(match.end() <= a or match.start() >= b for a, b in taken):
            value = _number_value(match, text, offset)
            if value is not None:
                found.append(value)
                taken.append((value.start - offset, value.end - offset))
    return sorted(found, key=lambda v: v.start)


_ARTICLES = ("the", "a", "an")


def _text_value(text: str, start: int, end: int) -> Value:
    surface = text[start:end].strip(" \t\n,.;:!?\"'“”‘’()")
    start = text.find(surface, start) if surface else start
    words = [t for t in tokens(surface) if t not in _ARTICLES]
    first = next((w for w in surface.split() if w.lower() not in _ARTICLES), "")
    kind = "name" if first[:1].isupper() else "text"
    return Value(kind, None, " ".join(words), None, surface, start, start + len(surface))


def value_at(text: str, start: int, end: int) -> Value:
    """The value of the span ``text[start:end]`` (a reader's answer), widened to its unit and noun.

    A span holding or inside a number or date is that value ("12" in "12 dead" is the count
    12 with the surface "12 dead"); any other span is a name or text value.
    """
    for value in values_in(text):
        if value.start < end and start < value.end:
            return value
    return _text_value(text, start, end)


def parse_value(text: str) -> Value:
    """The value a standalone string spells ("27", "8.5k", "$45 a barrel", "Luke Humphries")."""
    return value_at(text, 0, len(text))


def mentions(text: str, value: Value) -> bool:
    """Whether ``text`` gives ``value`` somewhere (a number or date equal to it, or the name's words)."""
    if value.kind in ("name", "text"):
        words = " ".join(t for t in tokens(text) if t not in _ARTICLES)
        return bool(value.text) and f" {value.text} " in f" {words} "
    return any(value.matches(other) for other in values_in(text))
