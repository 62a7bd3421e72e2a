"""Reading an article from a PDF with pypdf: its text layer, title and date.

Only the text a PDF carries is read (no OCR): a scanned PDF without a text
layer is refused as holding no text, as an empty file is.
"""

from __future__ import annotations

import io
import re

from newsdesk.qa.dates import NEWS_DATES, parse_date
from newsdesk.qa.errors import ArticleError
from newsdesk.qa.types import ArticleDraft

__all__ = ["parse_pdf"]

_PDF_DATE = re.compile(r"^D?:?(\d{4})(\d{2})(\d{2})")
# pypdf puts a line break at the end of every printed line; a blank line (or more) parts paragraphs.
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _pdf_date(value: object) -> str | None:
    match = _PDF_DATE.match(str(value or ""))
    if not match:
        return None
    day = parse_date("-".join(match.groups()))
    return day.isoformat() if day and NEWS_DATES.contains(day) else None


def _paragraphs(text: str) -> list[str]:
    """Page text as paragraphs, each with its printed line breaks joined (hyphenated words mended)."""
    paragraphs = []
    for block in _PARAGRAPH_BREAK.split(text):
        lines = [" ".join(line.split()) for line in block.splitlines() if line.strip()]
        joined = ""
        for line in lines:
            if joined.endswith("-") and line[:1].islower():
                joined = joined[:-1] + line
            else:
                joined = f"{joined} {line}" if joined else line
        if joined:
            paragraphs.append(joined)
    return paragraphs


def parse_pdf(raw: bytes, where: str) -> ArticleDraft:
    """The article in a PDF: the document's title (else its first line), its date and its text.

    Args:
        raw: The file's bytes.
        where: Its name, for error messages.

    Raises:
        ArticleError: Not a PDF, encrypted, or without a text layer.
    """
    from pypdf import PdfReader  # only when a PDF is read
    from pypdf.errors import PyPdfError

    if not raw.startswith(b"%PDF-"):
        raise ArticleError(f"{where}: not a PDF file")
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise ArticleError(f"{where}: the PDF is encrypted")
        # Layout mode keeps the vertical gaps between paragraphs as blank lines; plain mode loses them.
        text = "\n\n".join(page.extract_text(extraction_mode="layout") or "" for page in reader.pages)
        metadata = reader.metadata or {}
    except PyPdfError as exc:
        raise ArticleError(f"{where}: cannot read the PDF ({exc})") from exc
    except (ValueError, KeyError, TypeError, AssertionError) as exc:  # pypdf on a damaged file
        raise ArticleError(f"{where}: cannot read the PDF (damaged: {type(exc).__name__})") from exc
    paragraphs = _paragraphs(text)
    if not paragraphs:
        raise ArticleError(f"{where}: the PDF holds no text (a scan without a text layer?)")
    title = str(metadata.get("/Title") or "").strip()
    if not title:
        title, paragraphs = paragraphs[0], paragraphs[1:]
    elif paragraphs[0].strip() == title:
        paragraphs = paragraphs[1:]
    if not paragraphs:
        raise ArticleError(f"{where}: the PDF holds a title but no article text")
    published = _pdf_date(metadata.get("/CreationDate"))
    return ArticleDraft(title=title, text="\n\n".join(paragraphs), published=published)
