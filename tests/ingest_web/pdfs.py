"""A PDF with a text layer, written by hand for the tests (one page, Helvetica, a line per paragraph)."""

from __future__ import annotations

__all__ = ["text_pdf"]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def text_pdf(title: str, paragraphs: list[str], *, created: str | None = None, with_title: bool = True) -> bytes:
    """A one-page PDF: the title, then each paragraph, with the title (and date) in its metadata.

    Args:
        title: Printed first, and the document's ``/Title`` when ``with_title``.
        paragraphs: Printed one per line, a blank line apart.
        created: ``YYYYMMDD`` for ``/CreationDate``.
    """
    lines = ["BT /F1 10 Tf 40 800 Td 14 TL", f"({_escape(title)}) Tj T* T*"]
    lines += [f"({_escape(p)}) Tj T* T*" for p in paragraphs]
    stream = "\n".join(lines + ["ET"]).encode("latin-1")
    info = [f"/Title ({_escape(title)})" if with_title else "", f"/CreationDate (D:{created}090000Z)" if created else ""]
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 2000 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ("<< " + " ".join(i for i in info if i) + " >>").encode("latin-1"),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, len(objects), xref)
    return bytes(out)
