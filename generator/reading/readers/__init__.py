"""Read one article file: bytes -> text -> format reader -> `Article` with its metadata applied."""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import stat
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from generator.arabic import strip_marks
from generator.diagnostics import Problem, Severity
from generator.model import Article, DateSource, SourceFile
from generator.pages.segments import segment
from generator.reading.discover import SIDECAR
from generator.reading.readers.encoding import DecodeError, decode
from generator.reading.readers.markdown import parse_markdown
from generator.reading.readers.parsed import Parsed
from generator.reading.readers.text import parse_text
from generator.reading.readers.values import checked_fields

# Python-Markdown's time grows faster than its input on some shapes; far past any real article, plain text.
MAX_MARKDOWN_CHARS = 500_000

__all__ = ["make_id", "read_article"]


def read_article(src: SourceFile, max_bytes: int) -> tuple[Article | None, list[Problem]]:
    """Read and parse `src`; a file that cannot become an article gives None and says why."""

    def problem(line: int, message: str, severity: str = "error") -> Problem:
        return Problem(src.shown, line, message, severity)  # type: ignore[arg-type]

    try:
        st = os.stat(src.path)
        if not stat.S_ISREG(st.st_mode):
            # A FIFO or a device named *.txt would block the build forever on open().
            return None, [problem(0, "not a regular file; skipped")]
        if st.st_size > max_bytes:
            return None, [problem(0, f"file is {st.st_size:,} bytes, over max_file_bytes ({max_bytes:,}); skipped")]
        data = src.path.read_bytes()
    except OSError as e:
        return None, [problem(0, f"cannot read file: {e.strerror or e}")]
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
    text, line = drop_controls(text)
    if line:
        problems.append(problem(line, "control characters (NUL and the like) removed", "warning"))
    parsed = parse_markdown(text) if src.format == "markdown" else parse_text(text)
    problems += [problem(line, message) for line, message in parsed.problems]
    article, trouble = _article(src, parsed)
    return article, problems + trouble


def _article(src: SourceFile, parsed: Parsed) -> tuple[Article | None, list[Problem]]:
    """Apply front matter and sidecar fields (front matter first) to the parsed text."""
    front, front_trouble = checked_fields(parsed.fields)
    side, side_trouble = checked_fields(src.sidecar)
    sidecar_shown = posixpath.join(posixpath.dirname(src.shown), SIDECAR)
    trouble = [Problem(src.shown, parsed.field_lines.get(k, 0), m, "warning") for k, m in front_trouble]
    trouble += [Problem(sidecar_shown, src.sidecar_line, f"{src.path.name}: {m}", "warning") for _, m in side_trouble]

    def problem(line: int, message: str, severity: Severity = "error") -> Problem:
        return Problem(src.shown, line, message, severity)

    meta = _Fields(front, parsed.field_lines, side)
    title = _line(strip_marks(str(meta.get("title") or parsed.title)))
    if not title:
        return None, [*trouble, problem(1, "no title: the first line of an article is its title")]
    if not parsed.body.strip():
        trouble.append(problem(parsed.title_line or 1, "has a title but no body text", "warning"))
    date: dt.date | None = None
    date_source: DateSource = "none"
    value, origin = meta.get_with_origin("date")
    if value is not None:
        date = parse_date_value(value)
        if date is None:
            trouble.append(problem(meta.line("date"), f'cannot read date "{value}" (want YYYY-MM-DD)'))
        else:
            date_source = origin
    reference = parse_date_value(side.get("date_extracted")) or date
    body, format_ = parsed.body, src.format
    if format_ == "markdown" and len(body) > MAX_MARKDOWN_CHARS:
        trouble.append(
            problem(
                parsed.body_line, f"Markdown over {MAX_MARKDOWN_CHARS:,} characters; shown as plain text", "warning"
            )
        )
        format_ = "text"
    return (
        Article(
            id=make_id(str(meta.get("id") or PurePosixPath(src.rel).stem)),
            source=src.rel,
            format=format_,
            title=title,
            body=body,
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
    """A metadata date: a TOML date, or an ISO 8601 text with an optional time (`2015-08-09 17:06:02`)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:  # the whole text must hold: "2022-01-08 25:00:00" is not a moment of 8 January
            return dt.datetime.fromisoformat(text).date() if len(text) > 10 else dt.date.fromisoformat(text)
        except ValueError:
            return None
    return None


def make_id(stem: str) -> str:
    """A URL-safe id from a file stem or front matter `id` (any script kept; see `segments`)."""
    return segment(stem, fallback="article")


# C0 controls but tab and line feed, DEL, and the C1 block: never text, and NUL breaks tools downstream.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def drop_controls(text: str) -> tuple[str, int]:
    """`text` without control characters, and the line of the first one removed (0 when none was)."""
    first = _CONTROLS.search(text)
    if first is None:
        return text, 0
    return _CONTROLS.sub("", text), text.count("\n", 0, first.start()) + 1


# Explicit embeddings, overrides and isolates (U+202A-E, U+2066-9): in a one-line value an unclosed one turns
# the rest of its line on the page around (an outlet's U+202E reverses the byline after it). Marks (U+200E/F)
# only nudge neutral characters and stay.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _line(value: Any) -> str:
    """A one-line metadata value as text, without bidi controls."""
    return _BIDI_CONTROLS.sub("", str(value)).strip()


def _text(value: Any) -> str | None:
    return _line(value) or None if value not in (None, "") else None


def _names(value: Any) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    return tuple(dict.fromkeys(s for s in (_line(v) for v in items) if s))
