from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from newsdesk.qa.dates import parse_date
from newsdesk.qa.errors import ArticleError
from newsdesk.qa.ingest.parsing import draft_from_mapping, expand_paths, parse_file, parse_text
from newsdesk.qa.types import ArticleDraft

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_b5eae39174161514.txt"

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Port Authority Approves Harbour Expansion</title>
  <meta property="og:site_name" content="Coastal Herald">
  <meta name="date" content="2025-06-25">
</head>
<body>
  <nav>
    <ul>
      <li><a href="/">Home</a></li>
      <li><a href="/world">World desk navigation link</a></li>
      <li><a href="/sport">Sport section navigation link</a></li>
    </ul>
  </nav>
  <article>
    <h1>Port Authority Approves Harbour Expansion</h1>
    <p>The port authority on Tuesday approved a long-delayed expansion of the northern harbour, clearing
    the way for two new deep-water berths that officials say will double the number of container ships
    the city can handle each week.</p>
    <p>Construction is expected to begin in the autumn and to last about three years, according to the
    authority's chief engineer, who told reporters that dredging work would be scheduled to avoid the
    spawning season of local fish.</p>
    <p>Residents of the waterfront district had opposed earlier versions of the plan because of noise
    and traffic, but a revised design moves the truck entrance away from homes and adds a landscaped
    buffer along the promenade.</p>
  </article>
  <footer>Copyright Coastal Herald. All rights reserved.</footer>
