"""Reading articles from files: plain text, Markdown, JSON/JSONL and HTML."""

from __future__ import annotations

import glob
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from newsdesk.qa.dates import parse_date
from newsdesk.qa.errors import ArticleError
from newsdesk.qa.types import ArticleDraft

__all__ = ["SUPPORTED_SUFFIXES", "draft_from_mapping", "expand_paths", "parse_bytes", "parse_file", "parse_text"]

SUPPORTED_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".json", ".jsonl", ".html", ".htm")
# A folder's README or LICENSE describes the folder; it is not an article.
_NOT_ARTICLES = frozenset({"README", "LICENSE", "CHANGELOG"})
_TEXT_KEYS = ("text", "content", "body")
_DATE_KEYS = ("published", "date", "published_at", "publishedAt")
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
# Underscores inside a word (snake_case, file_names) are not emphasis, as in CommonMark.
_MD_EMPHASIS = re.compile(r"(\*\*|\*|`)(?=\S)(.+?)(?<=\S)\1|(?<!\w)(__|_)(?=\S)(.+?)(?<=\S)\3(?!\w)")
_MD_PREFIX = re.compile(r"^(?:#{1,6}\s+|>\s?|[-*+]\s+(?=\S))", re.MULTILINE)
_NUMERIC_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")
# A sentence of reporting: six or more words ending in a full stop or question mark (a quote may close it).
_PROSE = re.compile(r"(?:\b[\w'’-]+\b[^\w|]+){5,}\b[\w'’-]+[.?][\"”’)]?(?:\s|$)")


def _optional_str(record: dict[str, Any], key: str, where: str) -> str | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, (str, int)):
        raise ArticleError(f"{where}: '{key}' must be a string")
    return str(value)


def draft_from_mapping(record: Any, where: str) -> ArticleDraft:
    """Build an article from a JSON object with ``title`` and ``text`` fields.

    Args:
        record: The decoded JSON value.
        where: Where it came from, for error messages (``file.jsonl line 3``).

    Raises:
        ArticleError: If it is not an object or lacks a title or text.
    """
    if not isinstance(record, dict):
        raise ArticleError(f"{where}: expected a JSON object with 'title' and 'text'")
    text_key = next((k for k in _TEXT_KEYS if isinstance(record.get(k), str)), None)
    if text_key is None:
        raise ArticleError(f"{where}: missing 'text'")
    title = record.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ArticleError(f"{where}: missing 'title'")
    published = next((_optional_str(record, k, where) for k in _DATE_KEYS if record.get(k)), None)
    if published is not None:
        parsed = parse_date(published)
        if parsed is None:
            raise ArticleError(f"{where}: cannot read the date {published!r}")
        published = parsed.isoformat()
    return ArticleDraft(
        title=title,
        text=record[text_key],
        url=_optional_str(record, "url", where),
        published=published,
        source=_optional_str(record, "source", where),
        id=_optional_str(record, "id", where),
    )


def _split_title_and_date(text: str) -> tuple[str, str | None, str]:
    """Plain text: the first line is the title, and a date line may follow."""
    lines = text.lstrip().split("\n")
    title = lines[0].strip()
    rest = lines[1:]
    published = None
    for i, line in enumerate(rest[:3]):
        if not line.strip():
            continue
        parsed = parse_date(line)
        if parsed is not None:
            published = parsed.isoformat()
            rest = rest[:i] + rest[i + 1 :]
        break
    return title, published, "\n".join(rest)


def _parse_markdown(text: str, where: str) -> tuple[str, str | None, dict[str, str], str]:
    meta: dict[str, str] = {}
    front = _FRONT_MATTER.match(text)
    if front:
        for line in front.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep:
                meta[key.strip().lower()] = value.strip().strip("\"'")
        text = text[front.end() :]
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_EMPHASIS.sub(lambda m: m.group(2) if m.group(1) else m.group(4), text)
    text = _MD_PREFIX.sub("", text)
    if meta.get("title"):
        body = text
        title = meta["title"]
        published = None
    else:
        title, published, body = _split_title_and_date(text)
    date_text = meta.get("date") or meta.get("published")
    if date_text:
        # A date the front matter states but we cannot read is an error, as in JSON.
        parsed = parse_date(date_text)
        if parsed is None:
            raise ArticleError(f"{where}: cannot read the date {date_text!r}")
        published = parsed.isoformat()
    return title, published, meta, body


def _without_invalid_references(html: str) -> str:
    """Drop character references to no character (``&#0;``, surrogates), which HTML parsers turn into U+FFFD."""

    def keep(match: re.Match[str]) -> str:
        code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        return "" if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF else match.group(0)

    return _NUMERIC_REFERENCE.sub(keep, html.replace("\x00", ""))


