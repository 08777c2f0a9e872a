"""The values that flow between pipeline stages: plain frozen dataclasses, no I/O."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

Format = Literal["text", "markdown"]
DateSource = Literal["front-matter", "sidecar", "dateline", "none"]

EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class SourceFile:
    """An article file found under the content folder, with its sidecar fields (if any)."""

    path: Path
    rel: str  # POSIX path relative to the content folder: ids and `list` use it
    shown: str  # how problems name the file (relative to the working folder)
    format: Format
    sidecar: Mapping[str, Any] = field(default_factory=lambda: EMPTY, compare=False)
    sidecar_line: int = 0  # line of meta.jsonl that gave `sidecar`


@dataclass(frozen=True)
class Dateline:
    """What the opening of the first paragraph says: where, who and when."""

    text: str = ""  # the dateline as printed, '' when there is none
    place: str | None = None
    outlet: str | None = None
    agency: str | None = None
    date: dt.date | None = None
    calendar: Literal["gregorian", "hijri", ""] = ""  # calendar the date was read from
    hijri: tuple[int, int, int] | None = None  # (year, month, day) as printed, when Hijri was given
    month_day: tuple[int, int] | None = None  # a year-less (month, day), e.g. Reuters' "March 20"
    problem: str | None = None  # e.g. 'cannot read date "32 شباط 2022"'


@dataclass(frozen=True)
class Article:
    id: str
    source: str  # POSIX path relative to the content folder
    format: Format
    title: str
    body: str  # paragraphs separated by one blank line (plain text), or Markdown source
    body_line: int = 1  # line of the file where the body starts
    date: dt.date | None = None
    date_source: DateSource = "none"
    reference_date: dt.date | None = None  # a metadata date that is not the publication date (crawl time)
    dateline: Dateline = Dateline()
    outlet: str | None = None
    agency: str | None = None
    lang: str = ""
    dir: Literal["rtl", "ltr"] = "ltr"
    words: int = 0
    summary: str = ""
    tags: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()  # declared in front matter; tagging adds the rest
    not_actors: tuple[str, ...] = ()
    url: str | None = None  # the original publication's address, from metadata
    author: str | None = None

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(p for p in self.body.split("\n\n") if p)


@dataclass(frozen=True)
class Page:
    """One file of the site: where it goes, which template draws it, and the data it gets."""

    url: str  # site-relative, "/articles/x/" or "/404.html"
    template: str
    context: Mapping[str, Any] = field(default_factory=lambda: EMPTY, compare=False)

    @property
    def output(self) -> str:
        """Relative file path: '/articles/x/' -> 'articles/x/index.html'."""
        path = self.url.lstrip("/")
        return path + "index.html" if not path or path.endswith("/") else path