</body>
</html>
"""


def one(drafts: list[ArticleDraft]) -> ArticleDraft:
    assert len(drafts) == 1
    return drafts[0]


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-06-25", date(2025, 6, 25)),
        ("  2025-06-25  ", date(2025, 6, 25)),
        ("2025-06-25T10:00:00Z", date(2025, 6, 25)),
        ("2025-06-25T10:00Z", date(2025, 6, 25)),
        ("2025-06-25T23:59:59.123+02:00", date(2025, 6, 25)),
        ("2025-06-25 08:30:00", date(2025, 6, 25)),
        ("2025/06/25", date(2025, 6, 25)),
        ("June 25, 2025", date(2025, 6, 25)),
        ("Jun 25, 2025", date(2025, 6, 25)),
        ("June 25th, 2025", date(2025, 6, 25)),
        ("March 1st, 2025", date(2025, 3, 1)),
        ("April 2nd, 2025", date(2025, 4, 2)),
        ("May 3rd, 2025", date(2025, 5, 3)),
        ("25 June 2025", date(2025, 6, 25)),
        ("25th June 2025", date(2025, 6, 25)),
        ("25 Jun 2025", date(2025, 6, 25)),
        ("Wed Jun 25 2025", date(2025, 6, 25)),
        ("Wednesday June 25 2025", date(2025, 6, 25)),
        ("Wed, 25 Jun 2025", date(2025, 6, 25)),
        ("Wednesday, June 25, 2025", date(2025, 6, 25)),
        ("Wed Jun  25   2025.", date(2025, 6, 25)),
        ("", None),
        ("   ", None),
        ("not a date", None),
        ("The Kremlin on Wednesday said Washington was not yet ready.", None),
        ("2025-13-45", None),
        ("June 31, 2025", None),
        ("2025-06-25T10:00:00 and more", None),
        ("Wed Jun 25 2025 " + "x" * 40, None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


# --- plain text -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "Russia Says US Not Ready\n\nWed Jun 25 2025\n\nMOSCOW: The Kremlin said.\n",
            ArticleDraft(
                title="Russia Says US Not Ready", text="\n\nMOSCOW: The Kremlin said.\n", published="2025-06-25"
            ),
        ),
        (
            "Title Line\n2025-06-25\nBody line.",
            ArticleDraft(title="Title Line", text="Body line.", published="2025-06-25"),
        ),
        (
            "Title Line\n\nThe body starts here.\nSecond line.",
            ArticleDraft(title="Title Line", text="\nThe body starts here.\nSecond line."),
        ),
        # Only a line that is a date on its own counts.
        (
            "Title\nOn June 25, 2025 talks began.",
            ArticleDraft(title="Title", text="On June 25, 2025 talks began."),
        ),
        # Leading blank lines and padding around the title do not matter.
        ("\n\n  Padded Title  \nBody.", ArticleDraft(title="Padded Title", text="Body.")),
        ("Only a title", ArticleDraft(title="Only a title", text="")),
    ],
)
def test_parse_plain_text(content: str, expected: ArticleDraft) -> None:
    assert one(parse_text(content, ".txt", "a.txt")) == expected


def test_parse_seed_file() -> None:
    draft = one(parse_file(SEED))
    assert draft.title == "Russia Says US Not Ready to Fully Restore Work of Embassies"
    assert draft.published == "2025-06-25"
    assert "Wed Jun 25 2025" not in draft.text
    assert "MOSCOW: The Kremlin on Wednesday said Washington" in draft.text
    assert (draft.url, draft.source, draft.id) == (None, None, None)


# --- Markdown ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "---\ntitle: \"Harbour Expansion Approved\"\ndate: 2025-06-25\nurl: https://example.com/a\n"
            "source: Coastal Herald\nid: harbour-1\n---\nThe port authority **approved** the plan.\n",
            ArticleDraft(
                title="Harbour Expansion Approved",
                text="The port authority approved the plan.\n",
                url="https://example.com/a",
                published="2025-06-25",
                source="Coastal Herald",
                id="harbour-1",
            ),
        ),
        (
            "---\r\nTitle: 'Quoted'\r\npublished: June 25, 2025\r\n---\r\nBody.\r\n",
            ArticleDraft(title="Quoted", text="Body.\r\n", published="2025-06-25"),
        ),
        # No title in the front matter: the first line (a heading) is the title.
        (
            "---\nsource: Wire\n---\n# Talks *resume* in Istanbul\n\nWed Jun 25 2025\n\nBody.\n",
            ArticleDraft(title="Talks resume in Istanbul", text="\n\nBody.\n", published="2025-06-25", source="Wire"),
        ),
        (
            "# Talks Resume\n\nDelegates met in [Istanbul](https://example.com/ist) on _Monday_, said "
            "__officials__ and `aides`.\n\n## Background\n\n"
            "> “We are ready,” he said.\n- first point\n* second point\n",
            ArticleDraft(
                title="Talks Resume",
                text="\nDelegates met in Istanbul on Monday, said officials and aides.\n\nBackground\n\n"
                "“We are ready,” he said.\nfirst point\nsecond point\n",
            ),
        ),
        # Images keep their alt text; underscores inside words and lone stars are not emphasis.
        (
            "# Files\n\n![Map of the port](map.png) The file port_plan_v2.pdf lists 3 * 4 berths.\n",
            ArticleDraft(title="Files", text="\nMap of the port The file port_plan_v2.pdf lists 3 * 4 berths.\n"),
        ),
    ],
)
def test_parse_markdown(content: str, expected: ArticleDraft) -> None:
    assert one(parse_text(content, ".md", "a.md")) == expected


def test_parse_markdown_suffix_alias(tmp_path: Path) -> None:
    path = tmp_path / "story.MARKDOWN"
    path.write_text("# Heading Title\n\nBody text.\n", encoding="utf-8")
    assert one(parse_file(path)) == ArticleDraft(title="Heading Title", text="\nBody text.\n")


# --- JSON and JSONL ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (
            {"title": "T", "text": "Body.", "published": "2025-06-25T10:00:00Z", "url": "https://e.com/x",
             "source": "Wire", "id": "abc"},
            ArticleDraft("T", "Body.", url="https://e.com/x", published="2025-06-25", source="Wire", id="abc"),
        ),
        ({"title": "T", "content": "B.", "date": "June 25, 2025"}, ArticleDraft("T", "B.", published="2025-06-25")),
        ({"title": "T", "body": "B.", "published_at": "25 June 2025"}, ArticleDraft("T", "B.", published="2025-06-25")),
        ({"title": "T", "text": "B.", "publishedAt": "2025-06-25"}, ArticleDraft("T", "B.", published="2025-06-25")),
        # "text" wins over the aliases; an empty date or url counts as absent; numeric ids become strings.
        ({"title": "T", "text": "A.", "content": "B.", "body": "C."}, ArticleDraft("T", "A.")),
        ({"title": "T", "text": "A.", "published": "", "url": "", "id": 7}, ArticleDraft("T", "A.", id="7")),
        ({"title": "T", "text": None, "body": "B."}, ArticleDraft("T", "B.")),
    ],
)
def test_draft_from_mapping(record: dict[str, Any], expected: ArticleDraft) -> None:
    assert draft_from_mapping(record, "x.json") == expected


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ([], "x.json: expected a JSON object with 'title' and 'text'"),
        ("just a string", "x.json: expected a JSON object"),
        ({"title": "T"}, "x.json: missing 'text'"),
        ({"title": "T", "text": 5}, "x.json: missing 'text'"),
        ({"text": "Body."}, "x.json: missing 'title'"),
        ({"title": "   ", "text": "Body."}, "x.json: missing 'title'"),
        ({"title": 3, "text": "Body."}, "x.json: missing 'title'"),
        ({"title": "T", "text": "B.", "date": "someday"}, "x.json: cannot read the date 'someday'"),
        ({"title": "T", "text": "B.", "published": "2025-02-30"}, "x.json: cannot read the date '2025-02-30'"),
        ({"title": "T", "text": "B.", "url": ["a"]}, "x.json: 'url' must be a string"),
    ],
)
def test_draft_from_mapping_errors(record: Any, message: str) -> None:
    with pytest.raises(ArticleError) as info:
        draft_from_mapping(record, "x.json")
    assert str(info.value).startswith(message)


def test_parse_json_object() -> None:
    content = json.dumps({"title": "One", "text": "Body one.", "date": "2025-06-25", "id": "a1"})
    assert parse_text(content, ".json", "x.json") == [ArticleDraft("One", "Body one.", published="2025-06-25", id="a1")]


def test_parse_json_list() -> None:
    content = json.dumps(
        [
            {"title": "One", "text": "Body one.", "id": "a1"},
            {"title": "Two", "content": "Body two.", "published": "Wed Jun 25 2025"},
        ]
    )
    assert parse_text(content, ".json", "x.json") == [
        ArticleDraft("One", "Body one.", id="a1"),
        ArticleDraft("Two", "Body two.", published="2025-06-25"),
    ]


def test_parse_jsonl_skips_blank_lines() -> None:
    content = "\n".join(
        [
            json.dumps({"id": "a1", "title": "One", "text": "Body one.", "published": "2025-06-25"}),
            "",
            "   ",
            json.dumps({"id": "a2", "title": "Two", "body": "Body two.", "date": "June 25th, 2025"}),
        ]
    )
    assert parse_text(content + "\n", ".jsonl", "x.jsonl") == [
        ArticleDraft("One", "Body one.", published="2025-06-25", id="a1"),
        ArticleDraft("Two", "Body two.", published="2025-06-25", id="a2"),
    ]


# --- HTML -------------------------------------------------------------------------------------


def test_parse_html_article(tmp_path: Path) -> None:
    path = tmp_path / "harbour.html"
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    draft = one(parse_file(path))
    assert draft.title == "Port Authority Approves Harbour Expansion"
    assert draft.published == "2025-06-25"
    assert draft.source == "Coastal Herald"
    body = " ".join(draft.text.split())
    for sentence in [
        "The port authority on Tuesday approved a long-delayed expansion of the northern harbour,",
        "dredging work would be scheduled to avoid the spawning season of local fish.",
        "adds a landscaped buffer along the promenade.",
    ]:
        assert sentence in body
    assert "navigation link" not in draft.text
    assert "All rights reserved" not in draft.text


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("<html><head><title>Empty</title></head><body></body></html>", "page.htm: no article text found in the HTML"),
        ("<html></html>", "page.htm: no article text found in the HTML"),
        (
            "<html><body><p>A short paragraph of text with no title anywhere on the page.</p></body></html>",
            "page.htm: no article title found in the HTML",
        ),
    ],
)
def test_parse_html_errors(html: str, message: str) -> None:
    with pytest.raises(ArticleError) as info:
        parse_text(html, ".htm", "page.htm")
    assert str(info.value) == message


@pytest.mark.parametrize(
    "body",
    [
        '<nav><a href="/">Home</a> | <a href="/about">About</a> | <a href="/s">Subscribe</a></nav>'
        '<div class="ad">BUY NOW!!! Best deals on shoes, click here</div>',
        "<div>Home | About | Subscribe | Contact us | Privacy policy | Terms of use</div><div>BUY NOW!!!</div>",
        "<ul><li>World</li><li>Business</li><li>Sport</li></ul><p>Sign in to read more stories</p>",
    ],
)
def test_a_page_without_article_text_is_refused(body: str) -> None:
    html = f"<html><head><title>Daily Planet</title></head><body>{body}</body></html>"
    with pytest.raises(ArticleError) as info:
        parse_text(html, ".html", "page.html")
    assert str(info.value) == "page.html: no article text found in the HTML (no full sentence, only menus, links or ads)"


def test_references_to_no_character_are_dropped_not_turned_into_replacement_characters() -> None:
    html = (
        "<html><head><title>Harbour reopens</title></head><body><article><p>The harbour reopened on Monday&#0; "
        "after the storm&#x00;. Ferries run &#xD800;again from Tuesday&#8217;s first light.</p></article></body></html>"
    )
    draft = one(parse_text(html, ".html", "page.html"))
    assert draft.text == "The harbour reopened on Monday after the storm. Ferries run again from Tuesday\u2019s first light."


# --- errors from files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "the file is empty"),
        ("blank.md", b"  \n\t\r\n  ", "the file is empty"),
        ("latin1.txt", b"\xff\xfe\xfa", "not UTF-8 text"),
        ("broken.json", b'{"title": "T", "text": ', "invalid JSON"),
        ("broken.jsonl", b'{"title": "T", "text": "B."}\n{oops}\n', "line 2: invalid JSON"),
        ("missing.jsonl", b'{"title": "T", "text": "B."}\n\n{"title": "T2"}\n', "line 3: missing 'text'"),
        ("untitled.json", b'{"text": "Body."}', "missing 'title'"),
        ("list.json", b'[{"title": "T", "text": "B."}, {"text": "B."}]', "item 1: missing 'title'"),
        ("baddate.json", b'{"title": "T", "text": "B.", "date": "yesterday"}', "cannot read the date 'yesterday'"),
        ("baddate.md", b"---\ntitle: T\ndate: soon\n---\nBody.\n", "cannot read the date 'soon'"),
        ("paper.pdf", b"%PDF-1.7 something", "unsupported file type .pdf"),
        ("noext", b"Title\nBody.", "unsupported file type (none)"),
        # The suffix is checked first, whatever the bytes: text in a .pdf, an image in a .png.
        ("fake.pdf", b"Harbour reopens\n\nThe harbour reopened.", "unsupported file type .pdf"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff", "unsupported file type .png"),
    ],
)
def test_parse_file_errors(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ArticleError) as info:
        parse_file(path)
    assert str(info.value).startswith(f"{path}")
    assert message in str(info.value)


def test_parse_file_missing(tmp_path: Path) -> None:
    path = tmp_path / "gone.txt"
    with pytest.raises(ArticleError, match="cannot read"):
        parse_file(path)


def test_parse_file_strips_utf8_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffTitle\nBody.".encode())
    assert one(parse_file(path)) == ArticleDraft(title="Title", text="Body.")


# --- expanding paths --------------------------------------------------------------------------


@pytest.fixture
def article_tree(tmp_path: Path) -> Path:
    root = tmp_path / "articles"
    for relative in [
        "b.txt",
        "a.md",
        "README.md",
        "LICENSE",
        "license.txt",
        "notes.pdf",
        "image.png",
        "sub/c.json",
        "sub/deeper/d.HTML",
        "sub/deeper/e.jsonl",
        "sub/README.txt",
        "sub/changelog.md",
    ]:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    return root


def test_expand_paths_folder(article_tree: Path) -> None:
    assert list(expand_paths([str(article_tree)])) == [
        article_tree / "a.md",
        article_tree / "b.txt",
        article_tree / "sub" / "c.json",
        article_tree / "sub" / "deeper" / "d.HTML",
        article_tree / "sub" / "deeper" / "e.jsonl",
    ]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("articles/*.txt", ["articles/b.txt", "articles/license.txt"]),
        ("articles/sub/*", ["articles/sub/README.txt", "articles/sub/c.json", "articles/sub/changelog.md"]),
        ("articles/**/*.json*", ["articles/sub/c.json", "articles/sub/deeper/e.jsonl"]),
        ("articles/?.md", ["articles/a.md"]),
    ],
)
def test_expand_paths_relative_glob(
    article_tree: Path, monkeypatch: pytest.MonkeyPatch, pattern: str, expected: list[str]
) -> None:
    monkeypatch.chdir(article_tree.parent)
    assert list(expand_paths([pattern])) == [Path(p) for p in expected]


def test_expand_paths_absolute_glob(article_tree: Path) -> None:
    assert list(expand_paths([str(article_tree / "sub" / "*.json")])) == [article_tree / "sub" / "c.json"]


def test_expand_paths_direct_files_keep_order_and_any_suffix(article_tree: Path) -> None:
    # A named file is yielded whatever its suffix, so parse_file can say why it is unsupported.
    named = [article_tree / "notes.pdf", article_tree / "b.txt", article_tree / "README.md"]
    assert list(expand_paths([str(p) for p in named])) == named


def test_expand_paths_mixed_arguments(article_tree: Path) -> None:
    arguments = [str(article_tree / "b.txt"), str(article_tree / "sub" / "deeper")]
    assert list(expand_paths(arguments)) == [
        article_tree / "b.txt",
        article_tree / "sub" / "deeper" / "d.HTML",
        article_tree / "sub" / "deeper" / "e.jsonl",
    ]


@pytest.mark.parametrize("argument", ["missing.txt", "missing-folder", "nothing/*.txt", "articles/*.docx"])
def test_expand_paths_no_match(article_tree: Path, monkeypatch: pytest.MonkeyPatch, argument: str) -> None:
    monkeypatch.chdir(article_tree.parent)
    with pytest.raises(ArticleError, match=rf"^{argument.replace('*', '[*]')}: no such file or folder$"):
        list(expand_paths([argument]))


def test_expand_paths_empty_folder(tmp_path: Path) -> None:
    assert list(expand_paths([str(tmp_path)])) == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.json", '{"title": "x", "text', "invalid JSON: Unterminated string starting at line 1, column 16"),
        ("late.json", '{"title": "x",\n  "text": }', "invalid JSON: Expecting value at line 2, column 11"),
        ("rows.jsonl", '{"title": "T", "text": "B."}\n{oops}\n', "line 2: invalid JSON: Expecting property name "
         "enclosed in double quotes at column 2"),
    ],
)
def test_invalid_json_is_located_by_line_and_column(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(ArticleError) as info:
        parse_file(path)
    assert str(info.value) == (f"{path}: {message}" if name.endswith(".json") else f"{path} {message}")
