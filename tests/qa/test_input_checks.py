"""Article text as sent: mostly-not-letters text refused, HTML recognised (qa/ingest/input_checks.py)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from newsdesk.desk import Newsdesk
from newsdesk.qa.errors import ArticleError
from newsdesk.qa.ingest.input_checks import article_text_from_html, check_prose, looks_like_html
from newsdesk.qa.types import ArticleDraft

NOISE = bytes(random.Random(7).randrange(256) for _ in range(2258)).decode("latin-1")
NEWS = "The ferry resumed on Thursday after 3 days of storms; 1,204 passengers crossed by 10:30 a.m."


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        (NEWS, False),
        ("Prices rose 4.5% in 2024 (from 3.1% in 2023), the bank said.", False),
        ("Москва и Киев. 東京は晴れ。 القاهرة مدينة كبيرة.", False),
        (NOISE, True),  # random bytes read as text: control characters
        (bytes(range(256)).decode("latin-1") * 3, True),
        ("\ufffd" * 40 + " a few words", True),  # undecodable bytes replaced
        ("%%% ### !!! ??? *** +++ === ~~~ ^^^ $$$ words", True),  # symbols
        ("Words and a tab\tand\r\nnew lines.", False),
        ("", False),  # emptiness is another error, raised later
    ],
)
def test_mostly_not_letters_is_refused(text: str, refused: bool) -> None:
    if refused:
        with pytest.raises(ArticleError, match=r"^the text is mostly not letters: "):
            check_prose(text)
    else:
        check_prose(text)


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("<html><body><p>The ferry resumed.</p><p>More.</p></body></html>", True),
        ('<div class="story"><h1>Ferries</h1><p>The ferry resumed on Thursday.</p></div>', True),
        ("<!DOCTYPE html><title>x</title><p>Text", True),
        ("The council voted 5<7 on the plan, and a <b> tag was mentioned once.", False),
        ("Use a <script> element, the guide says.", False),
        (NEWS, False),
    ],
)
def test_html_is_recognised(text: str, html: bool) -> None:
    assert looks_like_html(text) is html


def test_article_text_is_extracted_from_a_fragment() -> None:
    fragment = (
        "<div><nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
        "<article><p>Ferries between the two harbours resumed on Thursday after three days of storm warnings.</p>"
        "<p>The operator said every crossing would run on the summer timetable from Friday.</p></article></div>"
    )
    text = article_text_from_html(fragment, "Ferries resume")
    assert "resumed on Thursday after three days" in text and "<" not in text and "Home" not in text


def test_the_cli_refuses_a_noise_file_and_adds_the_rest(tmp_path: Path, hashing_embedder) -> None:  # type: ignore[no-untyped-def]
    desk = Newsdesk(tmp_path / "data", hashing_embedder)
    outcomes = desk.add_batch([(ArticleDraft(title="Noise", text=NOISE), "noise"), (ArticleDraft(title="News", text=NEWS), "news")])
    assert isinstance(outcomes[0], ArticleError) and str(outcomes[0]).startswith("the text is mostly not letters")
    assert outcomes[1].status == "added"  # type: ignore[union-attr]
    assert desk.counts()[0] == 1
    desk.close()
