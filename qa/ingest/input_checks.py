"""Checks on article text as sent, shared by every way in (files, the CLI, ``POST /articles``).

- Text that is mostly not letters (binary data read as text, control characters)
  is refused: it would be stored and searched as an article.
- HTML sent as plain text is recognised, so the HTTP API can refuse it with a hint,
  or extract the article from it when the request says ``"format": "html"`` (the
  same extraction as an ``.html`` file gets).
"""

from __future__ import annotations

import re
import unicodedata

from newsdesk.qa.errors import ArticleError

__all__ = ["HTML_HINT", "article_text_from_html", "check_prose", "looks_like_html"]

# At least this share of the visible characters are letters or digits in any prose (news text: about 80%).
MIN_WORD_CHARACTER_SHARE = 0.5
# At most this share of all characters may be control, unassigned, private-use or replacement characters.
MAX_BINARY_CHARACTER_SHARE = 0.02
_BINARY_CATEGORIES = frozenset({"Cc", "Cs", "Co", "Cn"})
_ALLOWED_CONTROLS = frozenset("\t\n\r")
# Tags of HTML documents and article markup; a text about HTML may name one, an HTML page holds many.
_HTML_TAG = re.compile(
    r"<(?:!doctype\s+html|/?(?:html|head|body|p|div|span|a|br|hr|article|section|header|footer|nav|main|h[1-6]"
    r"|ul|ol|li|em|strong|b|i|u|img|table|tr|td|th|script|style|meta|link|title|figure|blockquote)\b[^<>]*)>",
    re.IGNORECASE,
)
_HTML_TAGS_NEEDED = 3

HTML_HINT = 'the text holds HTML markup; send plain text, or add "format": "html" to have the article extracted'


def _is_binary(character: str) -> bool:
    return character == "\ufffd" or (
        character not in _ALLOWED_CONTROLS and unicodedata.category(character) in _BINARY_CATEGORIES
    )


def check_prose(text: str) -> None:
    """Refuse text that is mostly not letters: binary data, control characters, symbol noise.

    Raises:
        ArticleError: The text has too many control or replacement characters, or too few
            letters and digits among its visible characters.
    """
    if not text:
        return
    binary = sum(map(_is_binary, text))
    if binary > MAX_BINARY_CHARACTER_SHARE * len(text):
        raise ArticleError(
            f"the text is mostly not letters: {binary} of its {len(text)} characters are control or "
            "unreadable characters (binary data?)"
        )
    visible = [c for c in text if not c.isspace()]
    words = sum(c.isalnum() for c in visible)
    if visible and words < MIN_WORD_CHARACTER_SHARE * len(visible):
        raise ArticleError(
            f"the text is mostly not letters: only {words} of its {len(visible)} visible characters are "
            "letters or digits (binary data or symbols?)"
        )


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is HTML markup rather than prose (it holds several HTML tags)."""
    return len(_HTML_TAG.findall(text, 0, 200_000)) >= _HTML_TAGS_NEEDED


def article_text_from_html(html: str, title: str, where: str = "the HTML") -> str:
    """The article text of an HTML page or fragment, extracted as for an ``.html`` file.

    Args:
        html: The markup.
        title: The article's title, given apart (a fragment has no ``<title>``).
        where: Names the input in error messages.

    Raises:
        ArticleError: The markup holds no sentence of article text.
    """
    from html import escape

    from newsdesk.qa.ingest.parsing import parse_text

    if not re.search(r"<title\b", html, re.IGNORECASE):
        html = f"<html><head><title>{escape(title)}</title></head><body>{html}</body></html>"
    (draft,) = parse_text(html, ".html", where)
    return draft.text
