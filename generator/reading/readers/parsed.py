"""What a format reader hands back before metadata is applied."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.model import EMPTY


@dataclass(frozen=True)
class Parsed:
    title: str
    title_line: int
    body: str
    body_line: int
    fields: Mapping[str, Any] = field(default_factory=lambda: EMPTY)  # front matter
    field_lines: Mapping[str, int] = field(default_factory=lambda: EMPTY)  # key -> line, for messages
    problems: tuple[tuple[int, str], ...] = ()  # (line, message)
