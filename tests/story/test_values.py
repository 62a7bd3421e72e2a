"""Value reading and normalisation: numbers with units and currencies, dates, names (table-driven)."""

from __future__ import annotations

import pytest

from newsdesk.qa.story.values import mentions, parse_number, parse_value, value_at, values_in


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("8,500", 8500), ("8.5k", 8500), ("eight thousand five hundred", 8500), ("41 million", 41e6),
        ("1.2bn", 1.2e9), ("$1.2 billion", 1.2e9), ("one hundred and twelve", 112), ("a dozen", 12),
        ("two dozen", 24), ("27", 27), ("0.5", 0.5), ("twenty-seven", 27), ("3m", 3e6), ("forty", 40),
    ],
)
def test_numbers_normalise_to_one_amount(text: str, amount: float) -> None:
    assert parse_number(text) == pytest.approx(amount)


@pytest.mark.parametrize("text", ["Riverton", "", "the floods", "-"])
def test_what_is_not_a_number_parses_to_none(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "kind", "amount", "unit", "surface"),
    [
        ("$45 a barrel", "money", 45, "USD/barrel", "$45 a barrel"),
        ("45 dollars per barrel", "money", 45, "USD/barrel", "45 dollars per barrel"),
        ("£3bn", "money", 3e9, "GBP", "£3bn"),
        ("€20 million", "money", 20e6, "EUR", "€20 million"),
        ("40%", "number", 40, "%", "40%"),
        ("40 per cent", "number", 40, "%", "40 per cent"),
        ("5.2 percent", "number", 5.2, "%", "5.2 percent"),
        ("12 km", "number", 12, "km", "12 km"),
        ("12 kilometres", "number", 12, "km", "12 kilometres"),
        ("27 dead", "number", 27, None, "27 dead"),
        ("27 people", "number", 27, None, "27 people"),
        ("3 hostages", "number", 3, None, "3 hostages"),
        ("41 million", "number", 41e6, None, "41 million"),
    ],
)
def test_units_and_counted_nouns(text: str, kind: str, amount: float, unit: str | None, surface: str) -> None:
    value = parse_value(text)
    assert (value.kind, value.amount, value.unit, value.surface) == (kind, pytest.approx(amount), unit, surface)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("8,500", "8.5k", True), ("8,500", "eight thousand five hundred", True), ("27 dead", "27 people", True),
        ("27 dead", "twenty-seven", True), ("41 million", "41,000,000", True), ("$45 a barrel", "45 dollars a barrel", True),
        ("$45", "€45", False), ("45%", "45", False), ("12", "27", False), ("$45 a barrel", "$45", False),
        ("October 9", "9 Oct 2025", True), ("October 9", "October 7", False), ("2025-10-09", "Oct. 9, 2025", True),
        ("Luke Humphries", "Humphries", True), ("Luke Humphries", "Luke Littler", False), ("the Kremlin", "Kremlin", True),
    ],
)
def test_values_compare_after_normalising(a: str, b: str, same: bool) -> None:
    assert parse_value(a).matches(parse_value(b)) is same
    assert parse_value(b).matches(parse_value(a)) is same


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("October 9", ("date", "", "--10-09")), ("9 October 2025", ("date", "", "2025-10-09")),
        ("Jan. 5, 2024", ("date", "", "2024-01-05")), ("February 2024", ("date", "", "2024-02")),
        ("2025-10-09", ("date", "", "2025-10-09")), ("in 2024", ("date", "", "2024")),
        ("Luke Humphries", ("name", "", "luke humphries")), ("the Riverton River", ("name", "", "riverton river")),
        ("rats", ("text", "", "rats")),
    ],
)
def test_dates_and_names_have_normalised_keys(text: str, key: tuple[str, str, str]) -> None:
    assert parse_value(text).key == key


def test_values_in_a_sentence_with_offsets() -> None:
    sentence = "On October 9, officials said 27 people had died and 8,500 were evacuated after 3.5 inches of rain."
    found = values_in(sentence)
    assert [(v.kind, v.surface) for v in found] == [
        ("date", "October 9"), ("number", "27 people"), ("number", "8,500"), ("number", "3.5 inches"),
    ]
    assert all(sentence[v.start : v.end] == v.surface for v in found)


@pytest.mark.parametrize(
    ("sentence", "span", "surface"),
    [
        ("At least 12 people died in the floods.", "12", "12 people"),
        ("Oil rose to $45 a barrel on Monday.", "$45", "$45 a barrel"),
        ("The final was watched by 41 million viewers.", "41 million", "41 million viewers"),
        ("Talks were led by Rustem Umerov, the minister.", "Rustem Umerov", "Rustem Umerov"),
        ("The vote was held on October 9 in Riverton.", "October 9", "October 9"),
    ],
)
def test_a_read_span_widens_to_its_value(sentence: str, span: str, surface: str) -> None:
    start = sentence.index(span)
    value = value_at(sentence, start, start + len(span))
    assert value.surface == surface
    assert sentence[value.start : value.end] == surface


@pytest.mark.parametrize(
    ("text", "value", "said"),
    [
        ("The toll rose from 12 to 27 on Thursday.", "12", True),
        ("The toll rose to 27 on Thursday.", "12", False),
        ("The final between Northport and Eastvale.", "Northport", True),
        ("The final between Northport and Eastvale.", "Westbury", False),
        ("Some 8,500 residents were evacuated.", "8.5k", True),
    ],
)
def test_mentions(text: str, value: str, said: bool) -> None:
    assert mentions(text, parse_value(value)) is said


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("more than 170", "171", True), ("about 8,500", "8,400", True), ("nearly 45 million", "45.5 million", True),
        ("at least 12", "27", False), ("more than 170", "190", False), ("170", "171", False),
        ("about $45", "45", False),
    ],
)
def test_an_approximate_number_agrees_with_close_ones(a: str, b: str, same: bool) -> None:
    assert parse_value(a).matches(parse_value(b)) is same
    assert parse_value(b).matches(parse_value(a)) is same


@pytest.mark.parametrize(
    ("text", "noun"),
    [("27 dead", "dead"), ("41 million viewers", "viewers"), ("29,000 likes", "likes"), ("3,000 were evacuated", None),
     ("$45 a barrel", None), ("170 Boeing jets", None)],
)
def test_the_counted_noun_is_kept(text: str, noun: str | None) -> None:
    assert parse_value(text).noun == noun