def _parse_html(html: str, where: str) -> ArticleDraft:
    import trafilatura  # heavy import, only when HTML is read

    html = _without_invalid_references(html)
    document = trafilatura.bare_extraction(html, include_comments=False, with_metadata=True)
    if document is None:
        raise ArticleError(f"{where}: no article text found in the HTML")
    fields = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    body = fields.get("text") or ""
    title = fields.get("title") or ""
    if not body.strip() or not title.strip():
        raise ArticleError(f"{where}: no article {'text' if not body.strip() else 'title'} found in the HTML")
    # trafilatura puts one block (paragraph, heading) per line; keep them as paragraphs,
    # without the headline repeated at the top.
    blocks = [line for line in body.splitlines() if line.strip()]
    if blocks and blocks[0].strip() == title.strip():
        blocks = blocks[1:]
    body = "\n\n".join(blocks)
    # A page of menus, links and ads has words but no sentence of reporting.
    if not any(_PROSE.search(block) for block in blocks):
        raise ArticleError(f"{where}: no article text found in the HTML (no full sentence, only menus, links or ads)")
    published = parse_date(fields["date"]) if fields.get("date") else None
    return ArticleDraft(
        title=title,
        text=body,
        url=fields.get("url"),
        published=published.isoformat() if published else None,
        source=fields.get("sitename") or fields.get("hostname"),
    )


def _json_problem(error: json.JSONDecodeError, with_line: bool = True) -> str:
    """ "invalid JSON: Expecting value at line 3, column 7" (the decoder's own messages may end in "at")."""
    where = f"line {error.lineno}, column {error.colno}" if with_line else f"column {error.colno}"
    return f"invalid JSON: {error.msg.removesuffix(' at')} at {where}"


def parse_text(content: str, suffix: str, where: str) -> list[ArticleDraft]:
    """Parse the decoded content of an article file.

    Args:
        content: The file's text.
        suffix: The file's suffix, lower case, with the dot (``.txt``).
        where: Name to use in error messages.

    Returns:
        The articles the content holds (JSON and JSONL files may hold many).

    Raises:
        ArticleError: If the content is empty, malformed or of an unknown kind.
    """
    if not content.strip():
        raise ArticleError(f"{where}: the file is empty")
    if suffix == ".jsonl":
        drafts = []
        for number, line in enumerate(content.splitlines(), start=1):
            if line.strip():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ArticleError(f"{where} line {number}: {_json_problem(exc, with_line=False)}") from exc
                drafts.append(draft_from_mapping(record, f"{where} line {number}"))
        return drafts
    if suffix == ".json":
        try:
            value = json.loads(content)
        except json.JSONDecodeError as exc:
            raise ArticleError(f"{where}: {_json_problem(exc)}") from exc
        records = value if isinstance(value, list) else [value]
        return [draft_from_mapping(r, f"{where} item {i}" if isinstance(value, list) else where) for i, r in enumerate(records)]
    if suffix in (".html", ".htm"):
        return [_parse_html(content, where)]
    if suffix in (".md", ".markdown"):
        title, published, meta, body = _parse_markdown(content, where)
        return [ArticleDraft(title=title, text=body, published=published, url=meta.get("url"), source=meta.get("source"), id=meta.get("id"))]
    if suffix in (".txt", ".text"):
        title, published, body = _split_title_and_date(content)
        return [ArticleDraft(title=title, text=body, published=published)]
    raise _unsupported(suffix, where)


def _unsupported(suffix: str, where: str) -> ArticleError:
    choices = ", ".join(SUPPORTED_SUFFIXES)
    return ArticleError(f"{where}: unsupported file type {suffix or '(none)'}; use one of {choices}")


def parse_bytes(raw: bytes, suffix: str, where: str) -> list[ArticleDraft]:
    """Read the articles in a file's bytes (a file on disk, or one uploaded), by its suffix.

    Raises:
        ArticleError: An unsupported suffix, bytes that are not UTF-8, or content that cannot be parsed.
    """
    suffix = suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise _unsupported(suffix, where)
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"{where}: not UTF-8 text") from exc
    return parse_text(content, suffix, where)


def parse_file(path: Path) -> list[ArticleDraft]:
    """Read the articles in one file.

    The suffix says how to read a file, so it is checked first: a ``.png`` is
    an unsupported file type, whatever its bytes; a ``.txt`` that holds
    something other than UTF-8 text is "not UTF-8 text".

    Raises:
        ArticleError: If the file has an unsupported suffix, cannot be read, is
            not UTF-8, or cannot be parsed.
    """
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise _unsupported(path.suffix.lower(), str(path))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read ({exc.strerror})") from exc
    return parse_bytes(raw, path.suffix, str(path))


def expand_paths(arguments: Iterable[str]) -> Iterator[Path]:
    """Yield the article files named by paths, folders (recursively) and globs.

    A folder yields its files with supported suffixes, sorted, except READMEs
    and licences; a named file is
    yielded whatever its suffix, so an unsupported one gets a clear error later.

    Raises:
        ArticleError: If an argument matches nothing.
    """
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and p.stem.upper() not in _NOT_ARTICLES
            )
            yield from files
        elif path.exists():
            yield path
        else:
            # glob.glob, unlike Path.glob, accepts absolute patterns ("/data/*.txt").
            matches: list[Path] = []
            if any(c in argument for c in "*?["):
                matches = sorted(p for p in map(Path, glob.glob(argument, recursive=True)) if p.is_file())
            if not matches:
                raise ArticleError(f"{argument}: no such file or folder")
            yield from matches
