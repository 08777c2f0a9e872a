"""Readers on real files: every encoding we accept, and every kind of malformed file."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from generator.model import Article
from generator.reading.discover import discover
from generator.reading.readers import make_id, read_article

TITLE = "بوتين يستقبل توكاييف في الكرملين"
BODY = "موسكو - استقبل الرئيس الروسي نظيره الكازاخي اليوم.\n\nوبحث الجانبان التعاون الثنائي."
TEXT = f"{TITLE}\n\n{BODY}\n"


def read_one(tmp_path: Path, name: str, data: bytes, max_bytes: int = 1_000_000):
    (tmp_path / name).write_bytes(data)
    sources, problems = discover(tmp_path)
    assert problems == []
    [src] = sources
    return read_article(src, max_bytes)


def assert_read(article: Article | None) -> Article:
    assert article is not None
    assert article.title == TITLE
    assert article.paragraphs == tuple(BODY.split("\n\n"))
    return article


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-32-le", codecs.BOM_UTF32_LE),
    ],
)
def test_unicode_encodings(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    article, problems = read_one(tmp_path, "a.txt", prefix + TEXT.encode(encoding))
    assert_read(article)
    assert problems == []


@pytest.mark.parametrize("encoding", ["cp1256", "iso-8859-6"])
def test_legacy_arabic_code_pages_are_detected(tmp_path: Path, encoding: str) -> None:
    article, problems = read_one(tmp_path, "a.txt", TEXT.encode(encoding))
    assert_read(article)
    [warning] = problems
    assert warning.severity == "warning" and "UTF-8" in warning.message


def test_crlf_and_bidi_marks(tmp_path: Path) -> None:
    data = ("\u200f" + TITLE + "\r\n\r\n" + BODY.replace("\n", "\r\n") + "\r\n").encode()
    article, problems = read_one(tmp_path, "a.txt", data)
    assert_read(article)
    assert problems == []
    assert article.body_line == 3


def test_hard_wrapped_paragraph_reflows(tmp_path: Path) -> None:
    article, _ = read_one(tmp_path, "a.txt", b"Title\n\n  first line\n  second line\n\nnext\n")
    assert article is not None
    assert article.paragraphs == ("first line second line", "next")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "file is empty"),
        ("blank.txt", b" \n\n\t\n", "file is empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 4, "binary file"),
        ("bad16.txt", codecs.BOM_UTF16_LE + "نص".encode("utf-16-le") + b"\x00\xd8", "not valid utf-16"),
    ],
)
def test_unreadable_files_are_problems(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    article, [problem] = read_one(tmp_path, name, data)
    assert article is None
    assert problem.path.endswith(name) and message in problem.message
    assert str(problem).startswith(problem.path)


def test_title_only_is_published_with_a_warning(tmp_path: Path) -> None:
    article, [problem] = read_one(tmp_path, "t.txt", TITLE.encode())
    assert article is not None and article.title == TITLE and article.body == ""
    assert problem.severity == "warning" and problem.line == 1 and "no body" in problem.message


def test_huge_file_is_skipped_with_its_size(tmp_path: Path) -> None:
    article, [problem] = read_one(tmp_path, "big.txt", TEXT.encode() * 2000, max_bytes=100_000)
    assert article is None
    assert "max_file_bytes" in problem.message and "100,000" in problem.message


def test_markdown_yaml_front_matter(tmp_path: Path) -> None:
    md = "---\ntitle: عنوان\ndate: 2022-01-08\noutlet: سبوتنيك\nlang: ar\ntags: [a, b]\nid: custom-id\n---\n\nنص.\n"
    article, problems = read_one(tmp_path, "x.md", md.encode())
    assert problems == []
    assert article is not None
    assert (article.id, article.title, article.outlet, article.lang, article.tags) == (
        "custom-id",
        "عنوان",
        "سبوتنيك",
        "ar",
        ("a", "b"),
    )
    assert article.date is not None and article.date.isoformat() == "2022-01-08"
    assert article.date_source == "front-matter"
    assert article.body_line == 10


def test_markdown_toml_front_matter_and_heading_title(tmp_path: Path) -> None:
    article, problems = read_one(tmp_path, "x.md", b'+++\ndate = "2021-06-14"\n+++\n# Heading title\n\nBody.\n')
    assert problems == []
    assert article is not None and article.title == "Heading title" and article.body == "Body."
    assert article.date is not None and article.date.isoformat() == "2021-06-14"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("---\ntitle: t\ndate: [unclosed\n---\nbody\n", 3, "not valid YAML"),
        ("---\ntitle: t\n\nbody never closes\n", 1, "never closed"),
        ("+++\ntitle = \n+++\nbody\n", 2, "not valid TOML"),
        ("---\n- a list\n---\n# T\n\nbody\n", 2, "must be a mapping"),
        ("---\ntitle: t\ndate: 8 January\n---\nbody\n", 3, 'cannot read date "8 January"'),
    ],
)
def test_front_matter_errors_name_the_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    _, problems = read_one(tmp_path, "x.md", text.encode())
    assert any(p.line == line and message in p.message for p in problems), problems


def test_sidecar_fields_and_problems(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, "utf-8")
    (tmp_path / "meta.jsonl").write_text(
        '{"file": "a.txt", "date": "2015-08-10", "outlet": "SPA", "language": "ar"}\n'
        "not json\n"
        '{"title": "no file key"}\n'
        '{"file": "a.txt", "date": "2016-01-01"}\n'
        '{"file": "gone.txt"}\n',
        "utf-8",
    )
    sources, problems = discover(tmp_path)
    assert [(p.line, p.severity) for p in sorted(problems, key=lambda p: p.line)] == [
        (2, "error"),
        (3, "error"),
        (4, "error"),
        (5, "warning"),
    ]
    article, trouble = read_article(sources[0], 1_000_000)
    assert trouble == []
    assert article is not None and article.date_source == "sidecar" and article.outlet == "SPA"
    assert article.date is not None and article.date.isoformat() == "2015-08-10"


def test_front_matter_wins_over_sidecar(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ndate: 2022-01-08\n---\n# T\n\nbody\n", "utf-8")
    (tmp_path / "meta.jsonl").write_text('{"file": "a.md", "date": "2015-08-10", "outlet": "X"}\n', "utf-8")
    [src], _ = discover(tmp_path)
    article, _ = read_article(src, 1_000_000)
    assert article is not None and article.date_source == "front-matter" and article.outlet == "X"
    assert article.date is not None and article.date.isoformat() == "2022-01-08"


def test_discovery_skips_hidden_editor_and_readme_files(tmp_path: Path) -> None:
    for name in ["a.txt", ".b.txt", "~c.txt", "README.md", ".git/d.txt", "sub/e.md", "f.json"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("T\n\nbody\n", "utf-8")
    sources, _ = discover(tmp_path)
    assert [s.rel for s in sources] == ["a.txt", "sub/e.md"]


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("000_25b0c3a9aff7d635", "000_25b0c3a9aff7d635"),
        ("خبر عاجل", "خبر-عاجل"),
        ("a/../b?c", "a-..-b-c"),
        ("??", "article"),
    ],
)
def test_make_id(stem: str, expected: str) -> None:
    assert make_id(stem) == expected
