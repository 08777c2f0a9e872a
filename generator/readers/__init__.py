"""Read one article file: bytes -> text -> format reader -> `Article` with its metadata applied."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from generator.arabic import strip_marks
from generator.diagnostics import Problem
from generator.model import Article, DateSource, SourceFile
from generator.readers.encoding import DecodeError, decode
from generator.readers.markdown import parse_markdown
from generator.readers.parsed import Parsed
from generator.readers.text import parse_text

__all__ = ["make_id", "read_article"]


def read_article(src: SourceFile, max_bytes: int) -> tuple[Article | None, list[Problem]]:
    """Read and parse `src`; a file that cannot become an article gives None and says why."""

    def problem(line: int, message: str, severity: str = "error") -> Problem:
        return Problem(src.shown, line, message, severity)  # type: ignore[arg-type]

    try:
        size = src.path.stat().st_size
        if size > max_bytes:
            return None, [problem(0, f"file is {size:,} bytes, over max_file_bytes ({max_bytes:,}); skipped")]
        data = src.path.read_bytes()
    except OSError as e:
        return None, [problem(0, f"cannot read file: {e.strerror}")]
    if not data.strip():
        return None, [problem(0, "file is empty")]
    try:
        text, encoding = decode(data)
    except DecodeError as e:
        return None, [problem(0, f"file {e}")]
    problems: list[Problem] = []
    if not encoding.startswith("utf"):
        problems.append(problem(0, f"read as {encoding}; consider saving it as UTF-8", "warning"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parsed = parse_markdown(text) if src.format == "markdown" else parse_text(text)
    problems += [problem(line, message) for line, message in parsed.problems]
    article, trouble = _article(src, parsed)
    problems += [problem(line, message, severity) for line, message, severity in trouble]
    return article, problems


def _article(src: SourceFile, parsed: Parsed) -> tuple[Article | None, list[tuple[int, str, str]]]:
    """Apply front matter and sidecar fields (front matter first) to the parsed text."""
    trouble: list[tuple[int, str, str]] = []
    meta = _Fields(parsed.fields, parsed.field_lines, src.sidecar)
    title = strip_marks(str(meta.get("title") or parsed.title)).strip()
    if not title:
        return None, [(1, "no title: the first line of an article is its title", "error")]
    if not parsed.body.strip():
        trouble.append((parsed.title_line or 1, "has a title but no body text", "warning"))
    date: dt.date | None = None
    date_source: DateSource = "none"
    value, origin = meta.get_with_origin("date")
    if value is not None:
        date = parse_date_value(value)
        if date is None:
            trouble.append((meta.line("date"), f'cannot read date "{value}" (want YYYY-MM-DD)', "error"))
        else:
            date_source = origin
    reference = parse_date_value(src.sidecar.get("date_extracted")) or date
    return (
        Article(
            id=make_id(str(meta.get("id") or PurePosixPath(src.rel).stem)),
            source=src.rel,
            format=src.format,
            title=title,
            body=parsed.body,
            body_line=parsed.body_line,
            date=date,
            date_source=date_source,
            reference_date=reference,
            outlet=_text(meta.get("outlet")),
            agency=_text(meta.get("agency")),
            lang=_text(meta.get("lang") or meta.get("language")) or "",
            summary=_text(meta.get("summary") or meta.get("abstract")) or "",
            tags=_names(meta.get("tags") or meta.get("category")),
            actors=_names(meta.get("actors")),
            not_actors=_names(meta.get("not_actors")),
            url=_text(meta.get("url")),
            author=_text(meta.get("author")),
        ),
        trouble,
    )


class _Fields:
    """Front matter over sidecar, remembering which one answered."""

    def __init__(self, front: Mapping[str, Any], lines: Mapping[str, int], sidecar: Mapping[str, Any]):
        self.front, self.lines, self.sidecar = front, lines, sidecar

    def get(self, key: str) -> Any:
        return self.get_with_origin(key)[0]

    def get_with_origin(self, key: str) -> tuple[Any, DateSource]:
        if self.front.get(key) not in (None, ""):
            return self.front[key], "front-matter"
        if self.sidecar.get(key) not in (None, ""):
            return self.sidecar[key], "sidecar"
        return None, "none"

    def line(self, key: str) -> int:
        return self.lines.get(key, 0) if key in self.front else 0


def parse_date_value(value: Any) -> dt.date | None:
    """A metadata date: a TOML/YAML date, or an ISO string with an optional time."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


_UNSAFE = re.compile(r"[^\w\-.~]+")


def make_id(stem: str) -> str:
    """A URL-safe id from a file stem (any script kept; spaces and punctuation become '-')."""
    cleaned = _UNSAFE.sub("-", unicodedata.normalize("NFC", strip_marks(stem))).strip("-.")
    return cleaned or "article"


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value not in (None, "") else None


def _names(value: Any) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    return tuple(dict.fromkeys(s for s in (str(v).strip() for v in items) if s))
