"""Problems found while building: collected per file, printed compiler-style, never raised past a file."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        tag = "" if self.severity == "error" else "warning: "
        return f"{where}: {tag}{self.message}"


def format_problems(problems: Iterable[Problem]) -> str:
    return "\n".join(str(p) for p in sorted(problems))


def display_path(path: os.PathLike[str] | str) -> str:
    """How messages name a file: relative to the working folder when inside it, else absolute."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    return absolute if relative.startswith("..") else relative
