"""Article text cleaning: boilerplate removal and whitespace normalisation.

The cleaned text is what gets stored and what quote offsets point into, so
cleaning happens once, at ingest, and never afterwards.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["BLANK_TEXT", "clean_text", "clean_title"]

# Lines that are page furniture rather than reporting: share-button residue
# ("icon-facebook icon-twitter"), ad slots, newsletter and share prompts.
_BOILERPLATE_LINE = re.compile(
    r"""^(?:
        (?:icon-[\w-]+\s*)+
      | advertisement
      | (?:share|share\s+this(?:\s+article|\s+story)?|share\s+on\s+\w+)
      | (?:click|tap)\s+here\s+to\s+(?:subscribe|read\s+more|share).*
      | sign\s+up\s+(?:for|to)\s+(?:our|the)\s+\w+(?:\s+\w+)?\s+newsletter.*
      | (?:read|see)\s+more:?
      | skip\s+to\s+(?:main\s+)?content
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# Control characters other than newline and tab have no place in news text.
_CONTROL_CHARACTERS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\ufeff"
_CONTROL = re.compile(f"[{_CONTROL_CHARACTERS}]")
# A title or text this matches (white space and control characters only) cleans to nothing.
BLANK_TEXT = f"^[\\s{_CONTROL_CHARACTERS}]*$"
_INLINE_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def clean_text(raw: str) -> str:
    """Return article text with boilerplate lines and messy whitespace removed.

    Paragraphs come out separated by one blank line, lines have single spaces
    and no leading or trailing blanks. Words are never altered, so a sentence
    of the original survives verbatim apart from its whitespace.

    Args:
        raw: The article body as read from a file or request.

    Returns:
        The cleaned text; empty when nothing but boilerplate was given.
    """
    text = unicodedata.normalize("NFC", raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _CONTROL.sub("", text)
    paragraphs: list[str] = []
    current: list[str] = []
    for line in text.split("\n"):
        line = _INLINE_SPACE.sub(" ", line).strip()
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if _BOILERPLATE_LINE.match(line):
            continue
        current.append(line)
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


def clean_title(raw: str) -> str:
    """Return a title on one line with single spaces."""
    return _INLINE_SPACE.sub(" ", _CONTROL.sub("", unicodedata.normalize("NFC", raw)).replace("\n", " ")).strip()
